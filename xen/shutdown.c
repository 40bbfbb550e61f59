/*
 * Ending the domain. Before the hypercall Arbor prints its last line, `arbor: halt: <how>`,
 * which the run harness waits for: a domU's shutdown leaves Xen (and QEMU) running.
 */
#include <arbor/arch.h>
#include <arbor/printk.h>
#include <arbor/xen.h>

static const char *reason_name(unsigned int reason)
{
	switch (reason) {
	case SHUTDOWN_poweroff:
		return "poweroff";
	case SHUTDOWN_reboot:
		return "reboot";
	case SHUTDOWN_crash:
		return "crash";
	default:
		return "other";
	}
}

void xen_shutdown(unsigned int reason)
{
	struct sched_shutdown arg = { .reason = reason };

	printk("arbor: halt: %s\n", reason_name(reason));
	printk_flush();
	long err = xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&arg,
				  0, 0, 0);
	/* Only a refused shutdown gets here; there is nothing left but to stop. */
	pr_err("SCHEDOP_shutdown: %s\n", xen_strerror(err));
	printk_flush();
	arch_halt_crash();
}
