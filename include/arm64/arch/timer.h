/*
 * The generic timer's virtual counter and virtual timer, through the AArch64 system
 * registers (Arm ARM, "The Generic Timer in AArch64 state", and the register descriptions
 * of CNTVCT_EL0, CNTFRQ_EL0, CNTV_CVAL_EL0, CNTV_CTL_EL0). Used by time/ and the self-tests.
 */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdint.h>

/* CNTV_CTL_EL0 bits. */
#define CNTV_CTL_ENABLE   (1u << 0)
#define CNTV_CTL_IMASK    (1u << 1)
#define CNTV_CTL_ISTATUS  (1u << 2)

/*
 * The ISB keeps the read from being performed early, ahead of the code before it: reads of
 * the counter are not ordered with other instructions otherwise.
 */
static inline uint64_t arch_cntvct(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static inline uint32_t arch_cntfrq(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return (uint32_t)v;
}

static inline uint64_t arch_cntv_cval(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, cntv_cval_el0" : "=r"(v));
	return v;
}

/* Writes to the timer registers take effect at the next context synchronization: the ISB. */
static inline void arch_cntv_cval_write(uint64_t v)
{
	__asm__ volatile("msr cntv_cval_el0, %0; isb" : : "r"(v) : "memory");
}

static inline uint32_t arch_cntv_ctl(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntv_ctl_el0" : "=r"(v) : : "memory");
	return (uint32_t)v;
}

static inline void arch_cntv_ctl_write(uint32_t v)
{
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"((uint64_t)v) : "memory");
}

#endif
