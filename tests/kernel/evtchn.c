/*
 * Self-tests of event channels (xen/evtchn.c), where the DT's hypervisor node makes them
 * available (dom0, a xen,enhanced domU); elsewhere they check that event channels say they
 * are unavailable and refuse every call.
 *
 * The tests talk to themselves: EVTCHNOP_alloc_unbound with the remote DOMID_SELF, then
 * EVTCHNOP_bind_interdomain to that port, gives a loopback pair whose two ends signal each
 * other. Xen marks the bound end pending at once (public event_channel.h), so each pair
 * starts with exactly one event on that end, which the tests expect and then count from.
 *
 * Deliveries are waited for with IRQs unmasked, spinning on the counter for a bounded time
 * (a WFI could block the vCPU for good if the event never came). Every test leaves IRQs
 * masked, as it found them, and closes the ports it opened.
 */
#include <errno.h>
#include <string.h>

#include <arbor/arch.h>
#include <arbor/evtchn.h>
#include <arbor/evtchn_2l.h>
#include <arbor/irq.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>
#include <arbor/xen.h>

#define WAIT_MS  100
#define MANY     1000

struct counter {
	volatile unsigned hits;
	volatile evtchn_port_t port;	/* the port of the last event */
	void *volatile arg;
};

static void count(evtchn_port_t port, void *arg)
{
	struct counter *c = arg;

	c->hits++;
	c->port = port;
	c->arg = arg;
}

/* Spin with IRQs unmasked until c->hits reaches n or ms pass; IRQs masked again after. */
static bool wait_hits(struct counter *c, unsigned n, unsigned ms)
{
	uint64_t end = arch_counter() + arch_counter_freq() * ms / 1000;

	irq_local_enable();
	while (c->hits < n && arch_counter() < end)
		;
	irq_local_disable();
	return c->hits >= n;
}

/* Let any stray delivery happen (IRQs unmasked for ms), to check none comes. */
static void settle(unsigned ms)
{
	struct counter never = { 0 };

	wait_hits(&never, 1, ms);
}

/*
 * A loopback pair: *a allocated for self, *b bound to it. Checks and absorbs the one event
 * Xen marks on *b when it is bound. False (after reporting) when it could not be made.
 */
static bool loopback(struct counter *ca, struct counter *cb, evtchn_port_t *a, evtchn_port_t *b)
{
	int err = evtchn_alloc_unbound(DOMID_SELF, count, ca, a);
	EXPECT(err == 0, "evtchn_alloc_unbound: %d", err);
	if (err)
		return false;
	err = evtchn_bind_interdomain(DOMID_SELF, *a, count, cb, b);
	EXPECT(err == 0, "evtchn_bind_interdomain(self, %u): %d", (unsigned)*a, err);
	if (err) {
		evtchn_close(*a);
		return false;
	}
	EXPECT(*a != *b, "both ends are port %u", (unsigned)*a);
	EXPECT(wait_hits(cb, 1, WAIT_MS), "binding port %u did not deliver its first event",
	       (unsigned)*b);
	settle(5);
	EXPECT(cb->hits == 1 && ca->hits == 0,
	       "after binding: %u events on the bound end, %u on the other (1 and 0 expected)",
	       cb->hits, ca->hits);
	ca->hits = cb->hits = 0;
	return true;
}

static void close_port(evtchn_port_t port)
{
	int err = evtchn_close(port);
	EXPECT(err == 0, "evtchn_close(%u): %d", (unsigned)port, err);
}

SELFTEST(evtchn_available_where_described)
{
	if (platform.xen.present && platform.xen.evtchn.present) {
		EXPECT(evtchn_available(), "a hypervisor node with an upcall interrupt, but event "
		       "channels are unavailable");
		return;
	}
	evtchn_port_t port = 0;
	EXPECT(!evtchn_available(), "no hypervisor node, yet event channels say available");
	EXPECT(evtchn_send(1) == -ENODEV, "evtchn_send without event channels");
	EXPECT(evtchn_alloc_unbound(DOMID_SELF, NULL, NULL, &port) == -ENODEV,
	       "evtchn_alloc_unbound without event channels");
	EXPECT(evtchn_unmask(1) == -ENODEV, "evtchn_unmask without event channels");
	pr_info("selftest:   evtchn: unavailable (no hypervisor node); the tests below skip\n");
}

SELFTEST(evtchn_loopback_once)
{
	struct counter ca = { 0 }, cb = { 0 };
	evtchn_port_t a, b;

	SKIP_UNLESS(evtchn_available(), "event channels unavailable");
	if (!loopback(&ca, &cb, &a, &b))
		return;
	uint64_t before = evtchn_events();

	EXPECT(evtchn_send(a) == 0, "evtchn_send(%u)", (unsigned)a);
	EXPECT(wait_hits(&cb, 1, WAIT_MS), "a send on %u did not reach %u", (unsigned)a,
	       (unsigned)b);
	settle(5);
	EXPECT(cb.hits == 1 && ca.hits == 0, "one send on %u: %u events on %u, %u on %u",
	       (unsigned)a, cb.hits, (unsigned)b, ca.hits, (unsigned)a);
	EXPECT(cb.port == b && cb.arg == &cb, "handler got port %u arg %p, expected %u %p",
	       (unsigned)cb.port, cb.arg, (unsigned)b, (void *)&cb);

	EXPECT(evtchn_send(b) == 0, "evtchn_send(%u)", (unsigned)b);
	EXPECT(wait_hits(&ca, 1, WAIT_MS), "a send on %u did not reach %u", (unsigned)b,
	       (unsigned)a);
	settle(5);
	EXPECT(ca.hits == 1 && cb.hits == 1, "one send each way: %u and %u events", ca.hits,
	       cb.hits);
	EXPECT(ca.port == a, "handler got port %u, expected %u", (unsigned)ca.port, (unsigned)a);
	EXPECT(evtchn_events() - before == 2, "evtchn_events went up by %llu",
	       (unsigned long long)(evtchn_events() - before));
	close_port(b);
	close_port(a);
}

SELFTEST(evtchn_loopback_1000)
{
	struct counter ca = { 0 }, cb = { 0 };
	evtchn_port_t a, b;

	SKIP_UNLESS(evtchn_available(), "event channels unavailable");
	if (!loopback(&ca, &cb, &a, &b))
		return;
	uint64_t upcalls = evtchn_upcalls();
	unsigned i, lost = 0;

	/* Each send is waited for, so none can coalesce with the next: all must arrive. */
	for (i = 0; i < MANY && !lost; i++) {
		if (evtchn_send(a) || !wait_hits(&cb, i + 1, WAIT_MS))
			lost = i + 1;
	}
	EXPECT(!lost, "a -> b: send %u of %u was not delivered", lost, MANY);
	for (i = 0; i < MANY && !lost; i++) {
		if (evtchn_send(b) || !wait_hits(&ca, i + 1, WAIT_MS))
			lost = i + 1;
	}
	EXPECT(!lost, "b -> a: send %u of %u was not delivered", lost, MANY);
	settle(5);
	EXPECT(cb.hits == MANY && ca.hits == MANY, "%u sends each way: %u and %u events", MANY,
	       cb.hits, ca.hits);
	printk("selftest:   evtchn: %u events each way between ports %u and %u, %llu upcalls\n",
	       MANY, (unsigned)a, (unsigned)b, (unsigned long long)(evtchn_upcalls() - upcalls));
	close_port(b);
	close_port(a);
}

SELFTEST(evtchn_mask_holds_delivery)
{
	struct counter ca = { 0 }, cb = { 0 };
	evtchn_port_t a, b;

	SKIP_UNLESS(evtchn_available(), "event channels unavailable");
	if (!loopback(&ca, &cb, &a, &b))
		return;
	EXPECT(evtchn_mask(b) == 0 && evtchn_is_masked(b), "port %u not masked", (unsigned)b);
	for (int i = 0; i < 3; i++)
		EXPECT(evtchn_send(a) == 0, "evtchn_send(%u)", (unsigned)a);
	settle(10);
	EXPECT(cb.hits == 0, "masked port %u got %u events", (unsigned)b, cb.hits);
	EXPECT(evtchn_is_pending(b), "masked port %u is not pending after 3 sends", (unsigned)b);

	/* The unmask must deliver what was held, once: three sends were one event. */
	EXPECT(evtchn_unmask(b) == 0 && !evtchn_is_masked(b), "unmasking %u", (unsigned)b);
	EXPECT(wait_hits(&cb, 1, WAIT_MS), "unmasking %u did not deliver its pending event",
	       (unsigned)b);
	settle(5);
	EXPECT(cb.hits == 1, "unmasking delivered %u events, expected 1", cb.hits);
	EXPECT(!evtchn_is_pending(b), "port %u still pending after its event", (unsigned)b);

	/* Unmasking with nothing pending delivers nothing. */
	evtchn_mask(b);
	EXPECT(evtchn_unmask(b) == 0, "unmasking %u again", (unsigned)b);
	settle(5);
	EXPECT(cb.hits == 1, "an unmask with nothing pending delivered an event");
	close_port(b);
	close_port(a);
}

#define MAX_FILL  (2 * EVTCHN_2L_WORD_BITS)

SELFTEST(evtchn_ports_above_64)
{
	evtchn_port_t fill[MAX_FILL], lb, hb;
	struct counter cl = { 0 }, ch = { 0 }, clb = { 0 }, chb = { 0 };
	unsigned n = 0;
	int err = 0;

	SKIP_UNLESS(evtchn_available(), "event channels unavailable");
	/* Allocate ports (masked, no handler) until one lies in the second selector word. */
	while (n < MAX_FILL) {
		err = evtchn_alloc_unbound(DOMID_SELF, NULL, NULL, &fill[n]);
		EXPECT(err == 0, "evtchn_alloc_unbound number %u: %d", n + 1, err);
		if (err || fill[n++] >= EVTCHN_2L_WORD_BITS)
			break;
	}
	if (err || !n || fill[n - 1] < EVTCHN_2L_WORD_BITS) {
		EXPECT(false, "no port >= %u after %u allocations", EVTCHN_2L_WORD_BITS, n);
		goto out;
	}
	evtchn_port_t low = fill[0], high = fill[n - 1];

	/* Both ends of two loopback pairs, one end of each the low and the high port. */
	EXPECT(evtchn_bind(low, count, &cl) == 0 && evtchn_bind(high, count, &ch) == 0,
	       "evtchn_bind(%u / %u)", (unsigned)low, (unsigned)high);
	if (evtchn_bind_interdomain(DOMID_SELF, low, count, &clb, &lb) ||
	    evtchn_bind_interdomain(DOMID_SELF, high, count, &chb, &hb)) {
		EXPECT(false, "binding to ports %u and %u", (unsigned)low, (unsigned)high);
		goto out;
	}
	EXPECT(wait_hits(&clb, 1, WAIT_MS) && wait_hits(&chb, 1, WAIT_MS),
	       "the bound ports' first events did not arrive");
	settle(5);
	clb.hits = chb.hits = 0;

	EXPECT(evtchn_send(high) == 0 && wait_hits(&chb, 1, WAIT_MS),
	       "a send on port %u did not reach port %u", (unsigned)high, (unsigned)hb);
	EXPECT(evtchn_send(hb) == 0 && wait_hits(&ch, 1, WAIT_MS),
	       "a send on port %u did not reach port %u", (unsigned)hb, (unsigned)high);
	EXPECT(ch.port == high && chb.port == hb, "events on %u and %u, expected %u and %u",
	       (unsigned)ch.port, (unsigned)chb.port, (unsigned)high, (unsigned)hb);

	/* Two selector words pending at once (IRQs masked): each port handled once. */
	EXPECT(evtchn_2l_word(low) != evtchn_2l_word(high), "ports %u and %u share a word",
	       (unsigned)low, (unsigned)high);
	ch.hits = cl.hits = 0;
	evtchn_send(hb);
	evtchn_send(lb);
	EXPECT(wait_hits(&ch, 1, WAIT_MS) && wait_hits(&cl, 1, WAIT_MS),
	       "events on ports %u and %u, pending together, were not both delivered",
	       (unsigned)low, (unsigned)high);
	settle(5);
	EXPECT(ch.hits == 1 && cl.hits == 1 && clb.hits == 0 && chb.hits == 1,
	       "events: %u on %u, %u on %u, %u on %u, %u on %u", cl.hits, (unsigned)low,
	       ch.hits, (unsigned)high, clb.hits, (unsigned)lb, chb.hits, (unsigned)hb);
	printk("selftest:   evtchn: ports %u (word %u) and %u (word %u) delivered\n",
	       (unsigned)high, evtchn_2l_word(high), (unsigned)hb, evtchn_2l_word(hb));
	close_port(lb);
	close_port(hb);
out:
	for (unsigned i = 0; i < n; i++)
		close_port(fill[i]);
}

SELFTEST(evtchn_close)
{
	struct counter ca = { 0 }, cb = { 0 };
	struct evtchn_status st;
	evtchn_port_t a, b;

	SKIP_UNLESS(evtchn_available(), "event channels unavailable");
	if (!loopback(&ca, &cb, &a, &b))
		return;
	EXPECT(evtchn_status(b, &st) == 0 && st.status == EVTCHNSTAT_interdomain &&
	       st.u.interdomain.port == a, "port %u: status %u, remote port %u", (unsigned)b,
	       (unsigned)st.status, (unsigned)st.u.interdomain.port);

	close_port(a);
	EXPECT(evtchn_status(a, &st) == 0 && st.status == EVTCHNSTAT_closed,
	       "closed port %u has status %u", (unsigned)a, (unsigned)st.status);
	EXPECT(evtchn_is_masked(a), "closed port %u was left unmasked", (unsigned)a);
	EXPECT(evtchn_status(b, &st) == 0 && st.status == EVTCHNSTAT_unbound,
	       "closing port %u left its peer %u with status %u, not unbound", (unsigned)a,
	       (unsigned)b, (unsigned)st.status);
	/* A send on an unbound port goes nowhere; nothing arrives anywhere. */
	EXPECT(evtchn_send(b) == 0, "a send on the unbound port %u failed", (unsigned)b);
	settle(10);
	EXPECT(ca.hits == 0 && cb.hits == 0, "events after close: %u and %u", ca.hits, cb.hits);
	close_port(b);
	EXPECT(evtchn_status(b, &st) == 0 && st.status == EVTCHNSTAT_closed,
	       "closed port %u has status %u", (unsigned)b, (unsigned)st.status);
}

SELFTEST(evtchn_unhandled_event_kept)
{
	struct counter ca = { 0 }, cb = { 0 };
	evtchn_port_t a, b;

	SKIP_UNLESS(evtchn_available(), "event channels unavailable");
	if (!loopback(&ca, &cb, &a, &b))
		return;
	/* b loses its handler but is unmasked: its next event has nobody to go to. */
	evtchn_unbind(b);
	EXPECT(evtchn_unmask(b) == 0, "evtchn_unmask(%u)", (unsigned)b);
	printk("selftest:   evtchn: an event without a handler follows\n");
	EXPECT(evtchn_send(a) == 0, "evtchn_send(%u)", (unsigned)a);
	settle(10);
	EXPECT(evtchn_is_masked(b) && evtchn_is_pending(b),
	       "the unhandled event on %u was not kept (masked %d, pending %d)", (unsigned)b,
	       evtchn_is_masked(b), evtchn_is_pending(b));
	/* Whoever binds b next gets it, once. */
	EXPECT(evtchn_bind(b, count, &cb) == 0, "evtchn_bind(%u)", (unsigned)b);
	EXPECT(wait_hits(&cb, 1, WAIT_MS), "the kept event was not delivered on binding");
	settle(5);
	EXPECT(cb.hits == 1 && ca.hits == 0, "events after binding: %u on %u, %u on %u", cb.hits,
	       (unsigned)b, ca.hits, (unsigned)a);
	close_port(b);
	close_port(a);
}

SELFTEST(evtchn_bind_virq)
{
	struct counter c = { 0 };
	struct evtchn_status st;
	evtchn_port_t port;

	SKIP_UNLESS(evtchn_available(), "event channels unavailable");
	/* VIRQ_TIMER: per-vCPU, always bindable. Xen on Arm never raises it (no set_timer_op). */
	int err = evtchn_bind_virq(VIRQ_TIMER, count, &c, &port);
	EXPECT(err == 0, "evtchn_bind_virq(VIRQ_TIMER): %d", err);
	if (err)
		return;
	EXPECT(evtchn_status(port, &st) == 0 && st.status == EVTCHNSTAT_virq &&
	       st.u.virq == VIRQ_TIMER && st.vcpu == 0,
	       "port %u: status %u virq %u vcpu %u", (unsigned)port, (unsigned)st.status,
	       (unsigned)st.u.virq, (unsigned)st.vcpu);
	EXPECT(!evtchn_is_masked(port), "a bound VIRQ port %u is masked", (unsigned)port);
	close_port(port);
}

SELFTEST(evtchn_errors_named)
{
	SKIP_UNLESS(evtchn_available(), "event channels unavailable");
	/* The last port of the ABI was never allocated: Xen refuses to send on it. */
	printk("selftest:   evtchn: a deliberate failure follows\n");
	int err = evtchn_send(EVTCHN_2L_PORTS - 1);
	EXPECT(err < 0 && strcmp(xen_strerror(err), "EINVAL") == 0,
	       "a send on port %u returned %d (%s), expected EINVAL", EVTCHN_2L_PORTS - 1, err,
	       xen_strerror(err));
	EXPECT(evtchn_send(EVTCHN_2L_PORTS) == -EINVAL, "port %u is beyond the ABI",
	       EVTCHN_2L_PORTS);
}
