/*
 * Unit tests for time/convert.c: counter ticks <-> nanoseconds at the frequencies real
 * counters run at (1 MHz, 19.2 MHz on many Cortex-A boards, 24 MHz on others, 62.5 MHz under
 * QEMU, 1 GHz as ARMv8.6 requires), checked against
 *   - values written out by hand,
 *   - the exact rational result computed here independently with 128-bit integers
 *     (floor(ticks * 10^9 / f) and ceil(ns * f / 10^9), which cannot overflow in 128 bits),
 * and the properties the timer relies on: a deadline's tick count is never below it and at
 * most one tick above, converting ticks to nanoseconds and back gives the same ticks, and
 * 100 years of counting converts without overflow.
 */
#include "host.h"

#include <arbor/time.h>

typedef unsigned __int128 u128;

#define MHZ            1000000ull
#define GHZ            1000000000ull
/* 100 Julian years (36525 days) in seconds. */
#define CENTURY_SECS   (36525ull * 86400)

static const uint64_t freqs[] = {
	1 * MHZ, 19200000, 24 * MHZ, 62500000, 1 * GHZ,
	/* Awkward ones: prime, just above 1 MHz, just below 1 GHz, the 32-bit maximum. */
	1000003, 999999937, 33333333, 0xffffffffull,
};

static uint64_t ref_ticks_to_ns(uint64_t ticks, uint64_t f)
{
	return (uint64_t)((u128)ticks * NSEC_PER_SEC / f);
}

static uint64_t ref_ns_to_ticks_ceil(uint64_t ns, uint64_t f)
{
	return (uint64_t)(((u128)ns * f + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
}

/* A small deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

struct exact {
	uint64_t freq, ticks, ns;
};

static void test_ticks_to_ns_exact(void **state)
{
	static const struct exact cases[] = {
		{ 1 * MHZ, 0, 0 },
		{ 1 * MHZ, 1, 1000 },
		{ 1 * MHZ, 1000000, 1000000000 },
		{ 19200000, 1, 52 },			/* 52.083 */
		{ 19200000, 3, 156 },			/* 156.25 */
		{ 19200000, 19199999, 999999947 },	/* 999999947.9 */
		{ 19200000, 19200000, 1000000000 },
		{ 24 * MHZ, 1, 41 },			/* 41.666 */
		{ 24 * MHZ, 3, 125 },
		{ 24 * MHZ, 24000001, 1000000041 },
		{ 62500000, 1, 16 },
		{ 62500000, 62500000, 1000000000 },
		{ 62500000, 62500001, 1000000016 },
		{ 1 * GHZ, 1, 1 },
		{ 1 * GHZ, 123456789012345ull, 123456789012345ull },
		/* 100 years: 3155760000 s. */
		{ 1 * MHZ, 3155760000000000ull, 3155760000000000000ull },
		{ 19200000, 60590592000000000ull, 3155760000000000000ull },
		{ 62500000, 197235000000000000ull, 3155760000000000000ull },
		{ 1 * GHZ, 3155760000000000000ull, 3155760000000000000ull },
		/* 100 years at 1 GHz plus one tick: the remainder part on top of huge seconds. */
		{ 19200000, 60590592000000001ull, 3155760000000000052ull },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t got = time_ticks_to_ns(cases[i].ticks, cases[i].freq);

		if (got != cases[i].ns)
			print_error("ticks_to_ns(%llu, %llu) = %llu, want %llu\n",
				    (unsigned long long)cases[i].ticks, (unsigned long long)cases[i].freq,
				    (unsigned long long)got, (unsigned long long)cases[i].ns);
		assert_int_equal(got, cases[i].ns);
	}
}

struct exact_ceil {
	uint64_t freq, ns, ticks;
};

static void test_ns_to_ticks_ceil_exact(void **state)
{
	static const struct exact_ceil cases[] = {
		{ 1 * MHZ, 0, 0 },
		{ 1 * MHZ, 1, 1 },
		{ 1 * MHZ, 1000, 1 },
		{ 1 * MHZ, 1001, 2 },
		{ 19200000, 1, 1 },
		{ 19200000, 52, 1 },			/* 0.998 */
		{ 19200000, 53, 2 },			/* 1.018 */
		{ 19200000, 1000, 20 },			/* 19.2 */
		{ 19200000, 1000000000, 19200000 },
		{ 24 * MHZ, 125, 3 },
		{ 24 * MHZ, 126, 4 },
		{ 24 * MHZ, 1000000, 24000 },
		{ 62500000, 16, 1 },
		{ 62500000, 17, 2 },
		{ 62500000, 1000000, 62500 },		/* the self-tests' 1 ms tick */
		{ 1 * GHZ, 1, 1 },
		{ 1 * GHZ, 999999999, 999999999 },
		/* 100 years. */
		{ 1 * MHZ, 3155760000000000000ull, 3155760000000000ull },
		{ 19200000, 3155760000000000000ull, 60590592000000000ull },
		{ 19200000, 3155760000000000001ull, 60590592000000001ull },
		{ 62500000, 3155760000000000000ull, 197235000000000000ull },
		{ 1 * GHZ, 3155760000000000000ull, 3155760000000000000ull },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t got = time_ns_to_ticks_ceil(cases[i].ns, cases[i].freq);

		if (got != cases[i].ticks)
			print_error("ns_to_ticks_ceil(%llu, %llu) = %llu, want %llu\n",
				    (unsigned long long)cases[i].ns, (unsigned long long)cases[i].freq,
				    (unsigned long long)got, (unsigned long long)cases[i].ticks);
		assert_int_equal(got, cases[i].ticks);
	}
}

/* Values spread over 0 .. 100 years' worth, small ones and second boundaries included. */
static uint64_t sample(unsigned i, uint64_t limit)
{
	switch (i % 4) {
	case 0: return i / 4;
	case 1: return rng() % limit;
	case 2: return (rng() % (limit / NSEC_PER_SEC + 1)) * NSEC_PER_SEC + (rng() % 3) - 1;
	default: return rng() % (1ull << (rng() % 63));
	}
}

static void test_against_reference(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(freqs); k++) {
		uint64_t f = freqs[k];
		uint64_t max_ns = CENTURY_SECS * NSEC_PER_SEC, max_ticks = CENTURY_SECS * f;

		for (unsigned i = 0; i < 200000; i++) {
			uint64_t t = sample(i, max_ticks) % (max_ticks + 1);
			uint64_t ns = sample(i, max_ns) % (max_ns + 1);

			assert_int_equal(time_ticks_to_ns(t, f), ref_ticks_to_ns(t, f));
			assert_int_equal(time_ns_to_ticks_ceil(ns, f), ref_ns_to_ticks_ceil(ns, f));
		}
	}
}

/*
 * What the timer relies on. For a deadline of ns nanoseconds the counter is programmed for
 * T = ns_to_ticks_ceil(ns) ticks, and the clock reads ticks_to_ns(T) when it gets there:
 * that must not be before ns (never early), and T must be the first such tick (at most one
 * tick late). Ticks to nanoseconds and back is the identity while a tick is at least 1 ns.
 */
static void test_properties(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(freqs); k++) {
		uint64_t f = freqs[k];
		uint64_t max_ns = CENTURY_SECS * NSEC_PER_SEC, max_ticks = CENTURY_SECS * f;

		for (unsigned i = 0; i < 200000; i++) {
			uint64_t ns = sample(i, max_ns) % (max_ns + 1);
			uint64_t t = time_ns_to_ticks_ceil(ns, f);

			/* The tick is not before ns: T * 1e9 >= ns * f, in exact arithmetic. */
			assert_true((u128)t * NSEC_PER_SEC >= (u128)ns * f);
			/* And the tick before it is: no later than needed. */
			if (t)
				assert_true((u128)(t - 1) * NSEC_PER_SEC < (u128)ns * f);
			/* The clock at that tick has reached the deadline, by less than a tick. */
			uint64_t back = time_ticks_to_ns(t, f);
			assert_true(back >= ns);
			assert_true((u128)(back - ns) * f < NSEC_PER_SEC);

			if (f <= NSEC_PER_SEC) {
				uint64_t ticks = sample(i, max_ticks) % (max_ticks + 1);
				assert_int_equal(time_ns_to_ticks_ceil(time_ticks_to_ns(ticks, f), f),
						 ticks);
			}
		}
	}
}

/* Monotonic: more ticks never give fewer nanoseconds, and the other way round. */
static void test_monotonic(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(freqs); k++) {
		uint64_t f = freqs[k];
		uint64_t base_t = rng() % (CENTURY_SECS * f);
		uint64_t base_ns = rng() % (CENTURY_SECS * NSEC_PER_SEC);
		uint64_t prev_ns = time_ticks_to_ns(base_t, f);
		uint64_t prev_t = time_ns_to_ticks_ceil(base_ns, f);

		for (uint64_t d = 1; d < 100000; d++) {
			uint64_t ns = time_ticks_to_ns(base_t + d, f);
			uint64_t t = time_ns_to_ticks_ceil(base_ns + d, f);

			assert_true(ns >= prev_ns);
			assert_true(t >= prev_t);
			prev_ns = ns;
			prev_t = t;
		}
	}
}

/* 100 years of ticks at 1 GHz is 3.16e18: near 2^64 / 6, where a naive product overflows. */
static void test_century(void **state)
{
	(void)state;
	_Static_assert(CENTURY_SECS == 3155760000ull, "100 Julian years in seconds");
	uint64_t ticks = CENTURY_SECS * GHZ;

	assert_int_equal(time_ticks_to_ns(ticks, GHZ), ticks);
	assert_int_equal(time_ns_to_ticks_ceil(ticks, GHZ), ticks);
	assert_int_equal(time_ticks_to_ns(ticks - 1, GHZ), ticks - 1);
	/* At 0xffffffff Hz, 100 years of ticks is 1.36e19, just under 2^64. */
	ticks = CENTURY_SECS * 0xffffffffull;
	assert_int_equal(time_ticks_to_ns(ticks, 0xffffffffull), CENTURY_SECS * NSEC_PER_SEC);
	assert_int_equal(time_ns_to_ticks_ceil(CENTURY_SECS * NSEC_PER_SEC, 0xffffffffull), ticks);
	/* The whole 64-bit counter range at 1 GHz (584 years) still converts exactly. */
	assert_int_equal(time_ticks_to_ns(UINT64_MAX, GHZ), UINT64_MAX);
	assert_int_equal(time_ticks_to_ns(UINT64_MAX, 19200000), ref_ticks_to_ns(UINT64_MAX, 19200000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks_to_ns_exact),
		cmocka_unit_test(test_ns_to_ticks_ceil_exact),
		cmocka_unit_test(test_against_reference),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_century),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
