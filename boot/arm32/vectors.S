/*
 * arm32 exception vectors (VBAR) and the stacks of the exception modes.
 *
 * Eight entries, one branch each (Arm ARM B1.8.1): reset, undefined instruction, supervisor
 * call, prefetch abort, data abort, an unused one, IRQ, FIQ. Arbor runs in SVC mode; every
 * entry but IRQ saves a full struct trap_frame and calls trap_entry(frame, vector), so that
 * an unexpected exception is reported, not lost. trap_entry returning means it was handled:
 * the registers are restored from the frame (possibly changed) and RFE returns to frame->pc
 * with frame->cpsr. IRQ, taken on purpose, calls irq_handle() in SVC mode (vec_irq below).
 *
 * Each exception mode (UND, ABT, IRQ, FIQ) has its own banked r13, and the frame is built on
 * a small stack of the exception mode instead of switching to SVC mode first. A data abort is
 * the exception most likely to mean that the SVC stack itself is bad (overflowed, or sp
 * corrupted); pushing the frame there would abort again, recursively, and the report would
 * never appear. The interrupted mode's sp and lr are read by visiting that mode briefly.
 *
 * One small stack serves the four modes (it is .bss, which the zImage carries in its file).
 * IRQ mode never pushes anything (vec_irq moves to SVC mode at once), and FIQs stay masked
 * (CPSR.F is never cleared), but an FIQ that came anyway is still reported on it. Every
 * exception that reaches trap_entry() is fatal: it reports and halts, never returns. So an
 * exception taken in another mode while a report is being made (an abort while reporting an
 * undefined instruction) may start again at the top and overwrite that report's frames, as
 * arm64's entries do on their one stack: the interrupted report never resumes. One taken in
 * the same mode (an abort while reporting an abort) nests below it. The stack is shared by
 * all CPUs, as on arm64: only the boot CPU runs anything that can take such an exception
 * (secondaries only idle and answer SGIs).
 */
#include <arch/asm.h>
#include <arch/trap.h>

/*
 * The frame (72 bytes) plus the report: trap_entry's 80 bytes, then printk's formatting and
 * the console's write. The deepest use seen is 616 bytes (selftest.fault=data and =stack,
 * role bare: the PL011's write path), about 0.7 KiB by GCC's -fstack-usage; three times
 * that fits.
 */
#define EXC_STACK_SIZE  2048
#define SCTLR_V         (1 << 13)	/* high vectors at 0xffff0000: must be clear for VBAR */
#define SCTLR_TE        (1 << 30)	/* exceptions taken in Thumb state: must be clear */

	.arm
	.syntax	unified

/*
 * The link register on entry is the preferred return address plus an offset that depends on
 * the exception (Arm ARM B1.8.3, table B1-7); take it off so frame->pc is where RFE resumes:
 * the aborted instruction for aborts, the next one for SVC, undefined instructions and
 * interrupts.
 */
	.macro	ventry	vector, lr_offset
	.if	\lr_offset
	sub	lr, lr, #\lr_offset
	.endif
	sub	sp, sp, #TRAP_FRAME_SIZE
	stmia	sp, {r0-r12}
	mov	r0, #\vector
	b	trap_common
	.endm

	.section .text, "ax"
	.balign	32			/* VBAR bits [4:0] are reserved */
	.globl	exception_vectors
exception_vectors:
	b	vec_reset
	b	vec_undef
	b	vec_svc
	b	vec_pabt
	b	vec_dabt
	b	vec_unused
	b	vec_irq
	b	vec_fiq

vec_reset:	ventry	VECTOR_RESET, 0
vec_undef:	ventry	VECTOR_UNDEF, 0
vec_svc:	ventry	VECTOR_SVC, 0
vec_pabt:	ventry	VECTOR_PABT, 4
vec_dabt:	ventry	VECTOR_DABT, 8
vec_unused:	ventry	VECTOR_UNUSED, 0
vec_fiq:	ventry	VECTOR_FIQ, 4

/*
 * IRQ: the one exception taken on purpose, handled by irq_handle() in SVC mode on the
 * interrupted code's own stack, as a call it did not make, rather than on the small IRQ-mode
 * stack: a handler then has the kernel stack's depth. IRQs are only unmasked in SVC mode
 * (every exception entry sets CPSR.I), so that stack is the SVC one.
 *
 * SRS pushes the return address and the interrupted CPSR (SPSR_irq) onto the SVC stack; the
 * AAPCS caller-saved registers and SVC mode's lr, which the call overwrites, follow. The
 * interrupted code may have had sp 4 mod 8 (only calls need 8-byte alignment), so sp is
 * aligned for the call and the adjustment kept beside it. RFE takes pc and CPSR back, the
 * T bit included, so Thumb code in the C library resumes in Thumb state.
 *
 * ARMv7 does not clear the local exclusive monitor on an exception return; CLREX does, so an
 * interrupted LDREX/STREX pair cannot succeed on a reservation the handler left behind.
 */
vec_irq:
	sub	lr, lr, #4			/* IRQ: lr is the return address + 4 (B1.8.3) */
	srsdb	sp!, #MODE_SVC
	cps	#MODE_SVC
	push	{r0-r3, r12, lr}
	and	r1, sp, #4
	sub	sp, sp, r1
	push	{r1, r2}			/* the adjustment, padded to keep 8-byte alignment */
	bl	irq_handle
	pop	{r1, r2}
	add	sp, sp, r1
	pop	{r0-r3, r12, lr}
	clrex
	rfeia	sp!

/* r0 = vector, r0-r12 saved at sp, lr = return address; in the exception's own mode. */
trap_common:
	mrs	r1, spsr
	str	lr, [sp, #TRAP_PC]
	str	r1, [sp, #TRAP_PC + 4]		/* cpsr */

	mrc	p15, 0, r2, c5, c0, 0		/* DFSR */
	mrc	p15, 0, r3, c6, c0, 0		/* DFAR */
	mrc	p15, 0, r4, c5, c0, 1		/* IFSR */
	mrc	p15, 0, r5, c6, c0, 2		/* IFAR */
	add	r6, sp, #TRAP_DFSR
	stmia	r6, {r2-r5}

	/*
	 * The interrupted mode's sp and lr are banked: switch to that mode (System mode for User,
	 * which shares its registers and can switch back), copy them, and return. Interrupts
	 * stay masked as they are now. An exception taken from its own mode (an abort while
	 * reporting an abort, an SVC in SVC mode) has already overwritten that mode's lr; its sp
	 * is the one below the frame.
	 */
	mrs	r2, cpsr
	and	r3, r1, #MODE_MASK
	cmp	r3, #MODE_USR
	moveq	r3, #MODE_SYS
	and	r4, r2, #MODE_MASK
	cmp	r3, r4
	addeq	r5, sp, #TRAP_FRAME_SIZE
	moveq	r6, lr
	beq	1f
	bic	r4, r2, #MODE_MASK
	orr	r4, r4, r3
	msr	cpsr_c, r4
	mov	r5, sp
	mov	r6, lr
	msr	cpsr_c, r2
1:	add	r7, sp, #TRAP_SP
	stmia	r7, {r5, r6}

	mov	r1, r0
	mov	r0, sp
	bl	trap_entry

	ldmia	sp, {r0-r12}
	add	sp, sp, #TRAP_PC
	rfeia	sp!				/* pc and cpsr from the frame; sp back above it */

/*
 * arch_exceptions_init: point VBAR at the vectors and give each exception mode the stack.
 * Called by head.S before anything else, with no stack; uses r0 only and runs in SVC mode
 * with interrupts masked, which it leaves so.
 */
	.globl	arch_exceptions_init
	.type	arch_exceptions_init, %function
arch_exceptions_init:
	mrc	p15, 0, r0, c1, c0, 0		/* SCTLR */
	bic	r0, r0, #SCTLR_V
	bic	r0, r0, #SCTLR_TE
	mcr	p15, 0, r0, c1, c0, 0
	adr_l	r0, exception_vectors
	mcr	p15, 0, r0, c12, c0, 0		/* VBAR */
	isb

	adr_l	r0, exception_stack_top
	cps	#MODE_UND
	mov	sp, r0
	cps	#MODE_IRQ
	mov	sp, r0
	cps	#MODE_FIQ
	mov	sp, r0
	cps	#MODE_ABT
	mov	sp, r0
	cps	#MODE_SVC
	bx	lr
	.size	arch_exceptions_init, . - arch_exceptions_init

	/* A stack needs no clearing: .bss.noclear, which head.S leaves alone (linker.ld). */
	.section .bss.noclear.exception_stack, "aw", %nobits
	.balign	8
exception_stack:
	.space	EXC_STACK_SIZE
exception_stack_top:
