/*
 * arm32 secondary CPU entry: where PSCI CPU_ON starts a CPU the boot CPU brought up
 * (smp/smp.c).
 *
 * The CPU starts as the boot CPU did at Xen's hand-over, but with nothing done for it: MMU
 * and caches off, in SVC mode (Xen) or possibly HYP (a loader or firmware without a
 * hypervisor), ARM state, and r0 holding the context_id given to CPU_ON, which is the
 * physical address of its struct arch_secondary_boot (include/arm32/arch/smp.h). The image
 * is already relocated and the kernel's page tables are built, so this only drops to SVC if
 * needed (the boot CPU's hyp_to_svc, boot/arm32/head.S), sets VBAR and the exception modes'
 * stack (arch_exceptions_init, boot/arm32/vectors.S: the same small stack as the boot CPU's,
 * used only for a fatal exception's report), turns the MMU on with exactly the boot CPU's
 * MAIR0/1, TTBCR, TTBR0 and SCTLR (the kernel map is an identity map, so the next
 * instruction is where it was), then takes its own stack and per-CPU pointer (TPIDRPRW) and
 * calls secondary_main(cpu).
 */
#include <arch/asm.h>
#include <arch/smp.h>

#define MODE_HYP  0x1a

	.arm
	.syntax	unified

	.section .text, "ax"
	.globl	secondary_entry
	.type	secondary_entry, %function
	.balign	8
secondary_entry:
	/* In HYP mode a CPS to another mode is UNPREDICTABLE: leave it by an exception return. */
	mrs	r4, cpsr
	and	r4, r4, #MODE_MASK
	cmp	r4, #MODE_HYP
	bleq	hyp_to_svc			/* returns in SVC mode, r0-r2 kept */
	cpsid	aif, #MODE_SVC
	mov	r10, r0				/* the boot block; MMU off: physical = virtual */
	bl	arch_exceptions_init		/* uses r0 only */

	ldr	r4, [r10, #SECONDARY_BOOT_MAIR0]
	mcr	p15, 0, r4, c10, c2, 0		/* MAIR0 */
	ldr	r4, [r10, #SECONDARY_BOOT_MAIR1]
	mcr	p15, 0, r4, c10, c2, 1		/* MAIR1 */
	ldr	r4, [r10, #SECONDARY_BOOT_TTBCR]
	mcr	p15, 0, r4, c2, c0, 2		/* TTBCR */
	isb
	ldr	r4, [r10, #SECONDARY_BOOT_TTBR0_LO]
	ldr	r5, [r10, #SECONDARY_BOOT_TTBR0_HI]
	mcrr	p15, 0, r4, r5, c2		/* TTBR0, 64-bit with LPAE */
	isb
	/* Nothing this CPU may hold from before reset may be used once lookups start. */
	mov	r4, #0
	mcr	p15, 0, r4, c8, c7, 0		/* TLBIALL */
	mcr	p15, 0, r4, c7, c5, 0		/* ICIALLU */
	mcr	p15, 0, r4, c7, c5, 6		/* BPIALL */
	dsb	nsh
	isb
	ldr	r4, [r10, #SECONDARY_BOOT_SCTLR]
	mcr	p15, 0, r4, c1, c0, 0		/* SCTLR */
	isb

	ldr	sp, [r10, #SECONDARY_BOOT_STACK_TOP]
	ldr	r0, [r10, #SECONDARY_BOOT_CPU]
	mcr	p15, 0, r0, c13, c0, 4		/* TPIDRPRW */
	bl	secondary_main
	b	arch_halt_wfi
	.size	secondary_entry, . - secondary_entry
