/*
 * Self-tests of irq/ on the GIC Xen gives the guest: that the driver uses the GIC the DTB
 * describes, that a software-generated interrupt to this CPU is delivered, dispatched and
 * ended, that CPU-level masking holds an interrupt pending and lets it through exactly once,
 * that irq_save/irq_restore nest, that priorities land in the right byte of
 * GICD_IPRIORITYR/GICR_IPRIORITYR, and how special and unhandled INTIDs are treated.
 *
 * Xen's distributor emulation reads pending and active state as zero (GICD_ISPENDR,
 * GICD_ISACTIVER, GICR_ISPENDR0, GICR_ISACTIVER0), so "still pending" is also checked at the
 * CPU interface (GICC_HPPIR / ICC_HPPIR1, inside irq_is_pending) and "nothing active" by
 * the running priority being idle (GICC_RPR / ICC_RPR), which a missing EOI would leave
 * raised. Every test leaves IRQs masked or unmasked as it found them.
 */
#include <errno.h>

#include <arbor/arch.h>
#include <arbor/gic.h>
#include <arbor/irq.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>
#include <arbor/xen.h>
#include <arch/gic.h>

/* SGIs the tests use: nothing else in Arbor sends SGIs. */
#define SGI_DELIVER   1
#define SGI_MASKED    2
#define SGI_SAVED     3
#define SGI_NOBODY    5
#define SGI_PRIO      8	/* 8-11 share a GICR_IPRIORITYR/GICD_IPRIORITYR word */

static volatile unsigned hits;
static volatile unsigned hit_intid;
static void *volatile hit_arg;

static void count_hit(unsigned intid, void *arg)
{
	hits++;
	hit_intid = intid;
	hit_arg = arg;
}

/* Spin (IRQs as the caller left them) until hits reaches n or ms milliseconds pass. */
static bool wait_hits(unsigned n, unsigned ms)
{
	uint64_t end = arch_counter() + arch_counter_freq() * ms / 1000;

	while (hits < n && arch_counter() < end)
		;
	return hits >= n;
}

static bool active_anywhere(unsigned intid)
{
	return gic_driver()->active(intid) ||
	       gic_driver()->running_priority() != GIC_PRIORITY_IDLE;
}

static void start(unsigned intid, int *err)
{
	hits = 0;
	hit_intid = ~0u;
	hit_arg = NULL;
	*err = irq_register(intid, 0, count_hit, (void *)&hits);
	if (!*err)
		irq_enable(intid);
}

SELFTEST(irq_gic_is_the_discovered_one)
{
	const struct gic_info *g = gic_info();

	EXPECT(g != NULL, "irq_init did not run or failed");
	if (!g)
		return;
	EXPECT(g->version == platform.gic.version, "driver is GICv%u, the DTB says GICv%u",
	       g->version, platform.gic.version);
	EXPECT(g->dist == platform.gic.dist.base, "distributor 0x%llx, the DTB says 0x%llx",
	       (unsigned long long)g->dist, (unsigned long long)platform.gic.dist.base);
	EXPECT(irq_lines() >= 32 && (irq_lines() % 32 == 0 || irq_lines() == GIC_MAX_LINES) &&
	       irq_lines() <= GIC_MAX_LINES,
	       "%u lines is not 32 * (ITLinesNumber + 1) capped at 1020", irq_lines());
	if (g->version == 2) {
		EXPECT(g->cpu == platform.gic.cpu.base, "CPU interface 0x%llx, the DTB says 0x%llx",
		       (unsigned long long)g->cpu, (unsigned long long)platform.gic.cpu.base);
		/*
		 * GICD_ITARGETSR0-7 read this CPU interface's bit, except on a GIC with one CPU
		 * interface, where they are RAZ (IHI 0048B 4.3.12): bare QEMU's with one CPU.
		 * Xen's vGIC reads the vCPU's bit whatever the count.
		 */
		if (g->cpu_interfaces == 1 && xen_detected() == XEN_ABSENT)
			EXPECT(g->cpu_mask == 0 || g->cpu_mask == 1,
			       "one CPU interface, yet GICD_ITARGETSR0-7 read 0x%02x", g->cpu_mask);
		else
			EXPECT(g->cpu_mask != 0 && !(g->cpu_mask & (g->cpu_mask - 1)),
			       "GICD_ITARGETSR0-7 read 0x%02x, not one CPU interface's bit "
			       "(%u interfaces)", g->cpu_mask, g->cpu_interfaces);
		return;
	}
	/* The redistributor: inside a discovered region, on a frame boundary, ours. */
	bool inside = false;
	for (unsigned i = 0; i < platform.gic.nredist; i++) {
		const struct mem_range *r = &platform.gic.redist[i];
		if (g->redist >= r->base && g->redist + 2 * GICR_FRAME_SIZE <= r->base + r->size &&
		    (g->redist - r->base) % GICR_FRAME_SIZE == 0)
			inside = true;
	}
	EXPECT(inside, "redistributor 0x%llx is not a frame of a discovered region",
	       (unsigned long long)g->redist);
	EXPECT(g->mpidr == arch_mpidr(), "matched MPIDR 0x%llx, this CPU's is 0x%llx",
	       (unsigned long long)g->mpidr, (unsigned long long)arch_mpidr());
}

SELFTEST(irq_sgi_to_self)
{
	unsigned long flags = irq_save();
	uint64_t before = irq_count();
	int err;

	start(SGI_DELIVER, &err);
	EXPECT(err == 0, "irq_register(SGI %u) returned %d", SGI_DELIVER, err);
	irq_local_enable();
	irq_send_sgi_self(SGI_DELIVER);
	bool got = wait_hits(1, 100);
	wait_hits(2, 10);		/* time for a second, wrong, delivery */
	irq_local_disable();

	EXPECT(got, "SGI %u not delivered within 100 ms", SGI_DELIVER);
	EXPECT(hits == 1, "handler ran %u times", hits);
	EXPECT(hit_intid == SGI_DELIVER, "handler got INTID %u", hit_intid);
	EXPECT(hit_arg == (void *)&hits, "handler got argument %p, registered %p", hit_arg, (void *)&hits);
	EXPECT(irq_count() == before + 1, "irq_count went from %llu to %llu",
	       (unsigned long long)before, (unsigned long long)irq_count());
	EXPECT(!irq_is_pending(SGI_DELIVER), "SGI %u still pending after its EOI", SGI_DELIVER);
	EXPECT(!active_anywhere(SGI_DELIVER), "still active (running priority 0x%x)",
	       gic_driver()->running_priority());
	EXPECT(irq_register(SGI_DELIVER, 0, count_hit, NULL) == -EBUSY, "registered twice");
	irq_unregister(SGI_DELIVER);
	EXPECT(irq_register(irq_lines(), 0, count_hit, NULL) == -EINVAL,
	       "INTID %u (one past the last line) accepted", irq_lines());
	irq_restore(flags);
}

/* An SGI sent while the CPU masks IRQs: pending, not taken; taken once when unmasked. */
static void masked_then_delivered(unsigned sgi, bool use_save)
{
	int err;

	start(sgi, &err);
	EXPECT(err == 0, "irq_register(SGI %u) returned %d", sgi, err);
	irq_local_enable();
	unsigned long inner = 0;
	if (use_save)
		inner = irq_save();
	else
		irq_local_disable();

	irq_send_sgi_self(sgi);
	wait_hits(1, 20);
	EXPECT(hits == 0, "SGI %u taken %u times while masked", sgi, hits);
	EXPECT(irq_is_pending(sgi), "SGI %u not pending while masked", sgi);

	if (use_save)
		irq_restore(inner);
	else
		irq_local_enable();
	bool got = wait_hits(1, 100);
	wait_hits(2, 10);
	irq_local_disable();

	EXPECT(got, "SGI %u not delivered once unmasked", sgi);
	EXPECT(hits == 1, "SGI %u delivered %u times after unmasking", sgi, hits);
	EXPECT(!irq_is_pending(sgi) && !active_anywhere(sgi), "SGI %u left pending or active", sgi);
	irq_unregister(sgi);
}

SELFTEST(irq_masked_stays_pending)
{
	unsigned long flags = irq_save();

	masked_then_delivered(SGI_MASKED, false);
	masked_then_delivered(SGI_SAVED, true);
	irq_restore(flags);
}

SELFTEST(irq_save_restore_nest)
{
	unsigned long flags = irq_save();

	irq_local_enable();
	EXPECT(irq_local_enabled(), "irq_local_enable left IRQs masked");
	unsigned long outer = irq_save();
	EXPECT(!irq_local_enabled(), "irq_save did not mask");
	unsigned long inner = irq_save();
	EXPECT(!irq_local_enabled(), "nested irq_save unmasked");
	irq_restore(inner);
	EXPECT(!irq_local_enabled(), "restoring the inner save unmasked (masked inside masked)");
	irq_restore(outer);
	EXPECT(irq_local_enabled(), "restoring the outer save left IRQs masked");

	irq_local_disable();
	EXPECT(!irq_local_enabled(), "irq_local_disable left IRQs unmasked");
	outer = irq_save();
	irq_restore(outer);
	EXPECT(!irq_local_enabled(), "save/restore while masked unmasked");

	irq_restore(flags);
	EXPECT(irq_save() == flags, "irq_restore did not put back the state found");
	irq_restore(flags);
}

/* Four neighbours in one register word: each priority must land in its own byte. */
static void check_priority_word(unsigned first)
{
	static const uint8_t want[4] = { 0x80, 0x90, 0xa0, 0xb0 };
	const struct gic_ops *ops = gic_driver();
	uint8_t saved[4];

	for (unsigned i = 0; i < 4; i++)
		saved[i] = ops->priority(first + i);
	for (unsigned i = 0; i < 4; i++)
		irq_set_priority(first + i, want[i]);
	for (unsigned i = 0; i < 4; i++)
		EXPECT(ops->priority(first + i) == want[i], "INTID %u reads priority 0x%02x, wrote 0x%02x",
		       first + i, ops->priority(first + i), want[i]);
	irq_set_priority(first + 1, 0x70);
	EXPECT(ops->priority(first + 1) == 0x70 && ops->priority(first) == want[0] &&
	       ops->priority(first + 2) == want[2] && ops->priority(first + 3) == want[3],
	       "rewriting INTID %u's priority changed a neighbour's", first + 1);
	for (unsigned i = 0; i < 4; i++)
		irq_set_priority(first + i, saved[i]);
}

SELFTEST(irq_priority_byte)
{
	check_priority_word(SGI_PRIO);
	if (irq_lines() >= 64)
		check_priority_word(IRQ_SPI_BASE + 28);	/* SPIs no device of Xen's guests uses */
}

/* Registering an SPI configures its trigger from the DT flags and routes it here. */
SELFTEST(irq_register_configures)
{
	const struct gic_ops *ops = gic_driver();
	unsigned spi = IRQ_SPI_BASE + 28;	/* as in irq_priority_byte: no device uses it */
	int err;

	SKIP_UNLESS(irq_lines() > spi, "the GIC has only %u lines", irq_lines());
	ops->set_priority(spi, IRQ_PRIO_HIGH);
	err = irq_register(spi, IRQ_TYPE_EDGE_RISING, count_hit, NULL);
	EXPECT(err == 0, "irq_register(SPI INTID %u, edge) returned %d", spi, err);
	EXPECT(ops->is_edge(spi), "INTID %u registered edge-triggered reads level", spi);
	EXPECT(ops->routed_here(spi), "INTID %u is not routed to this CPU", spi);
	EXPECT(ops->priority(spi) == IRQ_PRIO_DEFAULT, "INTID %u has priority 0x%02x", spi,
	       ops->priority(spi));
	irq_unregister(spi);
	err = irq_register(spi, IRQ_TYPE_LEVEL_HIGH, count_hit, NULL);
	EXPECT(err == 0 && !ops->is_edge(spi), "INTID %u registered level reads edge", spi);
	irq_unregister(spi);
	err = irq_register(spi, 0, count_hit, NULL);
	EXPECT(err == 0 && !ops->is_edge(spi), "flags 0 changed INTID %u's trigger", spi);
	irq_unregister(spi);
}

SELFTEST(irq_special_intids)
{
	for (unsigned intid = 1020; intid <= 1023; intid++)
		EXPECT(gic_intid_is_special(intid), "INTID %u would be EOId", intid);
	EXPECT(!gic_intid_is_special(1019) && !gic_intid_is_special(1024) && !gic_intid_is_special(0),
	       "an ordinary INTID taken for a special one");

	/* Nothing pending: irq_handle() acknowledges 1023, counts it, and ends nothing. */
	unsigned long flags = irq_save();
	uint64_t spurious = irq_spurious_count(), count = irq_count();
	irq_handle();
	EXPECT(irq_spurious_count() == spurious + 1, "a spurious acknowledge was not counted");
	EXPECT(irq_count() == count, "a spurious acknowledge was dispatched");
	EXPECT(gic_driver()->running_priority() == GIC_PRIORITY_IDLE, "running priority 0x%x",
	       gic_driver()->running_priority());
	irq_restore(flags);
}

/* An INTID nobody registered: warned about, disabled, ended; the CPU goes on. */
SELFTEST(irq_unhandled_is_disabled)
{
	unsigned long flags = irq_save();
	uint64_t count = irq_count();

	pr_info("selftest:   irq: a deliberate unhandled SGI %u follows\n", SGI_NOBODY);
	irq_enable(SGI_NOBODY);
	irq_local_enable();
	irq_send_sgi_self(SGI_NOBODY);
	uint64_t end = arch_counter() + arch_counter_freq() / 50;	/* 20 ms to be taken */
	while (arch_counter() < end)
		;
	irq_local_disable();
	EXPECT(!irq_is_pending(SGI_NOBODY), "unhandled SGI %u still pending", SGI_NOBODY);
	EXPECT(irq_count() == count, "an unhandled INTID was counted as dispatched");
	EXPECT(!active_anywhere(SGI_NOBODY), "unhandled SGI %u left active", SGI_NOBODY);
	irq_restore(flags);
}
