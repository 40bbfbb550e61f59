/*
 * arm64: what a context switch saves (sched/arm64/switch.S). The AAPCS64 callee-saved
 * registers x19-x29, the link register, sp, and d8-d15 (callee-saved too: the kernel is
 * -mgeneral-regs-only, but picolibc may use SIMD), plus the thread pointer TPIDR_EL0.
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <arbor/types.h>

struct arch_context {
	uint64_t x19_x28[10];
	uint64_t fp, lr, sp;
	uint64_t tpidr;
	uint64_t d8_d15[8];
};

_Static_assert(sizeof(struct arch_context) == 22 * 8, "switch.S's offsets");

/*
 * The thread control block the thread pointer points at, before the TLS block (the ELF TLS
 * ABI's variant 1): 16 bytes on arm64, so the linker places TLS variables at the thread
 * pointer plus 16, rounded up to the TLS segment's alignment, plus their offset in it.
 */
#define ARCH_TLS_TCB_SIZE  16

/* Save the caller's registers in from, load to's and continue where to last left off. */
void arch_context_switch(struct arch_context *from, struct arch_context *to);

/* Set up ctx to start in sched_thread_start() on the stack ending at stack_top. */
void arch_context_init(struct arch_context *ctx, uintptr_t stack_top);

/* Load the thread pointer register (the switch saves and restores it from then on). */
static inline void arch_set_thread_pointer(uintptr_t tp)
{
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(tp) : "memory");
}

static inline uintptr_t arch_get_thread_pointer(void)
{
	uintptr_t tp;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	return tp;
}

#endif
