/*
 * selftest.soak (make soak, tools/soak.py): the self-tests that repeat an operation use their
 * long counts, and print what they reached as `selftest:   soak: ...` lines for the soak
 * report. The counts are those of docs/testing.md's soak section.
 */
#include <arbor/bootargs.h>
#include <arbor/kernel.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>

bool selftest_soak(void)
{
	return bootargs_has(platform.bootargs, "selftest.soak");
}

unsigned selftest_count(unsigned normal, unsigned soak)
{
	return selftest_soak() ? soak : normal;
}
