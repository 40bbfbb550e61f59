/*
 * arm64 parts of bringing up secondary CPUs (smp/smp.c, smp/arm64/secondary.S): what a
 * secondary reads, with its MMU off, to run like the boot CPU; the per-CPU pointer register;
 * cleaning what it will read to the point of coherency.
 *
 * The per-CPU pointer is TPIDR_EL1, which only EL1 can read or write. TPIDR_EL0 is the
 * running thread's TLS pointer (sched/, the compiler's thread pointer), and the exception
 * vectors park a register in TPIDRRO_EL0 (boot/arm64/vectors.S), so neither is free.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

/* Offsets in struct arch_secondary_boot, for secondary.S. */
#define SECONDARY_BOOT_MAIR       0
#define SECONDARY_BOOT_TCR        8
#define SECONDARY_BOOT_TTBR0      16
#define SECONDARY_BOOT_SCTLR      24
#define SECONDARY_BOOT_STACK_TOP  32
#define SECONDARY_BOOT_CPU        40

/* PSCI CPU_ON with the SMC64 convention (Arm DEN 0022, 5.1.4): a 64-bit entry point. */
#define PSCI_CPU_ON_NATIVE        0xc4000003u

/* MPIDR_EL1's affinity fields: Aff3 [39:32], Aff2-Aff0 [23:0]; the rest are flags. */
#define MPIDR_AFFINITY_MASK       0xff00ffffffull

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

/*
 * Everything secondary_entry needs, read with the MMU off (so: naturally aligned words,
 * cleaned to the point of coherency by the boot CPU): the boot CPU's translation registers
 * as it runs now, the new CPU's stack and its struct cpu.
 */
struct arch_secondary_boot {
	uint64_t mair, tcr, ttbr0, sctlr;
	uint64_t stack_top;
	uint64_t cpu;
};

_Static_assert(offsetof(struct arch_secondary_boot, mair) == SECONDARY_BOOT_MAIR &&
	       offsetof(struct arch_secondary_boot, tcr) == SECONDARY_BOOT_TCR &&
	       offsetof(struct arch_secondary_boot, ttbr0) == SECONDARY_BOOT_TTBR0 &&
	       offsetof(struct arch_secondary_boot, sctlr) == SECONDARY_BOOT_SCTLR &&
	       offsetof(struct arch_secondary_boot, stack_top) == SECONDARY_BOOT_STACK_TOP &&
	       offsetof(struct arch_secondary_boot, cpu) == SECONDARY_BOOT_CPU,
	       "secondary.S reads these offsets");

#define SMP_SYSREG(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })

/* The boot CPU's MMU settings, as it ends with them, for a secondary to load. */
static inline void arch_secondary_boot_fill(struct arch_secondary_boot *b)
{
	b->mair = SMP_SYSREG(mair_el1);
	b->tcr = SMP_SYSREG(tcr_el1);
	b->ttbr0 = SMP_SYSREG(ttbr0_el1);
	b->sctlr = SMP_SYSREG(sctlr_el1);
}

static inline void arch_set_this_cpu(void *cpu)
{
	__asm__ volatile("msr tpidr_el1, %0" : : "r"(cpu) : "memory");
}

static inline void *arch_this_cpu(void)
{
	return (void *)SMP_SYSREG(tpidr_el1);
}

/*
 * Clean [start, end) from the data cache to the point of coherency (DC CVAC), so that a CPU
 * reading it with its MMU (and so its caches) off sees what this one wrote.
 */
static inline void arch_dcache_clean_range(uintptr_t start, uintptr_t end)
{
	uintptr_t line = 4u << ((SMP_SYSREG(ctr_el0) >> 16) & 0xf);	/* CTR_EL0.DminLine */

	for (uintptr_t a = start & ~(line - 1); a < end; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

#endif
#endif
