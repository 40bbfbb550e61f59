/*
 * arm32 translation facts: ARMv7 Long-descriptor (LPAE) format, TTBCR.T0SZ = 0 so TTBR0
 * covers the whole 32-bit address space starting at level 1 (four 1 GiB entries).
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#define PT_START_LEVEL   1
#define PT_VA_BITS       32
#define PT_OA_MASK       0x000000fffffff000ull	/* output address bits [39:12] */
/* Bit 54 is XN for PL1 too in the LPAE format, so text must leave it clear. */
#define PTE_TEXT_EXTRA   0ull

#endif
