/*
 * arch_halt_crash: SCHEDOP_shutdown(SHUTDOWN_crash) using only registers and a constant
 * argument in the image, so it works before the stack exists and with the MMU off. Where no
 * Xen takes the call (bare hardware: HYP's stub, or a PSCI firmware, answers -1), it goes on
 * as arch_halt_wfi: interrupts masked, WFI for ever.
 */
	.arm
	.syntax	unified
	.arch_extension virt

	.section .text, "ax"
	.globl	arch_halt_crash
	.type	arch_halt_crash, %function
arch_halt_crash:
	cpsid	aif
	adr	r1, crash_reason
	mov	r0, #2				/* SCHEDOP_shutdown */
	mov	r12, #29			/* __HYPERVISOR_sched_op */
	hvc	#0xea1
	.size	arch_halt_crash, . - arch_halt_crash
	.globl	arch_halt_wfi
	.type	arch_halt_wfi, %function
arch_halt_wfi:
	cpsid	aif
1:	wfi					/* no Xen, or Xen refused: stop here */
	b	1b
	.size	arch_halt_wfi, . - arch_halt_wfi

	/* In .text, not .rodata, so that `adr` reaches it; text is readable too. */
	.balign	4
crash_reason:
	.long	1				/* struct sched_shutdown { SHUTDOWN_crash } */
