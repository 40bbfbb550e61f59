/*
 * Threads and cooperative scheduling (sched/).
 *
 * One CPU, one run queue, first in first out. A thread runs until it yields, blocks (on a
 * wait queue, a mutex, a semaphore, a sleep or a join) or exits; nothing preempts it. An
 * interrupt handler may wake a thread (sem_up, wait_queue_wake_*): that only marks it
 * runnable, and it runs when the current thread next yields or blocks. The run queue and
 * every wait queue are touched only with interrupts masked (irq_save).
 *
 * sched_init() starts the first thread, "main", and turns kernel_main, on the boot stack,
 * into the idle thread, which runs when nothing else can and waits in WFI until an interrupt
 * (a deadline, an event channel) makes something runnable, so an idle Arbor uses no host CPU.
 *
 * Every thread's stack, main's included, comes from the page allocator with one unmapped
 * guard page under it, so an overflow faults instead of overwriting memory (idle keeps the
 * boot stack, which has none). A new thread starts with interrupts masked, as kernel_main
 * runs; each thread's mask is its own and survives its switches.
 *
 * Threads only: an interrupt handler may call sem_up() and wait_queue_wake_*(), never
 * anything that blocks (sem_down, mutex_lock, sleeps, joins, yields).
 */
#ifndef ARBOR_SCHED_H
#define ARBOR_SCHED_H

#include <arbor/types.h>

#define THREAD_STACK_DEFAULT  (16 * 1024)
#define THREAD_NAME_MAX       16

struct thread;
typedef int (*thread_fn_t)(void *arg);

/* A FIFO of threads, linked through the threads themselves (sched/queue.c). */
struct thread_queue {
	struct thread *head, *tail;
};

/*
 * Start the thread "main" running main_fn(NULL) on a THREAD_STACK_DEFAULT stack, and turn the
 * caller into the idle thread, which switches to main at once; once, at boot, with the page
 * allocator running. Panics when there is no memory for main.
 */
void sched_init(thread_fn_t main_fn) __noreturn;

/*
 * A new runnable thread running fn(arg) on a stack of at least stack_size bytes (0 for
 * THREAD_STACK_DEFAULT); returning from fn is thread_exit(its value). NULL when memory
 * runs out. The creator must thread_join() it.
 */
struct thread *thread_create(const char *name, thread_fn_t fn, void *arg, size_t stack_size);

/* End the calling thread with value (for thread_join). */
void thread_exit(int value) __noreturn;

/* Wait for t to exit, free its stack and return its exit value. Once per thread. */
int thread_join(struct thread *t);

struct thread *thread_current(void);
const char *thread_name(const struct thread *t);

/* Let every other runnable thread run once before the caller continues. */
void sched_yield(void);

/* Block until time_now_ns() has reached deadline_ns (never earlier) / for ns. */
void sched_sleep_until(uint64_t deadline_ns);
void sched_sleep_ns(uint64_t ns);

/*
 * The calling thread's TLS pointer: kept per thread, in the thread register (TPIDR_EL0 on
 * arm64, TPIDRURO on arm32, which is where the compilers read the thread pointer). Every
 * thread starts with it pointing at its own copy of the image's TLS (__thread variables,
 * such as picolibc's errno; sched/tls.c); setting another value hides those from it.
 */
void sched_set_tls(void *tls);
void *sched_get_tls(void);

/*
 * The current thread's name when addr lies in its stack's guard page, NULL otherwise: for
 * the exception report to say that a fault is a stack overflow, and whose.
 */
const char *sched_guard_page_owner(uintptr_t addr);

/* Context switches since boot (for tests and benchmarks). */
uint64_t sched_switches(void);

/* ---- wait queues, mutexes, semaphores (sched/sync.c) ---- */

struct wait_queue {
	struct thread_queue waiters;
};

#define WAIT_QUEUE_INIT  { { NULL, NULL } }

/*
 * Block on wq until woken. The caller holds interrupts masked (irq_save) from its check of
 * the condition it waits for to this call, so a wake-up in between cannot be lost; they are
 * masked again on return.
 */
void wait_queue_wait_locked(struct wait_queue *wq);

/* Make the first / every waiter runnable; usable from interrupt handlers. Whether one was. */
bool wait_queue_wake_one(struct wait_queue *wq);
unsigned wait_queue_wake_all(struct wait_queue *wq);

/* A sleeping lock; the unlocker hands it to the first waiter, so waiters get it in order. */
struct mutex {
	struct thread *owner;
	struct wait_queue waiters;
};

#define MUTEX_INIT  { NULL, WAIT_QUEUE_INIT }

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);

/* A counting semaphore; sem_up may be called from an interrupt handler. */
struct semaphore {
	unsigned count;
	struct wait_queue waiters;
};

#define SEMAPHORE_INIT(n)  { (n), WAIT_QUEUE_INIT }

void sem_down(struct semaphore *s);
void sem_up(struct semaphore *s);

#endif
