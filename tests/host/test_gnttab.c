/*
 * Unit tests for xen/gnttab_v1.c: v1 grant entries and the reference allocator, against a
 * fake table and a fake Xen that follows Xen's own v1 code (xen/common/grant_table.c:
 * _set_status_v1 pins an entry with a 32-bit compare-and-swap of flags and domid together,
 * refusing an entry that is not GTF_permit_access for the mapping domain or a write pin of a
 * GTF_readonly one; gnttab_clear_flags unpins by clearing GTF_reading/GTF_writing):
 *   - the allocator never hands out references 0-7, hands each free one out once, reports
 *     -ENOSPC when full, refuses bad frees, and matches a simple model over random runs;
 *   - granting writes domid, frame and flags; refuses frames beyond 32 bits and live entries;
 *   - ending is refused while the entry is pinned, and after it succeeds Xen cannot pin;
 *   - with "Xen" on another thread pinning and unpinning as fast as it can while the guest
 *     grants and ends, an end never succeeds while Xen holds a pin, and Xen never pins an
 *     ended entry. (A check-then-store end, without the compare-and-swap, races in a window
 *     of a few instructions, which this test does not hit reliably: tried, it passed.)
 *   - every GNTST_* status has its name and Xen's message.
 */
#include "host.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <arbor/gnttab_v1.h>

#define SC      __ATOMIC_SEQ_CST
#define GRANTEE 3

_Static_assert(offsetof(grant_entry_v1_t, flags) == 0 && offsetof(grant_entry_v1_t, domid) == 2,
	       "flags and domid form the 32-bit word Xen swaps (little endian)");

/* ---- the fake Xen ---- */

union combo {
	uint32_t raw;
	struct {
		uint16_t flags;
		domid_t domid;
	} s;
};

/* _set_status_v1 for a host mapping by domain ldomid. */
static int16_t xen_pin(grant_entry_v1_t *e, domid_t ldomid, bool readonly)
{
	uint32_t *raw = (uint32_t *)e;
	union combo cur = { .raw = __atomic_load_n(raw, SC) }, next;

	for (unsigned retries = 0;; retries++) {
		if ((cur.s.flags & GTF_type_mask) != GTF_permit_access || cur.s.domid != ldomid)
			return GNTST_general_error;
		next = cur;
		next.s.flags |= GTF_reading;
		if (!readonly) {
			next.s.flags |= GTF_writing;
			if (cur.s.flags & GTF_readonly)
				return GNTST_general_error;
		}
		if (__atomic_compare_exchange_n(raw, &cur.raw, next.raw, false, SC, SC))
			return GNTST_okay;
		if (retries == 4)
			return GNTST_general_error;	/* "Shared grant entry is unstable" */
	}
}

/* gnttab_clear_flags, the last mapping gone. */
static void xen_unpin(grant_entry_v1_t *e)
{
	__atomic_fetch_and(&e->flags, (uint16_t)~(GTF_reading | GTF_writing), SC);
}

/* ---- the allocator ---- */

static uint64_t words[GNTTAB_REFS_WORDS(1024)];
static struct gnttab_refs refs;

static void test_refs_reserved_and_order(void **state)
{
	grant_ref_t ref;

	(void)state;
	gnttab_refs_init(&refs, words, 512);
	assert_int_equal(refs.nfree, 512 - GNTTAB_NR_RESERVED_ENTRIES);
	for (grant_ref_t r = 0; r < GNTTAB_NR_RESERVED_ENTRIES; r++) {
		assert_false(gnttab_refs_in_use(&refs, r));
		assert_int_equal(gnttab_refs_free(&refs, r), -EINVAL);
	}
	assert_int_equal(gnttab_refs_alloc(&refs, &ref), 0);
	assert_int_equal(ref, GNTTAB_NR_RESERVED_ENTRIES);
	assert_int_equal(gnttab_refs_alloc(&refs, &ref), 0);
	assert_int_equal(ref, GNTTAB_NR_RESERVED_ENTRIES + 1);

	/* A reference just freed is reused last: the search goes on from where it was. */
	assert_int_equal(gnttab_refs_free(&refs, GNTTAB_NR_RESERVED_ENTRIES), 0);
	assert_int_equal(gnttab_refs_alloc(&refs, &ref), 0);
	assert_int_equal(ref, GNTTAB_NR_RESERVED_ENTRIES + 2);
}

static void test_refs_exhaust_and_wrap(void **state)
{
	static bool seen[512];
	grant_ref_t ref;
	unsigned n = 0;

	(void)state;
	memset(seen, 0, sizeof(seen));
	gnttab_refs_init(&refs, words, 512);
	while (gnttab_refs_alloc(&refs, &ref) == 0) {
		assert_in_range(ref, GNTTAB_NR_RESERVED_ENTRIES, 511);
		assert_false(seen[ref]);
		seen[ref] = true;
		n++;
	}
	assert_int_equal(n, 512 - GNTTAB_NR_RESERVED_ENTRIES);
	assert_int_equal(refs.nfree, 0);
	assert_int_equal(gnttab_refs_alloc(&refs, &ref), -ENOSPC);

	/* Full: the only free one is found wherever it is, wrapping past the end. */
	assert_int_equal(gnttab_refs_free(&refs, 100), 0);
	assert_int_equal(gnttab_refs_alloc(&refs, &ref), 0);
	assert_int_equal(ref, 100);
	assert_int_equal(gnttab_refs_free(&refs, 9), 0);
	assert_int_equal(gnttab_refs_alloc(&refs, &ref), 0);
	assert_int_equal(ref, 9);
}

static void test_refs_bad_frees(void **state)
{
	grant_ref_t ref;

	(void)state;
	gnttab_refs_init(&refs, words, 100);		/* not a multiple of 64 */
	assert_int_equal(gnttab_refs_free(&refs, 50), -EINVAL);	/* never allocated */
	assert_int_equal(gnttab_refs_free(&refs, 100), -EINVAL);	/* out of range */
	assert_int_equal(gnttab_refs_free(&refs, 127), -EINVAL);	/* inside the last word */
	assert_int_equal(gnttab_refs_alloc(&refs, &ref), 0);
	assert_int_equal(gnttab_refs_free(&refs, ref), 0);
	assert_int_equal(gnttab_refs_free(&refs, ref), -EINVAL);	/* twice */
	unsigned n = 0;
	while (gnttab_refs_alloc(&refs, &ref) == 0) {
		assert_true(ref < 100);
		n++;
	}
	assert_int_equal(n, 100 - GNTTAB_NR_RESERVED_ENTRIES);

	/* A table too small to hold anything but the reserved entries. */
	gnttab_refs_init(&refs, words, GNTTAB_NR_RESERVED_ENTRIES);
	assert_int_equal(refs.nfree, 0);
	assert_int_equal(gnttab_refs_alloc(&refs, &ref), -ENOSPC);
	gnttab_refs_init(&refs, words, 3);
	assert_int_equal(refs.nfree, 0);
	assert_int_equal(gnttab_refs_alloc(&refs, &ref), -ENOSPC);
}

/* Random allocations and frees against a model: a bool per reference. */
static void test_refs_random_against_model(void **state)
{
	static bool model[1024];
	unsigned nr = 1000, used = 0;
	grant_ref_t ref;

	(void)state;
	memset(model, 0, sizeof(model));
	gnttab_refs_init(&refs, words, nr);
	srand(12345);
	for (unsigned i = 0; i < 200000; i++) {
		if (rand() % 2) {
			int err = gnttab_refs_alloc(&refs, &ref);
			if (used == nr - GNTTAB_NR_RESERVED_ENTRIES) {
				assert_int_equal(err, -ENOSPC);
				continue;
			}
			assert_int_equal(err, 0);
			assert_in_range(ref, GNTTAB_NR_RESERVED_ENTRIES, nr - 1);
			assert_false(model[ref]);
			model[ref] = true;
			used++;
		} else {
			ref = (grant_ref_t)(rand() % (nr + 20));
			bool ok = ref < nr && model[ref];
			assert_int_equal(gnttab_refs_free(&refs, ref), ok ? 0 : -EINVAL);
			if (ok) {
				model[ref] = false;
				used--;
			}
		}
		assert_int_equal(refs.nfree, nr - GNTTAB_NR_RESERVED_ENTRIES - used);
	}
	for (ref = 0; ref < nr; ref++)
		assert_int_equal(gnttab_refs_in_use(&refs, ref), model[ref]);
}

/* ---- entries ---- */

static grant_entry_v1_t table[GNTTAB_V1_PER_FRAME];

static int setup_table(void **state)
{
	(void)state;
	memset(table, 0, sizeof(table));
	return 0;
}

static void test_grant_writes_entry(void **state)
{
	grant_entry_v1_t *e = &table[8];

	(void)state;
	assert_int_equal(gnttab_v1_grant(e, GRANTEE, 0x48123, false), 0);
	assert_int_equal(e->flags, GTF_permit_access);
	assert_int_equal(e->domid, GRANTEE);
	assert_int_equal(e->frame, 0x48123);
	assert_int_equal(gnttab_v1_flags(e), GTF_permit_access);

	/* A live entry is not overwritten. */
	assert_int_equal(gnttab_v1_grant(e, 7, 0x1, false), -EBUSY);
	assert_int_equal(e->domid, GRANTEE);

	e = &table[9];
	assert_int_equal(gnttab_v1_grant(e, GRANTEE, 0x48124, true), 0);
	assert_int_equal(e->flags, GTF_permit_access | GTF_readonly);

	/* v1's frame field is 32 bits: a frame above it is refused, the entry left invalid. */
	e = &table[10];
	assert_int_equal(gnttab_v1_grant(e, GRANTEE, 0x100000000ull, false), -EINVAL);
	assert_int_equal(e->flags, 0);
	assert_int_equal(gnttab_v1_grant(e, GRANTEE, 0xffffffffull, false), 0);
	assert_int_equal(e->frame, 0xffffffffu);
}

static void test_end_refused_while_pinned(void **state)
{
	grant_entry_v1_t *e = &table[8];

	(void)state;
	assert_int_equal(gnttab_v1_grant(e, GRANTEE, 0x40000, false), 0);
	assert_int_equal(xen_pin(e, GRANTEE + 1, false), GNTST_general_error);	/* not granted to it */
	assert_int_equal(xen_pin(e, GRANTEE, false), GNTST_okay);
	assert_int_equal(e->flags, GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(gnttab_v1_end(e), -EBUSY);
	assert_int_equal(e->flags, GTF_permit_access | GTF_reading | GTF_writing);
	xen_unpin(e);
	assert_int_equal(gnttab_v1_end(e), 0);
	assert_int_equal(e->flags, 0);
	assert_int_equal(xen_pin(e, GRANTEE, false), GNTST_general_error);	/* ended */
	assert_int_equal(xen_pin(e, GRANTEE, true), GNTST_general_error);

	/* Read-only: a write pin refused, a read pin holds the end off too. */
	assert_int_equal(gnttab_v1_grant(e, GRANTEE, 0x40000, true), 0);
	assert_int_equal(xen_pin(e, GRANTEE, false), GNTST_general_error);
	assert_int_equal(xen_pin(e, GRANTEE, true), GNTST_okay);
	assert_int_equal(e->flags, GTF_permit_access | GTF_readonly | GTF_reading);
	assert_int_equal(gnttab_v1_end(e), -EBUSY);
	xen_unpin(e);
	assert_int_equal(gnttab_v1_end(e), 0);

	/* Ending an entry that is already invalid changes nothing. */
	assert_int_equal(gnttab_v1_end(e), 0);
	assert_int_equal(e->flags, 0);
}

/* ---- the concurrent test: "Xen" pinning on one thread, the guest on this one ---- */

/*
 * Rounds until the threads have met often enough (ends refused because of a pin, and pins),
 * within a cap: on a loaded two-CPU machine they sometimes run apart for a long while.
 */
#define STRESS_MIN_ROUNDS  20000
#define STRESS_MAX_ROUNDS  5000000
#define STRESS_MEETINGS    1000

static grant_entry_v1_t *stress_entry;
static volatile int holding;		/* Xen holds a pin (set after the pin, cleared before unpin) */
static volatile int stop;
static unsigned long pins, failed_pins, pinned_after_end;
static volatile int ended;		/* the guest's end succeeded and it has not granted again */
static volatile int running;

static void *xen_thread(void *arg)
{
	(void)arg;
	__atomic_store_n(&running, 1, SC);
	while (!__atomic_load_n(&stop, SC)) {
		if (xen_pin(stress_entry, GRANTEE, false) != GNTST_okay) {
			failed_pins++;
			continue;
		}
		__atomic_store_n(&holding, 1, SC);
		if (__atomic_load_n(&ended, SC))
			pinned_after_end++;
		pins++;
		for (volatile int i = 0; i < 20; i++)
			;
		__atomic_store_n(&holding, 0, SC);
		xen_unpin(stress_entry);
	}
	return NULL;
}

static void test_concurrent_end_never_while_pinned(void **state)
{
	pthread_t xen;
	unsigned long busy = 0, bad = 0;

	(void)state;
	stress_entry = &table[20];
	stop = 0;
	ended = 0;
	running = 0;
	pins = failed_pins = pinned_after_end = 0;
	assert_int_equal(pthread_create(&xen, NULL, xen_thread, NULL), 0);
	while (!__atomic_load_n(&running, SC))
		;
	srand(4321);
	unsigned round;
	for (round = 0; round < STRESS_MAX_ROUNDS; round++) {
		if (round >= STRESS_MIN_ROUNDS && busy >= STRESS_MEETINGS &&
		    __atomic_load_n(&pins, SC) >= STRESS_MEETINGS)
			break;
		/* Cleared before the grant, so that a pin of this round never sees the last one's. */
		__atomic_store_n(&ended, 0, SC);
		assert_int_equal(gnttab_v1_grant(stress_entry, GRANTEE, round, false), 0);
		/* Give Xen a varying while to pin it, so that ends meet pins at every point. */
		for (volatile int i = rand() % 400; i > 0; i--)
			;
		int err;
		while ((err = gnttab_v1_end(stress_entry)) == -EBUSY)
			busy++;
		assert_int_equal(err, 0);
		__atomic_store_n(&ended, 1, SC);
		/* Xen's pin had to come before the end's swap and its unpin after: impossible. */
		if (__atomic_load_n(&holding, SC))
			bad++;
		/* Let Xen try a few times on the ended entry. */
		for (volatile int i = 0; i < 50; i++)
			;
		if (__atomic_load_n(&holding, SC))
			bad++;
	}
	__atomic_store_n(&stop, 1, SC);
	pthread_join(xen, NULL);
	if (bad || pinned_after_end)
		fail_msg("an end succeeded while Xen held a pin (%lu), or Xen pinned an ended "
			 "entry (%lu)", bad, pinned_after_end);
	if (busy < STRESS_MEETINGS || pins < STRESS_MEETINGS)
		fail_msg("the threads seldom met in %u rounds: %lu refused ends, %lu pins", round,
			 busy, pins);
	print_message("%u rounds: %lu pins, %lu refused pins, %lu ends refused while pinned\n",
		      round, pins, failed_pins, busy);
}

/* ---- status names ---- */

static void test_status_names(void **state)
{
	static const struct {
		int16_t status;
		const char *name, *msg;
	} cases[] = {
		{ GNTST_okay, "GNTST_okay", "okay" },
		{ GNTST_general_error, "GNTST_general_error", "undefined error" },
		{ GNTST_bad_domain, "GNTST_bad_domain", "unrecognised domain id" },
		{ GNTST_bad_gntref, "GNTST_bad_gntref", "invalid grant reference" },
		{ GNTST_bad_handle, "GNTST_bad_handle", "invalid mapping handle" },
		{ GNTST_permission_denied, "GNTST_permission_denied", "permission denied" },
		{ GNTST_eagain, "GNTST_eagain", "operation not done; try again" },
		{ GNTST_no_space, "GNTST_no_space", "out of space" },
		{ -14, "GNTST_?", "unknown status" },
		{ 1, "GNTST_?", "unknown status" },
		{ INT16_MIN, "GNTST_?", "unknown status" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(gnttab_status_name(cases[i].status), cases[i].name);
		assert_string_equal(gnttab_status_msg(cases[i].status), cases[i].msg);
	}
	for (int16_t s = GNTST_no_space; s <= GNTST_okay; s++)
		assert_memory_equal(gnttab_status_name(s), "GNTST_", 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refs_reserved_and_order),
		cmocka_unit_test(test_refs_exhaust_and_wrap),
		cmocka_unit_test(test_refs_bad_frees),
		cmocka_unit_test(test_refs_random_against_model),
		cmocka_unit_test_setup(test_grant_writes_entry, setup_table),
		cmocka_unit_test_setup(test_end_refused_while_pinned, setup_table),
		cmocka_unit_test_setup(test_concurrent_end_never_while_pinned, setup_table),
		cmocka_unit_test(test_status_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
