/*
 * GICv3 register offsets and fields (IHI 0069H), shared by the boot CPU's driver
 * (irq/gicv3.c) and each secondary's CPU interface (irq/gicv3_cpu.c). Private to irq/.
 */
#ifndef IRQ_GICV3_REGS_H
#define IRQ_GICV3_REGS_H

#include <arbor/types.h>

/* Distributor (IHI 0069H 12.8). */
#define GICD_CTLR        0x0000
#define GICD_TYPER       0x0004
#define GICD_IGROUPR     0x0080
#define GICD_ISENABLER   0x0100
#define GICD_ICENABLER   0x0180
#define GICD_ISPENDR     0x0200
#define GICD_ISACTIVER   0x0300
#define GICD_IPRIORITYR  0x0400
#define GICD_ICFGR       0x0c00
#define GICD_IROUTER     0x6000	/* 8 bytes per INTID, from INTID 32 */
/*
 * The distributor's pages Arbor touches: page 0 (CTLR to ICFGR) and the two of GICD_IROUTER
 * for INTIDs 32-1019. Only those are mapped: each page of a device mapping is a descriptor
 * to write, and the other 13 hold nothing Arbor uses.
 */
#define GICD_PAGE0_SIZE     0x1000
#define GICD_IROUTER_PAGES  0x6000
#define GICD_IROUTER_END    0x8000

/*
 * GICD_CTLR in the Non-secure view (DS 0): EnableGrp1 [0], EnableGrp1A [1], ARE_NS [4];
 * with security disabled (DS 1) bits 0, 1 and 4 are EnableGrp0, EnableGrp1 and ARE. Setting
 * all three enables Non-secure Group 1 with affinity routing in either view. RWP [31].
 */
#define GICD_CTLR_GRP1     (1u << 0)
#define GICD_CTLR_GRP1A    (1u << 1)
#define GICD_CTLR_ARE_NS   (1u << 4)
#define GICD_CTLR_DS       (1u << 6)
#define GICD_CTLR_RWP      (1u << 31)
#define GICD_TYPER_ITLINESNUMBER  0x1fu

/* Redistributor, RD_base frame (IHI 0069H 12.10, 12.11). */
#define GICR_CTLR        0x0000
#define GICR_TYPER       0x0008
#define GICR_WAKER       0x0014
#define GICR_CTLR_RWP              (1u << 3)
#define GICR_WAKER_PROCESSORSLEEP  (1u << 1)
#define GICR_WAKER_CHILDRENASLEEP  (1u << 2)

/*
 * Redistributor, SGI_base frame (the next 64 KiB): this CPU's SGIs and PPIs. Its registers
 * sit at the offsets of the distributor's first word of each array, so one INTID-indexed
 * access serves both (bank() below picks the frame).
 */
#define GICR_IGROUPR0    0x0080
#define GICR_ISENABLER0  0x0100
#define GICR_ICENABLER0  0x0180
#define GICR_ISPENDR0    0x0200
#define GICR_ISACTIVER0  0x0300
#define GICR_IPRIORITYR  0x0400
#define GICR_ICFGR       0x0c00	/* GICR_ICFGR0 (SGIs, read-only), GICR_ICFGR1 (PPIs) */
_Static_assert(GICR_IGROUPR0 == GICD_IGROUPR && GICR_ISENABLER0 == GICD_ISENABLER &&
	       GICR_ICENABLER0 == GICD_ICENABLER && GICR_ISPENDR0 == GICD_ISPENDR &&
	       GICR_ISACTIVER0 == GICD_ISACTIVER && GICR_IPRIORITYR == GICD_IPRIORITYR &&
	       GICR_ICFGR == GICD_ICFGR, "SGI_base mirrors the distributor's layout");

/* ICC_SRE_EL1.SRE [0], ICC_CTLR_EL1.EOImode [1]; ICC_IAR1 INTID [23:0]. */
#define ICC_SRE_SRE       (1u << 0)
#define ICC_CTLR_EOIMODE  (1u << 1)
#define ICC_IAR_INTID     0xffffffu

/*
 * Wait for bits of a register to read as want, at most SETTLE_NS; whether they did, and the
 * register as last read in *value (irq/gicv3.c).
 */
#define SETTLE_NS  10000000ull
bool gicv3_settle(uintptr_t reg, uint32_t bits, uint32_t want, uint32_t *value);

/*
 * This CPU's interface through its System registers: SRE on, every priority unmasked, no
 * preemption grouping, EOImode 0, Group 1 signalled. False when SRE cannot be set (irq/gicv3.c).
 */
bool gicv3_cpu_interface_on(void);

#endif
