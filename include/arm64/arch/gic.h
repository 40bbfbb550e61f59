/*
 * arm64 parts of the GIC drivers (irq/gicv2.c, irq/gicv3.c): register accesses to the
 * memory-mapped frames, the GICv3 CPU interface's System registers, and MPIDR_EL1.
 *
 * Register accesses go through arch/io.h's accessors: every distributor and redistributor
 * access traps to Xen, which can emulate only a single load or store (see there).
 *
 * The ICC_* registers are named by their encodings (op0 3, op1 0, CRn, CRm, op2 from IHI
 * 0069H 12.2) so that no assembler GICv3 support is needed.
 */
#ifndef ARCH_GIC_H
#define ARCH_GIC_H

#include <arbor/types.h>
#include <arch/io.h>

#define ICC_READ(enc)                                                 \
	({                                                            \
		uint64_t __v;                                         \
		__asm__ volatile("mrs %0, " enc : "=r"(__v));         \
		__v;                                                  \
	})
#define ICC_WRITE(enc, v) __asm__ volatile("msr " enc ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline uint32_t icc_iar1_read(void) { return (uint32_t)ICC_READ("S3_0_C12_C12_0"); }
static inline void icc_eoir1_write(uint32_t v) { ICC_WRITE("S3_0_C12_C12_1", v); }
static inline uint32_t icc_hppir1_read(void) { return (uint32_t)ICC_READ("S3_0_C12_C12_2"); }
static inline void icc_bpr1_write(uint32_t v) { ICC_WRITE("S3_0_C12_C12_3", v); }
static inline uint32_t icc_ctlr_read(void) { return (uint32_t)ICC_READ("S3_0_C12_C12_4"); }
static inline void icc_ctlr_write(uint32_t v) { ICC_WRITE("S3_0_C12_C12_4", v); }
static inline uint32_t icc_sre_read(void) { return (uint32_t)ICC_READ("S3_0_C12_C12_5"); }
static inline void icc_sre_write(uint32_t v) { ICC_WRITE("S3_0_C12_C12_5", v); }
static inline void icc_igrpen1_write(uint32_t v) { ICC_WRITE("S3_0_C12_C12_7", v); }
static inline uint32_t icc_rpr_read(void) { return (uint32_t)ICC_READ("S3_0_C12_C11_3"); }
static inline void icc_sgi1r_write(uint64_t v) { ICC_WRITE("S3_0_C12_C11_5", v); }
static inline void icc_pmr_write(uint32_t v) { ICC_WRITE("S3_0_C4_C6_0", v); }

static inline void gic_isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

static inline void gic_dsb(void)
{
	__asm__ volatile("dsb sy" : : : "memory");
}

/* MPIDR_EL1: Aff0-Aff2 in bits [23:0], Aff3 in [39:32]. */
static inline uint64_t arch_mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v;
}

#endif
