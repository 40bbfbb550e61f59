/*
 * The thread structure and the scheduler's internal interface, shared by the files of
 * sched/ (and the host test of the queues); the rest of Arbor sees only <arbor/sched.h>.
 */
#ifndef SCHED_THREAD_H
#define SCHED_THREAD_H

#include <arbor/sched.h>
#include <arbor/time.h>
#include <arch/context.h>

enum thread_state {
	THREAD_RUNNING,		/* the current thread */
	THREAD_RUNNABLE,	/* on the run queue */
	THREAD_BLOCKED,		/* on a wait queue, asleep, or waiting for a join */
	THREAD_EXITED,		/* waiting for thread_join() to free it */
};

struct thread {
	struct arch_context ctx;	/* first: the switch code saves into it */
	enum thread_state state;
	struct thread *next;		/* on the run queue or a wait queue */
	thread_fn_t fn;
	void *arg;
	int exit_value;
	struct wait_queue joiner;
	void *block;			/* this struct's page, the guard page, the stack */
	unsigned order;			/* of the block */
	bool joined;
	char name[THREAD_NAME_MAX];
};

/*
 * sched/tls.c: the bytes a thread's TLS area needs (thread control block and TLS block,
 * once aligned), and setting one up in [area, area + room): the image copied, .tbss
 * zeroed; returns the thread pointer value. Panics when it does not fit.
 */
size_t sched_tls_area_size(void);
uintptr_t sched_tls_area_init(void *area, size_t room);

/* sched/queue.c: FIFO operations (pure; unit-tested on the host). */
void thread_queue_push(struct thread_queue *q, struct thread *t);
struct thread *thread_queue_pop(struct thread_queue *q);
bool thread_queue_empty(const struct thread_queue *q);

/* sched/sched.c: with interrupts masked. */
void sched_make_runnable(struct thread *t);	/* BLOCKED -> RUNNABLE, queued */
void sched_block(void);				/* current -> BLOCKED, switch away */
void sched_exit_current(void) __noreturn;	/* current -> EXITED, switch away */
void sched_thread_start(void) __noreturn;	/* where a new thread begins (C side) */
void sched_add_new(struct thread *t);

#endif
