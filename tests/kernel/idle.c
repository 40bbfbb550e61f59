/*
 * selftest.idle=SECONDS: after the self-tests, sleep that long with nothing else to run, so
 * the run harness can check that an idle Arbor costs the host nothing (tools/run.py
 * --check-idle samples QEMU's CPU time between the two lines printed here). The vCPU waits in
 * WFI in the idle thread and Xen deschedules it; QEMU's CPU time should stay flat.
 */
#include <arbor/bootargs.h>
#include <arbor/kernel.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/sched.h>
#include <arbor/selftest.h>
#include <arbor/time.h>

void selftest_idle(void)
{
	size_t len;
	const char *v = bootargs_value(platform.bootargs, "selftest.idle", &len);
	unsigned seconds = 0;

	if (!v)
		return;
	for (size_t i = 0; i < len && v[i] >= '0' && v[i] <= '9' && seconds < 3600; i++)
		seconds = seconds * 10 + (unsigned)(v[i] - '0');
	printk("idle: begin, %u s\n", seconds);
	sched_sleep_ns((uint64_t)seconds * NSEC_PER_SEC);
	printk("idle: end\n");
}
