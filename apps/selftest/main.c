/*
 * The default application: run the kernel's in-guest self-tests (tests/kernel/) and report.
 */
#include <arbor/kernel.h>
#include <arbor/selftest.h>

int app_main(void)
{
	return selftest_run_all();
}
