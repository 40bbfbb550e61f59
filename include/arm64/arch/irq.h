/*
 * arm64: masking IRQs at the CPU, for irq/irq.c. Only PSTATE.I is touched (DAIF bit 7,
 * through the DAIFSet/DAIFClr immediates' bit 1): debug, SError and FIQ masking stay as they
 * are. A saved state is just that bit, so restoring puts back exactly what was found.
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <arbor/types.h>

#define DAIF_I  (1ul << 7)

static inline unsigned long arch_irq_save(void)
{
	unsigned long daif;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(daif) : : "memory");
	return daif & DAIF_I;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & DAIF_I)
		__asm__ volatile("msr daifset, #2" : : : "memory");
	else
		__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

static inline bool arch_irq_enabled(void)
{
	unsigned long daif;

	__asm__ volatile("mrs %0, daif" : "=r"(daif));
	return !(daif & DAIF_I);
}

/* WFI wakes for a pending interrupt even while PSTATE.I masks it. */
static inline void arch_wait_for_interrupt(void)
{
	__asm__ volatile("dsb sy\n\twfi" : : : "memory");
}

#endif
