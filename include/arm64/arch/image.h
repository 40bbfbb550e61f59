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
 * Early boot maps the image with 2 MiB blocks before it knows the memory map; the image plus
 * its bss must stay within what that mapping covers.
 */
#define IMAGE_MAX_SIZE    (8 * 1024 * 1024)

#endif
