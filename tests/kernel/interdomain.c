/*
 * The interdomain test of role pair (docs/interdomain.md): the xen,enhanced domU and dom0,
 * both Arbor, meet through xenstore (served by dom0's test server), then exchange events
 * over an interdomain event channel, 1,000 round trips each way (100,000 with selftest.soak),
 * and share a page the domU
 * grants. This file is the domU's side, a self-test, and dom0's check of what its own side
 * (tests/kernel/interdomain_dom0.c) saw; anywhere else both skip.
 *
 * Every wait is bounded and sleeps: the vCPU waits in WFI with IRQs masked at the CPU (so a
 * wake-up cannot be lost between the check and the WFI) and a timer deadline armed. Xen
 * here runs both domains on one physical CPU, so the other side runs only while this one
 * sleeps; spinning would just delay it.
 *
 * The domU-driven round trips are also the benchmark `evtchn_round_trip` (make bench): the
 * virtual counter around all of them, per trip; dom0 times its own the same way.
 */
#include <errno.h>
#include <string.h>

#include <arbor/arch.h>
#include <arbor/evtchn.h>
#include <arbor/format.h>
#include <arbor/gnttab.h>
#include <arbor/irq.h>
#include <arbor/printk.h>
#include <arbor/selftest.h>
#include <arbor/time.h>
#include <arbor/xenstore.h>

#include "interdomain.h"

#define TRIP_NS       (5 * 1000000ull)		/* 5 s for 1,000 round trips */
#define KEY_WAIT_NS   (2 * NSEC_PER_SEC)	/* for dom0 to answer under a key */
#define KEY_RETRY_NS  (1000000ull)
#define SETTLE_NS     (5 * 1000000ull)		/* for a stray event to show */

/* The page granted to dom0; Arbor's .bss, so inside a RAM bank. */
static uint8_t page[PAGE_SIZE] __aligned(PAGE_SIZE);

enum mode { MODE_COUNT, MODE_ECHO };
static volatile enum mode mode;
static volatile unsigned hits, echoes, echo_failed;

static void on_event(evtchn_port_t port, void *arg)
{
	(void)arg;
	if (mode == MODE_ECHO) {
		echoes++;
		if (evtchn_send(port))
			echo_failed++;
	} else {
		hits++;
	}
}

static void wake(struct timer_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

/* A deadline armed on the timer, so that a WFI before it always ends. */
struct deadline {
	struct timer_event timer;
	uint64_t end;		/* its counter value */
};

static void deadline_arm(struct deadline *d, uint64_t in_ns)
{
	uint64_t at = time_now_ns() + in_ns;

	d->timer = (struct timer_event){ 0 };
	d->end = time_deadline_counter(at);
	timer_event_arm(&d->timer, at, wake, NULL);
}

/* With IRQs masked: sleep until *count reaches n or d passes. Whether it did. */
static bool deadline_wait(const struct deadline *d, volatile unsigned *count, unsigned n)
{
	while (*count < n && arch_counter() < d->end) {
		irq_wait();
		irq_local_enable();	/* take what woke us: the handlers run here */
		irq_local_disable();
	}
	return *count >= n;
}

/* Sleep until *count reaches n or ns pass. */
static bool wait_count(volatile unsigned *count, unsigned n, uint64_t ns)
{
	struct deadline d;
	unsigned long flags = irq_save();

	deadline_arm(&d, ns);
	bool ok = deadline_wait(&d, count, n);
	timer_event_cancel(&d.timer);
	irq_restore(flags);
	return ok;
}

static void sleep_ns(uint64_t ns)
{
	unsigned never = 0;

	wait_count(&never, 1, ns);
}

/* Read key once dom0 has written it: its length, or the error (-ENOENT when it never did). */
static int await_key(const char *key, char *buf, size_t size)
{
	uint64_t end = time_now_ns() + KEY_WAIT_NS;
	int r;

	while ((r = xenstore_read(XS_TX_NONE, key, buf, size)) == -ENOENT && time_now_ns() < end)
		sleep_ns(KEY_RETRY_NS);
	return r;
}

static int write_number(const char *key, uint64_t value)
{
	char v[24];

	format_buf(v, sizeof(v), "%llu", (unsigned long long)value);
	return xenstore_write(XS_TX_NONE, key, v);
}

/* Round trips each way for this boot; a phase of them may take TRIP_NS each. */
static unsigned trips(void)
{
	return selftest_count(INTERDOMAIN_TRIPS, INTERDOMAIN_SOAK_TRIPS);
}

static uint64_t per_trip_ns(uint64_t ticks)
{
	return (time_ticks_to_ns(ticks, time_frequency()) + trips() / 2) / trips();
}

/* Bind to dom0's port and absorb the event Xen marks on a newly bound port. */
static bool connect(evtchn_port_t *local, evtchn_port_t *remote)
{
	struct evtchn_status st;
	char buf[16];
	uint64_t v;

	int r = await_key(INTERDOMAIN_PORT, buf, sizeof(buf));
	EXPECT(r > 0, "dom0 wrote no port under %s: %d", INTERDOMAIN_PORT, r);
	if (r <= 0)
		return false;
	EXPECT(interdomain_parse(buf, &v, 1) == 1 && v < 4096, "%s is \"%s\"", INTERDOMAIN_PORT,
	       buf);
	if (interdomain_parse(buf, &v, 1) != 1 || v >= 4096)
		return false;
	*remote = (evtchn_port_t)v;
	mode = MODE_COUNT;
	hits = 0;
	int err = evtchn_bind_interdomain(0, *remote, on_event, NULL, local);
	EXPECT(err == 0, "evtchn_bind_interdomain(dom0, port %u): %d", (unsigned)*remote, err);
	if (err)
		return false;
	EXPECT(wait_count(&hits, 1, KEY_WAIT_NS), "binding port %u delivered no first event",
	       (unsigned)*local);
	sleep_ns(SETTLE_NS);
	EXPECT(hits == 1, "binding port %u delivered %u events, not 1", (unsigned)*local, hits);
	EXPECT(evtchn_status(*local, &st) == 0 && st.status == EVTCHNSTAT_interdomain &&
	       st.u.interdomain.dom == 0 && st.u.interdomain.port == *remote,
	       "port %u: status %u, remote dom %u port %u", (unsigned)*local, (unsigned)st.status,
	       (unsigned)st.u.interdomain.dom, (unsigned)st.u.interdomain.port);
	hits = 0;
	return true;
}

/* Phase A: domU -> dom0 -> domU, each trip waited for, so none can coalesce. */
static void trips_from_domU(evtchn_port_t port)
{
	struct deadline d;
	unsigned i;

	mode = MODE_COUNT;
	hits = 0;
	unsigned long flags = irq_save();
	deadline_arm(&d, trips() * TRIP_NS);
	uint64_t t0 = arch_counter();
	for (i = 0; i < trips(); i++)
		if (evtchn_send(port) || !deadline_wait(&d, &hits, i + 1))
			break;
	uint64_t t1 = arch_counter();
	timer_event_cancel(&d.timer);
	irq_restore(flags);
	EXPECT(i == trips(), "domU -> dom0 -> domU: trip %u of %u did not come back", i + 1,
	       trips());
	sleep_ns(SETTLE_NS);
	EXPECT(hits == i, "%u trips, %u events back", i, hits);
	printk("selftest:   interdomain: domU -> dom0 -> domU: %u of %u back\n", hits, trips());
	if (selftest_soak())
		printk("selftest:   soak: evtchn domU-driven: %u notifications sent, %u received, "
		       "%u lost\n", trips(), hits, trips() - hits);
	if (i == trips())
		printk("bench: evtchn_round_trip %llu ns\n", (unsigned long long)per_trip_ns(t1 - t0));
}

/* Phase B: dom0 -> domU -> dom0, driven by dom0 on request; this side echoes. */
static void trips_from_dom0(void)
{
	uint64_t v[4];
	char buf[64];

	echoes = echo_failed = 0;
	mode = MODE_ECHO;
	int err = write_number(INTERDOMAIN_PING, trips());
	EXPECT(err == 0, "writing %s: %d", INTERDOMAIN_PING, err);
	EXPECT(wait_count(&echoes, trips(), trips() * TRIP_NS),
	       "dom0 -> domU -> dom0: %u of %u events reached the domU", echoes, trips());
	int r = await_key(INTERDOMAIN_PINGED, buf, sizeof(buf));
	mode = MODE_COUNT;
	hits = 0;
	EXPECT(r > 0 && interdomain_parse(buf, v, 4) == 4, "dom0's %s: %d \"%s\"",
	       INTERDOMAIN_PINGED, r, r > 0 ? buf : "");
	if (r <= 0 || interdomain_parse(buf, v, 4) != 4)
		return;
	EXPECT(v[0] == trips(), "dom0 received %llu of the domU's %u events",
	       (unsigned long long)v[0], trips());
	EXPECT(v[1] == trips() && v[2] == trips() && echoes == v[1] &&
	       !echo_failed, "dom0 sent %llu, the domU echoed %u (%u failed), dom0 got %llu back",
	       (unsigned long long)v[1], echoes, echo_failed, (unsigned long long)v[2]);
	sleep_ns(SETTLE_NS);
	EXPECT(echoes == v[1] && hits == 0, "events after dom0's trips: %u echoed, %u more",
	       echoes - (unsigned)v[1], hits);
	printk("selftest:   interdomain: dom0 -> domU -> dom0: dom0 sent %llu, domU echoed %u, "
	       "dom0 got %llu\n", (unsigned long long)v[1], echoes, (unsigned long long)v[2]);
	printk("selftest:   interdomain: dom0 counted %llu of the domU's %u\n",
	       (unsigned long long)v[0], trips());
	if (selftest_soak())
		printk("selftest:   soak: evtchn dom0-driven: dom0 sent %llu, domU echoed %u, "
		       "%llu back, %llu lost\n", (unsigned long long)v[1], echoes,
		       (unsigned long long)v[2], (unsigned long long)(v[1] - v[2]));
	if (v[2] == trips())
		printk("bench: evtchn_round_trip_dom0 %llu ns\n", (unsigned long long)v[3]);
}

/* The page: granted to dom0, which checks the domU's pattern and writes its own. */
static void grant_to_dom0(void)
{
	uint64_t v[3];
	grant_ref_t ref;
	char buf[48];

	int err = gnttab_grant_access(0, (uintptr_t)page >> 12, false, &ref);
	EXPECT(err == 0, "gnttab_grant_access(dom0, gfn 0x%llx): %d",
	       (unsigned long long)((uintptr_t)page >> 12), err);
	if (err)
		return;
	interdomain_fill((volatile uint32_t *)page, INTERDOMAIN_SEED_DOMU ^ ref);
	err = write_number(INTERDOMAIN_GREF, ref);
	EXPECT(err == 0, "writing %s: %d", INTERDOMAIN_GREF, err);
	int r = await_key(INTERDOMAIN_GRANTED, buf, sizeof(buf));
	bool answered = r > 0 && interdomain_parse(buf, v, 3) == 3;
	EXPECT(answered, "dom0's %s: %d \"%s\"", INTERDOMAIN_GRANTED, r, r > 0 ? buf : "");
	if (answered) {
		uint32_t seed = INTERDOMAIN_SEED_DOM0 ^ ref;
		unsigned bad = interdomain_check((volatile uint32_t *)page, seed);
		EXPECT(v[0] == 0, "dom0 could not map, fill and unmap ref %u: error %llu",
		       (unsigned)ref, (unsigned long long)v[0]);
		EXPECT(v[1] == PAGE_SIZE / 4, "dom0 read the domU's pattern wrong from word %llu",
		       (unsigned long long)v[1]);
		EXPECT(v[2] == seed, "dom0 says it wrote seed 0x%llx, expected 0x%x",
		       (unsigned long long)v[2], (unsigned)seed);
		EXPECT(bad == PAGE_SIZE / 4, "dom0's pattern differs from word %u", bad);
		printk("selftest:   interdomain: ref %u: dom0 read the domU's pattern (%llu of %u "
		       "words), wrote its own, domU read %u of %u\n", (unsigned)ref,
		       (unsigned long long)v[1], PAGE_SIZE / 4, bad, PAGE_SIZE / 4);
	}
	uint16_t flags = gnttab_entry_flags(ref);
	EXPECT(!(flags & (GTF_reading | GTF_writing)), "dom0 answered, yet ref %u flags 0x%x",
	       (unsigned)ref, flags);
	err = gnttab_end_access(ref);
	EXPECT(err == 0, "ending the grant of ref %u after dom0 unmapped it: %d", (unsigned)ref,
	       err);
}

SELFTEST(interdomain_with_dom0)
{
	evtchn_port_t local, remote;

	SKIP_UNLESS(xenstore_available(),
		    "no xenstore: the domU of role pair runs this, against dom0");
	if (!connect(&local, &remote))
		return;
	printk("selftest:   interdomain: domU port %u <-> dom0 port %u\n", (unsigned)local,
	       (unsigned)remote);
	trips_from_domU(local);
	trips_from_dom0();
	grant_to_dom0();

	struct evtchn_status st;
	int err = evtchn_close(local);
	EXPECT(err == 0, "evtchn_close(%u): %d", (unsigned)local, err);
	EXPECT(evtchn_status(local, &st) == 0 && st.status == EVTCHNSTAT_closed,
	       "closed port %u has status %u", (unsigned)local, (unsigned)st.status);
	err = xenstore_write(XS_TX_NONE, INTERDOMAIN_DONE, "1");
	EXPECT(err == 0, "writing %s: %d", INTERDOMAIN_DONE, err);
}

SELFTEST(interdomain_dom0_side)
{
	struct interdomain_dom0_report r;

	interdomain_dom0_get_report(&r);
	SKIP_UNLESS(r.ran, "no interdomain peer: dom0 of role pair answers the domU's test");
	EXPECT(r.result == 0, "dom0's side for domain %u failed: %d", (unsigned)r.domid,
	       r.result);
	EXPECT(r.a_received == trips() && !r.a_echo_failed,
	       "domU -> dom0: %u of %u received, %u echoes failed", r.a_received, trips(),
	       r.a_echo_failed);
	EXPECT(r.b_done && r.b_sent == trips() && r.b_received == trips(),
	       "dom0 -> domU -> dom0: %u sent, %u back", r.b_sent, r.b_received);
	EXPECT(r.granted && r.grant_result == 0, "the domU's grant: %s, %d",
	       r.granted ? "handled" : "never came", r.grant_result);
	EXPECT(r.stray == 0, "%u events outside the round trips", r.stray);
	EXPECT(r.done && r.closed, "teardown: the domU %s done, dom0's port %s",
	       r.done ? "said it was" : "never said it was", r.closed ? "closed" : "not closed");
	printk("selftest:   interdomain: dom0 port %u: %u echoed, %u sent and %u back (%llu ns "
	       "each)\n", (unsigned)r.port, r.a_received, r.b_sent, r.b_received,
	       (unsigned long long)r.b_ns);
}
