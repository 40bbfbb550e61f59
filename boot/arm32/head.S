/*
 * arm32 entry point: the zImage header Xen recognises, and the first instructions.
 *
 * Xen's kernel_zimage32_probe reads the header at 0x24 (the layout of Linux's
 * arch/arm/boot/compressed/head.S): the magic, the load address (0: place anywhere) and the
 * end address, which it takes as the image size. It enters at offset 0 in SVC mode with the
 * MMU and D-cache off, r0 = 0, r1 = machine type, r2 = the DTB's physical address (Linux's
 * Documentation/arch/arm/booting.rst). The image is linked at 0 as a PIE and may be placed
 * anywhere, so before any C runs this code applies the R_ARM_RELATIVE relocations against the
 * address it actually runs at. Then it clears .bss, takes the boot stack, lets early_map()
 * (C, still MMU off) build an identity map of the image and the DTB, turns the MMU and caches
 * on, and calls kernel_main(dtb).
 */
#include <arch/asm.h>
#include <arbor/image.h>
#include <arch/image.h>

#define R_ARM_NONE  0

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
	cpsid	aif, #MODE_SVC			/* masked, and in SVC mode whatever the loader left */
	/*
	 * The counter, as early as possible, for the boot-time benchmark (kept in r11:r12,
	 * stored in boot_entry_counter once .bss is cleared). It comes after the CPS because
	 * r11 and r12 are banked in FIQ mode: read before it, they would not survive a loader
	 * that left us in FIQ mode. CNTVCT: MRRC p15, 1, <Rt>, <Rt2>, c14.
	 */
	mrrc	p15, 1, r11, r12, c14
	mov	r10, r2				/* the DTB, kept for kernel_main */
	bl	arch_exceptions_init		/* VBAR and the exception modes' stacks */
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

	/* Clear .bss (16-byte aligned at both ends by the linker script). */
2:	adr_l	r4, __bss_start
	adr_l	r5, __bss_end
	mov	r0, #0
	mov	r1, #0
	mov	r2, #0
	mov	r3, #0
3:	cmp	r4, r5
	stmialo	r4!, {r0-r3}
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

	.balign	16
	.globl	boot_stack
boot_stack:
	.space	BOOT_STACK_SIZE
	.globl	boot_stack_top
boot_stack_top:
