/*
 * dom0's view of the other domains, so that dom0 powering off (which halts the whole
 * machine) does not cut short a domU still running: a dom0less boot starts its domUs next to
 * dom0, and nothing else waits for them.
 *
 * The domain list comes from XEN_DOMCTL_getdomaininfo, which on Xen 4.17 answers for the
 * first domain whose id is at least the one asked for. domctl is the toolstack's interface and
 * its version changes between Xen releases: on a mismatch Xen answers -EACCES and dom0 says
 * so and stops waiting.
 */
/* domctl.h is only visible to "tools", which set the interface version themselves. */
#define __XEN_TOOLS__ 1
#undef __XEN_INTERFACE_VERSION__

#include <errno.h>
#include <arbor/arch.h>
#include <arbor/printk.h>
#include <arbor/xen.h>
#include <xen/domctl.h>
#include <xen/features.h>
#include <xen/version.h>

/* How long dom0 waits for the others before powering off anyway. */

bool xen_is_dom0(void)
{
	struct xen_feature_info info = { .submap_idx = 0 };

	/* No hypercall unless Xen was detected (xen/detect.c). */
	if (xen_detected() == XEN_ABSENT)
		return false;
	long err = xen_hypercall(__HYPERVISOR_xen_version, XENVER_get_features,
				  (unsigned long)&info, 0, 0, 0);
	if (err < 0) {
		pr_err("xen: xen_version(XENVER_get_features): %s\n", xen_strerror(err));
		return false;
	}
	return info.submap & (1u << XENFEAT_dom0);
}

/*
 * The first domain with an id >= *domid that is still running (not shut down or dying):
 * returns 1 and sets *domid, 0 when there is none, or a negative Xen error.
 */
static long next_running_domain(domid_t *domid)
{
	struct xen_domctl op;

	for (domid_t id = *domid; id < DOMID_FIRST_RESERVED; id++) {
		op = (struct xen_domctl){
			.cmd = XEN_DOMCTL_getdomaininfo,
			.interface_version = XEN_DOMCTL_INTERFACE_VERSION,
			.domain = id,
		};
		long rc = xen_hypercall(__HYPERVISOR_domctl, (unsigned long)&op, 0, 0, 0, 0);
		if (rc == -ESRCH)
			return 0;
		if (rc < 0)
			return rc;
		id = op.u.getdomaininfo.domain;
		if (!(op.u.getdomaininfo.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying))) {
			*domid = id;
			return 1;
		}
	}
	return 0;
}

void xen_wait_other_domains(unsigned seconds)
{
	uint64_t freq = arch_counter_freq();
	uint64_t deadline = arch_counter() + seconds * freq;
	domid_t waiting_for = DOMID_FIRST_RESERVED;

	for (;;) {
		domid_t id = 1;
		long rc = next_running_domain(&id);
		if (rc == 0)
			return;
		if (rc < 0) {
			pr_warn("dom0: XEN_DOMCTL_getdomaininfo: %s; not waiting for other domains\n",
				xen_strerror(rc));
			return;
		}
		if (id != waiting_for) {
			pr_info("dom0: waiting for domain %u to shut down\n", id);
			waiting_for = id;
		}
		if (arch_counter() > deadline) {
			pr_warn("dom0: domain %u still running after %u s; powering off anyway\n", id,
				seconds);
			return;
		}
		xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0);
	}
}
