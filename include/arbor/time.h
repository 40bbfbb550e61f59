/*
 * Time: the Arm generic timer's virtual counter as a monotonic clock, and one-shot deadlines
 * on the virtual timer (time/).
 *
 * The counter's frequency is CNTFRQ, unless the DT's timer node gives clock-frequency. The
 * clock counts nanoseconds since boot in 64 bits: it does not overflow for over 500 years,
 * and conversions keep full precision for any frequency from 1 MHz to 1 GHz. A deadline is
 * never early: nanoseconds are rounded up to the next counter tick.
 */
#ifndef ARBOR_TIME_H
#define ARBOR_TIME_H

#include <arbor/platform.h>
#include <arbor/types.h>

#define NSEC_PER_SEC  1000000000ull

/*
 * Start the clock from the platform's timer description and route the virtual timer's
 * interrupt (its INTID and trigger flags from the DT) through irq/. 0, or a negative error
 * after a message.
 */
int time_init(const struct platform *plat);

/* Counter frequency in Hz and where it came from ("CNTFRQ" or "clock-frequency"). */
uint64_t time_frequency(void);
const char *time_frequency_source(void);

/* Nanoseconds since time_init(). */
uint64_t time_now_ns(void);

/* Conversions at a given frequency (pure: unit-tested on the host). */
uint64_t time_ticks_to_ns(uint64_t ticks, uint64_t freq);
uint64_t time_ns_to_ticks_ceil(uint64_t ns, uint64_t freq);

/*
 * A one-shot timer event. Arm it with a deadline in time_now_ns() nanoseconds; its function
 * runs once, in the timer interrupt with interrupts masked, at or after the deadline. Events
 * due together run in deadline order (then arming order). The struct belongs to the caller
 * and must stay valid while armed.
 */
struct timer_event;
typedef void (*timer_fn_t)(struct timer_event *ev, void *arg);

struct timer_event {
	uint64_t deadline_ns;
	timer_fn_t fn;
	void *arg;
	struct timer_event *next;	/* in the armed list, earliest first */
	bool armed;
	uint64_t fired_ns;		/* time_now_ns() when fn was called (for tests) */
};

void timer_event_arm(struct timer_event *ev, uint64_t deadline_ns, timer_fn_t fn, void *arg);

/* Disarm; returns whether it was still armed. */
bool timer_event_cancel(struct timer_event *ev);

/* How many timer interrupts have been taken. */
uint64_t time_interrupts(void);

#endif
