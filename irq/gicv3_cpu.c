/*
 * GICv3 per-CPU operations (struct gic_cpu_ops, include/arbor/gic.h) for smp/: a secondary
 * CPU's redistributor and CPU interface, and SGIs between CPUs (Arm IHI 0069H).
 *
 * Each CPU has a redistributor of its own, found the way irq/gicv3.c finds the boot CPU's:
 * every region of the DT's #redistributor-regions walked, honouring redistributor-stride and
 * GICR_TYPER.Last (irq/gic.c, gic_redist_find), until GICR_TYPER.Affinity is the CPU's. The
 * walk maps frames, so the boot CPU does it, with the MPIDR the DT lists, before starting
 * the CPU (prepare); a CPU with no redistributor is refused with a message and never
 * started. The CPU itself then wakes its redistributor and sets up its System-register CPU
 * interface (init), printing nothing: smp/ reports for it.
 */
#include <errno.h>

#include <arbor/arch.h>
#include <arbor/gic.h>
#include <arbor/irq.h>
#include <arbor/mmu.h>
#include <arbor/printk.h>
#include <arch/gic.h>

#include "gicv3_regs.h"

static int read_typer(void *ctx, paddr_t frame, uint64_t *typer)
{
	(void)ctx;
	uintptr_t base = (uintptr_t)mmu_map_device(frame, GICR_FRAME_SIZE);

	if (!base)
		return -ENOMEM;
	*typer = (uint64_t)mmio_read32(base + GICR_TYPER + 4) << 32 | mmio_read32(base + GICR_TYPER);
	return 0;
}

static int gicv3_cpu_prepare(const struct platform *plat, struct gic_cpu *gc)
{
	const struct platform_gic *g = &plat->gic;
	uint32_t affinity = gic_mpidr_affinity(gc->mpidr);
	unsigned visited;
	paddr_t found;

	int err = gic_redist_find(g->redist, g->nredist, g->redist_stride, affinity, read_typer,
				  NULL, &found, &visited);
	if (err == -ENODEV)
		pr_err("%s: no GICv3 redistributor for the CPU with MPIDR 0x%llx (affinity "
		       "%u.%u.%u.%u): looked at %u in %u region%s; not starting it\n", g->path,
		       (unsigned long long)gc->mpidr, (unsigned)(affinity >> 24),
		       (unsigned)(affinity >> 16) & 0xff, (unsigned)(affinity >> 8) & 0xff,
		       (unsigned)affinity & 0xff, visited, g->nredist, g->nredist == 1 ? "" : "s");
	if (err)
		return err;
	gc->redist = found;
	gc->rd_base = (uintptr_t)mmu_map_device(found, GICR_FRAME_SIZE);
	gc->sgi_base = (uintptr_t)mmu_map_device(found + GICR_FRAME_SIZE, GICR_FRAME_SIZE);
	return gc->rd_base && gc->sgi_base ? 0 : -ENOMEM;
}

static int gicv3_cpu_init(struct gic_cpu *gc, uint32_t enable_mask, const char **what)
{
	/* GICR_WAKER (IHI 0069H 12.11): clear ProcessorSleep, wait for ChildrenAsleep 0. */
	uint32_t value;

	mmio_write32(gc->rd_base + GICR_WAKER,
		     mmio_read32(gc->rd_base + GICR_WAKER) & ~GICR_WAKER_PROCESSORSLEEP);
	if (!gicv3_settle(gc->rd_base + GICR_WAKER, GICR_WAKER_CHILDRENASLEEP, 0, &value)) {
		*what = "its redistributor stays asleep (GICR_WAKER.ChildrenAsleep)";
		return -ETIMEDOUT;
	}
	/* Its SGIs and PPIs: Group 1, disabled, then the wanted ones at the default priority. */
	mmio_write32(gc->sgi_base + GICR_IGROUPR0, ~0u);
	mmio_write32(gc->sgi_base + GICR_ICENABLER0, ~0u);
	if (!gicv3_settle(gc->rd_base + GICR_CTLR, GICR_CTLR_RWP, 0, &value)) {
		*what = "GICR_CTLR.RWP stays set";
		return -ETIMEDOUT;
	}
	for (unsigned intid = 0; intid < IRQ_SPI_BASE; intid += 4) {
		uint32_t word = gic_priority_word(enable_mask, intid, IRQ_PRIO_DEFAULT);
		if (word)
			mmio_write32(gc->sgi_base + GICR_IPRIORITYR + gic_reg_offset(intid, 8), word);
	}

	/* The CPU interface, as the boot CPU's (irq/gicv3.c). */
	if (!gicv3_cpu_interface_on()) {
		*what = "its CPU interface's System registers are disabled (ICC_SRE_EL1.SRE reads 0)";
		return -ENODEV;
	}
	gic_isb();
	mmio_write32(gc->sgi_base + GICR_ISENABLER0, enable_mask);
	return 0;
}

static void gicv3_cpu_send_sgi(unsigned intid, const struct gic_cpu *gc)
{
	gic_dsb();	/* what the handler will read is written before the SGI is sent */
	icc_sgi1r_write(gic_sgi1r_self(intid, gc->mpidr));
	gic_isb();
}

static void gicv3_cpu_boot_cpu(struct gic_cpu *gc)
{
	const struct gic_info *info = gic_info();

	gc->mpidr = info->mpidr;
	gc->redist = info->redist;
}

const struct gic_cpu_ops gicv3_cpu_ops = {
	.prepare = gicv3_cpu_prepare,
	.init = gicv3_cpu_init,
	.send_sgi = gicv3_cpu_send_sgi,
	.boot_cpu = gicv3_cpu_boot_cpu,
};
