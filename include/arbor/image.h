/*
 * Boundaries of the loaded image, from linker.ld. The kernel is linked at 0 and relocated, so
 * these are the addresses it actually runs at; each boundary is page aligned.
 */
#ifndef ARBOR_IMAGE_H
#define ARBOR_IMAGE_H

extern char _start_image[];	/* image start: the Image / zImage header */
extern char _etext[];		/* end of text, start of read-only data */
extern char _erodata[];		/* end of read-only data, start of data */
extern char _edata[];		/* end of data, start of bss */
extern char __bss_start[], __bss_end[];
extern char _end[];		/* end of bss: everything the image occupies */

#endif
