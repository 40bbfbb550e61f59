/*
 * Spinlocks: mutual exclusion between CPUs for short critical sections.
 *
 * A CPU that finds the lock taken spins, reading it until it looks free, then tries again to
 * take it with one atomic exchange (test and test-and-set: the waiting is done with plain
 * loads, which stay in the waiter's cache, rather than with stores that bounce the line).
 * Taking the lock is an acquire and releasing it a release (C11 atomics, which GCC turns
 * into LDAXR/STLR on arm64 and LDREX/STREX with DMB on arm32), so everything written inside
 * is visible to the next holder.
 *
 * spin_lock_irqsave() also masks interrupts on this CPU, first: a handler that takes the same
 * lock could otherwise interrupt its holder and spin for ever. Use it for any lock an
 * interrupt handler takes. Neither kind may be held across anything that blocks.
 *
 * Exclusive accesses need the MMU on (normal cacheable memory): nothing takes a lock earlier.
 */
#ifndef ARBOR_SPINLOCK_H
#define ARBOR_SPINLOCK_H

#include <arbor/irqflags.h>
#include <arbor/types.h>

struct spinlock {
	unsigned locked;	/* 0 free, 1 held */
};

#define SPINLOCK_INIT  { 0 }

static inline bool spin_trylock(struct spinlock *l)
{
	return __atomic_exchange_n(&l->locked, 1u, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_lock(struct spinlock *l)
{
	while (!spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0u, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const struct spinlock *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

static inline unsigned long spin_lock_irqsave(struct spinlock *l)
{
	unsigned long flags = irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, unsigned long flags)
{
	spin_unlock(l);
	irq_restore(flags);
}

#endif
