/*
 * arm32 context switch: arch_context_switch(from, to) saves the callee-saved state of the
 * caller in *from (struct arch_context, include/arm32/arch/context.h) and returns into the
 * thread *to was saved from (or, for a new thread, into sched_thread_start). r0-r3 and r12
 * are caller-saved under the AAPCS; the thread pointer is TPIDRURO (CP15 c13, c0, 3),
 * which is what GCC's __aeabi_read_tp and -mtp=cp15 code read.
 */
	.text
	.arm
	.globl	arch_context_switch
	.type	arch_context_switch, %function
arch_context_switch:
	stm	r0, {r4-r11}
	str	sp, [r0, #32]
	str	lr, [r0, #36]
	mrc	p15, 0, r2, c13, c0, 3
	str	r2, [r0, #40]

	ldm	r1, {r4-r11}
	ldr	sp, [r1, #32]
	ldr	lr, [r1, #36]
	ldr	r2, [r1, #40]
	mcr	p15, 0, r2, c13, c0, 3
	bx	lr
	.size	arch_context_switch, . - arch_context_switch
