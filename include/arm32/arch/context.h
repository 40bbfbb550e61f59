/*
 * arm32: what a context switch saves (sched/arm32/switch.S). The AAPCS callee-saved
 * registers r4-r11, sp and lr, plus the thread pointer TPIDRURO. The kernel is built
 * without floating point and picolibc's arm32 libraries are soft-float, so no VFP state.
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <arbor/types.h>

struct arch_context {
	uint32_t r4_r11[8];
	uint32_t sp, lr;
	uint32_t tpidr;
};

_Static_assert(sizeof(struct arch_context) == 11 * 4, "switch.S's offsets");

/*
 * The thread control block the thread pointer points at, before the TLS block (the ELF TLS
 * ABI's variant 1): 8 bytes on arm32, so the linker places TLS variables at the thread
 * pointer plus 8, rounded up to the TLS segment's alignment, plus their offset in it.
 */
#define ARCH_TLS_TCB_SIZE  8

/* Save the caller's registers in from, load to's and continue where to last left off. */
void arch_context_switch(struct arch_context *from, struct arch_context *to);

/* Set up ctx to start in sched_thread_start() on the stack ending at stack_top. */
void arch_context_init(struct arch_context *ctx, uintptr_t stack_top);

/* Load the thread pointer register (the switch saves and restores it from then on). */
static inline void arch_set_thread_pointer(uintptr_t tp)
{
	__asm__ volatile("mcr p15, 0, %0, c13, c0, 3" : : "r"(tp) : "memory");
}

static inline uintptr_t arch_get_thread_pointer(void)
{
	uintptr_t tp;

	__asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(tp));
	return tp;
}

#endif
