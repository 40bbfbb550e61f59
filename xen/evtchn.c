/*
 * Event channels over the 2-level ABI (include/arbor/evtchn.h): the hypercalls, the per-port
 * handler table, and the upcall interrupt. The bitmap protocol itself is xen/evtchn_2l.c.
 *
 * The upcall is an ordinary GIC interrupt on Arm: the PPI named by the hypervisor node,
 * which Xen injects when it sets vCPU 0's evtchn_upcall_pending (vcpu_mark_events_pending).
 * Its handler runs evtchn_2l_upcall() over the shared-info page and calls each port's
 * handler. An event on an unmasked port without a handler is reported once and put back,
 * pending, on the port, which is masked so that it cannot storm: whoever binds the port
 * later gets the event.
 *
 * Only vCPU 0's vcpu_info, the one inside the shared-info page, is used: Arbor runs on one
 * vCPU, and every port Xen allocates notifies vCPU 0 unless rebound (EVTCHNOP_bind_vcpu).
 */
#include <errno.h>

#include <arbor/evtchn.h>
#include <arbor/evtchn_2l.h>
#include <arbor/irq.h>
#include <arbor/page_alloc.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/xen.h>

_Static_assert(sizeof(xen_ulong_t) == sizeof(evtchn_word_t), "2-level words are xen_ulong_t");
_Static_assert(sizeof(((struct shared_info *)0)->evtchn_pending) ==
	       EVTCHN_2L_WORDS * sizeof(evtchn_word_t), "evtchn_pending is 64 words");
_Static_assert(sizeof(((struct vcpu_info *)0)->evtchn_pending_sel) * 8 == EVTCHN_2L_WORDS,
	       "a selector bit per pending word");
_Static_assert(EVTCHN_2L_PORTS == EVTCHN_2L_NR_CHANNELS, "4096 ports on Arm");

struct port_handler {
	evtchn_handler_t fn;
	void *arg;
};

static struct evtchn_2l bitmaps;
static bool available;
/* EVTCHN_2L_PORTS entries from the page allocator once event channels are available: every
 * use is behind `available` (check_port) or the upcall, registered after. */
static struct port_handler *handlers;
static evtchn_word_t warned[EVTCHN_2L_WORDS];	/* ports reported as unhandled */
static uint64_t upcalls, events;

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

/* The dispatcher's callback: one event on port. Runs with IRQs masked. */
static void dispatch(uint32_t port, void *arg)
{
	const struct port_handler *h = &handlers[port];

	(void)arg;
	if (h->fn) {
		events++;
		h->fn(port, h->arg);
		return;
	}
	/* Masked first, so that putting the event back raises nothing. */
	evtchn_2l_mask(&bitmaps, port);
	evtchn_2l_set_pending(&bitmaps, port);
	if (!(warned[evtchn_2l_word(port)] & evtchn_2l_bit(port))) {
		warned[evtchn_2l_word(port)] |= evtchn_2l_bit(port);
		pr_warn("evtchn: event on port %u, which has no handler; masking it\n",
			(unsigned)port);
	}
}

static void upcall(unsigned intid, void *arg)
{
	(void)intid;
	(void)arg;
	upcalls++;
	evtchn_2l_upcall(&bitmaps, dispatch, NULL);
}

int evtchn_mask(evtchn_port_t port)
{
	int err = check_port(port);

	if (!err)
		evtchn_2l_mask(&bitmaps, port);
	return err;
}

int evtchn_unmask(evtchn_port_t port)
{
	int err = check_port(port);
	char what[24];

	if (err || !evtchn_2l_unmask(&bitmaps, port))
		return err;
	/* Pending while masked: have Xen deliver it (see evtchn_2l_unmask). */
	struct evtchn_unmask op = { .port = port };
	format_buf(what, sizeof(what), "port %u", (unsigned)port);
	return evtchn_op(EVTCHNOP_unmask, &op, "EVTCHNOP_unmask", what);
}

bool evtchn_is_pending(evtchn_port_t port)
{
	return !check_port(port) && evtchn_2l_is_pending(&bitmaps, port);
}

bool evtchn_is_masked(evtchn_port_t port)
{
	return !check_port(port) && evtchn_2l_is_masked(&bitmaps, port);
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
	handlers[port] = (struct port_handler){ fn, arg };
	warned[evtchn_2l_word(port)] &= ~evtchn_2l_bit(port);
	irq_restore(flags);
	return evtchn_unmask(port);
}

void evtchn_unbind(evtchn_port_t port)
{
	if (check_port(port))
		return;
	evtchn_2l_mask(&bitmaps, port);
	unsigned long flags = irq_save();
	handlers[port] = (struct port_handler){ NULL, NULL };
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
	return evtchn_op(EVTCHNOP_close, &op, "EVTCHNOP_close", what);
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

/* 64-bit counters are two words on arm32: read them with the upcall held off. */
uint64_t evtchn_upcalls(void)
{
	unsigned long flags = irq_save();
	uint64_t n = upcalls;

	irq_restore(flags);
	return n;
}

uint64_t evtchn_events(void)
{
	unsigned long flags = irq_save();
	uint64_t n = events;

	irq_restore(flags);
	return n;
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
	bitmaps = (struct evtchn_2l){
		.pending = (evtchn_word_t *)s->evtchn_pending,
		.mask = (evtchn_word_t *)s->evtchn_mask,
		.sel = (evtchn_word_t *)&s->vcpu_info[0].evtchn_pending_sel,
		.upcall_pending = &s->vcpu_info[0].evtchn_upcall_pending,
	};
	evtchn_2l_mask_all(&bitmaps);
	if (!handlers)
		handlers = page_alloc_table(EVTCHN_2L_PORTS * sizeof(*handlers),
					    "the event channels' handler table");

	unsigned intid = irq->intid;
	int err = irq_register(intid, irq->flags, upcall, NULL);
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
