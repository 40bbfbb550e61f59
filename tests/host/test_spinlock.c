/*
 * Unit tests for include/arbor/spinlock.h, on the host's own atomics: a lock is taken once
 * and refused while held; threads that each add to a plain counter under the lock lose no
 * update; spin_lock_irqsave() masks interrupts (the fake arch's mask) and
 * spin_unlock_irqrestore() puts back the mask it found, nested or not.
 */
#include <pthread.h>

#include "host.h"

#include <arbor/spinlock.h>

bool fake_irq_masked;

static void test_trylock(void **state)
{
	struct spinlock l = SPINLOCK_INIT;

	(void)state;
	assert_false(spin_is_locked(&l));
	assert_true(spin_trylock(&l));
	assert_true(spin_is_locked(&l));
	assert_false(spin_trylock(&l));
	spin_unlock(&l);
	assert_false(spin_is_locked(&l));
	assert_true(spin_trylock(&l));
	spin_unlock(&l);
}

#define THREADS  4
#define ROUNDS   200000

static struct spinlock counter_lock = SPINLOCK_INIT;
static volatile unsigned long counter;	/* a plain read-modify-write, racy without the lock */

static void *add(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		spin_lock(&counter_lock);
		counter = counter + 1;
		spin_unlock(&counter_lock);
	}
	return NULL;
}

static void test_no_lost_update(void **state)
{
	pthread_t t[THREADS];

	(void)state;
	counter = 0;
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, add, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(counter, (unsigned long)THREADS * ROUNDS);
	assert_false(spin_is_locked(&counter_lock));
}

static void test_irqsave_restores(void **state)
{
	struct spinlock a = SPINLOCK_INIT, b = SPINLOCK_INIT;

	(void)state;
	fake_irq_masked = false;
	unsigned long fa = spin_lock_irqsave(&a);
	assert_true(fake_irq_masked);
	unsigned long fb = spin_lock_irqsave(&b);	/* nested: found them masked */
	assert_true(fake_irq_masked);
	spin_unlock_irqrestore(&b, fb);
	assert_true(fake_irq_masked);			/* still inside a */
	assert_false(spin_is_locked(&b));
	spin_unlock_irqrestore(&a, fa);
	assert_false(fake_irq_masked);
	assert_false(spin_is_locked(&a));

	fake_irq_masked = true;			/* taken with interrupts already masked */
	fa = spin_lock_irqsave(&a);
	spin_unlock_irqrestore(&a, fa);
	assert_true(fake_irq_masked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trylock),
		cmocka_unit_test(test_no_lost_update),
		cmocka_unit_test(test_irqsave_restores),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
