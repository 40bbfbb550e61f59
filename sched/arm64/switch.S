/*
 * arm64 context switch: arch_context_switch(from, to) saves the callee-saved state of the
 * caller in *from (struct arch_context, include/arm64/arch/context.h) and returns into the
 * thread *to was saved from (or, for a new thread, into sched_thread_start). Everything else
 * is caller-saved under AAPCS64, so the compiler has already kept what it needs.
 */
	.arch_extension fp
	.arch_extension simd

	.text
	.globl	arch_context_switch
	.type	arch_context_switch, %function
arch_context_switch:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x9, sp
	mrs	x10, tpidr_el0
	stp	x9, x10, [x0, #96]
	stp	d8, d9, [x0, #112]
	stp	d10, d11, [x0, #128]
	stp	d12, d13, [x0, #144]
	stp	d14, d15, [x0, #160]

	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	ldp	x9, x10, [x1, #96]
	ldp	d8, d9, [x1, #112]
	ldp	d10, d11, [x1, #128]
	ldp	d12, d13, [x1, #144]
	ldp	d14, d15, [x1, #160]
	mov	sp, x9
	msr	tpidr_el0, x10
	ret
	.size	arch_context_switch, . - arch_context_switch
