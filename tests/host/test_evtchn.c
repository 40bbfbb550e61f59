/*
 * Unit tests for xen/evtchn_2l.c, the 2-level event-channel bitmaps, against a fake
 * shared-info page and a fake Xen that follows Xen's own 2-level code
 * (xen/common/event_2l.c: evtchn_2l_set_pending, evtchn_2l_unmask, and
 * vcpu_mark_events_pending, which raises the upcall only when evtchn_upcall_pending goes
 * from 0 to 1):
 *   - port -> word and bit, at the edges of the selector's words and of the ABI;
 *   - the layout Xen writes with 32-bit bit operations is the one read as 64-bit words;
 *   - the upcall handles every pending unmasked port once, lowest first, across words,
 *     including ports signalled while a handler runs, and leaves masked ones pending;
 *   - unmask reports a port that became pending while masked (or had an event put back),
 *     and the fake Xen's EVTCHNOP_unmask then delivers it exactly once;
 *   - with "Xen" on another thread signalling thousands of ports while the guest masks,
 *     unmasks and handles, every 0 -> 1 pending transition is handled exactly once;
 *   - with two vCPUs (a selector and upcall flag each, the arrays shared), each upcall
 *     handles only the ports bound to its vCPU, even in a word the other's selector names.
 */
#include "host.h"

#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include <arbor/evtchn_2l.h>

#define SC  __ATOMIC_SEQ_CST

/* The parts of shared_info and vcpu_info the protocol uses. */
struct fake_shared {
	evtchn_word_t pending[EVTCHN_2L_WORDS];
	evtchn_word_t mask[EVTCHN_2L_WORDS];
	evtchn_word_t sel;
	uint8_t upcall_pending;
	unsigned injections;		/* upcall interrupts the fake Xen raised */
};

static struct fake_shared sh;
static struct evtchn_2l l2;

static int setup(void **state)
{
	(void)state;
	memset(&sh, 0, sizeof(sh));
	l2 = (struct evtchn_2l){ sh.pending, sh.mask, &sh.sel, &sh.upcall_pending, NULL };
	return 0;
}

static bool test_and_set(evtchn_word_t *w, evtchn_word_t bit)
{
	return __atomic_fetch_or(w, bit, SC) & bit;
}

/* vcpu_mark_events_pending: raise the upcall on the 0 -> 1 edge of evtchn_upcall_pending. */
static void xen_mark_events_pending(void)
{
	if (!__atomic_exchange_n(&sh.upcall_pending, 1, SC))
		__atomic_fetch_add(&sh.injections, 1, SC);
}

/* evtchn_2l_set_pending; returns whether the pending bit went from 0 to 1 (an event). */
static bool xen_set_pending(uint32_t port)
{
	unsigned w = evtchn_2l_word(port);

	if (test_and_set(&sh.pending[w], evtchn_2l_bit(port)))
		return false;
	if (!(__atomic_load_n(&sh.mask[w], SC) & evtchn_2l_bit(port)) &&
	    !test_and_set(&sh.sel, (evtchn_word_t)1 << w))
		xen_mark_events_pending();
	return true;
}

/* EVTCHNOP_unmask (evtchn_2l_unmask). */
static void xen_unmask(uint32_t port)
{
	unsigned w = evtchn_2l_word(port);
	evtchn_word_t bit = evtchn_2l_bit(port);

	if ((__atomic_fetch_and(&sh.mask[w], ~bit, SC) & bit) &&
	    (__atomic_load_n(&sh.pending[w], SC) & bit) &&
	    !test_and_set(&sh.sel, (evtchn_word_t)1 << w))
		xen_mark_events_pending();
}

/* What a guest does to unmask: the memory protocol, then the hypercall when it says so. */
static void guest_unmask(uint32_t port)
{
	if (evtchn_2l_unmask(&l2, port))
		xen_unmask(port);
}

#define MAX_SEEN  64
static uint32_t seen[MAX_SEEN];
static unsigned nseen;

static void record(uint32_t port, void *arg)
{
	(void)arg;
	assert_true(nseen < MAX_SEEN);
	seen[nseen++] = port;
}

static void test_port_arithmetic(void **state)
{
	(void)state;
	assert_int_equal(EVTCHN_2L_PORTS, 4096);
	assert_int_equal(evtchn_2l_word(0), 0);
	assert_int_equal(evtchn_2l_bit(0), 1);
	assert_int_equal(evtchn_2l_word(63), 0);
	assert_true(evtchn_2l_bit(63) == (evtchn_word_t)1 << 63);
	assert_int_equal(evtchn_2l_word(64), 1);
	assert_int_equal(evtchn_2l_bit(64), 1);
	assert_int_equal(evtchn_2l_word(65), 1);
	assert_int_equal(evtchn_2l_bit(65), 2);
	assert_int_equal(evtchn_2l_word(1000), 15);
	assert_int_equal(evtchn_2l_bit(1000), (evtchn_word_t)1 << 40);
	assert_int_equal(evtchn_2l_word(4095), 63);
	assert_true(evtchn_2l_bit(4095) == (evtchn_word_t)1 << 63);
}

/*
 * Xen's Arm bit operations work on 32-bit words; on a little-endian guest bit n of the
 * array is the same bit whichever word size reads it, which is what lets Xen and a 64-bit
 * (xen_ulong_t) reader share the arrays on arm32 and arm64 alike.
 */
static void test_layout_matches_32bit_view(void **state)
{
	uint32_t *as32 = (uint32_t *)sh.pending;

	(void)state;
	for (uint32_t port = 0; port < EVTCHN_2L_PORTS; port += 37) {
		memset(sh.pending, 0, sizeof(sh.pending));
		as32[port / 32] |= 1u << (port % 32);
		assert_true(evtchn_2l_is_pending(&l2, port));
		assert_false(evtchn_2l_is_pending(&l2, port ^ 1));
	}
}

static void test_upcall_handles_each_once(void **state)
{
	static const uint32_t ports[] = { 0, 1, 63, 64, 65, 127, 128, 1000, 4094, 4095 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ports); i++)
		assert_true(xen_set_pending(ports[i]));
	assert_int_equal(sh.injections, 1);	/* one upcall for all of them */
	assert_false(xen_set_pending(64));	/* already pending: no new event */

	nseen = 0;
	assert_int_equal(evtchn_2l_upcall(&l2, record, NULL), ARRAY_SIZE(ports));
	assert_int_equal(nseen, ARRAY_SIZE(ports));
	for (size_t i = 0; i < ARRAY_SIZE(ports); i++) {
		assert_int_equal(seen[i], ports[i]);	/* lowest first */
		assert_false(evtchn_2l_is_pending(&l2, ports[i]));
	}
	assert_true(sh.sel == 0);
	assert_int_equal(sh.upcall_pending, 0);

	/* Nothing left: a second upcall (a late interrupt) handles nothing. */
	assert_int_equal(evtchn_2l_upcall(&l2, record, NULL), 0);
}

static void test_stale_selector_bit(void **state)
{
	(void)state;
	sh.sel = (evtchn_word_t)1 << 5;		/* a word with nothing pending in it */
	sh.upcall_pending = 1;
	nseen = 0;
	assert_int_equal(evtchn_2l_upcall(&l2, record, NULL), 0);
	assert_true(sh.sel == 0);
}

static unsigned resignals;

/* A handler during which "Xen" signals its own port again and a port in another word. */
static void resignal(uint32_t port, void *arg)
{
	record(port, arg);
	if (resignals++ == 0) {
		assert_true(xen_set_pending(5));
		assert_true(xen_set_pending(200));
	}
}

static void test_event_during_handler(void **state)
{
	(void)state;
	resignals = 0;
	nseen = 0;
	xen_set_pending(5);
	assert_int_equal(evtchn_2l_upcall(&l2, resignal, NULL), 3);
	assert_int_equal(nseen, 3);
	assert_int_equal(seen[0], 5);
	assert_int_equal(seen[1], 5);
	assert_int_equal(seen[2], 200);
	assert_int_equal(sh.upcall_pending, 0);
}

static void test_mask_holds_then_unmask_delivers(void **state)
{
	(void)state;
	evtchn_2l_mask_all(&l2);
	for (uint32_t p = 0; p < EVTCHN_2L_PORTS; p++)
		assert_true(evtchn_2l_is_masked(&l2, p));

	/* Masked: pending is set, but neither the selector nor the upcall. */
	assert_true(xen_set_pending(70));
	assert_false(xen_set_pending(70));
	assert_true(sh.sel == 0);
	assert_int_equal(sh.injections, 0);
	nseen = 0;
	sh.upcall_pending = 1;			/* even a spurious upcall leaves it */
	assert_int_equal(evtchn_2l_upcall(&l2, record, NULL), 0);
	assert_true(evtchn_2l_is_pending(&l2, 70));

	/* Unmasking sees it pending, keeps it masked, and leaves delivery to Xen. */
	assert_true(evtchn_2l_unmask(&l2, 70));
	assert_true(evtchn_2l_is_masked(&l2, 70));
	xen_unmask(70);
	assert_false(evtchn_2l_is_masked(&l2, 70));
	assert_int_equal(sh.injections, 1);
	assert_int_equal(evtchn_2l_upcall(&l2, record, NULL), 1);
	assert_int_equal(seen[0], 70);

	/* Nothing pending: unmask just clears the mask. */
	evtchn_2l_mask(&l2, 71);
	assert_false(evtchn_2l_unmask(&l2, 71));
	assert_false(evtchn_2l_is_masked(&l2, 71));
	assert_true(evtchn_2l_is_masked(&l2, 72));
}

static void test_test_and_clear(void **state)
{
	(void)state;
	xen_set_pending(3000);
	assert_true(evtchn_2l_test_and_clear_pending(&l2, 3000));
	assert_false(evtchn_2l_test_and_clear_pending(&l2, 3000));
	assert_false(evtchn_2l_is_pending(&l2, 3000));
}

/* An event put back on a masked port waits there, and unmasking delivers it once. */
static void test_put_back(void **state)
{
	(void)state;
	evtchn_2l_mask(&l2, 130);
	evtchn_2l_set_pending(&l2, 130);
	assert_true(evtchn_2l_is_pending(&l2, 130));
	assert_true(sh.sel == 0);
	nseen = 0;
	assert_true(evtchn_2l_unmask(&l2, 130));
	xen_unmask(130);
	assert_int_equal(evtchn_2l_upcall(&l2, record, NULL), 1);
	assert_int_equal(seen[0], 130);
}

/* ---- two vCPUs: the arrays shared, a selector and upcall flag each ---- */

/* evtchn_2l_set_pending for a port that notifies the vCPU owning sel and upcall. */
static void xen_set_pending_on(uint32_t port, evtchn_word_t *sel, uint8_t *upcall)
{
	unsigned w = evtchn_2l_word(port);

	if (!test_and_set(&sh.pending[w], evtchn_2l_bit(port)) &&
	    !(__atomic_load_n(&sh.mask[w], SC) & evtchn_2l_bit(port)) &&
	    !test_and_set(sel, (evtchn_word_t)1 << w))
		__atomic_store_n(upcall, 1, SC);
}

static void test_two_vcpus_each_own_ports(void **state)
{
	evtchn_word_t bound0[EVTCHN_2L_WORDS], bound1[EVTCHN_2L_WORDS] = { 0 }, sel1 = 0;
	uint8_t upcall1 = 0;

	(void)state;
	memset(bound0, 0xff, sizeof(bound0));	/* every port notifies vCPU 0 ... */
	bound0[1] &= ~evtchn_2l_bit(70);	/* ... but 70, moved to vCPU 1 */
	bound1[1] |= evtchn_2l_bit(70);
	struct evtchn_2l v0 = { sh.pending, sh.mask, &sh.sel, &sh.upcall_pending, bound0 };
	struct evtchn_2l v1 = { sh.pending, sh.mask, &sel1, &upcall1, bound1 };

	xen_set_pending_on(70, &sel1, &upcall1);
	xen_set_pending_on(71, &sh.sel, &sh.upcall_pending);	/* the same word as 70 */
	xen_set_pending_on(5, &sh.sel, &sh.upcall_pending);
	assert_true(sel1 == (evtchn_word_t)1 << 1 && upcall1 == 1);
	assert_true(sh.sel == ((evtchn_word_t)1 << 1 | 1) && sh.upcall_pending == 1);

	/* vCPU 0's selector names word 1 too: 70 pending there is vCPU 1's, and stays. */
	nseen = 0;
	assert_int_equal(evtchn_2l_upcall(&v0, record, NULL), 2);
	assert_int_equal(seen[0], 5);
	assert_int_equal(seen[1], 71);
	assert_true(evtchn_2l_is_pending(&l2, 70));
	assert_int_equal(evtchn_2l_upcall(&v1, record, NULL), 1);
	assert_int_equal(seen[2], 70);
	assert_true(sel1 == 0 && upcall1 == 0);
	assert_false(evtchn_2l_is_pending(&l2, 70));

	/* Registration's marks (every selector bit, the flag) on vCPU 1: vCPU 0's port stays. */
	xen_set_pending_on(71, &sh.sel, &sh.upcall_pending);
	sel1 = ~(evtchn_word_t)0;
	upcall1 = 1;
	assert_int_equal(evtchn_2l_upcall(&v1, record, NULL), 0);
	assert_true(sel1 == 0 && upcall1 == 0);
	assert_true(evtchn_2l_is_pending(&l2, 71));
	assert_int_equal(evtchn_2l_upcall(&v0, record, NULL), 1);
	assert_int_equal(seen[3], 71);
	assert_int_equal(nseen, 4);
}

/* ---- the concurrent test: "Xen" on one thread, the guest on this one ---- */

#define STRESS_SIGNALS  100000
#define STRESS_PORTS    300		/* ports 0..299: five selector words */

static unsigned events[EVTCHN_2L_PORTS];	/* 0 -> 1 pending transitions, by Xen */
static unsigned handled[EVTCHN_2L_PORTS];	/* handler calls, by the guest */
static volatile bool xen_done;

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static unsigned events_total, handled_total;
static volatile bool stalled;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Xen's side: signal random ports, preferring ones not pending already (so that most
 * signals are events rather than coalescing), and never running more than MAX_OUTSTANDING
 * events ahead of the guest, so that the test exercises the protocol however the two
 * threads are scheduled. A guest that stops making progress for STALL_S seconds (events
 * lost) ends the run instead of hanging it.
 */
#define MAX_OUTSTANDING  200
#define STALL_S          5.0

static void *xen_thread(void *arg)
{
	uint64_t rng = 0x1234567887654321ull;

	(void)arg;
	for (unsigned i = 0; i < STRESS_SIGNALS; i++) {
		uint32_t port = 0;

		double since = now_s();
		while (__atomic_load_n(&events_total, SC) - __atomic_load_n(&handled_total, SC) >
		       MAX_OUTSTANDING) {
			if (now_s() - since > STALL_S) {
				stalled = true;
				goto done;
			}
			sched_yield();
		}
		for (int tries = 0; tries < 4; tries++) {
			port = (uint32_t)(xorshift(&rng) % STRESS_PORTS);
			if (!evtchn_2l_is_pending(&l2, port))
				break;
		}
		if (xen_set_pending(port)) {
			__atomic_fetch_add(&events[port], 1, SC);
			__atomic_fetch_add(&events_total, 1, SC);
		}
	}
done:
	__atomic_store_n(&xen_done, true, SC);
	return NULL;
}

static void count_handled(uint32_t port, void *arg)
{
	(void)arg;
	handled[port]++;
	__atomic_fetch_add(&handled_total, 1, SC);
}

static void test_concurrent_no_loss_no_duplicate(void **state)
{
	pthread_t xen;
	uint64_t rng = 42;

	(void)state;
	memset(events, 0, sizeof(events));
	memset(handled, 0, sizeof(handled));
	xen_done = false;
	events_total = handled_total = 0;
	stalled = false;
	assert_int_equal(pthread_create(&xen, NULL, xen_thread, NULL), 0);

	/* The guest: take upcalls as they come, and mask and unmask ports meanwhile. */
	while (!__atomic_load_n(&xen_done, SC)) {
		uint64_t r = xorshift(&rng);
		uint32_t port = (uint32_t)(r % STRESS_PORTS);
		if ((r >> 32) % 8 == 0)
			evtchn_2l_mask(&l2, port);
		else if ((r >> 32) % 8 == 1)
			guest_unmask(port);
		if (__atomic_load_n(&sh.upcall_pending, SC))
			evtchn_2l_upcall(&l2, count_handled, NULL);
	}
	assert_int_equal(pthread_join(xen, NULL), 0);
	if (stalled)
		fail_msg("the guest handled nothing for %.0f s: events were lost", STALL_S);

	/* Unmask everything and drain: then every event must have been handled, once. */
	for (uint32_t p = 0; p < STRESS_PORTS; p++)
		guest_unmask(p);
	evtchn_2l_upcall(&l2, count_handled, NULL);

	unsigned total = 0;
	for (uint32_t p = 0; p < STRESS_PORTS; p++) {
		if (handled[p] != events[p])
			fail_msg("port %u: %u events, %u handled", p, events[p], handled[p]);
		assert_false(evtchn_2l_is_pending(&l2, p));
		total += events[p];
	}
	/* Most signals must have been separate events, or the test exercised little. */
	if (total < STRESS_SIGNALS / 4)
		fail_msg("only %u of %u signals were events", total, STRESS_SIGNALS);
	print_message("%u of %u signals were events, all handled once\n", total, STRESS_SIGNALS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_port_arithmetic, setup),
		cmocka_unit_test_setup(test_layout_matches_32bit_view, setup),
		cmocka_unit_test_setup(test_upcall_handles_each_once, setup),
		cmocka_unit_test_setup(test_stale_selector_bit, setup),
		cmocka_unit_test_setup(test_event_during_handler, setup),
		cmocka_unit_test_setup(test_mask_holds_then_unmask_delivers, setup),
		cmocka_unit_test_setup(test_test_and_clear, setup),
		cmocka_unit_test_setup(test_put_back, setup),
		cmocka_unit_test_setup(test_two_vcpus_each_own_ports, setup),
		cmocka_unit_test_setup(test_concurrent_no_loss_no_duplicate, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
