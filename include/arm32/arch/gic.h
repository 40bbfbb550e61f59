/*
 * arm32 parts of the GIC drivers (irq/gicv2.c, irq/gicv3.c): register accesses to the
 * memory-mapped frames, the GICv3 CPU interface's System registers through their AArch32
 * cp15 encodings (IHI 0069H 12.5), and MPIDR.
 *
 * Register accesses go through arch/io.h's accessors: every distributor and redistributor
 * access traps to Xen, which can emulate only a single load or store (see there).
 *
 * With GICv3 the same guest runs on a host whose CPU interface is only reachable through
 * System registers: ICC_SGI1R is the one 64-bit register (MCRR, Rt the low word, Rt2 the
 * high word).
 */
#ifndef ARCH_GIC_H
#define ARCH_GIC_H

#include <arbor/types.h>
#include <arch/io.h>

/* "opc1, CRn, CRm, opc2" of a 32-bit cp15 register. */
#define ICC_READ(enc)                                                       \
	({                                                                  \
		uint32_t __v;                                               \
		__asm__ volatile("mrc p15, " enc : "=r"(__v));              \
		__v;                                                        \
	})
#define ICC_WRITE(enc, v) \
	__asm__ volatile("mcr p15, " enc : : "r"((uint32_t)(v)) : "memory")

/* The operand template puts Rt between opc1 and CRn: "0, %0, c12, c12, 0". */
static inline uint32_t icc_iar1_read(void) { return ICC_READ("0, %0, c12, c12, 0"); }
static inline void icc_eoir1_write(uint32_t v) { ICC_WRITE("0, %0, c12, c12, 1", v); }
static inline uint32_t icc_hppir1_read(void) { return ICC_READ("0, %0, c12, c12, 2"); }
static inline void icc_bpr1_write(uint32_t v) { ICC_WRITE("0, %0, c12, c12, 3", v); }
static inline uint32_t icc_ctlr_read(void) { return ICC_READ("0, %0, c12, c12, 4"); }
static inline void icc_ctlr_write(uint32_t v) { ICC_WRITE("0, %0, c12, c12, 4", v); }
static inline uint32_t icc_sre_read(void) { return ICC_READ("0, %0, c12, c12, 5"); }
static inline void icc_sre_write(uint32_t v) { ICC_WRITE("0, %0, c12, c12, 5", v); }
static inline void icc_igrpen1_write(uint32_t v) { ICC_WRITE("0, %0, c12, c12, 7", v); }
static inline uint32_t icc_rpr_read(void) { return ICC_READ("0, %0, c12, c11, 3"); }
static inline void icc_pmr_write(uint32_t v) { ICC_WRITE("0, %0, c4, c6, 0", v); }

static inline void icc_sgi1r_write(uint64_t v)
{
	__asm__ volatile("mcrr p15, 0, %Q0, %R0, c12" : : "r"(v) : "memory");
}

static inline void gic_isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void gic_dsb(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

/* MPIDR: Aff0-Aff2 in bits [23:0]; AArch32 has no Aff3. */
static inline uint64_t arch_mpidr(void)
{
	uint32_t v;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(v));
	return v;
}

#endif
