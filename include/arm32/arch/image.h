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
 * .data loads where it runs (linker.ld's DATA_LOAD): the zImage file carries .bss anyway
 * (boot/arm32/arch.mk), so moving it would save nothing.
 */
#define DATA_LOAD

/*
 * Early boot maps the image with 2 MiB blocks before it knows the memory map. The zImage file
 * carries its bss, and Xen places the DTB right after the file, so keep it small.
 */
#define IMAGE_MAX_SIZE    (8 * 1024 * 1024)
#define ZIMAGE_MAGIC      0x016f2818

/*
 * The boot stack (include/arbor/image.h). Its size counts in the zImage's file. The deepest
 * use seen in the boot matrix's configurations is 1,628 bytes (a 2,000-node DTB, indexed in
 * free RAM: boot/main.c's index_room), 1,368 in every other.
 */
#define BOOT_STACK_SIZE   4096

#endif
