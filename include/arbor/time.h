/*
 * Time: the Arm generic timer's virtual counter as a monotonic clock, and one-shot deadlines
 * on the virtual timer (time/).
 *
 * The counter's frequency is CNTFRQ, unless the DT's timer node gives clock-frequency. The
 * clock counts nanoseconds since boot in 64 bits: it does not overflow for over 500 years,
 * and conversions keep full precision for any frequency from 1 MHz to 1 GHz (in fact for any
 * that fits CNTFRQ's 32 bits). A deadline is never early: nanoseconds are rounded up to the
 * next counter tick.
 */
#ifndef ARBOR_TIME_H
#define ARBOR_TIME_H

#include <arbor/platform.h>
#include <arbor/types.h>

#define NSEC_PER_SEC  1000000000ull

/*
 * How late a deadline may fire and still count as on time: one tick of Linux's HZ=1000,
 * 1 ms. What lies between the deadline and its handler is Xen's injection of the virtual
 * timer interrupt (Xen's own timers allow 50 us of slop, timer_slop, when the vCPU is not
 * running), any time Xen runs another vCPU instead (steal time), and, under QEMU, the
 * emulation's timer latency. The self-tests hold deadlines to this, steal time apart
 * (tests/kernel/time.c); measured under -icount it is 1-9 us (make bench).
 */
#define TIME_TICK_NS  1000000ull

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

/*
 * Conversions at a given frequency (pure: unit-tested on the host). ticks_to_ns rounds down,
 * ns_to_ticks_ceil up, so a tick count converted from a deadline is never before it. Exact
 * for 100 years' worth at any frequency up to 2^32 - 1 Hz; freq must not be 0.
 */
uint64_t time_ticks_to_ns(uint64_t ticks, uint64_t freq);
uint64_t time_ns_to_ticks_ceil(uint64_t ns, uint64_t freq);

/*
 * The virtual counter's value at which time_now_ns() reaches ns: where a deadline of ns is
 * programmed (CNTV_CVAL). For measurements against arch_counter().
 */
uint64_t time_deadline_counter(uint64_t ns);

/*
 * The virtual counter as boot/<arch>/head.S read it on entry, before anything else ran (for
 * the boot-time benchmark: arch_counter() minus this is the time since Xen entered Arbor).
 */
extern uint64_t boot_entry_counter;

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
