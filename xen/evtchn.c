/*
 * Event channels over the 2-level ABI (include/arbor/evtchn.h): the hypercalls, the per-port
 * handler table, the upcall interrupt, and delivery to each vCPU. The bitmap protocol itself
 * is xen/evtchn_2l.c.
 *
 * The upcall is an ordinary GIC interrupt on Arm: the PPI named by the hypervisor node,
 * which Xen injects into a vCPU when it sets that vCPU's evtchn_upcall_pending
 * (vcpu_mark_events_pending). Its handler runs evtchn_2l_upcall() over the shared-info page's
 * bitmaps and the vCPU's own vcpu_info, and calls each port's handler. An event on an
 * unmasked port without a handler is put back, pending, on the port, which is masked so
 * that it cannot storm (and reported, on the boot CPU): whoever binds the port later gets
 * the event.
 *
 * One struct evtchn_vcpu per vCPU that takes events, indexed by Xen's vCPU id:
 *   - vCPU 0 (the boot vCPU: the only one Xen starts) keeps the vcpu_info inside the
 *     shared-info page. On Arm that page has exactly one (XEN_LEGACY_MAX_VCPUS is 1 in the
 *     public arch-arm.h), vCPU 0's, valid from the domain's creation, so event channels work
 *     from evtchn_init() on, before smp/ and in images without it. Registering another one
 *     for vCPU 0 would gain nothing, and could be done only once.
 *   - Every other vCPU has no vcpu_info at all until the guest registers one: Xen points it
 *     at a dummy, and events for it would be lost. evtchn_vcpu_register() gives it one with
 *     VCPUOP_register_vcpu_info (public vcpu.h: once per vCPU; Xen accepts it from the vCPU
 *     itself or, for another vCPU, only while that one is down, so smp/ calls it on the
 *     boot CPU before CPU_ON). It lies at the start of a page of its own that is never given
 *     back: Xen keeps the page mapped for good.
 * Each vCPU's upcall handles only the ports bound to it (its `bound` bitmap): the pending and
 * mask arrays are shared by every vCPU, the selector and the upcall flag are per vCPU. Every
 * port notifies vCPU 0 until EVTCHNOP_bind_vcpu moves it (public event_channel.h: the
 * default, set again when a port is freed), so vCPU 0's bitmap starts full.
 *
 * Safety across CPUs: everything here is called on the boot CPU but evtchn_vcpu_start() and
 * the upcalls, which run on the vCPU itself; a handler of a port bound to a secondary runs on
 * that secondary, in its IRQ exception with IRQs masked there. Moving a port
 * (evtchn_bind_vcpu) and taking its handler away (evtchn_unbind, evtchn_close) mask it
 * first, then wait until the vCPU that had it is outside any upcall that began before
 * (quiesce): after that no handler of the port runs, or can start, there.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <arbor/arch.h>
#include <arbor/evtchn.h>
#include <arbor/evtchn_2l.h>
#include <arbor/irq.h>
#include <arbor/page_alloc.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/xen.h>
#include <arch/gic.h>
#include <arch/smp.h>

#include <xen/vcpu.h>

_Static_assert(sizeof(xen_ulong_t) == sizeof(evtchn_word_t), "2-level words are xen_ulong_t");
_Static_assert(sizeof(((struct shared_info *)0)->evtchn_pending) ==
	       EVTCHN_2L_WORDS * sizeof(evtchn_word_t), "evtchn_pending is 64 words");
_Static_assert(sizeof(((struct vcpu_info *)0)->evtchn_pending_sel) * 8 == EVTCHN_2L_WORDS,
	       "a selector bit per pending word");
_Static_assert(EVTCHN_2L_PORTS == EVTCHN_2L_NR_CHANNELS, "4096 ports on Arm");

#define SC  __ATOMIC_SEQ_CST

struct port_handler {
	evtchn_handler_t fn;	/* written last (release), read first (acquire) */
	void *arg;
};

/*
 * One vCPU's delivery. A secondary's is a page of its own, from the page allocator, with
 * the vcpu_info Xen was given at its start (so it never crosses a page boundary).
 */
struct evtchn_vcpu {
	struct vcpu_info info;		/* a secondary's, registered; unused for vCPU 0 */
	unsigned id;			/* Xen's vCPU id */
	struct evtchn_2l l;		/* the shared arrays, this vCPU's flags, `bound` */
	evtchn_word_t bound[EVTCHN_2L_WORDS];	/* the ports that notify this vCPU */
	uint64_t mpidr;			/* of the CPU running it, once started */
	bool started;			/* takes events: vCPU 0 from init, others once started */
	bool marked;			/* Xen had marked the new vcpu_info pending (at start) */
	unsigned seq;			/* odd while an upcall runs here */
	uint64_t upcalls;		/* upcall interrupts taken here (written here only) */
	unsigned unhandled;		/* events on ports without a handler taken here */
	uint64_t check_mpidr;		/* evtchn_vcpu_check: where its event ran ... */
	bool checked;			/* ... once it has */
};
_Static_assert(offsetof(struct evtchn_vcpu, info) == 0 && sizeof(struct evtchn_vcpu) <= PAGE_SIZE,
	       "a vcpu_info at the start of its page: it cannot cross a page boundary");

static bool available;
/* EVTCHN_2L_PORTS entries from the page allocator once event channels are available: every
 * use is behind `available` (check_port) or the upcall, registered after. */
static struct port_handler *handlers;
static evtchn_word_t warned[EVTCHN_2L_WORDS];	/* ports reported as unhandled */
static uint64_t events;				/* every vCPU's: atomic */
/* By vCPU id, nvcpus entries (one per /cpus entry, at least one); NULL: no events there. */
static struct evtchn_vcpu **vcpus;
static unsigned nvcpus;
static unsigned upcall_intid;

bool evtchn_available(void)
{
	return available;
}

static int check_port(evtchn_port_t port)
{
	if (!available)
		return -ENODEV;
	return port < EVTCHN_2L_PORTS ? 0 : -EINVAL;
}

/* HYPERVISOR_event_channel_op; a failure is printed as "evtchn: <call>(<what>): <error>". */
static int evtchn_op(unsigned cmd, void *arg, const char *call, const char *what)
{
	long err = xen_hypercall(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg, 0, 0, 0);

	if (err)
		pr_err("evtchn: %s(%s): %s\n", call, what, xen_strerror(err));
	return (int)err;
}

static const char *domid_name(domid_t dom, char *buf, size_t size)
{
	if (dom == DOMID_SELF)
		return "self";
	format_buf(buf, size, "%u", (unsigned)dom);
	return buf;
}

/* The dispatcher's callback: one event on port, on the vCPU arg. Runs with IRQs masked. */
static void dispatch(uint32_t port, void *arg)
{
	struct evtchn_vcpu *ev = arg;
	const struct port_handler *h = &handlers[port];
	evtchn_handler_t fn = __atomic_load_n(&h->fn, __ATOMIC_ACQUIRE);

	if (fn) {
		__atomic_fetch_add(&events, 1, __ATOMIC_RELAXED);
		fn(port, h->arg);
		return;
	}
	/* Masked first, so that putting the event back raises nothing. */
	evtchn_2l_mask(&ev->l, port);
	evtchn_2l_set_pending(&ev->l, port);
	__atomic_store_n(&ev->unhandled, ev->unhandled + 1, __ATOMIC_RELAXED);
	/* Only the boot CPU prints (printk's line buffer is its own). */
	if (ev->id == 0 &&
	    !(__atomic_fetch_or(&warned[evtchn_2l_word(port)], evtchn_2l_bit(port), SC) &
	      evtchn_2l_bit(port)))
		pr_warn("evtchn: event on port %u, which has no handler; masking it\n",
			(unsigned)port);
}

/* One upcall on ev's vCPU, on the CPU running it, IRQs masked. */
static void vcpu_upcall(struct evtchn_vcpu *ev)
{
	__atomic_fetch_add(&ev->seq, 1, SC);		/* odd: inside */
	__atomic_store_n(&ev->upcalls, ev->upcalls + 1, __ATOMIC_RELAXED);
	evtchn_2l_upcall(&ev->l, dispatch, ev);
	__atomic_fetch_add(&ev->seq, 1, SC);
}

static void upcall(unsigned intid, void *arg)
{
	(void)intid;
	vcpu_upcall(arg);
}

/*
 * After a port was masked (or moved off ev's vCPU), wait until that vCPU is outside every
 * upcall that began before: a later one sees the mask and cannot run the port's handler.
 * The mask store and the seq load here, the seq store and the mask load in the upcall, are
 * sequentially consistent, so one side sees the other's. Nothing to wait for on this CPU's
 * own vCPU: its upcall is not running while this does, or this runs inside it.
 */
static void quiesce(const struct evtchn_vcpu *ev)
{
	if (!__atomic_load_n(&ev->started, __ATOMIC_ACQUIRE) || ev->mpidr == arch_mpidr())
		return;
	unsigned seq = __atomic_load_n(&ev->seq, SC);
	if (seq & 1)
		while (__atomic_load_n(&ev->seq, SC) == seq)
			;
}

/* The vCPU port notifies, as far as Arbor moved it (vCPU 0 unless evtchn_bind_vcpu said). */
static struct evtchn_vcpu *owner(evtchn_port_t port)
{
	for (unsigned v = 1; v < nvcpus; v++)
		if (vcpus[v] && (__atomic_load_n(&vcpus[v]->bound[evtchn_2l_word(port)], SC) &
				 evtchn_2l_bit(port)))
			return vcpus[v];
	return vcpus[0];
}

/* Move port's bit from one vCPU's bitmap to another's (the port masked meanwhile). */
static void move_bound(evtchn_port_t port, struct evtchn_vcpu *from, struct evtchn_vcpu *to)
{
	if (from == to)
		return;
	__atomic_fetch_or(&to->bound[evtchn_2l_word(port)], evtchn_2l_bit(port), SC);
	__atomic_fetch_and(&from->bound[evtchn_2l_word(port)], ~evtchn_2l_bit(port), SC);
}

int evtchn_mask(evtchn_port_t port)
{
	int err = check_port(port);

	if (!err)
		evtchn_2l_mask(&vcpus[0]->l, port);
	return err;
}

int evtchn_unmask(evtchn_port_t port)
{
	int err = check_port(port);
	char what[24];

	if (err || !evtchn_2l_unmask(&vcpus[0]->l, port))
		return err;
	/* Pending while masked: have Xen deliver it (see evtchn_2l_unmask). */
	struct evtchn_unmask op = { .port = port };
	format_buf(what, sizeof(what), "port %u", (unsigned)port);
	return evtchn_op(EVTCHNOP_unmask, &op, "EVTCHNOP_unmask", what);
}

bool evtchn_is_pending(evtchn_port_t port)
{
	return !check_port(port) && evtchn_2l_is_pending(&vcpus[0]->l, port);
}

bool evtchn_is_masked(evtchn_port_t port)
{
	return !check_port(port) && evtchn_2l_is_masked(&vcpus[0]->l, port);
}

int evtchn_bind(evtchn_port_t port, evtchn_handler_t fn, void *arg)
{
	int err = check_port(port);

	if (err)
		return err;
	if (!fn)
		return -EINVAL;
	unsigned long flags = irq_save();
	if (handlers[port].fn) {
		irq_restore(flags);
		return -EBUSY;
	}
	/* arg before fn: a dispatcher on another vCPU that sees fn sees its arg. */
	handlers[port].arg = arg;
	__atomic_store_n(&handlers[port].fn, fn, __ATOMIC_RELEASE);
	__atomic_fetch_and(&warned[evtchn_2l_word(port)], ~evtchn_2l_bit(port), SC);
	irq_restore(flags);
	return evtchn_unmask(port);
}

void evtchn_unbind(evtchn_port_t port)
{
	if (check_port(port))
		return;
	evtchn_2l_mask(&vcpus[0]->l, port);
	quiesce(owner(port));
	unsigned long flags = irq_save();
	__atomic_store_n(&handlers[port].fn, NULL, __ATOMIC_RELEASE);
	handlers[port].arg = NULL;
	irq_restore(flags);
}

/* A port Xen just allocated: check it fits the ABI, then attach fn if there is one. */
static int new_port(evtchn_port_t port, evtchn_handler_t fn, void *arg, const char *call)
{
	if (port >= EVTCHN_2L_PORTS) {
		pr_err("evtchn: %s returned port %u, beyond the 2-level ABI's %u\n", call,
		       (unsigned)port, EVTCHN_2L_PORTS);
		return -EINVAL;
	}
	/* The port is masked: it was at start, and closing masks it again. */
	return fn ? evtchn_bind(port, fn, arg) : 0;
}

int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t fn, void *arg, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
	char what[32], dom[8];
	int err;

	if (!available)
		return -ENODEV;
	format_buf(what, sizeof(what), "remote dom %s", domid_name(remote, dom, sizeof(dom)));
	if ((err = evtchn_op(EVTCHNOP_alloc_unbound, &op, "EVTCHNOP_alloc_unbound", what)))
		return err;
	*port = op.port;
	return new_port(op.port, fn, arg, "EVTCHNOP_alloc_unbound");
}

int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_handler_t fn,
			    void *arg, evtchn_port_t *port)
{
	struct evtchn_bind_interdomain op = { .remote_dom = remote, .remote_port = remote_port };
	char what[48], dom[8];
	int err;

	if (!available)
		return -ENODEV;
	format_buf(what, sizeof(what), "remote dom %s port %u", domid_name(remote, dom, sizeof(dom)),
		   (unsigned)remote_port);
	if ((err = evtchn_op(EVTCHNOP_bind_interdomain, &op, "EVTCHNOP_bind_interdomain", what)))
		return err;
	*port = op.local_port;
	return new_port(op.local_port, fn, arg, "EVTCHNOP_bind_interdomain");
}

int evtchn_bind_virq(uint32_t virq, evtchn_handler_t fn, void *arg, evtchn_port_t *port)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = 0 };
	char what[32];
	int err;

	if (!available)
		return -ENODEV;
	format_buf(what, sizeof(what), "virq %u, vcpu 0", (unsigned)virq);
	if ((err = evtchn_op(EVTCHNOP_bind_virq, &op, "EVTCHNOP_bind_virq", what)))
		return err;
	*port = op.port;
	return new_port(op.port, fn, arg, "EVTCHNOP_bind_virq");
}

int evtchn_send(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };
	char what[24];
	int err = check_port(port);

	if (err)
		return err;
	format_buf(what, sizeof(what), "port %u", (unsigned)port);
	return evtchn_op(EVTCHNOP_send, &op, "EVTCHNOP_send", what);
}

int evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };
	char what[24];
	int err = check_port(port);

	if (err)
		return err;
	evtchn_unbind(port);
	format_buf(what, sizeof(what), "port %u", (unsigned)port);
	err = evtchn_op(EVTCHNOP_close, &op, "EVTCHNOP_close", what);
	/* A freed port notifies vCPU 0 again (public event_channel.h, EVTCHNOP_bind_vcpu). */
	if (!err)
		move_bound(port, owner(port), vcpus[0]);
	return err;
}

int evtchn_status(evtchn_port_t port, struct evtchn_status *status)
{
	char what[24];
	int err = check_port(port);

	if (err)
		return err;
	*status = (struct evtchn_status){ .dom = DOMID_SELF, .port = port };
	format_buf(what, sizeof(what), "port %u", (unsigned)port);
	return evtchn_op(EVTCHNOP_status, status, "EVTCHNOP_status", what);
}

/* The counters are written on several CPUs: 64-bit atomic loads (single reads on arm32 too). */
uint64_t evtchn_upcalls(void)
{
	uint64_t n = 0;

	for (unsigned v = 0; v < nvcpus; v++)
		if (vcpus[v])
			n += __atomic_load_n(&vcpus[v]->upcalls, __ATOMIC_RELAXED);
	return n;
}

uint64_t evtchn_events(void)
{
	return __atomic_load_n(&events, __ATOMIC_RELAXED);
}

/* ---- Per-vCPU delivery ---- */

int evtchn_upcall_intid(void)
{
	return available ? (int)upcall_intid : -ENODEV;
}

struct evtchn_vcpu *evtchn_vcpu_register(unsigned vcpu)
{
	if (!available)
		return NULL;
	if (vcpu == 0 || vcpu >= nvcpus || vcpus[vcpu]) {
		pr_err("evtchn: vCPU %u: %s\n", vcpu, vcpu == 0 ? "keeps the shared-info page's "
		       "vcpu_info, none is registered for it" : vcpu >= nvcpus ? "beyond the "
		       "vCPUs /cpus lists" : "has its vcpu_info already (registration is once per "
		       "vCPU)");
		return NULL;
	}
	if (upcall_intid < IRQ_PPI_BASE || upcall_intid >= IRQ_SPI_BASE) {
		pr_err("evtchn: vCPU %u: the upcall is INTID %u, not a PPI, so it cannot be "
		       "delivered to each vCPU; no vcpu_info registered\n", vcpu, upcall_intid);
		return NULL;
	}
	struct evtchn_vcpu *ev = page_alloc(0);
	if (!ev) {
		pr_err("evtchn: vCPU %u: no free page for its vcpu_info\n", vcpu);
		return NULL;
	}
	memset(ev, 0, sizeof(*ev));
	ev->id = vcpu;
	ev->l = (struct evtchn_2l){
		.pending = vcpus[0]->l.pending,
		.mask = vcpus[0]->l.mask,
		.sel = (evtchn_word_t *)&ev->info.evtchn_pending_sel,
		.upcall_pending = &ev->info.evtchn_upcall_pending,
		.bound = ev->bound,
	};
	/* On Arm the "mfn" is the guest frame: the identity map makes it the address's. */
	struct vcpu_register_vcpu_info op = {
		.mfn = (uintptr_t)&ev->info / PAGE_SIZE,
		.offset = (uintptr_t)&ev->info % PAGE_SIZE,
	};
	long err = xen_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, vcpu,
				 (unsigned long)&op, 0, 0);
	if (err) {
		pr_err("evtchn: VCPUOP_register_vcpu_info(vcpu %u, gfn 0x%llx, offset %u): %s; "
		       "no event channels on that vCPU\n", vcpu, (unsigned long long)op.mfn,
		       (unsigned)op.offset, xen_strerror(err));
		page_free(ev, 0);	/* refused: Xen did not map it */
		return NULL;
	}
	vcpus[vcpu] = ev;
	return ev;
}

void evtchn_vcpu_start(struct evtchn_vcpu *ev)
{
	/*
	 * Registration marked the new vcpu_info pending (every selector bit, the upcall flag)
	 * while the vCPU was down, so the upcall interrupt Xen raised for it may never arrive
	 * (its vGIC drops an injection into a vCPU that is down), and while the marks stay,
	 * Xen raises no other: it raises one only when a selector bit or the flag goes from 0
	 * to 1. One pass clears them; no port is bound here yet, so it handles nothing. A late
	 * interrupt, should one come, finds nothing either.
	 */
	ev->marked = __atomic_load_n(ev->l.upcall_pending, SC) &&
		     __atomic_load_n(ev->l.sel, SC) == ~(evtchn_word_t)0;
	ev->mpidr = arch_mpidr();
	evtchn_2l_upcall(&ev->l, dispatch, ev);
	__atomic_store_n(&ev->started, true, __ATOMIC_RELEASE);
}

void evtchn_vcpu_upcall(struct evtchn_vcpu *ev)
{
	vcpu_upcall(ev);
}

/* evtchn_vcpu_check's handler, on whichever CPU runs the vCPU the port notifies. */
static void check_hit(evtchn_port_t port, void *arg)
{
	struct evtchn_vcpu *ev = arg;

	(void)port;
	ev->check_mpidr = arch_mpidr();
	__atomic_store_n(&ev->checked, true, __ATOMIC_RELEASE);
}

int evtchn_vcpu_check(struct evtchn_vcpu *ev, uint64_t mpidr)
{
	struct evtchn_bind_ipi op = { .vcpu = ev->id };
	char what[16];

	format_buf(what, sizeof(what), "vcpu %u", ev->id);
	int err = evtchn_op(EVTCHNOP_bind_ipi, &op, "EVTCHNOP_bind_ipi", what);
	if (!err && op.port >= EVTCHN_2L_PORTS) {
		pr_err("evtchn: EVTCHNOP_bind_ipi returned port %u, beyond the 2-level ABI's %u\n",
		       (unsigned)op.port, EVTCHN_2L_PORTS);
		err = -EINVAL;
	}
	if (!err) {
		/* An IPI port notifies the vCPU it was bound to, for good: route it there. */
		move_bound(op.port, owner(op.port), ev);
		err = evtchn_bind(op.port, check_hit, ev);
		if (!err)
			err = evtchn_send(op.port);
		uint64_t end = arch_counter() + arch_counter_freq() * EVTCHN_CHECK_MS / 1000;
		while (!err && !__atomic_load_n(&ev->checked, __ATOMIC_ACQUIRE) &&
		       arch_counter() < end)
			;
		evtchn_close(op.port);
	}
	uint64_t want = mpidr & MPIDR_AFFINITY_MASK, got = ev->check_mpidr & MPIDR_AFFINITY_MASK;
	if (!err && !__atomic_load_n(&ev->checked, __ATOMIC_ACQUIRE)) {
		pr_err("evtchn: vCPU %u: after EVTCHNOP_send on an IPI port bound to it, its "
		       "handler did not run within %u ms (expected on the CPU with MPIDR 0x%llx)\n",
		       ev->id, EVTCHN_CHECK_MS, (unsigned long long)want);
		err = -ETIMEDOUT;
	} else if (!err && got != want) {
		pr_err("evtchn: vCPU %u: an event bound to it ran on the CPU with MPIDR 0x%llx, "
		       "expected 0x%llx: that vCPU is another CPU than its /cpus entry\n", ev->id,
		       (unsigned long long)got, (unsigned long long)want);
		err = -ENXIO;
	}
	if (err)
		__atomic_store_n(&ev->started, false, __ATOMIC_RELEASE);	/* takes no ports */
	return err;
}

int evtchn_vcpu_stats(unsigned vcpu, struct evtchn_vcpu_stats *st)
{
	const struct evtchn_vcpu *ev = available && vcpu < nvcpus ? vcpus[vcpu] : NULL;

	if (!ev)
		return -ENODEV;
	*st = (struct evtchn_vcpu_stats){
		.started = __atomic_load_n(&ev->started, __ATOMIC_ACQUIRE),
		.marked = ev->marked,
		.upcalls = __atomic_load_n(&ev->upcalls, __ATOMIC_RELAXED),
		.unhandled = __atomic_load_n(&ev->unhandled, __ATOMIC_RELAXED),
		.checked = __atomic_load_n(&ev->checked, __ATOMIC_ACQUIRE),
	};
	return 0;
}

int evtchn_bind_vcpu(evtchn_port_t port, unsigned vcpu)
{
	int err = check_port(port);
	char what[32];

	if (err)
		return err;
	struct evtchn_vcpu *to = vcpu < nvcpus ? vcpus[vcpu] : NULL;
	if (!to || !__atomic_load_n(&to->started, __ATOMIC_ACQUIRE)) {
		pr_err("evtchn: evtchn_bind_vcpu(port %u, vcpu %u): that vCPU takes no events "
		       "(%s)\n", (unsigned)port, vcpu, vcpu >= nvcpus ? "/cpus lists fewer vCPUs" :
		       !to ? "no vcpu_info was registered for it" : "it has not started");
		return -EINVAL;
	}
	struct evtchn_vcpu *from = owner(port);
	bool was_masked = evtchn_2l_is_masked(&to->l, port);

	/* Masked while it moves: an event meanwhile stays pending, and the unmask delivers it. */
	evtchn_2l_mask(&to->l, port);
	struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };
	format_buf(what, sizeof(what), "port %u, vcpu %u", (unsigned)port, vcpu);
	err = evtchn_op(EVTCHNOP_bind_vcpu, &op, "EVTCHNOP_bind_vcpu", what);
	if (!err) {
		move_bound(port, from, to);
		quiesce(from);
	}
	if (!was_masked) {
		int unmasked = evtchn_unmask(port);
		if (!err)
			err = unmasked;
	}
	return err;
}

static const char *trigger_name(uint32_t flags)
{
	switch (flags) {
	case 0: return "reset trigger";
	case IRQ_TYPE_EDGE_RISING: return "edge-rising";
	case IRQ_TYPE_EDGE_FALLING: return "edge-falling";
	case IRQ_TYPE_LEVEL_HIGH: return "level-high";
	case IRQ_TYPE_LEVEL_LOW: return "level-low";
	default: return "mixed trigger flags";
	}
}

int evtchn_init(const struct platform *plat)
{
	struct shared_info *s = xen_shared_info();
	const struct plat_irq *irq = &plat->xen.evtchn;

	if (!plat->xen.present) {
		pr_info("evtchn: unavailable: no hypervisor node, so no upcall interrupt\n");
		return -ENODEV;
	}
	if (!irq->present) {
		pr_info("evtchn: unavailable: the hypervisor node names no upcall interrupt\n");
		return -ENODEV;
	}
	if (!s) {
		pr_info("evtchn: unavailable: no shared-info page\n");
		return -ENODEV;
	}
	if (!handlers) {
		handlers = page_alloc_table(EVTCHN_2L_PORTS * sizeof(*handlers),
					    "the event channels' handler table");
		nvcpus = plat->cpus.count ? plat->cpus.count : 1;
		vcpus = page_alloc_table(nvcpus * sizeof(*vcpus), "the vCPUs' event delivery table");
		vcpus[0] = page_alloc_table(sizeof(*vcpus[0]), "vCPU 0's event delivery");
	}
	struct evtchn_vcpu *boot = vcpus[0];
	boot->l = (struct evtchn_2l){
		.pending = (evtchn_word_t *)s->evtchn_pending,
		.mask = (evtchn_word_t *)s->evtchn_mask,
		.sel = (evtchn_word_t *)&s->vcpu_info[0].evtchn_pending_sel,
		.upcall_pending = &s->vcpu_info[0].evtchn_upcall_pending,
		.bound = boot->bound,
	};
	for (unsigned w = 0; w < EVTCHN_2L_WORDS; w++)
		boot->bound[w] = ~(evtchn_word_t)0;
	boot->mpidr = arch_mpidr();
	boot->started = true;
	evtchn_2l_mask_all(&boot->l);

	unsigned intid = irq->intid;
	upcall_intid = intid;
	int err = irq_register(intid, irq->flags, upcall, boot);
	if (err) {
		pr_err("evtchn: irq_register(INTID %u) for the upcall: error %d\n", intid, err);
		return err;
	}
	available = true;
	irq_enable(intid);
	pr_info("evtchn: 2-level ABI, %u ports, upcall INTID %u (%s %u) %s, every port masked "
		"until bound\n", EVTCHN_2L_PORTS, intid, intid < IRQ_SPI_BASE ? "PPI" : "SPI",
		intid - (intid < IRQ_SPI_BASE ? IRQ_PPI_BASE : IRQ_SPI_BASE),
		trigger_name(irq->flags));
	return 0;
}
