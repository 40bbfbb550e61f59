/*
 * GICv3 driver (Arm IHI 0069H): the distributor (GICD_*) with affinity routing, this CPU's
 * redistributor (GICR_*) for its SGIs and PPIs, and the CPU interface through the ICC_*
 * System registers (<arch/gic.h>: AArch64 encodings on arm64, cp15 on arm32).
 *
 * The redistributor is found, not assumed: every region the DTB lists is walked frame by
 * frame (irq/gic.c, gic_redist_find) until one's GICR_TYPER.Affinity is this CPU's MPIDR.
 * Frames are mapped as they are visited, so a 16 MiB region sized for 128 vCPUs costs only
 * the pages that are read.
 *
 * Xen's emulation shapes a few choices: only 32-bit accesses (and byte reads of priorities)
 * are used, 64-bit registers (GICR_TYPER, GICD_IROUTER) as two 32-bit halves, as on an
 * AArch32 CPU. The pending registers and GICR_ICFGR0 (read-only for SGIs anyway) are never
 * written: depending on the release Xen ignores such writes or answers with a data abort.
 * Xen reads pending and active state as zero, so "pending" also asks the CPU interface
 * (ICC_HPPIR1).
 */
#include <errno.h>

#include <arbor/arch.h>
#include <arbor/gic.h>
#include <arbor/irq.h>
#include <arbor/mmu.h>
#include <arbor/printk.h>
#include <arch/gic.h>

#include "gicv3_regs.h"


static uintptr_t gicd, rd_base, sgi_base;
static uint64_t mpidr;

static uint32_t rd(uintptr_t base, unsigned off)
{
	return mmio_read32(base + off);
}

static void wr(uintptr_t base, unsigned off, uint32_t v)
{
	mmio_write32(base + off, v);
}

bool gicv3_settle(uintptr_t reg, uint32_t bits, uint32_t want, uint32_t *value)
{
	/* Usually settled at the first read: no deadline (a division on arm32) worked out. */
	if (((*value = mmio_read32(reg)) & bits) == want)
		return true;

	uint64_t freq = arch_counter_freq();
	uint64_t end = arch_counter() + (freq ? freq / (1000000000ull / SETTLE_NS) : 0);

	while (((*value = mmio_read32(reg)) & bits) != want)
		if (arch_counter() >= end)
			return ((*value = mmio_read32(reg)) & bits) == want;
	return true;
}

/*
 * GICD_CTLR.RWP / GICR_CTLR.RWP: a write to GICD_CTLR or to a clear-enable register takes
 * effect once RWP reads 0 (IHI 0069H, GICD_CTLR and GICR_CTLR). A GIC that never clears it
 * is broken; say so once rather than hang. Returns the register as last read, which saves
 * the caller a trapped read of its own.
 */
static uint32_t wait_rwp(uintptr_t reg, uint32_t bit, const char *name)
{
	static bool warned;
	uint32_t value;

	if (!gicv3_settle(reg, bit, 0, &value) && !warned) {
		warned = true;
		pr_warn("irq: %s.RWP still set after %llu ms\n", name, SETTLE_NS / 1000000);
	}
	return value;
}

/*
 * Of each 64 KiB redistributor frame only the first page holds registers Arbor uses (RD_base:
 * CTLR, TYPER, WAKER; SGI_base: IGROUPR0 to ICFGR1), so only that page is mapped.
 */
#define GICR_USED_SIZE  0x1000

/*
 * GICR_TYPER, 64-bit, read as two 32-bit halves. The high one holds the affinity; when it is
 * the one sought (*ctx), gic_redist_find() stops there without looking at the low one
 * (Last, VLPIS), so that read, a trap to the vGIC, is skipped and the low half left 0.
 */
static int read_typer(void *ctx, paddr_t frame, uint64_t *typer)
{
	uint32_t affinity = *(const uint32_t *)ctx;
	uintptr_t base = (uintptr_t)mmu_map_device(frame, GICR_USED_SIZE);

	if (!base)
		return -ENOMEM;
	uint32_t high = rd(base, GICR_TYPER + 4);
	*typer = (uint64_t)high << 32 | (high == affinity ? 0 : rd(base, GICR_TYPER));
	return 0;
}

static int find_redistributor(const struct platform *plat)
{
	const struct platform_gic *g = &plat->gic;
	uint32_t affinity = gic_mpidr_affinity(mpidr);
	unsigned visited;
	paddr_t found;

	int err = gic_redist_find(g->redist, g->nredist, g->redist_stride, affinity, read_typer,
				  &affinity, &found, &visited);
	if (err == -ENODEV)
		pr_err("%s: no GICv3 redistributor has this CPU's affinity %u.%u.%u.%u (MPIDR 0x%llx): "
		       "looked at %u in %u region%s\n", plat->gic.path,
		       (unsigned)(affinity >> 24), (unsigned)(affinity >> 16) & 0xff,
		       (unsigned)(affinity >> 8) & 0xff, (unsigned)affinity & 0xff,
		       (unsigned long long)mpidr, visited, g->nredist, g->nredist == 1 ? "" : "s");
	if (err)
		return err;
	rd_base = (uintptr_t)found;
	sgi_base = (uintptr_t)mmu_map_device(found + GICR_FRAME_SIZE, GICR_USED_SIZE);
	return sgi_base ? 0 : -ENOMEM;
}

/*
 * GICR_WAKER (IHI 0069H 12.11, and 11.1 Power management): clear ProcessorSleep, then wait
 * for ChildrenAsleep to read 0 before touching the CPU interface.
 */
static int wake_redistributor(const struct platform *plat)
{
	uint32_t waker = rd(rd_base, GICR_WAKER);

	/* Awake already (Xen's emulation reads 0): no write, no wait, two traps fewer. */
	if (!(waker & (GICR_WAKER_PROCESSORSLEEP | GICR_WAKER_CHILDRENASLEEP)))
		return 0;
	wr(rd_base, GICR_WAKER, waker & ~GICR_WAKER_PROCESSORSLEEP);
	if (gicv3_settle(rd_base + GICR_WAKER, GICR_WAKER_CHILDRENASLEEP, 0, &waker))
		return 0;
	pr_err("%s: the redistributor at 0x%llx stays asleep (GICR_WAKER.ChildrenAsleep)\n",
	       plat->gic.path, (unsigned long long)rd_base);
	return -ETIMEDOUT;
}

bool gicv3_cpu_interface_on(void)
{
	/* ICC_SRE_EL1.SRE: use the System registers (it may be fixed at 1, or at 0 below us). */
	uint32_t sre = icc_sre_read();
	if (!(sre & ICC_SRE_SRE)) {
		icc_sre_write(sre | ICC_SRE_SRE);
		gic_isb();
		sre = icc_sre_read();
	}
	if (!(sre & ICC_SRE_SRE))
		return false;
	/* Every priority unmasked, no preemption grouping, EOImode 0, Group 1 signalled. */
	icc_pmr_write(0xff);
	icc_bpr1_write(0);
	icc_ctlr_write(icc_ctlr_read() & ~ICC_CTLR_EOIMODE);
	icc_igrpen1_write(1);
	gic_isb();
	return true;
}

static int cpu_interface_init(const struct platform *plat)
{
	if (gicv3_cpu_interface_on())
		return 0;
	pr_err("%s: the GICv3 CPU interface's System registers are disabled "
	       "(ICC_SRE_EL1.SRE reads 0)\n", plat->gic.path);
	return -ENODEV;
}

static int gicv3_init(const struct platform *plat, struct gic_info *out)
{
	const struct platform_gic *g = &plat->gic;

	/* platform/gic.c refused a distributor smaller than GICV3_DIST_SIZE at probe time. */
	gicd = (uintptr_t)mmu_map_device(g->dist.base, GICD_PAGE0_SIZE);
	if (!gicd || !mmu_map_device(g->dist.base + GICD_IROUTER_PAGES,
				     GICD_IROUTER_END - GICD_IROUTER_PAGES))
		return -ENOMEM;
	mpidr = arch_mpidr();

	unsigned lines = 32 * ((rd(gicd, GICD_TYPER) & GICD_TYPER_ITLINESNUMBER) + 1);
	if (lines > GIC_MAX_LINES)
		lines = GIC_MAX_LINES;

	/*
	 * The distributor, off while it is set up: every SPI Non-secure Group 1 and disabled.
	 * Priority and routing (GICD_IROUTER) are written per line when it gets a handler
	 * (irq_register()), before it can be enabled: under Xen each write traps to the vGIC
	 * (about 1,000 instructions), and writing every line's priority cost ~60 k instructions
	 * of boot for lines Arbor never enables.
	 */
	/*
	 * GICD_CTLR.DS 0: the GIC has two Security states, and to a Non-secure access (Arbor's,
	 * under a hypervisor) GICD_IGROUPR and GICR_IGROUPR0 are RAZ/WI (GICv3 architecture
	 * specification, GICD_IGROUPR<n>); a write would only cost a trap. With one Security state (DS
	 * 1) they are written.
	 */
	uint32_t ctlr = rd(gicd, GICD_CTLR);
	bool groups = ctlr & GICD_CTLR_DS;
	/* Off already (its reset state): no write to wait for. */
	if (ctlr & (GICD_CTLR_ARE_NS | GICD_CTLR_GRP1A | GICD_CTLR_GRP1)) {
		wr(gicd, GICD_CTLR, 0);
		wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR");
	}
	for (unsigned i = IRQ_SPI_BASE; i < lines; i += 32) {
		if (groups)
			wr(gicd, GICD_IGROUPR + gic_reg_offset(i, 1), ~0u);
		wr(gicd, GICD_ICENABLER + gic_reg_offset(i, 1), ~0u);
	}
	wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR");
	wr(gicd, GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_GRP1A | GICD_CTLR_GRP1);
	if (!(wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR") & GICD_CTLR_ARE_NS)) {
		pr_err("%s: affinity routing does not enable (GICD_CTLR.ARE_NS reads 0); Arbor "
		       "drives a GICv3 only with it\n", plat->gic.path);
		return -ENODEV;
	}

	int err = find_redistributor(plat);
	if (!err)
		err = wake_redistributor(plat);
	if (err)
		return err;

	/* This CPU's SGIs and PPIs: Group 1, disabled; priorities as for SPIs, per handler. */
	if (groups)
		wr(sgi_base, GICR_IGROUPR0, ~0u);
	wr(sgi_base, GICR_ICENABLER0, ~0u);
	wait_rwp(rd_base + GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR");

	if ((err = cpu_interface_init(plat)))
		return err;

	*out = (struct gic_info){
		.version = 3, .lines = lines, .dist = g->dist.base, .redist = (paddr_t)rd_base,
		.mpidr = mpidr,
	};
	return 0;
}

/* SGIs and PPIs live in this CPU's redistributor, SPIs in the distributor. */
static uintptr_t bank(unsigned intid)
{
	return intid < IRQ_SPI_BASE ? sgi_base : gicd;
}

/* ICC_IAR1 then DSB: the acknowledge completes before the handler's accesses. */
static uint32_t gicv3_ack(void)
{
	uint32_t iar = icc_iar1_read();

	gic_dsb();
	return iar;
}

static void gicv3_eoi(uint32_t iar)
{
	icc_eoir1_write(iar);
	gic_isb();
}

static void gicv3_enable(unsigned intid)
{
	wr(bank(intid), GICD_ISENABLER + gic_reg_offset(intid, 1), 1u << gic_reg_shift(intid, 1));
}

static void gicv3_disable(unsigned intid)
{
	wr(bank(intid), GICD_ICENABLER + gic_reg_offset(intid, 1), 1u << gic_reg_shift(intid, 1));
	if (intid < IRQ_SPI_BASE)
		wait_rwp(rd_base + GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR");
	else
		wait_rwp(gicd + GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR");
}

/* GICD_IPRIORITYR<n> / GICR_IPRIORITYR<n>: four INTIDs a word, INTID m in byte m % 4 of word m / 4. */
/*
 * GICD_IPRIORITYR and GICR_IPRIORITYR are byte-accessible (IHI 0069H, GICD_IPRIORITYR<n>), and Xen's
 * emulation takes byte accesses to them: one trapped write instead of a read-modify-write's
 * two.
 */
static void gicv3_set_priority(unsigned intid, uint8_t priority)
{
	mmio_write8(bank(intid) + GICD_IPRIORITYR + intid, priority);
}

static uint8_t gicv3_priority(unsigned intid)
{
	return mmio_read8(bank(intid) + GICD_IPRIORITYR + intid);
}

/* GICD_ICFGR<n>, or for a PPI GICR_ICFGR1 (the configuration is per CPU): 16 INTIDs a word. */
static void gicv3_set_edge(unsigned intid, bool edge)
{
	uintptr_t reg = bank(intid) + GICD_ICFGR + gic_reg_offset(intid, 2);
	uint32_t old = mmio_read32(reg), want = gic_icfgr_set(old, intid, edge);

	if (want != old)	/* a trapped write saved when the line is already so */
		mmio_write32(reg, want);
}

static bool gicv3_is_edge(unsigned intid)
{
	return rd(bank(intid), GICD_ICFGR + gic_reg_offset(intid, 2)) & (2u << gic_reg_shift(intid, 2));
}

static void gicv3_route_here(unsigned intid)
{
	uint64_t v = gic_irouter(mpidr);

	wr(gicd, GICD_IROUTER + 8 * intid, (uint32_t)v);
	wr(gicd, GICD_IROUTER + 8 * intid + 4, (uint32_t)(v >> 32));
}

static bool gicv3_routed_here(unsigned intid)
{
	uint64_t v = (uint64_t)rd(gicd, GICD_IROUTER + 8 * intid + 4) << 32 |
		     rd(gicd, GICD_IROUTER + 8 * intid);

	return v == gic_irouter(mpidr);
}

static bool gicv3_pending(unsigned intid)
{
	if (rd(bank(intid), GICD_ISPENDR + gic_reg_offset(intid, 1)) & (1u << gic_reg_shift(intid, 1)))
		return true;
	/* ICC_HPPIR1: the Group 1 interrupt the CPU interface would signal next. */
	return (icc_hppir1_read() & ICC_IAR_INTID) == intid;
}

static bool gicv3_active(unsigned intid)
{
	return rd(bank(intid), GICD_ISACTIVER + gic_reg_offset(intid, 1)) &
	       (1u << gic_reg_shift(intid, 1));
}

static unsigned gicv3_running_priority(void)
{
	return icc_rpr_read() & 0xff;
}

static void gicv3_send_sgi_self(unsigned intid)
{
	gic_dsb();	/* what the handler will read is written before the SGI is sent */
	icc_sgi1r_write(gic_sgi1r_self(intid, mpidr));
	gic_isb();
}

const struct gic_ops gicv3_ops = {
	.name = "GICv3",
	.init = gicv3_init,
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
	.intid_mask = ICC_IAR_INTID,
	.enable = gicv3_enable,
	.disable = gicv3_disable,
	.set_priority = gicv3_set_priority,
	.priority = gicv3_priority,
	.set_edge = gicv3_set_edge,
	.is_edge = gicv3_is_edge,
	.route_here = gicv3_route_here,
	.routed_here = gicv3_routed_here,
	.pending = gicv3_pending,
	.active = gicv3_active,
	.running_priority = gicv3_running_priority,
	.send_sgi_self = gicv3_send_sgi_self,
};
