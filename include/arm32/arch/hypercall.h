/*
 * The arm32 hypercall instruction: HVC #0xEA1 with the hypercall number in r12 and up to five
 * arguments in r0..r4; the result comes back in r0 (Xen's public arch-arm.h, "Hypercall
 * calling convention"). Xen may clobber the argument registers, so all are outputs too.
 */
#ifndef ARCH_HYPERCALL_H
#define ARCH_HYPERCALL_H

static inline long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1,
				  unsigned long a2, unsigned long a3, unsigned long a4)
{
	register unsigned long r0 __asm__("r0") = a0;
	register unsigned long r1 __asm__("r1") = a1;
	register unsigned long r2 __asm__("r2") = a2;
	register unsigned long r3 __asm__("r3") = a3;
	register unsigned long r4 __asm__("r4") = a4;
	register unsigned long r12 __asm__("r12") = op;

	__asm__ volatile(".arch_extension virt\n\thvc #0xea1"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r12)
			 :
			 : "memory");
	return (long)r0;
}

#endif
