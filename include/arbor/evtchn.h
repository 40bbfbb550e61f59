/*
 * Event channels (xen/evtchn.c): Xen's interrupts for guests, over the 2-level ABI
 * (include/arbor/evtchn_2l.h for the bitmaps).
 *
 * A port is bound to something (a virtual IRQ, a port of another domain or of this one)
 * and given a handler. Xen signals a port by setting its pending bit and, unless the port is
 * masked, raising the upcall: the PPI the DT's hypervisor node names. The upcall handler
 * calls the handler of every pending, unmasked port, once per event, in the IRQ exception
 * with interrupts masked; several sends before the handler runs are one event. All events
 * go to vCPU 0, the only one Arbor runs on.
 *
 * Event channels need the hypervisor node (for the upcall interrupt) and the shared-info
 * page. Without them evtchn_init() says so in one line, evtchn_available() is false, and
 * every call returns -ENODEV without a hypercall.
 *
 * Errors are negative: Xen's own (a failed hypercall, printed with the call's name and
 * xen_strerror's name for the error), or -ENODEV, -EINVAL (a port beyond the ABI's 4096),
 * -EBUSY (a port that already has a handler). Every port starts masked; binding a handler
 * unmasks it.
 */
#ifndef ARBOR_EVTCHN_H
#define ARBOR_EVTCHN_H

#include <arbor/types.h>
#include <arbor/xen.h>

#include <xen/event_channel.h>

struct platform;

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *arg);

/*
 * Mask every port and route the upcall interrupt (the hypervisor node's, with its trigger
 * flags) to the event dispatcher. Needs xen_shared_info_init() first. Prints one line: the
 * ABI and the interrupt, or why event channels are unavailable. 0, or a negative error.
 */
int evtchn_init(const struct platform *plat);
bool evtchn_available(void);

/*
 * Allocate a port that remote (a domain id, or DOMID_SELF for a loopback) may bind to with
 * EVTCHNOP_bind_interdomain; *port is the new local port. fn, when not NULL, becomes its
 * handler (see evtchn_bind); otherwise it stays masked.
 */
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t fn, void *arg, evtchn_port_t *port);

/*
 * Connect a new local port to remote_port of remote (which must be unbound and allow this
 * domain). Xen marks the new port pending at once (an event may have been sent before the
 * connection existed), so a handler given here runs once straight away.
 */
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_handler_t fn,
			    void *arg, evtchn_port_t *port);

/* Bind virtual IRQ virq (VIRQ_*, public xen.h) on vCPU 0 to a new port. */
int evtchn_bind_virq(uint32_t virq, evtchn_handler_t fn, void *arg, evtchn_port_t *port);

/*
 * Give an already bound port (e.g. one Xen allocated, as the xenstore port) the handler
 * fn(port, arg) and unmask it; an event that was pending is delivered now.
 */
int evtchn_bind(evtchn_port_t port, evtchn_handler_t fn, void *arg);

/* Mask port and forget its handler, leaving the channel open. */
void evtchn_unbind(evtchn_port_t port);

/* Signal the other end of port (EVTCHNOP_send). */
int evtchn_send(evtchn_port_t port);

/* Mask, forget the handler and close (EVTCHNOP_close); a remote end becomes unbound. */
int evtchn_close(evtchn_port_t port);

/* EVTCHNOP_status for a port of this domain. */
int evtchn_status(evtchn_port_t port, struct evtchn_status *status);

/*
 * Mask and unmask one port. Events sent while it is masked stay pending (coalesced to one)
 * and are delivered by the unmask.
 */
int evtchn_mask(evtchn_port_t port);
int evtchn_unmask(evtchn_port_t port);

bool evtchn_is_pending(evtchn_port_t port);
bool evtchn_is_masked(evtchn_port_t port);

/* Upcall interrupts taken, and port handlers run, since boot. */
uint64_t evtchn_upcalls(void);
uint64_t evtchn_events(void);

#endif
