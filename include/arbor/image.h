/*
 * Boundaries of the loaded image, from linker.ld. The kernel is linked at 0 and relocated, so
 * these are the addresses it actually runs at; each boundary is page aligned.
 */
#ifndef ARBOR_IMAGE_H
#define ARBOR_IMAGE_H

/*
 * The boot stack (boot/<arch>/head.S, in .bss): kernel_main's, then the thread main's, where
 * app_main runs (sched/). The deepest use seen in the boot matrix's configurations is about
 * 2.2 KiB on arm64 and 1.2 KiB on arm32 (self-tests included); the self-test
 * stack_boot_margin fails past half of it. Its size counts in the arm32 zImage's file.
 */
#define BOOT_STACK_SIZE  8192

#ifndef __ASSEMBLY__
extern char boot_stack[], boot_stack_top[];

extern char _start_image[];	/* image start: the Image / zImage header */
extern char _etext[];		/* end of text, start of read-only data */
extern char _erodata[];		/* end of read-only data, start of data */
extern char _edata[];		/* end of data, start of bss */
extern char __bss_start[], __bss_end[];
extern char _end[];		/* end of bss: everything the image occupies */
#endif

#endif
