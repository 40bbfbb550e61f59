/*
 * Interrupts: one API over the GICv2 and GICv3 drivers (irq/), chosen from the platform
 * description. INTIDs are the GIC's: SGI 0-15, PPI 16-31, SPI 32-1019.
 *
 * Handlers run in the IRQ exception with interrupts masked, one at a time; irq_handle()
 * acknowledges, dispatches and ends each interrupt, and loops until the GIC reports none
 * pending (a spurious INTID, 1020-1023), which is then ignored.
 */
#ifndef ARBOR_IRQ_H
#define ARBOR_IRQ_H

#include <arbor/irqflags.h>	/* irq_save() and the like, the architecture's */
#include <arbor/platform.h>
#include <arbor/types.h>

#define IRQ_SGI_COUNT       16
#define IRQ_PPI_BASE        16
#define IRQ_SPI_BASE        32
#define IRQ_SPURIOUS_FIRST  1020

/* Priorities: lower numbers are more urgent (GIC architecture spec, 4.8). */
#define IRQ_PRIO_HIGH       0x40
#define IRQ_PRIO_DEFAULT    0xa0

typedef void (*irq_handler_t)(unsigned intid, void *arg);

/*
 * Set up the GIC the platform describes (mapping its registers as device memory) and this
 * CPU's interface; interrupts stay masked at the CPU. 0, or a negative error after a message.
 */
int irq_init(const struct platform *plat);

/* "GICv2" / "GICv3", and the number of INTIDs the distributor implements. */
const char *irq_controller_name(void);
unsigned irq_lines(void);

/*
 * Route intid to fn(intid, arg), with the trigger of a DT specifier's flags (IRQ_TYPE_*;
 * SGIs are always edge, and a PPI/SPI with flags 0 keeps its reset configuration) and the
 * default priority; the interrupt stays disabled until irq_enable(). -EINVAL for an INTID
 * the GIC does not have, -EBUSY when it already has a handler.
 */
int irq_register(unsigned intid, uint32_t dt_flags, irq_handler_t fn, void *arg);
void irq_unregister(unsigned intid);

void irq_enable(unsigned intid);
void irq_disable(unsigned intid);
void irq_set_priority(unsigned intid, uint8_t priority);

/* Whether intid is pending at the GIC (for tests and diagnostics). */
bool irq_is_pending(unsigned intid);

/* Send SGI intid (0-15) to the calling CPU. */
void irq_send_sgi_self(unsigned intid);

/*
 * The start of a CPU's per-CPU struct (the per-CPU pointer, <arch/smp.h>), as irq/ reads it:
 * when handle is set, irq_handle() on that CPU calls it instead of dispatching through the
 * handler table, which is the boot CPU's (smp/ sets it for the secondaries).
 */
struct irq_percpu {
	void (*handle)(struct irq_percpu *self);
};

/* Called by the architecture's IRQ vector. */
void irq_handle(void);

/* How many interrupts were dispatched, and spurious INTIDs seen, since boot. */
uint64_t irq_count(void);
uint64_t irq_spurious_count(void);

/* Wait for an interrupt (WFI); returns after one was taken or with IRQs masked, pending. */
void irq_wait(void);

#endif
