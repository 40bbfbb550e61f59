/*
 * The generic timer's virtual counter and virtual timer, through the AArch32 cp15 encodings
 * (Arm ARM, AArch32 "Generic Timer registers"):
 *   CNTVCT     MRRC p15, 1, <Rt>, <Rt2>, c14
 *   CNTFRQ     MRC  p15, 0, <Rt>, c14, c0, 0
 *   CNTV_CVAL  MRRC/MCRR p15, 3, <Rt>, <Rt2>, c14
 *   CNTV_CTL   MRC/MCR   p15, 0, <Rt>, c14, c3, 1
 * Used by time/ and the self-tests.
 */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdint.h>

/* CNTV_CTL bits. */
#define CNTV_CTL_ENABLE   (1u << 0)
#define CNTV_CTL_IMASK    (1u << 1)
#define CNTV_CTL_ISTATUS  (1u << 2)

/* The ISB keeps the read from being performed early, ahead of the code before it. */
static inline uint64_t arch_cntvct(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrrc p15, 1, %Q0, %R0, c14" : "=r"(v) : : "memory");
	return v;
}

static inline uint32_t arch_cntfrq(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
	return v;
}

static inline uint64_t arch_cntv_cval(void)
{
	uint64_t v;
	__asm__ volatile("mrrc p15, 3, %Q0, %R0, c14" : "=r"(v));
	return v;
}

/* Writes to the timer registers take effect at the next context synchronization: the ISB. */
static inline void arch_cntv_cval_write(uint64_t v)
{
	__asm__ volatile("mcrr p15, 3, %Q0, %R0, c14; isb" : : "r"(v) : "memory");
}

static inline uint32_t arch_cntv_ctl(void)
{
	uint32_t v;
	__asm__ volatile("isb; mrc p15, 0, %0, c14, c3, 1" : "=r"(v) : : "memory");
	return v;
}

static inline void arch_cntv_ctl_write(uint32_t v)
{
	__asm__ volatile("mcr p15, 0, %0, c14, c3, 1; isb" : : "r"(v) : "memory");
}

#endif
