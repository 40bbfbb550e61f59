/*
 * Interrupts (include/arbor/irq.h): the handler table, dispatch, trigger configuration from
 * DT flags, and CPU-level masking, over the GIC driver the platform description names
 * (irq/gicv2.c or irq/gicv3.c, through struct gic_ops in include/arbor/gic.h).
 *
 * The table, from the page allocator, has a slot for every INTID below irq_lines(), the count
 * GICD_TYPER.ITLinesNumber gives, and accepts only those. irq_handle() runs in the IRQ exception with IRQs masked: it acknowledges, dispatches
 * and ends one interrupt after another until the GIC answers with a special INTID (1020-1023,
 * normally 1023, "nothing pending"), which acknowledged nothing and is not ended. An INTID
 * nobody registered is reported once, disabled, and ended, so that it cannot storm.
 *
 * Nothing here knows the architecture: the I bit and WFI come from <arch/irq.h>.
 */
#include <errno.h>

#include <arbor/gic.h>
#include <arbor/irq.h>
#include <arbor/page_alloc.h>
#include <arbor/printk.h>
#include <arch/irq.h>
#include <arch/smp.h>

struct irq_slot {
	irq_handler_t fn;
	void *arg;
};

static const struct gic_ops *gic;
static struct gic_info info;
/* info.lines entries from the page allocator (irq_init): every use checks valid(). */
static struct irq_slot *slots;
static unsigned slot_count;
static uint32_t reported[(GIC_MAX_LINES + 31) / 32];	/* unhandled INTIDs already warned about */
static uint64_t dispatched, spurious;

int irq_init(const struct platform *plat)
{
	const struct gic_ops *ops;
	struct gic_info found = { 0 };

	/*
	 * No per-CPU struct yet (TPIDR_EL1 / TPIDRPRW reset to an UNKNOWN value): irq_handle()
	 * below takes a null one as the boot CPU's ordinary path. smp/ sets it.
	 */
	arch_set_this_cpu(NULL);

	switch (plat->gic.version) {
	case 2:
		ops = &gicv2_ops;
		break;
	case 3:
		ops = &gicv3_ops;
		break;
	default:
		pr_err("irq: the device tree describes no GIC Arbor can drive\n");
		return -ENODEV;
	}
	int err = ops->init(plat, &found);
	if (err)
		return err;
	if (found.lines > slot_count) {
		slots = page_alloc_table(found.lines * sizeof(*slots), "the interrupt handler table");
		slot_count = found.lines;
	}
	info = found;
	gic = ops;

	if (info.version == 3)
		pr_info("irq: %s, %u lines, distributor 0x%llx, redistributor 0x%llx for MPIDR 0x%llx\n",
			gic->name, info.lines, (unsigned long long)info.dist,
			(unsigned long long)info.redist, (unsigned long long)info.mpidr);
	else
		pr_info("irq: %s, %u lines, distributor 0x%llx, CPU interface 0x%llx\n", gic->name,
			info.lines, (unsigned long long)info.dist, (unsigned long long)info.cpu);
	return 0;
}

const struct gic_ops *gic_driver(void)
{
	return gic;
}

const struct gic_info *gic_info(void)
{
	return gic ? &info : NULL;
}

const char *irq_controller_name(void)
{
	return gic ? gic->name : "none";
}

unsigned irq_lines(void)
{
	return gic ? info.lines : 0;
}

static bool valid(unsigned intid)
{
	return gic && intid < info.lines;
}

int irq_register(unsigned intid, uint32_t dt_flags, irq_handler_t fn, void *arg)
{
	if (!valid(intid) || !fn)
		return -EINVAL;

	unsigned long flags = irq_save();
	if (slots[intid].fn) {
		irq_restore(flags);
		return -EBUSY;
	}
	/* Changing the trigger of an enabled interrupt is UNPREDICTABLE (GICD_ICFGR). */
	gic->disable(intid);
	if (intid >= IRQ_SGI_COUNT) {
		enum gic_trigger t = gic_trigger_from_dt(dt_flags);
		if (t != GIC_TRIGGER_KEEP)
			gic->set_edge(intid, t == GIC_TRIGGER_EDGE);
	}
	gic->set_priority(intid, IRQ_PRIO_DEFAULT);
	if (intid >= IRQ_SPI_BASE)
		gic->route_here(intid);
	slots[intid] = (struct irq_slot){ fn, arg };
	reported[intid / 32] &= ~(1u << (intid % 32));
	irq_restore(flags);
	return 0;
}

void irq_unregister(unsigned intid)
{
	if (!valid(intid))
		return;
	unsigned long flags = irq_save();
	gic->disable(intid);
	slots[intid] = (struct irq_slot){ NULL, NULL };
	irq_restore(flags);
}

void irq_enable(unsigned intid)
{
	if (valid(intid))
		gic->enable(intid);
}

void irq_disable(unsigned intid)
{
	if (valid(intid))
		gic->disable(intid);
}

void irq_set_priority(unsigned intid, uint8_t priority)
{
	if (!valid(intid))
		return;
	unsigned long flags = irq_save();	/* read-modify-write of a shared word */
	gic->set_priority(intid, priority);
	irq_restore(flags);
}

bool irq_is_pending(unsigned intid)
{
	return valid(intid) && gic->pending(intid);
}

void irq_send_sgi_self(unsigned intid)
{
	if (gic && intid < IRQ_SGI_COUNT)
		gic->send_sgi_self(intid);
}

static void dispatch(unsigned intid)
{
	if (intid < info.lines && slots[intid].fn) {
		dispatched++;
		slots[intid].fn(intid, slots[intid].arg);
		return;
	}
	/* LPIs and extended INTIDs are never enabled by Arbor: they have no slot to mark. */
	if (intid >= info.lines) {
		pr_warn("irq: INTID %u acknowledged, beyond the %u lines Arbor handles\n", intid,
			info.lines);
		return;
	}
	if (!(reported[intid / 32] & (1u << (intid % 32)))) {
		reported[intid / 32] |= 1u << (intid % 32);
		pr_warn("irq: INTID %u has no handler; disabling it\n", intid);
	}
	gic->disable(intid);
}

void irq_handle(void)
{
	struct irq_percpu *cpu = arch_this_cpu();

	if (!gic)
		return;
	/* A secondary CPU (smp/) has its own path: this table is the boot CPU's. */
	if (cpu && cpu->handle) {
		cpu->handle(cpu);
		return;
	}
	for (bool first = true;; first = false) {
		uint32_t iar = gic->ack();
		unsigned intid = iar & gic->intid_mask;

		if (gic_intid_is_special(intid)) {
			/* The loop's normal end, or, first time round, an interrupt withdrawn. */
			if (first)
				spurious++;
			return;
		}
		dispatch(intid);
		gic->eoi(iar);
	}
}

/* 64-bit counters are two words on arm32: read them with the handler held off. */
uint64_t irq_count(void)
{
	unsigned long flags = irq_save();
	uint64_t n = dispatched;
	irq_restore(flags);
	return n;
}

uint64_t irq_spurious_count(void)
{
	unsigned long flags = irq_save();
	uint64_t n = spurious;
	irq_restore(flags);
	return n;
}

void irq_wait(void)
{
	arch_wait_for_interrupt();
}
