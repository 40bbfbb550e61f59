/*
 * The FIFO that is both the run queue and every wait queue: threads linked through their
 * own next field, so queueing never allocates. A thread is on at most one queue at a time.
 */
#include "thread.h"

void thread_queue_push(struct thread_queue *q, struct thread *t)
{
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

struct thread *thread_queue_pop(struct thread_queue *q)
{
	struct thread *t = q->head;

	if (t) {
		q->head = t->next;
		if (!q->head)
			q->tail = NULL;
		t->next = NULL;
	}
	return t;
}

bool thread_queue_empty(const struct thread_queue *q)
{
	return q->head == NULL;
}
