/*
 * The benchmark application (make bench; tools/bench.py runs and tabulates it).
 *
 * Every figure is a difference of virtual-counter readings converted to nanoseconds, printed
 * as `bench: <name> <value> <unit>`. Under QEMU's -icount shift=0 one nanosecond of virtual
 * time is one instruction executed (by Arbor and by Xen on its behalf), so the figures are
 * instruction counts and repeat exactly from run to run. The counter ticks at CNTFRQ (62.5 MHz
 * on QEMU's virt machine: one tick per 16 instructions), so whatever is shorter than a few
 * ticks is averaged over many iterations.
 *
 *   boot_to_app_main      head.S's first counter reading to the start of app_main()
 *   boot_phase.<phase>    ... of which each phase of kernel_main() (include/arbor/kernel.h),
 *                         from the end of the one before; boot_phase.to_app_main the rest
 *   sgi_round_trip        irq_send_sgi_self() to the handler and back to the sender, per SGI
 *   sgi_send_to_handler   ... of which: from before the send to the handler's first line
 *   sgi_handler_to_return ... and from the handler's first line back to the sender
 *   timer_busy_*          deadline (its counter tick) to the timer_event function's first
 *                         line, while the CPU spins: the virtual timer fires in hardware
 *   timer_idle_*          the same while the vCPU waits in WFI: Xen has descheduled it and
 *                         wakes it from its own software timer
 *   context_switch        sched_yield() between two threads, per switch
 *   thread_create_join    thread_create() of a thread that returns at once, then its
 *                         thread_join(): two switches, a stack block allocated and freed, its
 *                         guard page unmapped and mapped again
 */
#include <arbor/arch.h>
#include <arbor/format.h>
#include <arbor/irq.h>
#include <arbor/kernel.h>
#include <arbor/page_alloc.h>
#include <arbor/printk.h>
#include <arbor/sched.h>
#include <arbor/time.h>

#define SGI_BENCH        1
#define SGI_WARMUP       16
#define SGI_ROUNDS       4096
#define TIMER_ROUNDS     256
#define TIMER_AHEAD_NS   50000ull	/* each deadline this far after arming it */
#define WAIT_LIMIT_NS    1000000000ull
#define PAGE_ROUNDS      4096
#define YIELD_ROUNDS     4096
#define THREAD_ROUNDS    1024

static uint64_t ticks_ns(uint64_t ticks)
{
	return time_ticks_to_ns(ticks, time_frequency());
}

/* Average of a total of ticks over n, in ns, rounded to the nearest. */
static uint64_t avg_ns(uint64_t ticks, uint64_t n)
{
	return (ticks_ns(ticks) + n / 2) / n;
}

static void report(const char *name, uint64_t value, const char *unit)
{
	printk("bench: %s %llu %s\n", name, (unsigned long long)value, unit);
}

/* ---- interrupt round trip: an SGI to this CPU ---- */

static volatile unsigned sgi_seen;
static volatile uint64_t sgi_counter;	/* arch_counter() at the handler's first line */

static void sgi_handler(unsigned intid, void *arg)
{
	(void)intid;
	(void)arg;
	sgi_counter = arch_counter();
	sgi_seen++;
}

static int bench_sgi(void)
{
	uint64_t to_handler = 0, to_return = 0, start, end;
	int err = irq_register(SGI_BENCH, 0, sgi_handler, NULL);

	if (err) {
		pr_err("bench: irq_register(SGI %d): error %d\n", SGI_BENCH, err);
		return err;
	}
	irq_enable(SGI_BENCH);
	irq_local_enable();
	for (unsigned i = 0; i < SGI_WARMUP; i++) {
		unsigned want = sgi_seen + 1;
		irq_send_sgi_self(SGI_BENCH);
		while (sgi_seen != want)
			;
	}
	/* The whole loop, for the round trip; each iteration's two halves, for the split. */
	start = arch_counter();
	for (unsigned i = 0; i < SGI_ROUNDS; i++) {
		unsigned want = sgi_seen + 1;
		uint64_t before = arch_counter(), after;

		irq_send_sgi_self(SGI_BENCH);
		while (sgi_seen != want)
			;
		after = arch_counter();
		to_handler += sgi_counter - before;
		to_return += after - sgi_counter;
	}
	end = arch_counter();
	irq_local_disable();
	irq_disable(SGI_BENCH);
	irq_unregister(SGI_BENCH);

	report("sgi_round_trip", avg_ns(end - start, SGI_ROUNDS), "ns");
	report("sgi_send_to_handler", avg_ns(to_handler, SGI_ROUNDS), "ns");
	report("sgi_handler_to_return", avg_ns(to_return, SGI_ROUNDS), "ns");
	return 0;
}

/* ---- timer latency: deadline to handler ---- */

struct latency {
	struct timer_event ev;
	volatile bool fired;
	uint64_t counter;		/* arch_counter() at the function's first line */
};

static void latency_fn(struct timer_event *ev, void *arg)
{
	struct latency *l = arg;

	(void)ev;
	l->counter = arch_counter();
	l->fired = true;
}

/*
 * One deadline TIMER_AHEAD_NS ahead; wait for it spinning with interrupts enabled, or in
 * irq_wait() (interrupts masked around the WFI so the wake-up cannot be lost, then unmasked
 * to take it). Returns the latency in counter ticks, or -1 if it never fired.
 */
static int64_t one_deadline(bool idle)
{
	struct latency l = { 0 };
	uint64_t deadline = time_now_ns() + TIMER_AHEAD_NS;
	uint64_t limit = arch_counter() + time_ns_to_ticks_ceil(WAIT_LIMIT_NS, time_frequency());

	timer_event_arm(&l.ev, deadline, latency_fn, &l);
	if (idle) {
		while (!l.fired && arch_counter() < limit) {
			irq_wait();
			irq_local_enable();
			irq_local_disable();
		}
	} else {
		irq_local_enable();
		while (!l.fired && arch_counter() < limit)
			;
		irq_local_disable();
	}
	if (!l.fired) {
		timer_event_cancel(&l.ev);
		return -1;
	}
	return (int64_t)(l.counter - time_deadline_counter(deadline));
}

static int bench_timer(bool idle)
{
	const char *name = idle ? "timer_idle" : "timer_busy";
	uint64_t sum = 0, min = UINT64_MAX, max = 0;

	for (unsigned i = 0; i < TIMER_ROUNDS; i++) {
		int64_t ticks = one_deadline(idle);

		if (ticks < 0) {
			pr_err("bench: %s: a deadline %llu ns ahead did not fire within 1 s\n", name,
			       TIMER_AHEAD_NS);
			return -1;
		}
		sum += (uint64_t)ticks;
		min = MIN(min, (uint64_t)ticks);
		max = MAX(max, (uint64_t)ticks);
	}
	printk("bench: %s_avg %llu ns\n", name, (unsigned long long)avg_ns(sum, TIMER_ROUNDS));
	printk("bench: %s_min %llu ns\n", name, (unsigned long long)ticks_ns(min));
	printk("bench: %s_max %llu ns\n", name, (unsigned long long)ticks_ns(max));
	return 0;
}

/* ---- page allocator: page_alloc + page_free of one block, split and merged each time ---- */

static int bench_page_alloc(unsigned order, const char *name)
{
	uint64_t t0 = arch_counter();
	for (unsigned i = 0; i < PAGE_ROUNDS; i++) {
		void *p = page_alloc(order);
		if (!p) {
			pr_err("bench: page_alloc(%u) failed\n", order);
			return -1;
		}
		page_free(p, order);
	}
	report(name, avg_ns(arch_counter() - t0, PAGE_ROUNDS), "ns");
	return 0;
}

/* ---- scheduler: yield ping-pong, and a thread's whole life ---- */

static int yield_loop(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < YIELD_ROUNDS; i++)
		sched_yield();
	return 0;
}

static int bench_context_switch(void)
{
	struct thread *a = thread_create("yield-a", yield_loop, NULL, 0);
	struct thread *b = thread_create("yield-b", yield_loop, NULL, 0);

	if (!a || !b) {
		pr_err("bench: thread_create failed\n");
		return -1;
	}
	/* The main thread blocks in the first join; from then on a and b alternate. */
	uint64_t switches = sched_switches(), t0 = arch_counter();
	thread_join(a);
	thread_join(b);
	uint64_t ticks = arch_counter() - t0;

	report("context_switch", avg_ns(ticks, sched_switches() - switches), "ns");
	return 0;
}

static int return_zero(void *arg)
{
	(void)arg;
	return 0;
}

static int bench_thread_create_join(void)
{
	uint64_t t0 = arch_counter();

	for (unsigned i = 0; i < THREAD_ROUNDS; i++) {
		struct thread *t = thread_create("short", return_zero, NULL, 0);
		if (!t) {
			pr_err("bench: thread_create failed\n");
			return -1;
		}
		thread_join(t);
	}
	report("thread_create_join", avg_ns(arch_counter() - t0, THREAD_ROUNDS), "ns");
	return 0;
}

/* What each phase of kernel_main() cost (include/arbor/kernel.h), and app_main's own start. */
static void boot_phases(uint64_t now)
{
	uint64_t prev = boot_entry_counter;
	char name[40];

	for (unsigned p = 0; p < BOOT_PHASES; p++) {
		format_buf(name, sizeof(name), "boot_phase.%s", boot_phase_name[p]);
		report(name, ticks_ns(boot_phase_end[p] - prev), "ns");
		prev = boot_phase_end[p];
	}
	report("boot_phase.to_app_main", ticks_ns(now - prev), "ns");
}

int app_main(void)
{
	/* First, before this function's own work shows in the figure. */
	uint64_t now = arch_counter();
	uint64_t boot = now - boot_entry_counter;
	int failed = 0;

	report("boot_to_app_main", ticks_ns(boot), "ns");
	boot_phases(now);
	report("counter_frequency", time_frequency(), "Hz");
	report("counter_tick", ticks_ns(1), "ns");
	failed |= bench_sgi() != 0;
	failed |= bench_timer(false) != 0;
	failed |= bench_timer(true) != 0;
	failed |= bench_page_alloc(0, "page_alloc_free_order0") != 0;
	failed |= bench_page_alloc(4, "page_alloc_free_order4") != 0;
	failed |= bench_context_switch() != 0;
	failed |= bench_thread_create_join() != 0;
	printk("bench: done\n");
	return failed;
}
