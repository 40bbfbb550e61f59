/*
 * GICv2 driver (Arm IHI 0048B): the distributor (GICD_*) and this CPU's interface (GICC_*),
 * both memory mapped at the bases the DTB gave (platform/gic.c), mapped here as device
 * memory.
 *
 * Interrupts stay in the reset group: a guest's GICC is Xen's virtual CPU interface, which
 * has no security extensions, and Xen's distributor ignores GICD_IGROUPR. Only 32-bit
 * accesses are used except where a byte access is the point (reading a priority back):
 * Xen's emulation crashes the domain for other widths on most registers. The driver never
 * writes GICD_ISPENDR/GICD_ICPENDR (before Xen 4.15 the first got the guest a data abort,
 * the second is still ignored), and Xen reads pending and active state as zero, so
 * "pending" also asks the CPU interface (GICC_HPPIR).
 */
#include <errno.h>

#include <arbor/gic.h>
#include <arbor/irq.h>
#include <arbor/mmu.h>
#include <arbor/printk.h>
#include <arch/gic.h>

/* Distributor registers (IHI 0048B 4.1.2, Table 4-1). */
#define GICD_CTLR        0x000
#define GICD_TYPER       0x004
#define GICD_ISENABLER   0x100
#define GICD_ICENABLER   0x180
#define GICD_ISPENDR     0x200
#define GICD_ISACTIVER   0x300
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR   0x800
#define GICD_ICFGR       0xc00
#define GICD_SGIR        0xf00

#define GICD_CTLR_ENABLE           (1u << 0)
#define GICD_TYPER_ITLINESNUMBER   0x1fu
#define GICD_TYPER_CPUNUMBER_SHIFT 5	/* bits 7:5: CPU interfaces - 1 */
#define GICD_TYPER_CPUNUMBER_MASK  0x7u

/* CPU interface registers (IHI 0048B 4.1.3, Table 4-2). */
#define GICC_CTLR        0x00
#define GICC_PMR         0x04
#define GICC_BPR         0x08
#define GICC_IAR         0x0c
#define GICC_EOIR        0x10
#define GICC_RPR         0x14
#define GICC_HPPIR       0x18

#define GICC_CTLR_ENABLE           (1u << 0)
#define GICC_IAR_INTID             0x3ffu


static uintptr_t gicd, gicc;
static uint8_t cpu_mask;	/* this CPU interface's bit in GICD_ITARGETSR */

static uint32_t rd(uintptr_t base, unsigned off)
{
	return mmio_read32(base + off);
}

static void wr(uintptr_t base, unsigned off, uint32_t v)
{
	mmio_write32(base + off, v);
}

/*
 * The registers used, need bytes from the frame's start, not the whole frame the DTB gives
 * (each page mapped is a descriptor to write); platform/gic.c refused a frame smaller than
 * GICV2_DIST_SIZE or GICV2_CPU_SIZE at probe time (with the message dtprobe gives too).
 */
static void *map(const struct mem_range *r, uint64_t need)
{
	return mmu_map_device(r->base, need);
}

/*
 * GICD_ITARGETSR0-7 are read-only and read, in every byte, the bit of the CPU interface doing
 * the read (IHI 0048B 4.3.12); all zero on a uniprocessor implementation. So the first word
 * says it all: reading the other seven would cost seven traps to the vGIC and add nothing.
 */
static uint8_t this_cpu_mask(void)
{
	uint32_t mask = rd(gicd, GICD_ITARGETSR);

	mask |= mask >> 16;
	mask |= mask >> 8;
	return (uint8_t)mask;
}

static int gicv2_init(const struct platform *plat, struct gic_info *out)
{
	void *d = map(&plat->gic.dist, GICV2_DIST_SIZE);
	void *c = d ? map(&plat->gic.cpu, GICV2_CPU_SIZE) : NULL;

	if (!c)
		return -ENOMEM;
	gicd = (uintptr_t)d;
	gicc = (uintptr_t)c;

	unsigned lines = 32 * ((rd(gicd, GICD_TYPER) & GICD_TYPER_ITLINESNUMBER) + 1);
	if (lines > GIC_MAX_LINES)
		lines = GIC_MAX_LINES;

	/*
	 * Configure with the distributor off: every interrupt disabled. Priority and target are
	 * written per line when it gets a handler (irq_register()), before it can be enabled, so
	 * a disabled line's need not be touched here. Under Xen each of these writes traps to the
	 * vGIC (about 1,000 instructions), so writing all 256 lines' priorities and targets cost
	 * ~100 k instructions of boot for lines Arbor never enables.
	 */
	wr(gicd, GICD_CTLR, 0);
	cpu_mask = this_cpu_mask();
	for (unsigned i = 0; i < lines; i += 32)
		wr(gicd, GICD_ICENABLER + gic_reg_offset(i, 1), ~0u);
	wr(gicd, GICD_CTLR, GICD_CTLR_ENABLE);

	/*
	 * The CPU interface: every priority unmasked, no preemption grouping (BPR 0: the
	 * implementation raises it to its minimum), signalling on, EOImode 0 so that a GICC_EOIR
	 * write both drops the priority and deactivates.
	 */
	wr(gicc, GICC_PMR, 0xff);
	wr(gicc, GICC_BPR, 0);
	wr(gicc, GICC_CTLR, GICC_CTLR_ENABLE);

	*out = (struct gic_info){
		.version = 2, .lines = lines, .dist = plat->gic.dist.base,
		.cpu = plat->gic.cpu.base, .cpu_mask = cpu_mask,
		.cpu_interfaces = ((rd(gicd, GICD_TYPER) >> GICD_TYPER_CPUNUMBER_SHIFT) &
				   GICD_TYPER_CPUNUMBER_MASK) + 1,
	};
	return 0;
}

/*
 * IHI 0048B 4.4.4: reading GICC_IAR acknowledges; 4.4.5: the GICC_EOIR write gives back the
 * whole value, CPUID [12:10] included, which names the source CPU of an SGI.
 */
static uint32_t gicv2_ack(void)
{
	return rd(gicc, GICC_IAR);
}

static void gicv2_eoi(uint32_t iar)
{
	wr(gicc, GICC_EOIR, iar);
}

static void gicv2_enable(unsigned intid)
{
	wr(gicd, GICD_ISENABLER + gic_reg_offset(intid, 1), 1u << gic_reg_shift(intid, 1));
}

static void gicv2_disable(unsigned intid)
{
	wr(gicd, GICD_ICENABLER + gic_reg_offset(intid, 1), 1u << gic_reg_shift(intid, 1));
}

/* GICD_IPRIORITYR<n> (IHI 0048B 4.3.11): four INTIDs a word, INTID m in byte m % 4 of word m / 4. */
/*
 * GICD_IPRIORITYR is byte-accessible (IHI 0048B 4.3.11), and Xen's emulation takes byte
 * accesses to it: one trapped write instead of a read-modify-write's two.
 */
static void gicv2_set_priority(unsigned intid, uint8_t priority)
{
	mmio_write8(gicd + GICD_IPRIORITYR + intid, priority);
}

static uint8_t gicv2_priority(unsigned intid)
{
	return mmio_read8(gicd + GICD_IPRIORITYR + intid);
}

/* GICD_ICFGR<n> (IHI 0048B 4.3.13): sixteen INTIDs a word. */
static void gicv2_set_edge(unsigned intid, bool edge)
{
	uintptr_t reg = gicd + GICD_ICFGR + gic_reg_offset(intid, 2);
	uint32_t old = mmio_read32(reg), want = gic_icfgr_set(old, intid, edge);

	if (want != old)	/* a trapped write saved when the line is already so */
		mmio_write32(reg, want);
}

static bool gicv2_is_edge(unsigned intid)
{
	return rd(gicd, GICD_ICFGR + gic_reg_offset(intid, 2)) & (2u << gic_reg_shift(intid, 2));
}

/* GICD_ITARGETSR<n> (IHI 0048B 4.3.12): four INTIDs a word, a CPU interface bit mask each. */
static void gicv2_route_here(unsigned intid)
{
	uintptr_t reg = gicd + GICD_ITARGETSR + gic_reg_offset(intid, 8);

	if (cpu_mask)
		mmio_write32(reg, gic_reg_field_set(mmio_read32(reg), intid, 8, cpu_mask));
}

static bool gicv2_routed_here(unsigned intid)
{
	return !cpu_mask || (mmio_read8(gicd + GICD_ITARGETSR + intid) & cpu_mask);
}

static bool gicv2_pending(unsigned intid)
{
	if (rd(gicd, GICD_ISPENDR + gic_reg_offset(intid, 1)) & (1u << gic_reg_shift(intid, 1)))
		return true;
	/* GICC_HPPIR (IHI 0048B 4.4.7): what the CPU interface would signal next. */
	return (rd(gicc, GICC_HPPIR) & GICC_IAR_INTID) == intid;
}

static bool gicv2_active(unsigned intid)
{
	return rd(gicd, GICD_ISACTIVER + gic_reg_offset(intid, 1)) & (1u << gic_reg_shift(intid, 1));
}

static unsigned gicv2_running_priority(void)
{
	return rd(gicc, GICC_RPR) & 0xff;
}

static void gicv2_send_sgi_self(unsigned intid)
{
	wr(gicd, GICD_SGIR, gic_sgir_self(intid));
}

const struct gic_ops gicv2_ops = {
	.name = "GICv2",
	.init = gicv2_init,
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
	.intid_mask = GICC_IAR_INTID,
	.enable = gicv2_enable,
	.disable = gicv2_disable,
	.set_priority = gicv2_set_priority,
	.priority = gicv2_priority,
	.set_edge = gicv2_set_edge,
	.is_edge = gicv2_is_edge,
	.route_here = gicv2_route_here,
	.routed_here = gicv2_routed_here,
	.pending = gicv2_pending,
	.active = gicv2_active,
	.running_priority = gicv2_running_priority,
	.send_sgi_self = gicv2_send_sgi_self,
};
