/*
 * arm32 entry point: the zImage header Xen recognises, and the first instructions.
 *
 * Xen's kernel_zimage32_probe reads the header at 0x24 (the layout of Linux's
 * arch/arm/boot/compressed/head.S): the magic, the load address (0: place anywhere) and the
 * end address, which it takes as the image size. It enters at offset 0 in SVC mode with the
 * MMU and D-cache off, r0 = 0, r1 = machine type, r2 = the DTB's physical address (Linux's
 * Documentation/arch/arm/booting.rst). A boot loader without Xen may enter in HYP mode, which
 * the same protocol allows: hyp_to_svc below then sets up what a PL1 kernel needs from HYP
 * and drops to SVC, so everything after it runs in SVC either way. The image is linked at 0 as a PIE and may be placed
 * anywhere, so before any C runs this code applies the R_ARM_RELATIVE relocations against the
 * address it actually runs at. Then it clears .bss, takes the boot stack, lets early_map()
 * (C, still MMU off) build an identity map of the image and the DTB, turns the MMU and caches
 * on, and calls kernel_main(dtb).
 */
#include <arch/asm.h>
#include <arbor/image.h>
#include <arch/image.h>

#define R_ARM_NONE  0

/* HYP register values for running a kernel in SVC (Arm ARM G8.2, the AArch32 EL2 registers). */
#define MODE_HYP            0x1a
#define CNTHCTL_PL1PCTEN    (1 << 0)	/* PL1 reads the physical counter untrapped */
#define CNTHCTL_PL1PCEN     (1 << 1)	/* PL1 uses the physical timer untrapped */
#define HCPTR_RES1          0x33ff	/* bits 13:12, 9:0; TCP10/11, TASE, TTA, TCPAC clear */
#define ICC_HSRE_SRE        (1 << 0)	/* the GICv3 CPU interface through system registers */
#define ICC_HSRE_ENABLE     (1 << 3)	/* PL1 may use ICC_SRE */
#define ID_PFR1_GIC_SHIFT   28		/* ID_PFR1.GIC: nonzero with GICv3 system registers */
#define PMCR_N_SHIFT        11		/* PMCR.N: the event counters implemented */
#define PSR_SVC_MASKED      (MODE_SVC | 0x1c0)	/* SVC, A, I and F masked, ARM state */

	.arm
	.syntax	unified
	.arch_extension virt

	.section .text.head, "ax"
	.globl	_start
	.type	_start, %function
_start:
	/* Eight no-ops fill the 32 bytes old loaders skipped as an a.out header, as Linux does. */
	.rept	8
	mov	r0, r0
	.endr
	b	entry				/* 0x20 */
	.long	ZIMAGE_MAGIC			/* 0x24: magic */
	.long	0				/* 0x28: start: position independent */
	/*
	 * 0x2c: end = the file size, .bss included. A plain `.long _image_size` would become an
	 * R_ARM_RELATIVE in .text (ld relocates even absolute symbols in a PIE), making the header
	 * a text relocation. Written PC-relative instead, the static linker resolves it: the word
	 * sits at link address 0x2c, so _image_size - . + 0x2c is _image_size.
	 */
hdr_end:
	.long	_image_size - hdr_end + (hdr_end - _start)
	.long	0x04030201			/* 0x30: little endian */

	.section .text.entry, "ax"
entry:
	/* In HYP mode a CPS to another mode is UNPREDICTABLE: leave it by an exception return. */
	mrs	r4, cpsr
	and	r4, r4, #MODE_MASK
	cmp	r4, #MODE_HYP
	bleq	hyp_to_svc			/* returns in SVC mode, r0-r2 kept */
	cpsid	aif, #MODE_SVC			/* masked, and in SVC mode whatever the loader left */
	/*
	 * The counter, as early as possible, for the boot-time benchmark (kept in r11:r12,
	 * stored in boot_entry_counter once .bss is cleared). It comes after the CPS because
	 * r11 and r12 are banked in FIQ mode: read before it, they would not survive a loader
	 * that left us in FIQ mode. CNTVCT: MRRC p15, 1, <Rt>, <Rt2>, c14.
	 */
	mrrc	p15, 1, r11, r12, c14
	mov	r10, r2				/* the DTB, kept for kernel_main */
	bl	arch_exceptions_init		/* VBAR and the exception modes' stack */
	adr_l	r9, _start_image		/* where we run: the load bias, as we link at 0 */

	/* Apply Elf32_Rel entries: only RELATIVE (and NONE) may appear in a static PIE. */
	adr_l	r4, __rela_start
	adr_l	r5, __rela_end
1:	cmp	r4, r5
	bhs	2f
	ldmia	r4!, {r6, r7}			/* r_offset, r_info */
	and	r7, r7, #0xff			/* ELF32_R_TYPE */
	cmp	r7, #R_ARM_NONE
	beq	1b
	cmp	r7, #R_ARM_RELATIVE
	bne	bad_reloc
	ldr	r8, [r9, r6]			/* REL: the addend is the word in place */
	add	r8, r8, r9
	str	r8, [r9, r6]
	b	1b

	/*
	 * Clear .bss, 64 bytes a turn (64-byte aligned at both ends by the linker script). The
	 * file carries .bss as zeros, but a loader need not have copied them fresh. The exception
	 * stack and page-table pools are outside it (.bss.noclear), so it is
	 * the zero-initialised variables and the boot stack: a few KiB.
	 */
2:	adr_l	r4, __bss_start
	adr_l	r5, __bss_end
	mov	r0, #0
	mov	r1, #0
	mov	r2, #0
	mov	r3, #0
	mov	r6, #0
	mov	r7, #0
	mov	r8, #0
	mov	r9, #0
3:	cmp	r4, r5
	stmialo	r4!, {r0-r3, r6-r9}
	stmialo	r4!, {r0-r3, r6-r9}
	blo	3b

	adr_l	r4, boot_entry_counter
	str	r11, [r4]			/* CNTVCT[31:0] */
	str	r12, [r4, #4]			/* CNTVCT[63:32] */

	adr_l	sp, boot_stack_top

	mov	r0, r10
	bl	early_map			/* returns the root table of the boot map */
	bl	arch_mmu_enable_boot
	mov	r0, r10
	bl	kernel_main
	b	arch_halt_crash

	/*
	 * hyp_to_svc: entered in HYP mode (a boot loader without Xen: QEMU's virt with
	 * virtualization=on, firmware on a board), become a PL1 kernel the way Linux's boot
	 * protocol expects one to be left: no stage 2, nothing trapped to HYP, the counter and
	 * the physical timer usable, CNTVOFF = 0 (virtual time is physical time), FP/Advanced
	 * SIMD untrapped, VPIDR/VMPIDR showing the real MIDR/MPIDR, and on a GICv3 the CPU
	 * interface's system registers enabled for PL1. r0-r2 (the boot protocol's) survive;
	 * r4 and r5 are scratch. Returns to the caller's lr in SVC mode, A, I and F masked. A
	 * secondary CPU started in HYP comes through here too (smp/arm32/secondary.S, r0 its
	 * boot block).
	 */
	.globl	hyp_to_svc
hyp_to_svc:
	mov	r4, #0
	mov	r5, #0
	mcr	p15, 4, r4, c1, c1, 0		/* HCR: no traps, no routing to HYP, no stage 2 */
	mcr	p15, 4, r4, c1, c1, 3		/* HSTR: no CP15 trap */
	mcrr	p15, 6, r4, r5, c2		/* VTTBR */
	mcrr	p15, 4, r4, r5, c14		/* CNTVOFF = 0 */
	mrc	p15, 4, r4, c14, c1, 0		/* CNTHCTL */
	orr	r4, r4, #(CNTHCTL_PL1PCTEN | CNTHCTL_PL1PCEN)
	mcr	p15, 4, r4, c14, c1, 0
	movw	r4, #HCPTR_RES1
	mcr	p15, 4, r4, c1, c1, 2		/* HCPTR */
	/* Every PMU counter to PL1 (HDCR.HPMN = PMCR.N), no debug or PMU traps. */
	mrc	p15, 0, r4, c9, c12, 0		/* PMCR */
	ubfx	r4, r4, #PMCR_N_SHIFT, #5
	mcr	p15, 4, r4, c1, c1, 1		/* HDCR */
	mrc	p15, 0, r4, c0, c0, 0		/* MIDR */
	mcr	p15, 4, r4, c0, c0, 0		/* VPIDR */
	mrc	p15, 0, r4, c0, c0, 5		/* MPIDR */
	mcr	p15, 4, r4, c0, c0, 5		/* VMPIDR */
	mrc	p15, 0, r4, c0, c1, 1		/* ID_PFR1 */
	ubfx	r4, r4, #ID_PFR1_GIC_SHIFT, #4
	cmp	r4, #0
	beq	1f
	mrc	p15, 4, r4, c12, c9, 5		/* ICC_HSRE */
	orr	r4, r4, #(ICC_HSRE_SRE | ICC_HSRE_ENABLE)
	mcr	p15, 4, r4, c12, c9, 5
	isb
	mov	r4, #0
	mcr	p15, 4, r4, c12, c11, 0		/* ICH_HCR: no virtual CPU interface */
1:	adr	r4, hyp_vectors
	mcr	p15, 4, r4, c12, c0, 0		/* HVBAR */
	mov	r4, #PSR_SVC_MASKED
	msr	spsr_cxsf, r4			/* SPSR_hyp: the banked form is UNPREDICTABLE in HYP */
	msr	elr_hyp, lr
	isb
	eret

	/*
	 * HYP's vectors once Arbor runs in SVC. With HCR as above, the only exception PL1 can
	 * take to HYP is an HVC (the Hyp trap vector, 0x14): Arbor's console_io and shutdown
	 * hypercalls, made before it knows whether Xen is there. It answers as a hypervisor that
	 * implements nothing would, SMCCC's NOT_SUPPORTED (-1) in r0, and returns. The others
	 * cannot happen (nothing runs in HYP); should one, the CPU stops there.
	 */
	.balign	32
hyp_vectors:
	b	.				/* 0x00: reset (not used) */
	b	.				/* 0x04: undefined in HYP */
	b	.				/* 0x08: HVC in HYP */
	b	.				/* 0x0c: prefetch abort in HYP */
	b	.				/* 0x10: data abort in HYP */
	b	hyp_trap			/* 0x14: Hyp trap: an HVC from SVC */
	b	.				/* 0x18: IRQ */
	b	.				/* 0x1c: FIQ */
hyp_trap:
	mvn	r0, #0
	eret

	/* A relocation we do not know: say so through Xen's console and crash. */
bad_reloc:
	adr	r2, bad_reloc_msg
	adr	r1, bad_reloc_msg_end
	sub	r1, r1, r2
	mov	r0, #0				/* CONSOLEIO_write */
	mov	r12, #18			/* __HYPERVISOR_console_io */
	hvc	#0xea1
	b	arch_halt_crash

bad_reloc_msg:
	.ascii	"arbor: boot: unexpected relocation type in .rel.dyn (only R_ARM_RELATIVE is handled)\n"
	.ascii	"arbor: halt: crash\n"
bad_reloc_msg_end:

	.bss
	.balign	8
	.globl	boot_entry_counter
boot_entry_counter:
	.quad	0

	/*
	 * The boot stack stays in the cleared .bss, not .bss.noclear: the self-test
	 * stack_boot_margin measures its deepest use by the zeros left below it.
	 */
	.balign	16
	.globl	boot_stack
boot_stack:
	.space	BOOT_STACK_SIZE
	.globl	boot_stack_top
boot_stack_top:
