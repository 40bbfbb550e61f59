/*
 * arm64 exception vectors (VBAR_EL1).
 *
 * Sixteen 128-byte entries: {current EL with SP0, current EL with SPx, lower EL AArch64,
 * lower EL AArch32} x {synchronous, IRQ, FIQ, SError}. Arbor runs at EL1 on SPx, but every
 * entry saves a full struct trap_frame and calls trap_entry(frame, vector) so that an
 * unexpected one is reported, not lost. trap_entry returning means the exception was handled:
 * the frame (possibly changed) is restored and we eret.
 *
 * The one exception taken on purpose, an IRQ at EL1 on SPx, goes to irq_entry instead: the
 * same frame, then the FP/SIMD state (q0-q31, FPSR, FPCR), then irq_handle() and back. The
 * kernel's C is built -mgeneral-regs-only, but the C library's string routines use the
 * vector registers, and an interrupted memcpy must find them as it left them. Fatal
 * exceptions do not return, so they skip that save.
 *
 * Every other entry builds its frame on a stack of its own (exception_stack), not on the
 * interrupted one: a data abort is the exception most likely to mean that the stack itself
 * is bad (a thread that ran into its guard page, sched/thread.c), and pushing the frame
 * there would abort again, recursively, and the report would never appear. The entry has no
 * free register to switch with, so x0 is parked in TPIDRRO_EL0 and the interrupted sp in
 * SP_EL0, neither of which Arbor uses otherwise (it runs at EL1 only, on SP_EL1, SPSel = 1).
 * Not TPIDR_EL1: that is the per-CPU pointer (smp/, include/arm64/arch/smp.h), which an
 * exception must not lose. The stack is shared by all CPUs: only the boot CPU runs anything
 * that can take such an exception (secondaries only idle and answer SGIs).
 */
#include <arch/trap.h>

#define FPSIMD_FRAME_SIZE  (16 + 32 * 16)	/* FPSR, FPCR, q0-q31; keeps sp 16-byte aligned */

	.arch_extension fp
	.arch_extension simd

#define EXCEPTION_STACK_SIZE  8192	/* the frame plus the report's printk calls */
#define TRAP_SP               (31 * 8)

	.macro	ventry	n
	.balign	128
	msr	tpidrro_el0, x0
	mov	x0, sp
	msr	sp_el0, x0
	adrp	x0, exception_stack_top
	add	x0, x0, :lo12:exception_stack_top
	mov	sp, x0
	mrs	x0, tpidrro_el0
	sub	sp, sp, #TRAP_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\n
	b	trap_common
	.endm

	.macro	ventry_irq
	.balign	128
	sub	sp, sp, #TRAP_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	b	irq_entry
	.endm

/* The rest of struct trap_frame, after the entry stored x0 and x1 at sp. */
	.macro	save_frame
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x2, sp, #TRAP_FRAME_SIZE	/* the stack pointer before the exception */
	stp	x30, x2, [sp, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #256]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #272]
	.endm

	.macro	restore_regs
	ldp	x2, x3, [sp, #256]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	.endm

	.macro	restore_frame_eret
	restore_regs
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #TRAP_FRAME_SIZE
	eret
	.endm

	/* The same, back onto the stack pointer parked in SP_EL0 rather than above the frame. */
	.macro	restore_frame_eret_to_sp_el0
	restore_regs
	ldp	x0, x1, [sp, #0]
	msr	tpidrro_el0, x0
	mrs	x0, sp_el0
	mov	sp, x0
	mrs	x0, tpidrro_el0
	eret
	.endm

	.section .text, "ax"
	.balign	2048
	.globl	exception_vectors
exception_vectors:
	ventry	0
	ventry	1
	ventry	2
	ventry	3
	ventry	4
	ventry_irq			/* 5: IRQ, current EL with SPx */
	ventry	6
	ventry	7
	ventry	8
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

/* Every exception but the IRQ, on exception_stack: the frame records the interrupted sp
 * the entry parked in SP_EL0, and that sp is what is restored if trap_entry returns. */
trap_common:
	save_frame
	mrs	x2, sp_el0
	str	x2, [sp, #TRAP_SP]
	mov	x0, sp
	bl	trap_entry
	ldr	x0, [sp, #TRAP_SP]
	msr	sp_el0, x0
	restore_frame_eret_to_sp_el0

	/* A stack needs no clearing: .bss.noclear, which head.S leaves alone (linker.ld). */
	.section .bss.noclear.exception_stack, "aw", %nobits
	.balign	16
exception_stack:
	.space	EXCEPTION_STACK_SIZE
exception_stack_top:
	.previous

irq_entry:
	save_frame
	sub	sp, sp, #FPSIMD_FRAME_SIZE
	stp	q0, q1, [sp, #16]
	stp	q2, q3, [sp, #48]
	stp	q4, q5, [sp, #80]
	stp	q6, q7, [sp, #112]
	stp	q8, q9, [sp, #144]
	stp	q10, q11, [sp, #176]
	stp	q12, q13, [sp, #208]
	stp	q14, q15, [sp, #240]
	stp	q16, q17, [sp, #272]
	stp	q18, q19, [sp, #304]
	stp	q20, q21, [sp, #336]
	stp	q22, q23, [sp, #368]
	stp	q24, q25, [sp, #400]
	stp	q26, q27, [sp, #432]
	stp	q28, q29, [sp, #464]
	stp	q30, q31, [sp, #496]
	mrs	x2, fpsr
	mrs	x3, fpcr
	stp	x2, x3, [sp, #0]

	bl	irq_handle

	ldp	x2, x3, [sp, #0]
	msr	fpsr, x2
	msr	fpcr, x3
	ldp	q0, q1, [sp, #16]
	ldp	q2, q3, [sp, #48]
	ldp	q4, q5, [sp, #80]
	ldp	q6, q7, [sp, #112]
	ldp	q8, q9, [sp, #144]
	ldp	q10, q11, [sp, #176]
	ldp	q12, q13, [sp, #208]
	ldp	q14, q15, [sp, #240]
	ldp	q16, q17, [sp, #272]
	ldp	q18, q19, [sp, #304]
	ldp	q20, q21, [sp, #336]
	ldp	q22, q23, [sp, #368]
	ldp	q24, q25, [sp, #400]
	ldp	q26, q27, [sp, #432]
	ldp	q28, q29, [sp, #464]
	ldp	q30, q31, [sp, #496]
	add	sp, sp, #FPSIMD_FRAME_SIZE
	restore_frame_eret
