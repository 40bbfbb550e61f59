/*
 * Unit tests for console/xencons_ring.c, the producer side of Xen's PV console ring, with a
 * struct xencons_interface in ordinary memory playing the shared page and the test playing
 * the backend (xenconsoled): it reads out[] between out_cons and out_prod and advances
 * out_cons, or writes nonsense into the indices the way a hostile backend could.
 *
 * What the ring must do (public io/console.h): bytes land at out[MASK_XENCONS_IDX(prod)],
 * never more than sizeof(out) ahead of out_cons, across the end of out[] and across the
 * 32-bit wrap of the free-running indices; out_prod on the page is the producer's own count;
 * an out_cons that cannot be right (more than the ring behind, or ahead of out_prod) is
 * refused with -EIO rather than trusted.
 */
#include "host.h"

#include <errno.h>
#include <string.h>

#include <arbor/console.h>

#define RING  sizeof(((struct xencons_interface *)0)->out)

static struct xencons_interface intf;

/* The backend: take up to max bytes from the ring into buf; returns how many. */
static size_t consume(char *buf, size_t max)
{
	size_t n = 0;

	while (n < max && intf.out_cons != intf.out_prod) {
		buf[n++] = intf.out[MASK_XENCONS_IDX(intf.out_cons, intf.out)];
		intf.out_cons++;
	}
	return n;
}

static void reset(XENCONS_RING_IDX start)
{
	memset(&intf, 0, sizeof(intf));
	intf.out_cons = intf.out_prod = start;
}

static void test_small_write(void **state)
{
	XENCONS_RING_IDX prod = 0;
	char got[64];

	(void)state;
	reset(0);
	assert_int_equal(xencons_ring_put(&intf, &prod, "hello\n", 6), 6);
	assert_int_equal(prod, 6);
	assert_int_equal(intf.out_prod, 6);
	assert_int_equal(consume(got, sizeof(got)), 6);
	assert_memory_equal(got, "hello\n", 6);
}

static void test_full_ring_takes_what_fits(void **state)
{
	static char big[3 * RING], got[3 * RING];
	XENCONS_RING_IDX prod = 0;

	(void)state;
	reset(0);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	assert_int_equal(xencons_ring_put(&intf, &prod, big, sizeof(big)), RING);
	/* Full: nothing more goes in until the backend reads. */
	assert_int_equal(xencons_ring_put(&intf, &prod, big + RING, 10), 0);
	assert_int_equal(consume(got, 100), 100);
	assert_int_equal(xencons_ring_put(&intf, &prod, big + RING, sizeof(big) - RING), 100);
	assert_int_equal(consume(got + 100, sizeof(got)), RING);
	assert_memory_equal(got, big, RING + 100);
}

/* Bytes cross the end of out[] and the 32-bit wrap of the indices intact. */
static void test_index_wrap(void **state)
{
	XENCONS_RING_IDX prod = 0xfffffff0u;
	char text[40], got[40];

	(void)state;
	reset(prod);
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (char)('0' + i % 10);
	assert_int_equal(xencons_ring_put(&intf, &prod, text, sizeof(text)), sizeof(text));
	assert_int_equal(prod, 0x18);
	assert_int_equal(intf.out_prod, 0x18);
	assert_int_equal(consume(got, sizeof(got)), sizeof(got));
	assert_memory_equal(got, text, sizeof(text));
	assert_int_equal(intf.out[RING - 1], '0' + 15 % 10);
	assert_int_equal(intf.out[0], '0' + 16 % 10);
}

/* A hostile backend: out_cons ahead of out_prod, or more than a ring behind it. */
static void test_bogus_cons_refused(void **state)
{
	static const XENCONS_RING_IDX bad[] = { 1, 100, RING + 1, 0x80000000u, 0xffffffffu - RING };
	XENCONS_RING_IDX prod;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset(0);
		prod = 1000;
		intf.out_prod = 1000;
		intf.out_cons = 1000 + bad[i];
		assert_int_equal(xencons_ring_put(&intf, &prod, "x", 1), -EIO);
		assert_int_equal(prod, 1000);
		assert_int_equal(intf.out_prod, 1000);
	}
	/* Exactly a ring behind is full, not bogus. */
	reset(0);
	prod = RING;
	intf.out_cons = 0;
	assert_int_equal(xencons_ring_put(&intf, &prod, "x", 1), 0);
}

/* The page's out_prod is written, never read: a backend scribbling on it changes nothing. */
static void test_shared_prod_not_trusted(void **state)
{
	XENCONS_RING_IDX prod = 0;
	char got[8];

	(void)state;
	reset(0);
	intf.out_prod = 0x12345678;
	assert_int_equal(xencons_ring_put(&intf, &prod, "ab", 2), 2);
	assert_int_equal(intf.out_prod, 2);
	assert_int_equal(consume(got, sizeof(got)), 2);
	assert_memory_equal(got, "ab", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_write),
		cmocka_unit_test(test_full_ring_takes_what_fits),
		cmocka_unit_test(test_index_wrap),
		cmocka_unit_test(test_bogus_cons_refused),
		cmocka_unit_test(test_shared_prod_not_trusted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
