/*
 * A fake architecture for host tests of irq/irq.c: the per-CPU pointer is a variable, and
 * there is one CPU, the boot CPU, which smp/ never gives a struct cpu here (so irq_handle()
 * takes its ordinary path). Selected with -Itests/host/fake instead of -Iinclude/<arch>.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <stdint.h>

#define PSCI_CPU_ON_NATIVE   0xc4000003u
#define MPIDR_AFFINITY_MASK  0xff00ffffffull

struct arch_secondary_boot {
	uint64_t stack_top, cpu;
};

static void *fake_this_cpu;

static inline void arch_set_this_cpu(void *cpu)
{
	fake_this_cpu = cpu;
}

static inline void *arch_this_cpu(void)
{
	return fake_this_cpu;
}

#endif
