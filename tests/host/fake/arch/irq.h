/*
 * A fake architecture for host tests of irq/irq.c: the CPU's IRQ mask is a variable the test
 * can read and set (fake_irq_masked, defined by the test), and waiting for an interrupt
 * returns at once. Selected with -Itests/host/fake instead of -Iinclude/<arch>.
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <arbor/types.h>

extern bool fake_irq_masked;

static inline unsigned long arch_irq_save(void)
{
	unsigned long was = fake_irq_masked;

	fake_irq_masked = true;
	return was;
}

static inline void arch_irq_restore(unsigned long flags)
{
	fake_irq_masked = flags != 0;
}

static inline void arch_irq_enable(void)
{
	fake_irq_masked = false;
}

static inline void arch_irq_disable(void)
{
	fake_irq_masked = true;
}

static inline bool arch_irq_enabled(void)
{
	return !fake_irq_masked;
}

static inline void arch_wait_for_interrupt(void)
{
}

#endif
