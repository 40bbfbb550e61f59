/*
 * Unit tests for sched/queue.c, the FIFO behind the run queue and every wait queue: threads
 * come out in the order they went in, interleaved pushes and pops keep that order, a thread
 * can be queued again once popped (a yield), and an emptied queue is usable again.
 */
#include "host.h"

#include "../../sched/thread.h"

static struct thread threads[8];

static void test_empty(void **state)
{
	struct thread_queue q = { 0 };

	(void)state;
	assert_true(thread_queue_empty(&q));
	assert_null(thread_queue_pop(&q));
	assert_true(thread_queue_empty(&q));
}

static void test_fifo_order(void **state)
{
	struct thread_queue q = { 0 };

	(void)state;
	for (int i = 0; i < 8; i++)
		thread_queue_push(&q, &threads[i]);
	assert_false(thread_queue_empty(&q));
	for (int i = 0; i < 8; i++) {
		struct thread *t = thread_queue_pop(&q);
		assert_ptr_equal(t, &threads[i]);
		assert_null(t->next);
	}
	assert_true(thread_queue_empty(&q));
	assert_null(q.tail);
}

/* The run queue under yields: each popped thread goes back at the tail. */
static void test_round_robin(void **state)
{
	struct thread_queue q = { 0 };
	int order[12];

	(void)state;
	for (int i = 0; i < 3; i++)
		thread_queue_push(&q, &threads[i]);
	for (int n = 0; n < 12; n++) {
		struct thread *t = thread_queue_pop(&q);
		order[n] = (int)(t - threads);
		thread_queue_push(&q, t);
	}
	for (int n = 0; n < 12; n++)
		assert_int_equal(order[n], n % 3);
}

static void test_interleaved(void **state)
{
	struct thread_queue q = { 0 };

	(void)state;
	thread_queue_push(&q, &threads[0]);
	thread_queue_push(&q, &threads[1]);
	assert_ptr_equal(thread_queue_pop(&q), &threads[0]);
	thread_queue_push(&q, &threads[2]);
	assert_ptr_equal(thread_queue_pop(&q), &threads[1]);
	assert_ptr_equal(thread_queue_pop(&q), &threads[2]);
	assert_true(thread_queue_empty(&q));
	/* Emptied, then used again: head and tail were both reset. */
	thread_queue_push(&q, &threads[3]);
	assert_ptr_equal(q.head, &threads[3]);
	assert_ptr_equal(q.tail, &threads[3]);
	assert_ptr_equal(thread_queue_pop(&q), &threads[3]);
	assert_null(q.head);
}

/* Two queues at once (the run queue and a wait queue) do not disturb each other. */
static void test_two_queues(void **state)
{
	struct thread_queue run = { 0 }, wait = { 0 };

	(void)state;
	for (int i = 0; i < 4; i++)
		thread_queue_push(i % 2 ? &wait : &run, &threads[i]);
	assert_ptr_equal(thread_queue_pop(&wait), &threads[1]);
	assert_ptr_equal(thread_queue_pop(&run), &threads[0]);
	/* Moved from one to the other, as a woken waiter is. */
	thread_queue_push(&run, &threads[1]);
	assert_ptr_equal(thread_queue_pop(&run), &threads[2]);
	assert_ptr_equal(thread_queue_pop(&run), &threads[1]);
	assert_ptr_equal(thread_queue_pop(&wait), &threads[3]);
	assert_true(thread_queue_empty(&run) && thread_queue_empty(&wait));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_fifo_order),
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_two_queues),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
