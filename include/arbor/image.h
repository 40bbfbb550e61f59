/*
 * Boundaries of the loaded image, from linker.ld. The kernel is linked at 0 and relocated, so
 * these are the addresses it actually runs at; each boundary is page aligned.
 */
#ifndef ARBOR_IMAGE_H
#define ARBOR_IMAGE_H

#include <arch/image.h>

/*
 * The boot stack (boot/<arch>/head.S, in .bss, BOOT_STACK_SIZE from include/<arch>/
 * arch/image.h): kernel_main's, then the idle thread's, on which interrupts taken while idle
 * are handled (sched/); app_main runs in the thread main, on a stack from the page allocator.
 * The self-test stack_boot_margin fails past half of it.
 */

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
