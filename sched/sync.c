/*
 * Wait queues, and the mutex and semaphore built on them.
 *
 * Everything here runs with interrupts masked (irq_save), which on one CPU is what makes a
 * check of a condition and the block that follows it atomic against an interrupt handler
 * that changes the condition and wakes the waiters. Both the mutex and the semaphore hand
 * what they release directly to the first waiter, so a thread that is woken never has to
 * check again and waiters are served in the order they came.
 */
#include <arbor/irqflags.h>
#include <arbor/printk.h>
#include <arbor/sched.h>

#include "thread.h"

void wait_queue_wait_locked(struct wait_queue *wq)
{
	thread_queue_push(&wq->waiters, thread_current());
	sched_block();
}

bool wait_queue_wake_one(struct wait_queue *wq)
{
	unsigned long flags = irq_save();
	struct thread *t = thread_queue_pop(&wq->waiters);

	if (t)
		sched_make_runnable(t);
	irq_restore(flags);
	return t != NULL;
}

unsigned wait_queue_wake_all(struct wait_queue *wq)
{
	unsigned n = 0;

	while (wait_queue_wake_one(wq))
		n++;
	return n;
}

void mutex_lock(struct mutex *m)
{
	unsigned long flags = irq_save();

	if (m->owner == thread_current())
		panic("sched: thread '%s' locks a mutex it holds\n", thread_current()->name);
	if (!m->owner)
		m->owner = thread_current();
	else
		wait_queue_wait_locked(&m->waiters);	/* mutex_unlock made us the owner */
	irq_restore(flags);
}

void mutex_unlock(struct mutex *m)
{
	unsigned long flags = irq_save();

	if (m->owner != thread_current())
		panic("sched: thread '%s' unlocks a mutex it does not hold\n",
		      thread_current()->name);
	m->owner = thread_queue_pop(&m->waiters.waiters);
	if (m->owner)
		sched_make_runnable(m->owner);
	irq_restore(flags);
}

void sem_down(struct semaphore *s)
{
	unsigned long flags = irq_save();

	if (s->count)
		s->count--;
	else
		wait_queue_wait_locked(&s->waiters);	/* sem_up passed its count to us */
	irq_restore(flags);
}

void sem_up(struct semaphore *s)
{
	unsigned long flags = irq_save();

	if (!wait_queue_wake_one(&s->waiters))
		s->count++;
	irq_restore(flags);
}
