/*
 * dom0's side of the interdomain test of role pair (docs/interdomain.md; the keys are in
 * interdomain.h). It runs inside the xenstore test server's event loop
 * (tests/kernel/xenstore_server.c), which calls three hooks: start, when the domain's store
 * page is ready and about to be announced; poll, on every turn of the loop; stop, when the
 * server stops. Two more things happen on their own, both only while the loop sleeps in WFI
 * or inside xs_server_step(), never concurrently with a hook:
 *
 *   - the server calls on_written() for each write the domain makes: it only notes what was
 *     asked, for the next poll to act on;
 *   - the handler of dom0's port, in the upcall, echoes each event of phase A and, in phase
 *     B, sends the next event as each echo comes back, so that round trips run at the speed
 *     of the two domains' interrupts and not of the loop.
 *
 * Answers go into the tree with xs_server_set() (no watch fires); the domain reads them.
 */
#include <errno.h>
#include <string.h>

#include <arbor/arch.h>
#include <arbor/evtchn.h>
#include <arbor/format.h>
#include <arbor/gnttab.h>
#include <arbor/printk.h>
#include <arbor/time.h>

#include "interdomain.h"
#include "xenstore_tree.h"

enum phase { PHASE_IDLE, PHASE_ECHO, PHASE_DRIVE };

static struct interdomain_dom0_report report;
static volatile enum phase phase;
static volatile uint64_t b_start, b_end;	/* arch_counter() around phase B */
static unsigned b_target;
static bool port_open;
static char home[32];				/* "/local/domain/<domid>" */

/* What the domain asked for, noted by on_written() for the next poll. */
static struct {
	bool ping, grant, done;
	unsigned trips;
	grant_ref_t ref;
} asked;

void interdomain_dom0_get_report(struct interdomain_dom0_report *out)
{
	*out = report;
}

static void fail(int err)
{
	if (!report.result)
		report.result = err;
}

static void on_event(evtchn_port_t port, void *arg)
{
	(void)arg;
	switch (phase) {
	case PHASE_ECHO:
		report.a_received++;
		if (evtchn_send(port))
			report.a_echo_failed++;
		break;
	case PHASE_DRIVE:
		if (++report.b_received < b_target) {
			if (evtchn_send(port) == 0)
				report.b_sent++;
		} else {
			b_end = arch_counter();
			phase = PHASE_IDLE;
		}
		break;
	default:
		report.stray++;
	}
}

/* Set key (relative to the domain's home) to the formatted value. */
static void answer(struct xs_server *s, const char *key, const char *value)
{
	char path[XS_TREE_PATH_MAX];

	format_buf(path, sizeof(path), "%s/%s", home, key);
	if (xs_server_set(s, path, value)) {
		pr_err("interdomain: no room in the store for %s\n", key);
		fail(-ENOSPC);
	}
}

/* The server's on_write: note requests under the domain's home; act in the next poll. */
static void on_written(struct xs_server *s, const char *path, const char *value, uint32_t len,
		       void *arg)
{
	size_t hl = strlen(home);
	char v[24];
	uint64_t x;

	(void)s;
	(void)arg;
	if (strncmp(path, home, hl) != 0 || path[hl] != '/')
		return;
	const char *key = path + hl + 1;
	bool ping = !strcmp(key, INTERDOMAIN_PING), gref = !strcmp(key, INTERDOMAIN_GREF);
	if (!strcmp(key, INTERDOMAIN_DONE)) {
		asked.done = true;
		return;
	}
	if (!ping && !gref)
		return;
	if (len >= sizeof(v))
		len = 0;	/* too long to be a number: parsed as empty, refused below */
	memcpy(v, value, len);
	v[len] = '\0';
	if (interdomain_parse(v, &x, 1) != 1 || (ping && (x == 0 || x > 1000000)) ||
	    (gref && x > UINT32_MAX)) {
		pr_err("interdomain: domain %u wrote \"%s\" to %s\n", (unsigned)report.domid, v, key);
		fail(-EINVAL);
		return;
	}
	if (ping) {
		asked.ping = true;
		asked.trips = (unsigned)x;
	} else {
		asked.grant = true;
		asked.ref = (grant_ref_t)x;
	}
}

void interdomain_dom0_start(struct xs_server *s, domid_t dom)
{
	char value[12];
	evtchn_port_t port;

	report = (struct interdomain_dom0_report){ .ran = true, .domid = dom };
	asked.ping = asked.grant = asked.done = false;
	format_buf(home, sizeof(home), "/local/domain/%u", (unsigned)dom);
	phase = PHASE_ECHO;
	int err = evtchn_alloc_unbound(dom, on_event, NULL, &port);
	if (err) {
		fail(err);
		return;
	}
	report.port = port;
	port_open = true;
	s->on_write = on_written;
	format_buf(value, sizeof(value), "%u", (unsigned)port);
	answer(s, INTERDOMAIN_PORT, value);
	pr_info("interdomain: dom0 port %u for domain %u, under %s\n", (unsigned)port,
		(unsigned)dom, INTERDOMAIN_PORT);
}

/* Phase B: the first event; the handler sends the rest as the echoes come back. */
static void drive(unsigned trips)
{
	if (phase != PHASE_ECHO || !port_open) {
		pr_err("interdomain: domain %u asked twice for round trips\n", (unsigned)report.domid);
		fail(-EINVAL);
		return;
	}
	b_target = trips;
	phase = PHASE_DRIVE;
	b_start = arch_counter();
	int err = evtchn_send(report.port);
	if (err) {
		phase = PHASE_IDLE;
		b_target = 0;
		fail(err);
		return;
	}
	report.b_sent = 1;
}

/* The domain's grant: map it, check its pattern, write ours, unmap; answer. */
static void map_grant(struct xs_server *s, grant_ref_t ref)
{
	uint32_t seed = INTERDOMAIN_SEED_DOM0 ^ ref;
	struct gnttab_mapping m;
	unsigned seen = 0;
	char value[40];

	int err = gnttab_map(report.domid, ref, false, &m);
	if (!err) {
		seen = interdomain_check((volatile uint32_t *)m.va, INTERDOMAIN_SEED_DOMU ^ ref);
		interdomain_fill((volatile uint32_t *)m.va, seed);
		err = gnttab_unmap(&m);
	}
	report.grant_result = err;
	report.granted = true;
	fail(err);
	format_buf(value, sizeof(value), "%u %u %u", (unsigned)-err, seen, (unsigned)seed);
	answer(s, INTERDOMAIN_GRANTED, value);
}

static void close_port(void)
{
	if (!port_open)
		return;
	port_open = false;
	int err = evtchn_close(report.port);
	report.closed = err == 0;
	fail(err);
}

void interdomain_dom0_poll(struct xs_server *s)
{
	char value[64];

	if (!report.ran)
		return;
	if (asked.ping) {
		asked.ping = false;
		drive(asked.trips);
	}
	if (phase == PHASE_IDLE && b_target && !report.b_done) {
		report.b_done = true;
		report.b_ns = time_ticks_to_ns(b_end - b_start, time_frequency()) / b_target;
		format_buf(value, sizeof(value), "%u %u %u %llu", report.a_received, report.b_sent,
			   report.b_received, (unsigned long long)report.b_ns);
		answer(s, INTERDOMAIN_PINGED, value);
	}
	if (asked.grant) {
		asked.grant = false;
		map_grant(s, asked.ref);
	}
	if (asked.done) {
		asked.done = false;
		report.done = true;
		close_port();
	}
}

void interdomain_dom0_stop(void)
{
	if (!report.ran)
		return;
	phase = PHASE_IDLE;
	close_port();
	if (!report.done)
		pr_info("interdomain: the domain never said it was done\n");
}
