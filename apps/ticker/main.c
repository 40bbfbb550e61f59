/*
 * Several threads that sleep and print: each ticks TICKS times at its own period, on
 * deadlines (sched_sleep_until) so that its ticks do not drift, and prints how late each
 * tick was. The main thread joins them all and prints a total; the domain then powers off.
 * Between ticks every thread is asleep and the vCPU waits in WFI.
 */
#include <stdio.h>
#include <time.h>

#include <arbor/kernel.h>
#include <arbor/sched.h>
#include <arbor/time.h>

#define TICKS  5

struct ticker {
	const char *name;
	uint64_t period_ns;
	unsigned late;		/* ticks more than TIME_TICK_NS after their deadline */
};

static int tick(void *arg)
{
	struct ticker *t = arg;
	uint64_t start = time_now_ns();

	for (unsigned i = 1; i <= TICKS; i++) {
		uint64_t deadline = start + i * t->period_ns;

		sched_sleep_until(deadline);
		uint64_t now = time_now_ns();
		if (now - deadline > TIME_TICK_NS)
			t->late++;
		printf("ticker: %-6s tick %u/%u at %4llu ms\n", t->name, i, TICKS,
		       (unsigned long long)(now / 1000000));
	}
	return 0;
}

int app_main(void)
{
	static struct ticker tickers[] = {
		{ "fast", 100000000ull, 0 },
		{ "medium", 170000000ull, 0 },
		{ "slow", 250000000ull, 0 },
	};
	struct thread *threads[3];
	unsigned late = 0, n = sizeof(tickers) / sizeof(tickers[0]);

	for (unsigned i = 0; i < n; i++) {
		threads[i] = thread_create(tickers[i].name, tick, &tickers[i], 0);
		if (!threads[i]) {
			printf("ticker: cannot create thread %s\n", tickers[i].name);
			return 1;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		thread_join(threads[i]);
		late += tickers[i].late;
	}
	printf("ticker: %u threads, %u ticks, %u late by more than %llu us\n", n, n * TICKS, late,
	       TIME_TICK_NS / 1000);
	return 0;
}
