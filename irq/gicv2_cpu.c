/*
 * GICv2 per-CPU operations (struct gic_cpu_ops, include/arbor/gic.h) for smp/: a secondary
 * CPU's interface, its banked SGIs and PPIs, and SGIs between CPUs (Arm IHI 0048B).
 *
 * The CPU interface (GICC) is at the same address for every CPU, banked: each CPU reaches
 * its own there. So are the distributor's registers for INTIDs 0-31 (GICD_ISENABLER0,
 * GICD_ICENABLER0, GICD_IPRIORITYR0-7, GICD_ITARGETSR0-7: IHI 0048B 4.3, "banked"), which
 * is why init() must run on the CPU itself. Both frames were mapped by irq_init(); prepare()
 * asks the MMU for the same (identity) addresses again, which maps nothing new.
 */
#include <errno.h>

#include <arbor/gic.h>
#include <arbor/irq.h>
#include <arbor/mmu.h>
#include <arch/gic.h>

#define GICD_ISENABLER   0x100
#define GICD_ICENABLER   0x180
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR   0x800
#define GICD_SGIR        0xf00
#define GICC_CTLR        0x00
#define GICC_PMR         0x04
#define GICC_BPR         0x08
#define GICC_CTLR_ENABLE (1u << 0)

static uintptr_t gicd, gicc;

static int gicv2_cpu_prepare(const struct platform *plat, struct gic_cpu *gc)
{
	(void)gc;
	if (!gicd) {
		gicd = (uintptr_t)mmu_map_device(plat->gic.dist.base, plat->gic.dist.size);
		gicc = (uintptr_t)mmu_map_device(plat->gic.cpu.base, plat->gic.cpu.size);
	}
	return gicd && gicc ? 0 : -ENOMEM;
}

static int gicv2_cpu_init(struct gic_cpu *gc, uint32_t enable_mask, const char **what)
{
	uint32_t mask = 0;

	/* GICD_ITARGETSR0-7 read, in every byte, the reading CPU interface's bit (4.3.12). */
	for (unsigned off = 0; off < 32; off += 4)
		mask |= mmio_read32(gicd + GICD_ITARGETSR + off);
	mask |= mask >> 16;
	mask |= mask >> 8;
	gc->cpu_mask = (uint8_t)mask;
	if (!gc->cpu_mask) {
		*what = "GICD_ITARGETSR0-7 read 0: no CPU interface bit to send SGIs to";
		return -ENODEV;
	}

	mmio_write32(gicd + GICD_ICENABLER, ~0u);
	for (unsigned intid = 0; intid < IRQ_SPI_BASE; intid += 4) {
		uint32_t word = gic_priority_word(enable_mask, intid, IRQ_PRIO_DEFAULT);
		if (word)
			mmio_write32(gicd + GICD_IPRIORITYR + gic_reg_offset(intid, 8), word);
	}
	/* As the boot CPU's (irq/gicv2.c): every priority, no grouping, EOImode 0. */
	mmio_write32(gicc + GICC_PMR, 0xff);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR, GICC_CTLR_ENABLE);
	mmio_write32(gicd + GICD_ISENABLER, enable_mask);
	return 0;
}

static void gicv2_cpu_send_sgi(unsigned intid, const struct gic_cpu *gc)
{
	gic_dsb();	/* what the handler will read is written before the SGI is sent */
	mmio_write32(gicd + GICD_SGIR, gic_sgir_targets(intid, gc->cpu_mask));
}

static void gicv2_cpu_boot_cpu(struct gic_cpu *gc)
{
	gc->cpu_mask = gic_info()->cpu_mask;
}

const struct gic_cpu_ops gicv2_cpu_ops = {
	.prepare = gicv2_cpu_prepare,
	.init = gicv2_cpu_init,
	.send_sgi = gicv2_cpu_send_sgi,
	.boot_cpu = gicv2_cpu_boot_cpu,
};
