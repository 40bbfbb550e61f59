/*
 * The self-test runner (include/arbor/selftest.h).
 */
#include <arbor/selftest.h>

extern const struct selftest __selftests_start[], __selftests_end[];

static unsigned failures_in_test;

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

int selftest_run_all(void)
{
	unsigned passed = 0, failed = 0;

	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		failures_in_test = 0;
		t->run();
		if (failures_in_test) {
			failed++;
			printk("selftest: FAIL %s\n", t->name);
		} else {
			passed++;
			pr_info("selftest: ok   %s\n", t->name);
		}
	}
	printk("selftest: %u passed, %u failed\n", passed, failed);
	return (int)failed;
}
