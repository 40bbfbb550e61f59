/*
 * Self-tests of the console chosen at boot (console/): the backend is the one the rules in
 * include/arbor/console.h give for this platform, and a write through it succeeds.
 */
#include <string.h>

#include <arbor/console.h>
#include <arbor/mmu.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>
#include <arbor/xen.h>

#include <xen/hvm/params.h>

SELFTEST(console_follows_the_rules)
{
	const struct console_backend *b = console_current();

	if (platform.console >= 0) {
		/* Rules 1 and 2: a UART in the platform is the console. */
		const struct platform_uart *u = &platform.uarts[platform.console];
		EXPECT(b->kind == CONSOLE_UART, "a UART at 0x%llx is described, but the console is %s",
		       (unsigned long long)u->reg.base, b->name);
		EXPECT(b->base == u->reg.base, "the console UART is at 0x%llx, platform.console at 0x%llx",
		       (unsigned long long)b->base, (unsigned long long)u->reg.base);
		EXPECT(pte_device(pgtable_lookup(mmu_kernel_tables(), u->reg.base, NULL)),
		       "the console UART's registers are not mapped as a device");
		return;
	}
	/* Rules 3 and 4: the PV ring when Xen set its parameters, else console_io. */
	EXPECT(b->kind == CONSOLE_XEN_RING || b->kind == CONSOLE_XEN_IO,
	       "no UART is described, but the console is %s", b->name);
	uint64_t pfn = 0, port = 0;
	if (platform.xen.present || platform.psci.method == PSCI_HVC) {
		EXPECT(xen_hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn) == 0 &&
		       xen_hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &port) == 0,
		       "HVMOP_get_param failed");
	}
	if (pfn && port)
		EXPECT(b->kind == CONSOLE_XEN_RING && b->base == pfn << 12,
		       "the PV console is at page 0x%llx, but the console is %s",
		       (unsigned long long)(pfn << 12), b->name);
	else
		EXPECT(b->kind == CONSOLE_XEN_IO, "no PV console is set up, but the console is %s",
		       b->name);
}

SELFTEST(console_write_succeeds)
{
	const struct console_backend *b = console_current();
	static const char text[] = "selftest:   console: a line written straight to the backend\n";

	printk_flush();
	long n = b->write(text, strlen(text));
	EXPECT(n == (long)strlen(text), "%s: write returned %ld, not %u", b->name, n,
	       (unsigned)strlen(text));
	EXPECT(console_current() == b, "the write made the console fall back to %s",
	       console_current()->name);
}
