/*
 * In-guest self-tests. Each SELFTEST(name) { ... } body is placed in a linker section and run
 * by selftest_run_all(), which prints one line per test and finally
 * `selftest: N passed, M failed, K skipped` (the run harness reads that line; a test that
 * does not apply to this platform, e.g. event channels without a hypervisor node, skips).
 *
 * EXPECT(cond, fmt, ...) records a failure with a message and goes on; a test fails when any
 * of its expectations did.
 */
#ifndef ARBOR_SELFTEST_H
#define ARBOR_SELFTEST_H

#include <arbor/printk.h>
#include <arbor/types.h>

struct selftest {
	const char *name;
	void (*run)(void);
};

#define SELFTEST(name)                                                                     \
	static void selftest_##name(void);                                                 \
	static const struct selftest selftest_entry_##name                                 \
		__section(".selftests." #name) __used = { #name, selftest_##name };        \
	static void selftest_##name(void)

void selftest_fail(const char *file, int line, const char *fmt, ...) __printf(3, 4);

#define EXPECT(cond, ...)                                               \
	do {                                                            \
		if (!(cond))                                            \
			selftest_fail(__FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

/*
 * Mark the running test as not applicable here (why, in words): it is counted as skipped,
 * not passed. SKIP_UNLESS(cond, fmt, ...) skips and returns when cond is false.
 */
void selftest_skip(const char *fmt, ...) __printf(1, 2);

#define SKIP_UNLESS(cond, ...)                   \
	do {                                     \
		if (!(cond)) {                   \
			selftest_skip(__VA_ARGS__); \
			return;                  \
		}                                \
	} while (0)

/*
 * Whether this boot soaks (bootarg selftest.soak, make soak): a test that repeats an
 * operation then uses its long count, selftest_count(normal, soak), and prints what it
 * reached as a `selftest:   soak: ...` line (tests/kernel/soak.c).
 */
bool selftest_soak(void);
unsigned selftest_count(unsigned normal, unsigned soak);

/* Run every registered test; returns the number that failed. */
int selftest_run_all(void);

/*
 * The bootargs of the test image (apps/selftest), each a no-op without its bootarg:
 * selftest.fault=KIND takes the deliberate fault KIND (tests/kernel/fault.c), never returning;
 * selftest.idle=SECONDS sleeps that long between two marker lines (tests/kernel/idle.c).
 */
void selftest_fault(void);
void selftest_idle(void);

#endif
