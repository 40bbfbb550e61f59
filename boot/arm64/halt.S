/*
 * arch_halt_crash: SCHEDOP_shutdown(SHUTDOWN_crash) using only registers and a constant
 * argument in the image, so it works before the stack exists and with the MMU off. Where no
 * Xen takes the call (bare hardware: EL2's stub, or a PSCI firmware, answers -1), it goes on
 * as arch_halt_wfi: interrupts masked, WFI for ever.
 */
	.section .text, "ax"
	.globl	arch_halt_crash
arch_halt_crash:
	msr	daifset, #0xf
	adr	x1, crash_reason
	mov	x0, #2				/* SCHEDOP_shutdown */
	mov	x16, #29			/* __HYPERVISOR_sched_op */
	hvc	#0xea1
	.globl	arch_halt_wfi
arch_halt_wfi:
	msr	daifset, #0xf
1:	wfi					/* no Xen, or Xen refused: stop here */
	b	1b

	.section .rodata
	.balign	4
crash_reason:
	.long	1				/* struct sched_shutdown { SHUTDOWN_crash } */
