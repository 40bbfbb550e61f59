/*
 * _exit for the C library: the end of the domain. exit() runs the atexit handlers, then calls
 * this. Status 0 powers the domain off (kernel_halt: SHUTDOWN_poweroff, or PSCI without Xen), as returning 0 from app_main
 * does; any other status is a failure and crashes it (SHUTDOWN_crash), so that whoever
 * watches the domain (a toolstack's on_crash, the test harness) sees it failed. Either way
 * stdout is flushed first, and dom0 first waits for the other domains as kernel_main does.
 */
#include <stdio.h>
#include <unistd.h>

#include <arbor/printk.h>
#include <arbor/xen.h>

void _exit(int status)
{
	fflush(stdout);
	if (status)
		pr_err("libc: exit(%d)\n", status);
	printk_flush();
	if (xen_is_dom0())
		xen_wait_other_domains(XEN_WAIT_OTHERS_S);
	kernel_halt(status ? HALT_CRASH : HALT_POWEROFF);
}
