/*
 * The default application: run the kernel's in-guest self-tests (tests/kernel/) and report.
 * app.mk links tests/kernel/ and the runner in; no other image carries them.
 *
 * A deliberate fault (bootarg selftest.fault=KIND) comes first, before anything else runs,
 * so its report is the last thing the domain prints.
 *
 * In dom0 the xenstore test server runs first (tests/kernel/xenstore_server.c): in role pair
 * the domU's xenstore client waits for dom0 to give it a store page, and its self-tests talk
 * to that server. It returns when the domU is done with it (bounded). When soaking
 * (selftest.soak) the domU runs for minutes after that, so dom0 waits for it longer than the
 * kernel's own minute before it powers off.
 */
#include <arbor/kernel.h>
#include <arbor/selftest.h>
#include <arbor/xen.h>
#include <arbor/xenstore.h>

int app_main(void)
{
	selftest_fault();
	if (xen_is_dom0())
		xenstore_test_server();
	int failed = selftest_run_all();
	selftest_idle();
	if (xen_is_dom0() && selftest_soak())
		xen_wait_other_domains(900);
	return failed;
}
