/*
 * arm64 entry point: the Linux Image header Xen recognises, and the first instructions.
 *
 * Xen enters at offset 0 at EL1 with the MMU and D-cache off, x0 holding the DTB's physical
 * address (Documentation/arch/arm64/booting.rst). A boot loader without Xen may enter at EL2,
 * which the same protocol allows: el2_to_el1 below then sets up what EL1 needs from EL2 and
 * drops to EL1, so everything after it runs at EL1 either way. The image is linked at 0 as a PIE and may be
 * placed anywhere, so before any C runs this code applies the R_AARCH64_RELATIVE relocations
 * against the address it actually runs at. Then it clears .bss, takes the boot stack, lets
 * early_map() (C, still MMU off) build an identity map of the image and the DTB, turns the MMU
 * and caches on, and calls kernel_main(dtb).
 */
#include <arbor/image.h>
#include <arch/image.h>

#define CPACR_FPEN_ALL  (3 << 20)

/* EL2 register values for running a kernel at EL1 (Arm ARM D24.2, the EL2 registers). */
#define CURRENTEL_EL2        (2 << 2)
#define HCR_EL2_RW           (1 << 31)	/* EL1 is AArch64; every trap and routing bit 0 */
#define CNTHCTL_EL1PCTEN     (1 << 0)	/* EL1 reads the physical counter untrapped */
#define CNTHCTL_EL1PCEN      (1 << 1)	/* EL1 uses the physical timer untrapped */
#define CPTR_EL2_RES1        0x33ff	/* bits 13:12, 9:0 (E2H = 0); TFP (10), TTA (20), TCPAC (31) clear */
#define ICC_SRE_EL2_SRE      (1 << 0)	/* the GICv3 CPU interface through system registers */
#define ICC_SRE_EL2_ENABLE   (1 << 3)	/* EL1 may use ICC_SRE_EL1 */
#define ID_AA64PFR0_GIC_SHIFT 24	/* ID_AA64PFR0_EL1.GIC: nonzero with GICv3 system registers */
#define PMCR_N_SHIFT         11		/* PMCR_EL0.N: the event counters implemented */
#define SCTLR_EL1_RES1       0x30d00800	/* bits 29, 28, 23, 22, 20, 11; MMU and caches off */
#define SPSR_EL1H_MASKED     0x3c5	/* EL1 with SP_EL1, D, A, I and F masked */

	.section .text.head, "ax"
	.globl _start
_start:
	b	entry				/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	/*
	 * image_size: image plus bss. A plain `.quad _image_size` would get a dynamic relocation
	 * (the loop below would then add the load address to the header); written relative to
	 * this word, the linker resolves it completely. The word sits at offset 0x10.
	 */
0:	.quad	_image_size - 0b + (0b - _start)
	.quad	0xa				/* flags: little endian, 4K pages, placed anywhere */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5: no PE header */

	/* Kept in the first 1 KiB, ahead of EL2's HVC entry at 0x400 (below). */
	/*
	 * el2_to_el1: entered at EL2 (a boot loader without Xen: QEMU's virt with
	 * virtualization=on, firmware on a board), become an EL1 kernel the way Linux's boot
	 * protocol expects one to be left: no stage 2, nothing trapped to EL2, the counter and
	 * the physical timer usable, CNTVOFF_EL2 = 0 (virtual time is physical time), FP/SIMD
	 * untrapped, VPIDR/VMPIDR showing the real MIDR/MPIDR, and on a GICv3 the CPU interface's
	 * system registers enabled for EL1. Only x0 (the DTB) must survive; x9 is scratch.
	 * Returns to the caller's x30, at EL1h with every exception masked. A secondary CPU
	 * started at EL2 comes through here too (smp/arm64/secondary.S, x0 its boot block).
	 */
	.globl	el2_to_el1
el2_to_el1:
	mov	x9, #HCR_EL2_RW
	msr	hcr_el2, x9
	msr	vttbr_el2, xzr
	msr	hstr_el2, xzr
	mrs	x9, cnthctl_el2
	orr	x9, x9, #(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN)
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mov	x9, #CPTR_EL2_RES1
	msr	cptr_el2, x9
	/* Every PMU counter to EL1 (MDCR_EL2.HPMN = PMCR_EL0.N), no debug or PMU traps. */
	mrs	x9, pmcr_el0
	ubfx	x9, x9, #PMCR_N_SHIFT, #5
	msr	mdcr_el2, x9
	mrs	x9, midr_el1
	msr	vpidr_el2, x9
	mrs	x9, mpidr_el1
	msr	vmpidr_el2, x9
	mrs	x9, id_aa64pfr0_el1
	ubfx	x9, x9, #ID_AA64PFR0_GIC_SHIFT, #4
	cbz	x9, 1f
	mrs	x9, S3_4_C12_C9_5		/* ICC_SRE_EL2 */
	orr	x9, x9, #ICC_SRE_EL2_SRE
	orr	x9, x9, #ICC_SRE_EL2_ENABLE
	msr	S3_4_C12_C9_5, x9
	isb
	msr	S3_4_C12_C11_0, xzr		/* ICH_HCR_EL2: no virtual CPU interface */
1:	mov	x9, #(SCTLR_EL1_RES1 & 0xffff)
	movk	x9, #(SCTLR_EL1_RES1 >> 16), lsl #16
	msr	sctlr_el1, x9
	adr	x9, _start			/* EL2's vectors: see el2_hvc below */
	msr	vbar_el2, x9
	mov	x9, #SPSR_EL1H_MASKED
	msr	spsr_el2, x9
	msr	elr_el2, x30
	isb
	eret

	/*
	 * EL2's vector table once Arbor runs at EL1 is the image's first 2 KiB (VBAR_EL2 =
	 * _start, 2 KiB aligned as the boot protocol loads the image 2 MiB aligned). With
	 * HCR_EL2 as above the only exception EL1 can take to EL2 is an HVC, at offset 0x400
	 * (synchronous, lower EL, AArch64): Arbor's console_io and shutdown hypercalls, made
	 * before it knows whether Xen is there. el2_hvc answers as a hypervisor that implements
	 * nothing would, SMCCC's NOT_SUPPORTED (-1) in x0, and returns. No other entry can be
	 * taken (nothing runs at EL2; IRQ, FIQ and SError stay at EL1 with IMO, FMO and AMO 0),
	 * so the rest of the 2 KiB is ordinary code, rather than a table's worth of padding in
	 * every image. `.org` fails the build if the code above grows past 0x400.
	 */
	/* A relocation we do not know: say so through Xen's console and crash. */
bad_reloc:
	adr	x2, bad_reloc_msg
	mov	x1, #(bad_reloc_msg_end - bad_reloc_msg)
	mov	x0, #0				/* CONSOLEIO_write */
	mov	x16, #18			/* __HYPERVISOR_console_io */
	hvc	#0xea1
	b	arch_halt_crash

bad_reloc_msg:
	.ascii	"arbor: boot: unexpected relocation type in .rela.dyn (only R_AARCH64_RELATIVE is handled)\n"
	.ascii	"arbor: halt: crash\n"
bad_reloc_msg_end:

	.balign	4
	.org	0x400
el2_hvc:
	mov	x0, #-1
	eret

	.section .text.entry, "ax"
entry:
	msr	daifset, #0xf
	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL2
	b.ne	at_el1
	bl	el2_to_el1			/* returns at EL1, x0 kept */
at_el1:
	/*
	 * The counter, before anything else runs but the drop from EL2 (after which CNTVOFF_EL2
	 * is 0, so the value means the same as at an EL1 entry), for the boot-time benchmark (kept in x21,
	 * stored in boot_entry_counter once .bss is cleared). No ISB: nothing before it to order.
	 */
	mrs	x21, cntvct_el0
	mov	x19, x0				/* the DTB, kept for kernel_main */
	adrp	x20, _start_image		/* where we run: the load bias, as we link at 0 */
	add	x20, x20, :lo12:_start_image

	adrp	x0, exception_vectors
	add	x0, x0, :lo12:exception_vectors
	msr	vbar_el1, x0
	isb

	/*
	 * Move .data and .tdata from where the file has them (__data_load, right after the
	 * relocations) to where they run (_erodata, the next page), last word first: the two
	 * ranges overlap when the data is longer than the gap. Before the relocations, which
	 * patch the run addresses.
	 */
	adrp	x9, __data_load
	add	x9, x9, :lo12:__data_load
	adrp	x10, _erodata
	add	x10, x10, :lo12:_erodata
	adrp	x11, __data_copy_end
	add	x11, x11, :lo12:__data_copy_end
	sub	x12, x11, x10
	add	x9, x9, x12
5:	cmp	x11, x10
	b.ls	6f
	ldr	x12, [x9, #-8]!
	str	x12, [x11, #-8]!
	b	5b
6:
	/* Apply Elf64_Rela entries: only RELATIVE (and NONE) may appear in a static PIE. */
	adrp	x9, __rela_start
	add	x9, x9, :lo12:__rela_start
	adrp	x10, __rela_end
	add	x10, x10, :lo12:__rela_end
1:	cmp	x9, x10
	b.hs	2f
	ldp	x11, x12, [x9], #16		/* r_offset, r_info */
	ldr	x13, [x9], #8			/* r_addend */
	cbz	x12, 1b				/* R_AARCH64_NONE: nothing to do */
	cmp	x12, #R_AARCH64_RELATIVE
	b.ne	bad_reloc
	add	x13, x13, x20
	str	x13, [x20, x11]
	b	1b

	/*
	 * Clear .bss, 64 bytes a turn (64-byte aligned at both ends by the linker script). The
	 * exception stacks and page-table pools are outside it (.bss.noclear),
	 * so it is the zero-initialised variables and the boot stack: a few KiB.
	 */
2:	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
3:	cmp	x9, x10
	b.hs	4f
	stp	xzr, xzr, [x9]
	stp	xzr, xzr, [x9, #16]
	stp	xzr, xzr, [x9, #32]
	stp	xzr, xzr, [x9, #48]
	add	x9, x9, #64
	b	3b

4:	adrp	x9, boot_entry_counter
	str	x21, [x9, :lo12:boot_entry_counter]

	adrp	x9, boot_stack_top
	add	sp, x9, :lo12:boot_stack_top

	/* Let EL1 use FP/SIMD: the C library's string routines do. */
	mrs	x9, cpacr_el1
	orr	x9, x9, #CPACR_FPEN_ALL
	msr	cpacr_el1, x9
	isb

	mov	x0, x19
	bl	early_map			/* returns the root table of the boot map */
	bl	arch_mmu_enable_boot
	mov	x0, x19
	bl	kernel_main
	b	arch_halt_crash


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
