/*
 * arm32 image layout facts shared by head.S, the linker script and C.
 */
#ifndef ARCH_IMAGE_H
#define ARCH_IMAGE_H

#define LD_OUTPUT_ARCH    arm
#define RELOC_SECTION     .rel.dyn
#define RELOC_ENTRY_SIZE  8         /* Elf32_Rel */
#define R_ARM_RELATIVE    23

/*
 * Early boot maps the image with 2 MiB blocks before it knows the memory map. The zImage file
 * carries its bss, and Xen places the DTB right after the file, so keep it small.
 */
#define IMAGE_MAX_SIZE    (8 * 1024 * 1024)
#define ZIMAGE_MAGIC      0x016f2818

#endif
