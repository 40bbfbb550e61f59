/*
 * Self-tests of threads and scheduling (sched/): creation and join without leaking a page,
 * exit values, round-robin order of yields, sleep accuracy, a mutex under contention,
 * semaphores posted from interrupt handlers (an SGI and a timer event), and the per-thread
 * thread pointer.
 */
#include <arbor/irq.h>
#include <arbor/page_alloc.h>
#include <arbor/printk.h>
#include <arbor/sched.h>
#include <arbor/selftest.h>
#include <arbor/time.h>
#include <arch/context.h>

#define SGI_SEM        12	/* tests/kernel/irq.c uses 1-11 */
#define MANY_THREADS   1000
#define SOAK_THREADS   10000

static int return_arg(void *arg)
{
	return (int)(intptr_t)arg;
}

SELFTEST(sched_create_join_no_leak)
{
	struct page_alloc_stats before, after;
	unsigned wrong = 0, failed = 0;

	/*
	 * A first thread may make the map split the block its stack lands in (its guard page),
	 * and the new table, from the page allocator, stays: count from after it.
	 */
	struct thread *first = thread_create("many", return_arg, NULL, 0);
	if (first)
		thread_join(first);
	int many = (int)selftest_count(MANY_THREADS, SOAK_THREADS);

	page_alloc_get_stats(&before);
	for (int i = 0; i < many; i++) {
		struct thread *t = thread_create("many", return_arg, (void *)(intptr_t)i, 0);
		if (!t) {
			failed++;
			break;
		}
		if (thread_join(t) != i)
			wrong++;
	}
	page_alloc_get_stats(&after);
	EXPECT(failed == 0, "thread_create failed");
	EXPECT(wrong == 0, "%u of %d joins returned another value", wrong, many);
	EXPECT(after.free_pages == before.free_pages,
	       "free pages %llu before %d threads, %llu after", (unsigned long long)before.free_pages,
	       many, (unsigned long long)after.free_pages);
	if (selftest_soak())
		printk("selftest:   soak: threads: %d created and joined, %u failed, %u wrong; free "
		       "%llu -> %llu pages\n", many, failed, wrong,
		       (unsigned long long)before.free_pages, (unsigned long long)after.free_pages);
}

static int exit_early(void *arg)
{
	(void)arg;
	sched_yield();
	thread_exit(42);
}

SELFTEST(sched_join_returns_exit_value)
{
	struct thread *a = thread_create("exit42", exit_early, NULL, 0);
	struct thread *b = thread_create("ret-7", return_arg, (void *)(intptr_t)-7, 8192);

	EXPECT(a && b, "thread_create failed");
	if (!a || !b)
		return;
	EXPECT(thread_join(b) == -7, "a returned -7 came back otherwise");
	EXPECT(thread_join(a) == 42, "thread_exit(42) came back otherwise");
}

static char order_log[16];
static unsigned order_len;

static int log_letter(void *arg)
{
	for (int i = 0; i < 3; i++) {
		order_log[order_len++] = (char)(intptr_t)arg;
		sched_yield();
	}
	return 0;
}

SELFTEST(sched_yield_round_robin)
{
	struct thread *t[3];

	order_len = 0;
	for (int i = 0; i < 3; i++)
		t[i] = thread_create("letter", log_letter, (void *)(intptr_t)('A' + i), 0);
	for (int i = 0; i < 3; i++)
		if (t[i])
			thread_join(t[i]);
	order_log[order_len] = '\0';
	EXPECT(order_len == 9 && !__builtin_strcmp(order_log, "ABCABCABC"),
	       "yields ran the threads in the order '%s', not ABCABCABC", order_log);
}

struct sleeper {
	uint64_t ns;
	uint64_t deadline, woke;
	unsigned order;
};

static unsigned wake_order;

static int sleep_once(void *arg)
{
	struct sleeper *s = arg;

	s->deadline = time_now_ns() + s->ns;
	sched_sleep_until(s->deadline);
	s->woke = time_now_ns();
	s->order = wake_order++;
	return 0;
}

/*
 * Four threads sleeping at once, created longest first, must wake in the order of their
 * deadlines (normally shortest first), never early, and within a tick of their deadlines.
 * Early or out of order fails at once. Late is
 * what a busy host does to QEMU's timer thread now and then (tests/kernel/time.c measured
 * several ms), so, as time_deadline does there, a round with a late sleeper is tried again:
 * SLEEP_GOOD_ROUNDS rounds must be on time within SLEEP_ATTEMPTS; a real fault (a wake-up
 * that waits for some other interrupt) is late every time. One good round is enough to show
 * the wake-up path is on time: with the build machine's two cores busy with other QEMUs
 * (the matrix runs two boots at once; make soak ran beside fuzzing), three good rounds of 30
 * were seen to fail where every round's lateness was the host's (0 of 30 within a tick, the
 * latest 20-60 ms late, while the same boot alone passes every round).
 */
#define SLEEP_GOOD_ROUNDS  1
#define SLEEP_ATTEMPTS     60

SELFTEST(sched_sleep_accuracy)
{
	static const uint64_t lengths[4] = { 20000000, 5000000, 2000000, 300000 };
	unsigned good = 0, attempts = 0;
	uint64_t worst_miss = 0, worst = 0;

	for (; good < SLEEP_GOOD_ROUNDS && attempts < SLEEP_ATTEMPTS; attempts++) {
		struct sleeper s[4];
		struct thread *t[4];
		uint64_t late = 0;

		wake_order = 0;
		for (int i = 0; i < 4; i++) {
			s[i] = (struct sleeper){ .ns = lengths[i] };
			t[i] = thread_create("sleeper", sleep_once, &s[i], 0);
		}
		for (int i = 0; i < 4; i++)
			if (t[i])
				thread_join(t[i]);
		for (int i = 0; i < 4; i++) {
			EXPECT(t[i] && s[i].woke >= s[i].deadline, "a %llu ns sleep woke early",
			       (unsigned long long)s[i].ns);
			/*
			 * Wake order follows the deadlines each sleeper computed when it ran, not
			 * the nominal lengths: a host stall between two threads' starts can put a
			 * shorter sleep's deadline after a longer one's.
			 */
			for (int j = 0; j < 4; j++)
				EXPECT(s[i].deadline >= s[j].deadline || s[i].order < s[j].order,
				       "the sleeper due at %llu woke after the one due at %llu",
				       (unsigned long long)s[i].deadline,
				       (unsigned long long)s[j].deadline);
			if (s[i].woke >= s[i].deadline)
				late = MAX(late, s[i].woke - s[i].deadline);
		}
		if (late < TIME_TICK_NS) {
			good++;
			worst = MAX(worst, late);
		} else {
			worst_miss = MAX(worst_miss, late);
		}
	}
	EXPECT(good == SLEEP_GOOD_ROUNDS, "%u of %u rounds of sleepers woke within a tick; the "
	       "worst was %llu ns late", good, attempts, (unsigned long long)worst_miss);
	pr_info("selftest:   sched: %u rounds of 4 sleepers, %u within a tick, the latest of those "
		"%llu ns after its deadline%s\n", attempts, good, (unsigned long long)worst,
		attempts > good ? "; the others were late on the host" : "");

	uint64_t t0 = time_now_ns();
	sched_sleep_ns(1000000);
	EXPECT(time_now_ns() - t0 >= 1000000, "the main thread's 1 ms sleep returned early");
}

#define MUTEX_THREADS  4
#define MUTEX_ROUNDS   500

static struct mutex counter_lock = MUTEX_INIT;
static unsigned counter;
static unsigned inside;		/* threads in the critical section: must stay 0 or 1 */
static unsigned overlap;

static int increment(void *arg)
{
	(void)arg;
	for (int i = 0; i < MUTEX_ROUNDS; i++) {
		mutex_lock(&counter_lock);
		if (inside++)
			overlap++;
		unsigned c = counter;
		sched_yield();		/* let the others contend while the lock is held */
		counter = c + 1;
		inside--;
		mutex_unlock(&counter_lock);
		if (i % 3 == 0)
			sched_yield();
	}
	return 0;
}

SELFTEST(sched_mutex_contention)
{
	struct thread *t[MUTEX_THREADS];

	counter = 0;
	overlap = 0;
	for (int i = 0; i < MUTEX_THREADS; i++)
		t[i] = thread_create("incr", increment, NULL, 0);
	for (int i = 0; i < MUTEX_THREADS; i++)
		if (t[i])
			thread_join(t[i]);
	EXPECT(counter == MUTEX_THREADS * MUTEX_ROUNDS, "the counter is %u, not %u", counter,
	       MUTEX_THREADS * MUTEX_ROUNDS);
	EXPECT(overlap == 0, "%u times two threads held the mutex", overlap);
}

static struct semaphore irq_sem = SEMAPHORE_INIT(0);

static void sem_from_irq(unsigned intid, void *arg)
{
	(void)intid;
	sem_up(arg);
}

static void sem_from_timer(struct timer_event *ev, void *arg)
{
	(void)ev;
	sem_up(arg);
}

static int wait_sem(void *arg)
{
	sem_down(arg);
	return 1;
}

SELFTEST(sched_semaphore_from_interrupts)
{
	int err = irq_register(SGI_SEM, 0, sem_from_irq, &irq_sem);

	EXPECT(err == 0, "irq_register(SGI %u) returned %d", SGI_SEM, err);
	if (err)
		return;
	irq_enable(SGI_SEM);

	/* The waiter blocks first; the SGI, taken while the main thread waits, wakes it. */
	struct thread *t = thread_create("sem-sgi", wait_sem, &irq_sem, 0);
	sched_yield();
	irq_send_sgi_self(SGI_SEM);
	EXPECT(t && thread_join(t) == 1, "the SGI's sem_up did not release the waiter");

	/* A timer event posts it before anyone waits: the count carries it. */
	struct timer_event ev = { 0 };
	timer_event_arm(&ev, time_now_ns() + 100000, sem_from_timer, &irq_sem);
	sched_sleep_ns(500000);
	/*
	 * The fact, not a timing: once the event has fired, its post is in the count, so
	 * sem_down takes it without blocking. (Timing sem_down against a tick failed on a
	 * loaded host, which can stop the vCPU between two clock readings.) The sleep alone
	 * does not prove it fired: the clock can pass both deadlines before the interrupt
	 * arrives (QEMU's timer thread runs when the host schedules it; a stall right after
	 * the sleep computed its deadline skips the wait): seen in 2 of 71 boots of one
	 * matrix run. So it waits for the event itself, a millisecond at a time, up to 2 s.
	 */
	for (unsigned ms = 0; ev.armed && ms < 2000; ms++)
		sched_sleep_ns(1000000);
	EXPECT(!ev.armed && ev.fired_ns, "the timer event due 100 us ahead had not fired 2 s "
	       "later");
	EXPECT(irq_sem.count == 1, "the semaphore's count is %u after the timer's post, not 1",
	       irq_sem.count);
	sem_down(&irq_sem);
	EXPECT(irq_sem.count == 0, "sem_down left the count at %u", irq_sem.count);

	/* And a timer event wakes the main thread itself out of sem_down. */
	timer_event_arm(&ev, time_now_ns() + 200000, sem_from_timer, &irq_sem);
	sem_down(&irq_sem);
	EXPECT(!ev.armed && ev.fired_ns, "sem_down returned before the timer event fired");

	irq_disable(SGI_SEM);
	irq_unregister(SGI_SEM);
}

static int check_tls(void *arg)
{
	int bad = 0;

	sched_set_tls(arg);
	for (int i = 0; i < 4; i++) {
		sched_yield();
		if (sched_get_tls() != arg || arch_get_thread_pointer() != (uintptr_t)arg)
			bad++;
	}
	return bad;
}

SELFTEST(sched_tls_per_thread)
{
	static int a, b;
	void *mine = sched_get_tls();
	struct thread *ta = thread_create("tls-a", check_tls, &a, 0);
	struct thread *tb = thread_create("tls-b", check_tls, &b, 0);

	EXPECT(ta && tb, "thread_create failed");
	if (!ta || !tb)
		return;
	EXPECT(thread_join(ta) == 0, "thread A saw another thread's pointer");
	EXPECT(thread_join(tb) == 0, "thread B saw another thread's pointer");
	EXPECT(sched_get_tls() == mine && arch_get_thread_pointer() == (uintptr_t)mine,
	       "the main thread's pointer changed");
}
