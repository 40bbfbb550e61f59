/*
 * CPU-level masking of IRQs: only the I bit (PSTATE.I on arm64, CPSR.I on arm32). Saves
 * nest: irq_restore() puts back exactly the state irq_save() found.
 *
 * These belong to the architecture (include/<arch>/arch/irq.h), not to the interrupt
 * controller's layer: code below irq/ (mm/'s live page-table edits, sched/) masks interrupts
 * without depending on the GIC drivers, which themselves map their registers through mm/.
 */
#ifndef ARBOR_IRQFLAGS_H
#define ARBOR_IRQFLAGS_H

#include <arch/irq.h>

static inline unsigned long irq_save(void)
{
	return arch_irq_save();
}

static inline void irq_restore(unsigned long flags)
{
	arch_irq_restore(flags);
}

static inline void irq_local_enable(void)
{
	arch_irq_enable();
}

static inline void irq_local_disable(void)
{
	arch_irq_disable();
}

static inline bool irq_local_enabled(void)
{
	return arch_irq_enabled();
}

#endif
