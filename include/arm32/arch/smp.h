/*
 * arm32 parts of bringing up secondary CPUs (smp/smp.c, smp/arm32/secondary.S): what a
 * secondary reads, with its MMU off, to run like the boot CPU; the per-CPU pointer register;
 * cleaning what it will read to the point of coherency.
 *
 * The per-CPU pointer is TPIDRPRW (CP15 c13, c0, 4), which only PL1 can read or write.
 * TPIDRURO is the running thread's TLS pointer (sched/, the compiler's thread pointer).
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

/* Offsets in struct arch_secondary_boot, for secondary.S. */
#define SECONDARY_BOOT_MAIR0      0
#define SECONDARY_BOOT_MAIR1      4
#define SECONDARY_BOOT_TTBCR      8
#define SECONDARY_BOOT_SCTLR      12
#define SECONDARY_BOOT_TTBR0_LO   16
#define SECONDARY_BOOT_TTBR0_HI   20
#define SECONDARY_BOOT_STACK_TOP  24
#define SECONDARY_BOOT_CPU        28

/* PSCI CPU_ON with the SMC32 convention (Arm DEN 0022, 5.1.4). */
#define PSCI_CPU_ON_NATIVE        0x84000003u

/* MPIDR's affinity fields: Aff2-Aff0 [23:0]; the rest are flags. */
#define MPIDR_AFFINITY_MASK       0xffffffull

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

/*
 * Everything secondary_entry needs, read with the MMU off (so: naturally aligned words,
 * cleaned to the point of coherency by the boot CPU): the boot CPU's translation registers
 * as it runs now (LPAE: TTBR0 is 64 bits), the new CPU's stack and its struct cpu.
 */
struct arch_secondary_boot {
	uint32_t mair0, mair1, ttbcr, sctlr;
	uint32_t ttbr0_lo, ttbr0_hi;
	uint32_t stack_top;
	uint32_t cpu;
};

_Static_assert(offsetof(struct arch_secondary_boot, mair0) == SECONDARY_BOOT_MAIR0 &&
	       offsetof(struct arch_secondary_boot, mair1) == SECONDARY_BOOT_MAIR1 &&
	       offsetof(struct arch_secondary_boot, ttbcr) == SECONDARY_BOOT_TTBCR &&
	       offsetof(struct arch_secondary_boot, sctlr) == SECONDARY_BOOT_SCTLR &&
	       offsetof(struct arch_secondary_boot, ttbr0_lo) == SECONDARY_BOOT_TTBR0_LO &&
	       offsetof(struct arch_secondary_boot, ttbr0_hi) == SECONDARY_BOOT_TTBR0_HI &&
	       offsetof(struct arch_secondary_boot, stack_top) == SECONDARY_BOOT_STACK_TOP &&
	       offsetof(struct arch_secondary_boot, cpu) == SECONDARY_BOOT_CPU,
	       "secondary.S reads these offsets");

#define SMP_CP15(crn, op1, crm, op2) ({                                               \
	uint32_t __v;                                                                 \
	__asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(__v)); \
	__v; })

/* The boot CPU's MMU settings, as it ends with them, for a secondary to load. */
static inline void arch_secondary_boot_fill(struct arch_secondary_boot *b)
{
	uint32_t lo, hi;

	b->mair0 = SMP_CP15(c10, 0, c2, 0);
	b->mair1 = SMP_CP15(c10, 0, c2, 1);
	b->ttbcr = SMP_CP15(c2, 0, c0, 2);
	b->sctlr = SMP_CP15(c1, 0, c0, 0);
	__asm__ volatile("mrrc p15, 0, %0, %1, c2" : "=r"(lo), "=r"(hi));
	b->ttbr0_lo = lo;
	b->ttbr0_hi = hi;
}

static inline void arch_set_this_cpu(void *cpu)
{
	__asm__ volatile("mcr p15, 0, %0, c13, c0, 4" : : "r"(cpu) : "memory");
}

static inline void *arch_this_cpu(void)
{
	return (void *)SMP_CP15(c13, 0, c0, 4);
}

/*
 * Clean [start, end) from the data cache to the point of coherency (DCCMVAC), so that a CPU
 * reading it with its MMU (and so its caches) off sees what this one wrote.
 */
static inline void arch_dcache_clean_range(uintptr_t start, uintptr_t end)
{
	uintptr_t line = 4u << ((SMP_CP15(c0, 0, c0, 1) >> 16) & 0xf);	/* CTR.DminLine */

	for (uintptr_t a = start & ~(line - 1); a < end; a += line)
		__asm__ volatile("mcr p15, 0, %0, c7, c10, 1" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

#endif
#endif
