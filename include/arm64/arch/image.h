/*
 * arm64 image layout facts shared by head.S, the linker script and C.
 */
#ifndef ARCH_IMAGE_H
#define ARCH_IMAGE_H

#define LD_OUTPUT_ARCH    aarch64
#define RELOC_SECTION     .rela.dyn
#define RELOC_ENTRY_SIZE  24        /* Elf64_Rela */
#define R_AARCH64_RELATIVE 1027

/*
 * .data's load address (linker.ld): 16 bytes after the relocations rather than at its run
 * address on the next page, which saves the file the padding between the two (1.6 KiB in
 * apps/hello); head.S moves it up. The Image header gives Xen the whole extent, .bss
 * included, so the memory it moves into is the image's own.
 */
#define DATA_LOAD         AT(ALIGN(ADDR(RELOC_SECTION) + SIZEOF(RELOC_SECTION), 16))

/*
 * Early boot maps the image with 2 MiB blocks before it knows the memory map; the image plus
 * its bss must stay within what that mapping covers.
 */
#define IMAGE_MAX_SIZE    (8 * 1024 * 1024)

/*
 * The boot stack (include/arbor/image.h). The deepest use seen in the boot matrix's
 * configurations is 1,792 bytes, its frames being deeper than arm32's; the Image header
 * gives Xen the .bss as a size, so unlike arm32's it costs no file size, and it stays 8 KiB.
 */
#define BOOT_STACK_SIZE   8192

#endif
