/*
 * This domain's own id.
 *
 * Most hypercalls take DOMID_SELF, but a grant entry must name the grantee by its real id
 * (Xen compares the entry's domid with the mapping domain's id), so a domain that grants a
 * page to itself must know who it is. No hypercall an unprivileged Arm guest may make returns
 * it directly, and a dom0less domU has no xenstore to read "domid" from. What does work for
 * every domain: EVTCHNOP_alloc_unbound with remote_dom = DOMID_SELF stores the caller's real
 * id as the port's remote end (xen/common/event_channel.c, evtchn_alloc_unbound: "if
 * ((chn->u.unbound.remote_domid = alloc->remote_dom) == DOMID_SELF) ... =
 * current->domain->domain_id"), and EVTCHNOP_status reports that id back. The port is
 * closed again at once; it was never unmasked, so it raises nothing.
 */
#include <errno.h>

#include <arbor/printk.h>
#include <arbor/xen.h>

#include <xen/event_channel.h>

static domid_t self_id = DOMID_INVALID;

/* HYPERVISOR_event_channel_op; a failure is printed with the call and Xen's error name. */
static long evtchn_op(unsigned cmd, void *arg, const char *call)
{
	long err = xen_hypercall(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg, 0, 0, 0);

	if (err)
		pr_err("xen: domain id: %s: %s\n", call, xen_strerror(err));
	return err;
}

int xen_domid(domid_t *domid)
{
	if (self_id != DOMID_INVALID) {
		*domid = self_id;
		return 0;
	}
	if (xen_detected() == XEN_ABSENT)
		return -ENODEV;

	struct evtchn_alloc_unbound alloc = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	long err = evtchn_op(EVTCHNOP_alloc_unbound, &alloc, "EVTCHNOP_alloc_unbound(self)");
	if (err)
		return (int)err;

	struct evtchn_status st = { .dom = DOMID_SELF, .port = alloc.port };
	err = evtchn_op(EVTCHNOP_status, &st, "EVTCHNOP_status");
	struct evtchn_close close = { .port = alloc.port };
	/* A failed close leaves one port open, reported; the id read is still right. */
	evtchn_op(EVTCHNOP_close, &close, "EVTCHNOP_close");
	if (err)
		return (int)err;
	if (st.status != EVTCHNSTAT_unbound || st.u.unbound.dom >= DOMID_FIRST_RESERVED) {
		pr_err("xen: domain id: port %u reads back as status %u, remote %u\n",
		       (unsigned)alloc.port, (unsigned)st.status, (unsigned)st.u.unbound.dom);
		return -EPROTO;
	}
	self_id = st.u.unbound.dom;
	*domid = self_id;
	return 0;
}
