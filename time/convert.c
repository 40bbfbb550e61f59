/*
 * Counter ticks <-> nanoseconds, exactly, in 64-bit integers.
 *
 * The direct product ticks * 10^9 overflows 64 bits after 18 s at 1 GHz, and dividing first
 * loses everything below a second. Splitting the value into whole seconds and a remainder
 * keeps both halves in range: the whole seconds are multiplied by the other unit's count per
 * second (100 years is 3.2e9 s, times at most 2^32 per second stays below 2^64), and the
 * remainder is below one second's worth, so remainder * 10^9 (or * freq) stays below
 * 2^32 * 10^9 < 2^64. Both results are the exact floor (or ceiling) of the rational value.
 * 64-bit divisions only: on arm32 they are libgcc's __aeabi_uldivmod.
 */
#include <arbor/time.h>

uint64_t time_ticks_to_ns(uint64_t ticks, uint64_t freq)
{
	uint64_t secs = ticks / freq, rem = ticks % freq;

	return secs * NSEC_PER_SEC + rem * NSEC_PER_SEC / freq;
}

uint64_t time_ns_to_ticks_ceil(uint64_t ns, uint64_t freq)
{
	uint64_t secs = ns / NSEC_PER_SEC, rem = ns % NSEC_PER_SEC;

	return secs * freq + (rem * freq + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
}
