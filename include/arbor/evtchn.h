/*
 * Event channels (xen/evtchn.c): Xen's interrupts for guests, over the 2-level ABI
 * (include/arbor/evtchn_2l.h for the bitmaps).
 *
 * A port is bound to something (a virtual IRQ, a port of another domain or of this one)
 * and given a handler. Xen signals a port by setting its pending bit and, unless the port is
 * masked, raising the upcall: the PPI the DT's hypervisor node names. The upcall handler
 * calls the handler of every pending, unmasked port, once per event, in the IRQ exception
 * with interrupts masked; several sends before the handler runs are one event. A port
 * notifies vCPU 0 (the boot CPU) unless evtchn_bind_vcpu() moved it to another vCPU, whose
 * CPU then runs its handler (see "Per-vCPU delivery" below).
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

/*
 * Mask port and forget its handler, leaving the channel open. When it returns, the handler
 * is not running on any CPU and will not be called again.
 */
void evtchn_unbind(evtchn_port_t port);

/* Signal the other end of port (EVTCHNOP_send). */
int evtchn_send(evtchn_port_t port);

/*
 * Mask, forget the handler and close (EVTCHNOP_close); a remote end becomes unbound. A port
 * number Xen hands out again notifies vCPU 0.
 */
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

/* Upcall interrupts taken, and port handlers run, since boot, on every vCPU. */
uint64_t evtchn_upcalls(void);
uint64_t evtchn_events(void);

/*
 * ---- Per-vCPU delivery (xen/evtchn.c; smp/ brings the vCPUs up) ----
 *
 * Xen's vCPU ids are its own: vCPU 0 is the one it starts (the boot CPU); smp/ says which CPU
 * is which other (docs/smp.md, "Event channels on every vCPU"). vCPU 0 uses the vcpu_info in
 * the shared-info page; every other vCPU gets one of its own from evtchn_vcpu_register()
 * before it starts, and handles the ports bound to it in its own IRQ path.
 *
 * A handler of a port bound to a secondary runs on that CPU, in its IRQ exception with
 * interrupts masked there, possibly at the same time as code on the boot CPU: it may touch
 * only what it shares safely (volatile or atomic counters, say), and must not print (printk
 * is the boot CPU's), allocate, sleep, or call this interface. Every other call here is made
 * on the boot CPU.
 */
struct evtchn_vcpu;

/* The upcall's INTID, or -ENODEV when event channels are unavailable. */
int evtchn_upcall_intid(void);

/*
 * On the boot CPU, before vCPU vcpu (1 or more, below the number /cpus lists) is started:
 * give it a vcpu_info of its own, a page the allocator never gets back, with
 * VCPUOP_register_vcpu_info (public vcpu.h). Xen accepts that once per vCPU, from the vCPU
 * itself or, for another vCPU, only while that one is down. Returns its delivery, to be
 * handed to the vCPU; NULL (after a message naming the call, the vCPU and the error) when
 * event channels are unavailable or Xen refused: the vCPU then takes no events.
 */
struct evtchn_vcpu *evtchn_vcpu_register(unsigned vcpu);

/*
 * On that vCPU, IRQs masked, before it enables the upcall interrupt: clear the marks Xen
 * left on the new vcpu_info when it was registered (while the vCPU was down, so that its
 * upcall interrupt was dropped), then accept ports (evtchn_bind_vcpu).
 */
void evtchn_vcpu_start(struct evtchn_vcpu *ev);

/* On that vCPU, from its IRQ path, for the upcall INTID: handle its pending ports. */
void evtchn_vcpu_upcall(struct evtchn_vcpu *ev);

/*
 * On the boot CPU, once the vCPU runs and has started: check that it is the CPU with this
 * MPIDR, by binding an IPI port to the vCPU (EVTCHNOP_bind_ipi), sending on it, and seeing
 * where the handler runs, within EVTCHN_CHECK_MS; the port is closed after. 0; or, after a
 * message, a negative error (Xen's, -ETIMEDOUT, -ENXIO for another CPU), and the vCPU then
 * accepts no port.
 */
#define EVTCHN_CHECK_MS  1000
int evtchn_vcpu_check(struct evtchn_vcpu *ev, uint64_t mpidr);

/* What a vCPU's delivery saw, for tests and diagnostics. */
struct evtchn_vcpu_stats {
	bool started;		/* it takes events (vCPU 0: always) */
	bool marked;		/* Xen had marked its new vcpu_info pending, as registration does */
	bool checked;		/* evtchn_vcpu_check saw an event bound to it arrive there */
	uint64_t upcalls;	/* upcall interrupts it took */
	unsigned unhandled;	/* events it took on ports without a handler (masked, kept) */
};
/* 0 and *st, or -ENODEV for a vCPU without delivery. */
int evtchn_vcpu_stats(unsigned vcpu, struct evtchn_vcpu_stats *st);

/*
 * Make port notify vCPU vcpu (EVTCHNOP_bind_vcpu): its events raise that vCPU's upcall and
 * its handler runs there. The port is masked while it moves and unmasked after if it was
 * unmasked before, so an event sent meanwhile is delivered once, on the new vCPU; when this
 * returns, no handler of the port runs or can start on the old one. Xen refuses IPI and
 * per-vCPU VIRQ ports (their vCPU is fixed at binding). 0; -EINVAL for a vCPU that takes no
 * events (not registered, not started), after a message; or Xen's error, named.
 */
int evtchn_bind_vcpu(evtchn_port_t port, unsigned vcpu);

#endif
