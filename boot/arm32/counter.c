/*
 * The generic timer's virtual counter, read through the AArch32 cp15 encodings
 * (CNTVCT: MRRC p15, 1, <Rt>, <Rt2>, c14; CNTFRQ: MRC p15, 0, <Rt>, c14, c0, 0).
 */
#include <arbor/arch.h>

uint64_t arch_counter(void)
{
	uint32_t lo, hi;
	__asm__ volatile("isb; mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

uint64_t arch_counter_freq(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
	return v;
}
