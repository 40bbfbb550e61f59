/*
 * arm32: SMCCC fast calls (include/arbor/smccc.h) with HVC #0 or SMC #0. The function ID goes
 * in r0 and the results come back in r0..r3. r4..r7 are argument registers that a v1.0
 * callee need not preserve, so they are clobbered as well. HVC needs the virtualization
 * extensions and SMC the security extensions to be named to the assembler.
 */
#ifndef ARCH_SMCCC_H
#define ARCH_SMCCC_H

#define ARCH_SMCCC_CALL(insn, fid, p1, p2, p3, res)                                        \
	do {                                                                               \
		register unsigned long r0 __asm__("r0") = (fid);                           \
		register unsigned long r1 __asm__("r1") = (p1);                            \
		register unsigned long r2 __asm__("r2") = (p2);                            \
		register unsigned long r3 __asm__("r3") = (p3);                            \
		__asm__ volatile(insn                                                      \
				 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)                  \
				 :                                                         \
				 : "r4", "r5", "r6", "r7", "memory");                      \
		(res)->a0 = r0;                                                            \
		(res)->a1 = r1;                                                            \
		(res)->a2 = r2;                                                            \
		(res)->a3 = r3;                                                            \
	} while (0)

static inline void arch_smccc_hvc(uint32_t fid, struct smccc_res *res)
{
	ARCH_SMCCC_CALL(".arch_extension virt\n\thvc #0", fid, 0, 0, 0, res);
}

static inline void arch_smccc_smc(uint32_t fid, struct smccc_res *res)
{
	ARCH_SMCCC_CALL(".arch_extension sec\n\tsmc #0", fid, 0, 0, 0, res);
}

/* The same with three arguments in r1..r3 (PSCI CPU_ON: target, entry point, context). */
static inline void arch_smccc_hvc3(uint32_t fid, unsigned long a1, unsigned long a2,
				   unsigned long a3, struct smccc_res *res)
{
	ARCH_SMCCC_CALL(".arch_extension virt\n\thvc #0", fid, a1, a2, a3, res);
}

static inline void arch_smccc_smc3(uint32_t fid, unsigned long a1, unsigned long a2,
				   unsigned long a3, struct smccc_res *res)
{
	ARCH_SMCCC_CALL(".arch_extension sec\n\tsmc #0", fid, a1, a2, a3, res);
}

#endif
