/*
 * arm32: masking IRQs at the CPU, for irq/irq.c. Only CPSR.I (bit 7) is touched, with
 * CPSID/CPSIE i: the A and F bits and the mode stay as they are. A saved state is just that
 * bit, so restoring puts back exactly what was found.
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <arbor/types.h>

#define CPSR_I  (1ul << 7)

static inline unsigned long arch_irq_save(void)
{
	unsigned long cpsr;

	__asm__ volatile("mrs %0, cpsr\n\tcpsid i" : "=r"(cpsr) : : "memory");
	return cpsr & CPSR_I;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & CPSR_I)
		__asm__ volatile("cpsid i" : : : "memory");
	else
		__asm__ volatile("cpsie i" : : : "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("cpsie i" : : : "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ volatile("cpsid i" : : : "memory");
}

static inline bool arch_irq_enabled(void)
{
	unsigned long cpsr;

	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	return !(cpsr & CPSR_I);
}

/* WFI wakes for a pending interrupt even while CPSR.I masks it. */
static inline void arch_wait_for_interrupt(void)
{
	__asm__ volatile("dsb sy\n\twfi" : : : "memory");
}

#endif
