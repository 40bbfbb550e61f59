/*
 * The clock and one-shot deadlines (include/arbor/time.h).
 *
 * The clock is the generic timer's virtual counter, counted from time_init() and converted
 * to nanoseconds (time/convert.c). It is the virtual one because that is the counter a guest
 * owns: Xen offsets it for the domain and lets the guest program the matching virtual timer
 * (CNTV_CVAL, CNTV_CTL) without trapping, while the physical timer is emulated.
 *
 * Deadlines are a list of timer_events, earliest first, of which only the head is in the
 * hardware: CNTV_CVAL holds its counter value and CNTV_CTL has ENABLE set and IMASK clear.
 * The timer's interrupt (the DT's virtual timer PPI) runs every event that is due,
 * reprograms CVAL for the next one, and masks the timer when none is left. The list is only
 * touched with interrupts masked (irq_save), so arming and cancelling are safe against the
 * handler. On a single CPU that is all the locking there is to do.
 *
 * Xen's vtimer handling sets IMASK itself when the timer fires while the guest runs (so that
 * the level-triggered physical interrupt stops while the guest handles the virtual one);
 * every reprogramming therefore writes CNTV_CTL whole, clearing IMASK again.
 */
#include <errno.h>

#include <arbor/irq.h>
#include <arbor/printk.h>
#include <arbor/time.h>
#include <arch/timer.h>

static uint64_t freq;			/* Hz; 0 until time_init() */
static const char *freq_source = "none";
static uint64_t start;			/* the counter at time_init() */

static struct timer_event *armed;	/* earliest first */
static uint64_t interrupts;

uint64_t time_frequency(void)
{
	return freq;
}

const char *time_frequency_source(void)
{
	return freq_source;
}

uint64_t time_now_ns(void)
{
	if (!freq)
		return 0;
	return time_ticks_to_ns(arch_cntvct() - start, freq);
}

uint64_t time_deadline_counter(uint64_t ns)
{
	return start + time_ns_to_ticks_ceil(ns, freq);
}

/* Two words on arm32: read with the handler held off. */
uint64_t time_interrupts(void)
{
	unsigned long flags = irq_save();
	uint64_t n = interrupts;

	irq_restore(flags);
	return n;
}

/* Put the list's head in the hardware, or mask the timer when the list is empty. */
static void program(void)
{
	if (!armed) {
		arch_cntv_ctl_write(CNTV_CTL_IMASK);
		return;
	}
	arch_cntv_cval_write(time_deadline_counter(armed->deadline_ns));
	arch_cntv_ctl_write(CNTV_CTL_ENABLE);
}

/* Take ev off the list (interrupts masked); it must be on it. */
static void unlink(struct timer_event *ev)
{
	struct timer_event **p = &armed;

	while (*p != ev)
		p = &(*p)->next;
	*p = ev->next;
	ev->next = NULL;
	ev->armed = false;
}

void timer_event_arm(struct timer_event *ev, uint64_t deadline_ns, timer_fn_t fn, void *arg)
{
	unsigned long flags = irq_save();
	struct timer_event **p = &armed;

	if (ev->armed)
		unlink(ev);
	ev->deadline_ns = deadline_ns;
	ev->fn = fn;
	ev->arg = arg;
	ev->fired_ns = 0;
	/* After every event with the same deadline: those due together run in arming order. */
	while (*p && (*p)->deadline_ns <= deadline_ns)
		p = &(*p)->next;
	ev->next = *p;
	*p = ev;
	ev->armed = true;
	if (armed == ev)
		program();
	irq_restore(flags);
}

bool timer_event_cancel(struct timer_event *ev)
{
	unsigned long flags = irq_save();
	bool was_armed = ev->armed;

	if (was_armed) {
		bool was_first = armed == ev;

		unlink(ev);
		if (was_first)
			program();
	}
	irq_restore(flags);
	return was_armed;
}

/*
 * The virtual timer's interrupt. An event is due when time_now_ns() has reached its deadline,
 * which is the same as the counter having reached time_deadline_counter(deadline): the
 * deadline's ticks are rounded up and the clock's nanoseconds down. A handler may arm events
 * (itself included) that are already due; the loop runs them too before returning, rather
 * than leave them to another interrupt.
 */
static void timer_interrupt(unsigned intid, void *arg)
{
	(void)intid;
	(void)arg;
	interrupts++;
	for (;;) {
		uint64_t now = time_now_ns();

		while (armed && armed->deadline_ns <= now) {
			struct timer_event *ev = armed;

			armed = ev->next;
			ev->next = NULL;
			ev->armed = false;
			ev->fired_ns = time_now_ns();
			ev->fn(ev, ev->arg);
		}
		program();
		if (!armed || armed->deadline_ns > time_now_ns())
			return;
	}
}

static const char *trigger_name(uint32_t flags)
{
	switch (flags) {
	case 0: return "reset trigger";
	case IRQ_TYPE_EDGE_RISING: return "edge-rising";
	case IRQ_TYPE_EDGE_FALLING: return "edge-falling";
	case IRQ_TYPE_LEVEL_HIGH: return "level-high";
	case IRQ_TYPE_LEVEL_LOW: return "level-low";
	default: return "mixed trigger flags";
	}
}

int time_init(const struct platform *plat)
{
	const struct plat_irq *virt = &plat->timer.virt;
	unsigned long cntfrq = arch_cntfrq();
	unsigned intid = virt->intid;
	int err;

	if (plat->timer.clock_frequency) {
		freq = plat->timer.clock_frequency;
		freq_source = "clock-frequency";
	} else {
		freq = cntfrq;
		freq_source = "CNTFRQ";
	}
	if (!freq) {
		pr_err("time: CNTFRQ is 0 and the DT's timer node has no clock-frequency\n");
		return -ENODEV;
	}
	start = arch_cntvct();
	arch_cntv_ctl_write(CNTV_CTL_IMASK);

	if (!plat->timer.present || !virt->present) {
		pr_err("time: the DT describes no virtual timer interrupt; deadlines cannot fire\n");
		return -ENODEV;
	}
	err = irq_register(intid, virt->flags, timer_interrupt, NULL);
	if (err) {
		pr_err("time: irq_register(%u) for the virtual timer: error %d\n", intid, err);
		return err;
	}
	irq_enable(intid);
	if (freq != cntfrq)
		pr_info("time: counter %llu Hz from %s (CNTFRQ says %lu), virtual timer INTID %u %s\n",
			(unsigned long long)freq, freq_source, cntfrq, intid, trigger_name(virt->flags));
	else
		pr_info("time: counter %llu Hz from %s, virtual timer INTID %u %s\n",
			(unsigned long long)freq, freq_source, intid, trigger_name(virt->flags));
	return 0;
}
