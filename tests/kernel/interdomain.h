/*
 * The interdomain test of role pair (docs/interdomain.md): what its two sides share. The
 * xen,enhanced domU runs the test (tests/kernel/interdomain.c); dom0 answers from inside its
 * xenstore test server's event loop (tests/kernel/interdomain_dom0.c). The two meet through
 * xenstore, served by dom0, under the domU's home, /local/domain/<domid>/:
 *
 *   arbor/interdomain/port     dom0: its unbound port for the domU, before the store starts
 *   arbor/interdomain/ping     domU: "N": dom0, drive N round trips (dom0 -> domU -> dom0)
 *   arbor/interdomain/pinged   dom0: "<A received> <B sent> <B received> <B ns per trip>"
 *   arbor/interdomain/gref     domU: the grant reference of a page it granted to dom0
 *   arbor/interdomain/granted  dom0: "<-error> <first word not the domU's> <seed written>"
 *   arbor/interdomain/done     domU: closed its port; dom0 closes its own
 *
 * Numbers are decimal, separated by one space. Phase A is the domU's N round trips
 * (domU -> dom0 -> domU), which dom0 echoes and counts; phase B is dom0's, on request.
 */
#ifndef TESTS_KERNEL_INTERDOMAIN_H
#define TESTS_KERNEL_INTERDOMAIN_H

#include <arbor/types.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

#define INTERDOMAIN_DIR      "arbor/interdomain"
#define INTERDOMAIN_PORT     INTERDOMAIN_DIR "/port"
#define INTERDOMAIN_PING     INTERDOMAIN_DIR "/ping"
#define INTERDOMAIN_PINGED   INTERDOMAIN_DIR "/pinged"
#define INTERDOMAIN_GREF     INTERDOMAIN_DIR "/gref"
#define INTERDOMAIN_GRANTED  INTERDOMAIN_DIR "/granted"
#define INTERDOMAIN_DONE     INTERDOMAIN_DIR "/done"

/* Round trips each way: 1,000, or 100,000 when soaking (the domU tells dom0 how many). */
#define INTERDOMAIN_TRIPS       1000
#define INTERDOMAIN_SOAK_TRIPS  100000

/* The page's patterns: the domU's before granting, dom0's after mapping; each ^ the ref. */
#define INTERDOMAIN_SEED_DOMU  0x5eed0000u
#define INTERDOMAIN_SEED_DOM0  0xd0d00000u

/* The patterns written into the shared page: word i of fill(seed) is seed ^ (i * golden). */
static inline void interdomain_fill(volatile uint32_t *p, uint32_t seed)
{
	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		p[i] = seed ^ (i * 0x9e3779b9u);
}

/* The first word that is not interdomain_fill(seed)'s, or PAGE_SIZE / 4 when none. */
static inline unsigned interdomain_check(const volatile uint32_t *p, uint32_t seed)
{
	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		if (p[i] != (seed ^ (i * 0x9e3779b9u)))
			return i;
	return PAGE_SIZE / 4;
}

/*
 * Up to max decimal numbers separated by single spaces from s into v; how many were read,
 * or -1 when s is anything else (a value is untrusted input).
 */
static inline int interdomain_parse(const char *s, uint64_t *v, int max)
{
	int n = 0;

	while (n < max && *s >= '0' && *s <= '9') {
		uint64_t x = 0;
		for (int digits = 0; *s >= '0' && *s <= '9'; s++)
			if (++digits > 19)
				return -1;
			else
				x = x * 10 + (uint64_t)(*s - '0');
		v[n++] = x;
		if (*s != ' ')
			break;
		s++;
	}
	return *s ? -1 : n;
}

/* ---- dom0's side, called by the xenstore test server (tests/kernel/xenstore_server.c) ---- */

struct xs_server;

/*
 * The server is set up for domain dom and about to signal it: allocate an unbound port for
 * dom, write its number under INTERDOMAIN_PORT, and watch the domain's writes. A failure is
 * reported (and the domU's test then fails for want of the key); serving goes on.
 */
void interdomain_dom0_start(struct xs_server *s, domid_t dom);

/* One turn of the server's event loop: act on what the domain asked for since the last. */
void interdomain_dom0_poll(struct xs_server *s);

/* The server stops: close what is still open. */
void interdomain_dom0_stop(void);

/* What dom0's side saw, for its self-test (tests/kernel/interdomain.c). */
struct interdomain_dom0_report {
	bool ran;		/* started for a domain */
	int result;		/* 0, or the first error */
	domid_t domid;
	evtchn_port_t port;	/* dom0's end */
	unsigned a_received;	/* phase A: events received, each echoed */
	unsigned a_echo_failed;
	unsigned b_sent, b_received;
	uint64_t b_ns;		/* phase B: ns per round trip */
	bool b_done;
	int grant_result;	/* the map, pattern, unmap: 0 or the error */
	bool granted;		/* the domU's grant was handled */
	unsigned stray;		/* events outside the phases */
	bool done;		/* the domU said it was done */
	bool closed;		/* dom0's port closed cleanly */
};
void interdomain_dom0_get_report(struct interdomain_dom0_report *report);

#endif
