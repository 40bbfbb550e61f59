/*
 * The self-test runner (include/arbor/selftest.h).
 */
#include <arbor/selftest.h>

extern const struct selftest __selftests_start[], __selftests_end[];

static unsigned failures_in_test;
static bool skipped_test;
static char skip_reason[96];

void selftest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	failures_in_test++;
	printk("selftest:   %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
}

void selftest_skip(const char *fmt, ...)
{
	va_list ap;

	skipped_test = true;
	va_start(ap, fmt);
	vformat_buf(skip_reason, sizeof(skip_reason), fmt, ap);
	va_end(ap);
}

int selftest_run_all(void)
{
	unsigned passed = 0, failed = 0, skipped = 0;

	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		failures_in_test = 0;
		skipped_test = false;
		t->run();
		if (failures_in_test) {
			failed++;
			printk("selftest: FAIL %s\n", t->name);
		} else if (skipped_test) {
			skipped++;
			pr_info("selftest: skip %s (%s)\n", t->name, skip_reason);
		} else {
			passed++;
			pr_info("selftest: ok   %s\n", t->name);
		}
	}
	printk("selftest: %u passed, %u failed, %u skipped\n", passed, failed, skipped);
	return (int)failed;
}
