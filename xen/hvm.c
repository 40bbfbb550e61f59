/*
 * HVM parameters (public hvm/params.h): values Xen or the toolstack set for a domain, such
 * as where its PV console and xenstore rings are. On Arm they are read with hvm_op
 * HVMOP_get_param (hvm/hvm_op.h), for DOMID_SELF or, from dom0, for another domain.
 */
#include <arbor/printk.h>
#include <arbor/xen.h>

#include <xen/hvm/hvm_op.h>

long xen_hvm_get_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param arg = { .domid = DOMID_SELF, .index = index };
	long err = xen_hypercall(__HYPERVISOR_hvm_op, HVMOP_get_param, (unsigned long)&arg, 0,
				  0, 0);

	if (err) {
		pr_warn("HVMOP_get_param(%u): %s\n", (unsigned)index, xen_strerror(err));
		return err;
	}
	*value = arg.value;
	return 0;
}
