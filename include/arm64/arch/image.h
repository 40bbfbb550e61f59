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

/*
 * The boot stack (include/arbor/image.h). The deepest use seen in the boot matrix's
 * configurations is 1,792 bytes, its frames being deeper than arm32's; the Image header
 * gives Xen the .bss as a size, so unlike arm32's it costs no file size, and it stays 8 KiB.
 */
#define BOOT_STACK_SIZE   8192

#endif
