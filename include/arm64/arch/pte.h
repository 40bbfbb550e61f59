/*
 * arm64 translation facts: VMSAv8-64, 4 KiB granule, 48-bit input addresses.
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#define PT_START_LEVEL   0		/* 48-bit VA with a 4K granule starts at level 0 */
#define PT_VA_BITS       48
#define PT_OA_MASK       0x0000fffffffff000ull	/* output address bits [47:12] */
/* Kernel text is executable at EL1 (PXN clear) but never at EL0 (UXN, bit 54, set). */
#define PTE_TEXT_EXTRA   (1ull << 54)

#endif
