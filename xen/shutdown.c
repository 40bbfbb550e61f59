/*
 * SCHEDOP_shutdown: how a Xen domain ends. kernel_halt() (xen/halt.c) prints the last
 * line and calls this; it returns only if Xen refused, or if no Xen took the call.
 */
#include <arbor/xen.h>

long xen_shutdown(unsigned int reason)
{
	struct sched_shutdown arg = { .reason = reason };

	return xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&arg, 0, 0, 0);
}
