/*
 * arm64: SMCCC fast calls (include/arbor/smccc.h) with HVC #0 or SMC #0. The function ID goes
 * in w0 and the results come back in x0..x3; under SMCCC v1.0 x4..x17 may be changed by the
 * callee (DEN 0028, 2.6 "SMC64/HVC64 argument passing"), so they are clobbered. The immediate
 * is 0: Xen takes HVC #0xEA1 as a hypercall and any other HVC as an SMCCC call.
 */
#ifndef ARCH_SMCCC_H
#define ARCH_SMCCC_H

#define ARCH_SMCCC_CALL(insn, fid, p1, p2, p3, res)                                        \
	do {                                                                               \
		register unsigned long x0 __asm__("x0") = (fid);                           \
		register unsigned long x1 __asm__("x1") = (p1);                            \
		register unsigned long x2 __asm__("x2") = (p2);                            \
		register unsigned long x3 __asm__("x3") = (p3);                            \
		__asm__ volatile(insn                                                      \
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)                  \
				 :                                                         \
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", \
				   "x13", "x14", "x15", "x16", "x17", "memory");           \
		(res)->a0 = (uint32_t)x0;                                                  \
		(res)->a1 = (uint32_t)x1;                                                  \
		(res)->a2 = (uint32_t)x2;                                                  \
		(res)->a3 = (uint32_t)x3;                                                  \
	} while (0)

static inline void arch_smccc_hvc(uint32_t fid, struct smccc_res *res)
{
	ARCH_SMCCC_CALL("hvc #0", fid, 0, 0, 0, res);
}

static inline void arch_smccc_smc(uint32_t fid, struct smccc_res *res)
{
	ARCH_SMCCC_CALL("smc #0", fid, 0, 0, 0, res);
}

/* The same with three arguments in x1..x3 (PSCI CPU_ON: target, entry point, context). */
static inline void arch_smccc_hvc3(uint32_t fid, unsigned long a1, unsigned long a2,
				   unsigned long a3, struct smccc_res *res)
{
	ARCH_SMCCC_CALL("hvc #0", fid, a1, a2, a3, res);
}

static inline void arch_smccc_smc3(uint32_t fid, unsigned long a1, unsigned long a2,
				   unsigned long a3, struct smccc_res *res)
{
	ARCH_SMCCC_CALL("smc #0", fid, a1, a2, a3, res);
}

#endif
