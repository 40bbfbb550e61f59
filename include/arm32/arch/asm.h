/*
 * Assembler helpers shared by the arm32 .S files.
 */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

/* CPSR.M values (Arm ARM B1.3.1, table B1-1). */
#define MODE_USR  0x10
#define MODE_FIQ  0x11
#define MODE_IRQ  0x12
#define MODE_SVC  0x13
#define MODE_ABT  0x17
#define MODE_UND  0x1b
#define MODE_SYS  0x1f
#define MODE_MASK 0x1f

#ifdef __ASSEMBLY__
/*
 * adr_l reg, sym: the address sym has at run time, computed from pc, so it is right before
 * the relocations are applied and wherever Xen placed the image. `adr` reaches only a few KiB
 * and never another section; movw/movt of the distance (R_ARM_MOVW_PREL_NC/R_ARM_MOVT_PREL,
 * resolved by the static linker, no dynamic relocation) reach anywhere. Reading pc in ARM
 * state gives the address of the instruction plus 8.
 */
	.macro	adr_l, reg, sym
	movw	\reg, #:lower16:(\sym - (.Ladr_l\@ + 8))
	movt	\reg, #:upper16:(\sym - (.Ladr_l\@ + 8))
.Ladr_l\@:
	add	\reg, \reg, pc
	.endm
#endif

#endif
