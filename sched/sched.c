/*
 * The scheduler: the current thread, the run queue, the idle thread, yield, block and sleep.
 *
 * Switching is cooperative and happens only in schedule(), always with interrupts masked:
 * the current thread has already been put where it belongs (back on the run queue, on a wait
 * queue, or nowhere when it exited), and the first runnable thread takes over, or the idle
 * thread when there is none. Each thread's interrupt mask is its own: it is saved by the
 * irq_save() around the switch and restored when the thread's call returns.
 *
 * The idle thread is never on the run queue. It is the boot context itself, on the boot
 * stack, which sched_init() turns into idle after starting main on a stack of its own. It
 * waits in WFI with interrupts masked (WFI still wakes for a pending interrupt), then unmasks
 * them for a moment so the handlers run, on its stack; a handler that wakes a thread puts it
 * on the run queue, and idle switches to it.
 */
#include <arbor/irq.h>
#include <arbor/page_alloc.h>
#include <arbor/printk.h>
#include <arbor/sched.h>
#include <arbor/time.h>

#include "thread.h"

/*
 * The boot context, on the boot stack (boot/<arch>/head.S): kernel_main() until
 * sched_init(), the idle thread from then on. Its block is NULL: the boot stack has no guard
 * page.
 */
static struct thread idle_thread = { .state = THREAD_RUNNING, .name = "idle" };
static struct thread *const idle = &idle_thread;
static struct thread *current = &idle_thread;
static struct thread_queue run_queue;
static uint64_t switches;

/* Switch to the next runnable thread (or idle); interrupts masked. */
static void schedule(void)
{
	struct thread *prev = current;
	struct thread *next = thread_queue_pop(&run_queue);

	if (!next)
		next = idle;
	if (next == prev) {
		prev->state = THREAD_RUNNING;
		return;
	}
	next->state = THREAD_RUNNING;
	current = next;
	switches++;
	arch_context_switch(&prev->ctx, &next->ctx);
}

void sched_make_runnable(struct thread *t)
{
	if (t->state != THREAD_BLOCKED)
		return;
	t->state = THREAD_RUNNABLE;
	if (t != idle)
		thread_queue_push(&run_queue, t);
}

void sched_block(void)
{
	current->state = THREAD_BLOCKED;
	schedule();
}

void sched_exit_current(void)
{
	current->state = THREAD_EXITED;
	schedule();
	panic("sched: the exited thread '%s' was switched to\n", current->name);
}

void sched_add_new(struct thread *t)
{
	unsigned long flags = irq_save();

	t->state = THREAD_RUNNABLE;
	thread_queue_push(&run_queue, t);
	irq_restore(flags);
}

struct thread *thread_current(void)
{
	return current;
}

const char *thread_name(const struct thread *t)
{
	return t->name;
}

void sched_yield(void)
{
	unsigned long flags = irq_save();

	if (current != idle) {
		current->state = THREAD_RUNNABLE;
		thread_queue_push(&run_queue, current);
	}
	schedule();
	irq_restore(flags);
}

static void wake_sleeper(struct timer_event *ev, void *arg)
{
	(void)ev;
	sched_make_runnable(arg);
}

void sched_sleep_until(uint64_t deadline_ns)
{
	struct timer_event ev = { 0 };
	unsigned long flags = irq_save();

	/* The event's handler runs with interrupts masked, so it cannot fire before the block. */
	while (time_now_ns() < deadline_ns) {
		timer_event_arm(&ev, deadline_ns, wake_sleeper, current);
		sched_block();
		timer_event_cancel(&ev);
	}
	irq_restore(flags);
}

void sched_sleep_ns(uint64_t ns)
{
	sched_sleep_until(time_now_ns() + ns);
}

/* The register is the running thread's copy; the switch saves it into the context. */
void sched_set_tls(void *tls)
{
	arch_set_thread_pointer((uintptr_t)tls);
}

void *sched_get_tls(void)
{
	return (void *)arch_get_thread_pointer();
}

uint64_t sched_switches(void)
{
	unsigned long flags = irq_save();
	uint64_t n = switches;

	irq_restore(flags);
	return n;
}

/* Wait for an interrupt whenever nothing is runnable; run whatever becomes runnable. */
static __noreturn void idle_loop(void)
{
	irq_local_disable();
	for (;;) {
		if (thread_queue_empty(&run_queue)) {
			irq_wait();
			irq_local_enable();
			irq_local_disable();
		}
		if (!thread_queue_empty(&run_queue))
			schedule();
	}
}

/* The boot context's TLS area (other threads' are in their struct's page): errno, little else. */
static char boot_tls[512] __aligned(64);

void sched_init(thread_fn_t main_fn)
{
	/* The register's reset value is UNKNOWN; the boot context's TLS area is a static one. */
	arch_set_thread_pointer(sched_tls_area_init(boot_tls, sizeof(boot_tls)));
	if (!thread_create("main", main_fn, NULL, 0))
		panic("sched: no memory for the thread main\n");
	/* main is on the run queue: idle's first turn switches to it. */
	idle_loop();
}
