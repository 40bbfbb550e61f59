/*
 * The end of the kernel, on Xen or without it.
 *
 * The last line is always `arbor: halt: poweroff` or `arbor: halt: crash`: the run harness
 * waits for it, and on Xen a domU's end leaves Xen and QEMU running. Then:
 *
 *   - on Xen (or before detection has run: an early panic may well be on Xen),
 *     SCHEDOP_shutdown with SHUTDOWN_poweroff or SHUTDOWN_crash;
 *   - without Xen, PSCI SYSTEM_OFF (Arm DEN 0022, 5.1.9; function 0x84000008) over the
 *     conduit the DT's /psci node names. A crash powers off too, after its report: the
 *     machine has nobody to tell but the console, and a SYSTEM_RESET would only boot the
 *     same crash again (QEMU exits on SYSTEM_OFF, and on SYSTEM_RESET only with -no-reboot);
 *   - with neither, an honest halt: a line saying so, then WFI for ever with interrupts
 *     masked, so the CPU sleeps instead of spinning.
 */
#include <arbor/arch.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/smccc.h>
#include <arbor/xen.h>

#define PSCI_SYSTEM_OFF  0x84000008u	/* PSCI 0.2+, SMC32: no arguments, no return on success */

static const char *conduit_name(enum psci_method m)
{
	return m == PSCI_HVC ? "hvc" : "smc";
}

void kernel_halt(enum halt_reason reason)
{
	const struct platform_psci *psci = &platform.psci;

	printk("arbor: halt: %s\n", reason == HALT_CRASH ? "crash" : "poweroff");
	printk_flush();
	if (!xen_detection_done() || xen_detected() != XEN_ABSENT) {
		long err = xen_shutdown(reason == HALT_CRASH ? SHUTDOWN_crash : SHUTDOWN_poweroff);
		/* Before detection a refusal is expected where there is no Xen: say nothing. */
		if (xen_detection_done())
			pr_err("SCHEDOP_shutdown: %s\n", xen_strerror(err));
	}
	if (psci->present && psci->method != PSCI_NONE) {
		struct smccc_res res = { 0 };

		smccc_call(psci->method, PSCI_SYSTEM_OFF, &res);
		pr_err("psci: SYSTEM_OFF (0x%08x) over %s returned %d\n", PSCI_SYSTEM_OFF,
		       conduit_name(psci->method), (int)res.a0);
	}
	printk("arbor: halting: no way left to power off (%s); waiting with interrupts masked\n",
	       psci->present ? "PSCI SYSTEM_OFF failed" : "no Xen and no PSCI node");
	printk_flush();
	arch_halt_wfi();
}
