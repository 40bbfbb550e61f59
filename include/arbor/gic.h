/*
 * The GIC drivers behind irq/ (include/arbor/irq.h is the interface the rest of the kernel
 * uses). Three things live here:
 *
 *  - struct gic_ops: what irq/irq.c asks of the driver the platform description picked,
 *    irq/gicv2.c or irq/gicv3.c;
 *  - struct gic_info: which distributor, CPU interface and redistributor the driver is
 *    using, for the boot line and for the self-tests that compare it with the DTB;
 *  - the register arithmetic both drivers share (irq/gic.c): pure functions, unit-tested on
 *    the host (tests/host/test_gic.c).
 *
 * Register names are those of the GIC architecture specifications: GICv2 is Arm IHI 0048B,
 * GICv3/v4 is Arm IHI 0069H.
 */
#ifndef ARBOR_GIC_H
#define ARBOR_GIC_H

#include <arbor/platform.h>
#include <arbor/types.h>

/* INTIDs 0-1019 can be SGIs, PPIs and SPIs; 1020-1023 are special (IHI 0069H 2.2). */
#define GIC_MAX_LINES        1020
#define GIC_INTID_SPECIAL    1020
#define GIC_INTID_SPURIOUS   1023

/* GICC_RPR / ICC_RPR_EL1 when no interrupt is active: the idle priority. */
#define GIC_PRIORITY_IDLE    0xff

/* What a driver found at init. */
struct gic_info {
	unsigned version;	/* 2 or 3 */
	unsigned lines;		/* INTIDs 0..lines-1: 32 * (GICD_TYPER.ITLinesNumber + 1), <= 1020 */
	paddr_t dist;		/* GICD base */
	paddr_t cpu;		/* v2: GICC base */
	paddr_t redist;		/* v3: this CPU's redistributor (its RD_base frame) */
	uint64_t mpidr;		/* v3: the MPIDR it was matched against (and SPIs routed to) */
	uint8_t cpu_mask;	/* v2: this CPU interface's bit in GICD_ITARGETSR (0: uniprocessor) */
	unsigned cpu_interfaces; /* v2: GICD_TYPER.CPUNumber + 1 */
};

/*
 * One driver. intid is always below info.lines when irq.c calls these; everything runs with
 * IRQs masked or before they are ever unmasked.
 */
struct gic_ops {
	const char *name;
	/* Set up the distributor and this CPU's interface; 0 or a negative error after a message. */
	int (*init)(const struct platform *plat, struct gic_info *info);
	/* Acknowledge: the raw IAR value (give it back to eoi); its INTID is iar & intid_mask. */
	uint32_t (*ack)(void);
	void (*eoi)(uint32_t iar);
	uint32_t intid_mask;
	void (*enable)(unsigned intid);
	void (*disable)(unsigned intid);
	void (*set_priority)(unsigned intid, uint8_t priority);
	/* Read back with a byte access, independent of set_priority's word arithmetic. */
	uint8_t (*priority)(unsigned intid);
	/* PPIs and SPIs: edge (true) or level; never called for SGIs. */
	void (*set_edge)(unsigned intid, bool edge);
	bool (*is_edge)(unsigned intid);
	/* SPIs: deliver to this CPU; whether the routing register says so. */
	void (*route_here)(unsigned intid);
	bool (*routed_here)(unsigned intid);
	/*
	 * Pending (active) in the distributor or redistributor; pending also when it is the
	 * CPU interface's highest-priority pending interrupt (GICC_HPPIR / ICC_HPPIR1), which is
	 * where Xen's guests can see it.
	 */
	bool (*pending)(unsigned intid);
	bool (*active)(unsigned intid);
	/* The CPU interface's running priority: GIC_PRIORITY_IDLE when nothing is active. */
	unsigned (*running_priority)(void);
	void (*send_sgi_self)(unsigned intid);
};

extern const struct gic_ops gicv2_ops, gicv3_ops;

/*
 * Another CPU's view of the GIC, for smp/: what the boot CPU finds for it before starting
 * it (prepare) and what it finds for itself (init). Kept in that CPU's struct cpu.
 */
struct gic_cpu {
	uint64_t mpidr;		/* the DT's reg: v3 SGIs are sent to its affinity */
	uint8_t cpu_mask;	/* v2: its bit in GICD_ITARGETSR, read by the CPU itself */
	paddr_t redist;		/* v3: its redistributor (RD_base) */
	uintptr_t rd_base, sgi_base;	/* v3: the redistributor's two frames, mapped */
};

/*
 * Per-CPU operations, separate from struct gic_ops so that an image which never starts a
 * second CPU does not carry them (irq/gicv2_cpu.c, irq/gicv3_cpu.c; used by smp/ only).
 */
struct gic_cpu_ops {
	/*
	 * On the boot CPU, before the CPU is started, after irq_init(): find and map what it
	 * will need (v3: its redistributor, by GICR_TYPER.Affinity against gc->mpidr). 0, or a
	 * negative error after a message naming the MPIDR.
	 */
	int (*prepare)(const struct platform *plat, struct gic_cpu *gc);
	/*
	 * On that CPU, with IRQs masked, printing nothing: wake its redistributor (v3), set up
	 * its CPU interface like the boot CPU's, and enable the SGIs and PPIs in enable_mask (bit
	 * n: INTID n < 32) at IRQ_PRIO_DEFAULT, every other one disabled. 0, or a negative error
	 * with *what saying which step failed.
	 */
	int (*init)(struct gic_cpu *gc, uint32_t enable_mask, const char **what);
	/* Send SGI intid (0-15) to the CPU gc describes (from any CPU). */
	void (*send_sgi)(unsigned intid, const struct gic_cpu *gc);
	/* Fill gc for the boot CPU from what irq_init() found. */
	void (*boot_cpu)(struct gic_cpu *gc);
};

extern const struct gic_cpu_ops gicv2_cpu_ops, gicv3_cpu_ops;

/* The driver irq_init() picked and what it found; NULL before a successful irq_init(). */
const struct gic_ops *gic_driver(void);
const struct gic_info *gic_info(void);

/* ---- Register arithmetic (irq/gic.c) ---- */

/*
 * The distributor's per-interrupt registers are arrays of 32-bit words holding `bits` bits
 * per INTID: 1 for GICD_ISENABLER/ICENABLER/ISPENDR/ICPENDR/ISACTIVER/IGROUPR (32 a word),
 * 2 for GICD_ICFGR (16 a word), 8 for GICD_IPRIORITYR and GICD_ITARGETSR (4 a word).
 * The word holding intid's field, as a byte offset from the array's start, and the field's
 * bit position in it.
 */
unsigned gic_reg_offset(unsigned intid, unsigned bits);
unsigned gic_reg_shift(unsigned intid, unsigned bits);

/* word with intid's `bits`-wide field replaced by value. */
uint32_t gic_reg_field_set(uint32_t word, unsigned intid, unsigned bits, uint32_t value);

/*
 * The GICD_IPRIORITYR / GICR_IPRIORITYR word of INTIDs first..first+3 (first a multiple of 4)
 * giving priority to those set in mask (bit n: INTID n, for SGIs and PPIs) and 0 to the rest.
 */
uint32_t gic_priority_word(uint32_t mask, unsigned first, uint8_t priority);

/* A GICD_ICFGR / GICR_ICFGR<n> word with intid configured edge-triggered or level-sensitive. */
uint32_t gic_icfgr_set(uint32_t word, unsigned intid, bool edge);

/* What a DT specifier's trigger flags (IRQ_TYPE_*) ask of GICD_ICFGR. */
enum gic_trigger { GIC_TRIGGER_KEEP, GIC_TRIGGER_EDGE, GIC_TRIGGER_LEVEL };
enum gic_trigger gic_trigger_from_dt(uint32_t dt_flags);

/* Whether an acknowledged INTID is one of the special ones (1020-1023): never EOId. */
bool gic_intid_is_special(unsigned intid);

/* GICD_SGIR value sending SGI intid to the writing CPU only (TargetListFilter 0b10). */
uint32_t gic_sgir_self(unsigned intid);

/* GICD_SGIR value sending SGI intid to the CPU interfaces in target_mask (filter 0b00). */
uint32_t gic_sgir_targets(unsigned intid, uint8_t target_mask);

/* Aff3.Aff2.Aff1.Aff0 of an MPIDR packed as in GICR_TYPER[63:32]. */
uint32_t gic_mpidr_affinity(uint64_t mpidr);

/* GICD_IROUTER value routing an SPI to the CPU with this MPIDR (Interrupt_Routing_Mode 0). */
uint64_t gic_irouter(uint64_t mpidr);

/* ICC_SGI1R value sending SGI intid to the CPU with this MPIDR only (the caller's own, or another's). */
uint64_t gic_sgi1r_self(unsigned intid, uint64_t mpidr);

/* GICR_TYPER fields used to walk the redistributors. */
#define GICR_TYPER_VLPIS     (1u << 1)
#define GICR_TYPER_LAST      (1u << 4)
#define GICR_FRAME_SIZE      (64 * KiB)

/*
 * Find the redistributor whose GICR_TYPER.Affinity is `affinity` (gic_mpidr_affinity) in
 * the given regions, walking each frame by frame: one redistributor every `stride` bytes, or
 * when stride is 0 every 128 KiB (two 64 KiB frames: RD_base, SGI_base), 256 KiB when its
 * GICR_TYPER.VLPIS says it also has the two GICv4 vLPI frames; a region ends at its size or
 * at a redistributor with GICR_TYPER.Last set. read_typer reads GICR_TYPER at an RD_base (a
 * negative return is an error and stops the walk). Returns 0 with *rd_base set, -ENODEV
 * when no redistributor matches, or read_typer's error; *visited counts the redistributors
 * looked at.
 */
typedef int (*gic_typer_reader_t)(void *ctx, paddr_t rd_base, uint64_t *typer);
int gic_redist_find(const struct mem_range *regions, unsigned nregions, uint64_t stride,
		    uint32_t affinity, gic_typer_reader_t read_typer, void *ctx, paddr_t *rd_base,
		    unsigned *visited);

#endif
