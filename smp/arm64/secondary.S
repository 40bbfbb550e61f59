/*
 * arm64 secondary CPU entry: where PSCI CPU_ON starts a CPU the boot CPU brought up
 * (smp/smp.c).
 *
 * The CPU starts as the boot CPU did at Xen's hand-over, but with nothing done for it: MMU
 * and caches off, at EL1 (Xen) or possibly EL2 (a loader or firmware without a hypervisor),
 * and x0 holding the context_id given to CPU_ON, which is the physical address of its struct
 * arch_secondary_boot (include/arm64/arch/smp.h). The image is already relocated and the
 * kernel's page tables are built, so this only drops to EL1 if needed (the boot CPU's
 * el2_to_el1, boot/arm64/head.S), points the vectors at the kernel's, lets EL1 use FP/SIMD,
 * turns the MMU on with exactly the boot CPU's MAIR, TCR, TTBR0 and SCTLR (the kernel map is
 * an identity map, so the next instruction is where it was), then takes its own stack and
 * per-CPU pointer (TPIDR_EL1) and calls secondary_main(cpu).
 */
#include <arch/smp.h>

#define CURRENTEL_EL2   (2 << 2)
#define CPACR_FPEN_ALL  (3 << 20)

	.section .text, "ax"
	.globl	secondary_entry
	.type	secondary_entry, %function
	.balign	8
secondary_entry:
	msr	daifset, #0xf
	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL2
	b.ne	1f
	bl	el2_to_el1			/* returns at EL1, x0 kept */
1:	mov	x19, x0				/* the boot block; MMU off: physical = virtual */

	adrp	x9, exception_vectors
	add	x9, x9, :lo12:exception_vectors
	msr	vbar_el1, x9
	mrs	x9, cpacr_el1
	orr	x9, x9, #CPACR_FPEN_ALL
	msr	cpacr_el1, x9

	ldr	x9, [x19, #SECONDARY_BOOT_MAIR]
	msr	mair_el1, x9
	ldr	x9, [x19, #SECONDARY_BOOT_TCR]
	msr	tcr_el1, x9
	ldr	x9, [x19, #SECONDARY_BOOT_TTBR0]
	msr	ttbr0_el1, x9
	isb
	/* Nothing this CPU may hold from before reset may be used once lookups start. */
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	ldr	x9, [x19, #SECONDARY_BOOT_SCTLR]
	msr	sctlr_el1, x9
	isb

	ldr	x9, [x19, #SECONDARY_BOOT_STACK_TOP]
	mov	sp, x9
	ldr	x0, [x19, #SECONDARY_BOOT_CPU]
	msr	tpidr_el1, x0
	bl	secondary_main
	b	arch_halt_wfi
	.size	secondary_entry, . - secondary_entry
