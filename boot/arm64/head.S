/*
 * arm64 entry point: the Linux Image header Xen recognises, and the first instructions.
 *
 * Xen enters at offset 0 at EL1 with the MMU and D-cache off, x0 holding the DTB's physical
 * address (Documentation/arch/arm64/booting.rst). The image is linked at 0 as a PIE and may be
 * placed anywhere, so before any C runs this code applies the R_AARCH64_RELATIVE relocations
 * against the address it actually runs at. Then it clears .bss, takes the boot stack, lets
 * early_map() (C, still MMU off) build an identity map of the image and the DTB, turns the MMU
 * and caches on, and calls kernel_main(dtb).
 */
#include <arbor/image.h>
#include <arch/image.h>

#define CPACR_FPEN_ALL  (3 << 20)

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

	.section .text.entry, "ax"
entry:
	/*
	 * The counter, before anything else runs, for the boot-time benchmark (kept in x21,
	 * stored in boot_entry_counter once .bss is cleared). No ISB: nothing before it to order.
	 */
	mrs	x21, cntvct_el0
	msr	daifset, #0xf
	mov	x19, x0				/* the DTB, kept for kernel_main */
	adrp	x20, _start_image		/* where we run: the load bias, as we link at 0 */
	add	x20, x20, :lo12:_start_image

	adrp	x0, exception_vectors
	add	x0, x0, :lo12:exception_vectors
	msr	vbar_el1, x0
	isb

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

	/* Clear .bss (16-byte aligned at both ends by the linker script). */
2:	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
3:	cmp	x9, x10
	b.hs	4f
	stp	xzr, xzr, [x9], #16
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
