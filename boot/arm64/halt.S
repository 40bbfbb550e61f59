/*
 * arch_halt_crash: SCHEDOP_shutdown(SHUTDOWN_crash) using only registers and a constant
 * argument in the image, so it works before the stack exists and with the MMU off.
 */
	.section .text, "ax"
	.globl	arch_halt_crash
arch_halt_crash:
	msr	daifset, #0xf
	adr	x1, crash_reason
	mov	x0, #2				/* SCHEDOP_shutdown */
	mov	x16, #29			/* __HYPERVISOR_sched_op */
	hvc	#0xea1
1:	wfi					/* Xen refused: stop here */
	b	1b

	.section .rodata
	.balign	4
crash_reason:
	.long	1				/* struct sched_shutdown { SHUTDOWN_crash } */
