/*
 * Threads: creation, exit and join, and the memory each one takes.
 *
 * A thread is one block from the page allocator. Its first page holds the struct thread
 * and, after it, the thread's TLS area (sched/tls.c); the second is the guard, unmapped so that running off the bottom of the stack faults with
 * the exception report instead of corrupting the struct or whatever lies below; the stack
 * is the rest, growing down from the top of the block. The struct goes first rather than the
 * guard because the allocator reads the first page of a block's buddy when it frees the
 * block (the free-block header lives there), and a neighbour thread's block may be that
 * buddy. thread_join() maps the guard again and frees the block, so creating and joining
 * threads leaves the allocator exactly as it was.
 */
#include <string.h>

#include <arbor/irqflags.h>
#include <arbor/mmu.h>
#include <arbor/page_alloc.h>
#include <arbor/printk.h>
#include <arbor/sched.h>

#include "thread.h"

#define HEAD_PAGES  2	/* the struct thread's page and the guard page */

_Static_assert(sizeof(struct thread) <= PAGE_SIZE, "struct thread fits its page");

static unsigned block_order(size_t stack_size)
{
	size_t pages = HEAD_PAGES + (stack_size + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned order = 0;

	while ((1ul << order) < pages)
		order++;
	return order;
}

struct thread *thread_create(const char *name, thread_fn_t fn, void *arg, size_t stack_size)
{
	unsigned order = block_order(stack_size ? stack_size : THREAD_STACK_DEFAULT);
	char *block = page_alloc(order);
	size_t size = (size_t)PAGE_SIZE << order;

	if (!block) {
		pr_err("sched: no memory for thread '%s' (2^%u pages)\n", name, order);
		return NULL;
	}
	struct thread *t = (struct thread *)block;
	memset(t, 0, sizeof(*t));
	strncpy(t->name, name, sizeof(t->name) - 1);
	t->fn = fn;
	t->arg = arg;
	t->block = block;
	t->order = order;
	if (mmu_unmap_page((uintptr_t)block + PAGE_SIZE))
		pr_warn("sched: thread '%s' runs without a guard page\n", name);
	arch_context_init(&t->ctx, (uintptr_t)block + size);
	/* The TLS area: the rest of the struct's page. */
	t->ctx.tpidr = sched_tls_area_init(t + 1, PAGE_SIZE - sizeof(*t));
	sched_add_new(t);
	return t;
}

void sched_thread_start(void)
{
	struct thread *t = thread_current();

	thread_exit(t->fn(t->arg));
}

void thread_exit(int value)
{
	struct thread *t = thread_current();

	irq_save();
	t->exit_value = value;
	wait_queue_wake_all(&t->joiner);
	sched_exit_current();
}

int thread_join(struct thread *t)
{
	unsigned long flags = irq_save();

	if (t->joined || t == thread_current())
		panic("sched: thread '%s' joined twice or by itself\n", t->name);
	t->joined = true;
	while (t->state != THREAD_EXITED)
		wait_queue_wait_locked(&t->joiner);
	irq_restore(flags);

	int value = t->exit_value;
	void *block = t->block;
	unsigned order = t->order;

	mmu_remap_page((uintptr_t)block + PAGE_SIZE);
	page_free(block, order);
	return value;
}

const char *sched_guard_page_owner(uintptr_t addr)
{
	const struct thread *t = thread_current();
	uintptr_t guard = (uintptr_t)t->block + PAGE_SIZE;

	return t->block && addr >= guard && addr < guard + PAGE_SIZE ? t->name : NULL;
}
