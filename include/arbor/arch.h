/*
 * What common code asks of an architecture. Each of boot/<arch>, mm/<arch> and xen/<arch>
 * implements its part; nothing outside those directories knows which architecture it runs on.
 */
#ifndef ARBOR_ARCH_H
#define ARBOR_ARCH_H

#include <arbor/types.h>

/*
 * Shut the domain down with SHUTDOWN_crash; needs no stack or MMU (usable from head.S). Where
 * no Xen takes the hypercall, it goes on as arch_halt_wfi().
 */
void arch_halt_crash(void) __noreturn;

/* Mask interrupts and wait in WFI for ever: the end when nothing can power the machine off. */
void arch_halt_wfi(void) __noreturn;

/* Turn the MMU and caches on with the boot map; called once from head.S, MMU off. */
void arch_mmu_enable_boot(uintptr_t root);

/* Switch the running MMU to another identity map (same attributes scheme) and flush the TLB. */
void arch_mmu_switch(uintptr_t root);

/* Make page-table stores visible to the table walker before they are used. */
void arch_mmu_sync(void);

/*
 * Replace a descriptor of the live kernel map that maps va (or an invalid one) with val:
 * write an invalid descriptor, DSB, invalidate the TLB entries for va, DSB, write val, DSB,
 * ISB (break-before-make, Arm ARM D8.14.1). Touches no memory but the descriptor between
 * the break and the make, so the block being replaced may hold the caller's stack.
 */
void arch_pte_write_live(pte_t *entry, pte_t val, uint64_t va);

/* What the system control register says about translation and caches. */
struct arch_mmu_state {
	bool mmu;
	bool dcache;
	bool icache;
};
void arch_mmu_state(struct arch_mmu_state *state);

/*
 * Ask the MMU itself (an address translation instruction) whether va is mapped for a read
 * or, with write, a write at the current exception level. On success *pa and *mair_attr (the
 * memory attribute byte the walk found) are set.
 */
bool arch_translate(vaddr_t va, bool write, paddr_t *pa, unsigned *mair_attr);

/* The virtual counter (CNTVCT) and its frequency in Hz (CNTFRQ). */
uint64_t arch_counter(void);
uint64_t arch_counter_freq(void);

/* A one-line description of the CPU the kernel runs on ("arm64 EL1, MPIDR 0x80000000"). */
void arch_describe_cpu(char *buf, size_t size);

#endif
