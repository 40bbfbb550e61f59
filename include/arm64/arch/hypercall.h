/*
 * The arm64 hypercall instruction: HVC #0xEA1 with the hypercall number in x16 and up to five
 * arguments in x0..x4; the result comes back in x0 (Xen's public arch-arm.h, "Hypercall
 * calling convention"). Xen may clobber the argument registers, so all are outputs too.
 */
#ifndef ARCH_HYPERCALL_H
#define ARCH_HYPERCALL_H

static inline long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1,
				  unsigned long a2, unsigned long a3, unsigned long a4)
{
	register unsigned long x0 __asm__("x0") = a0;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;
	register unsigned long x4 __asm__("x4") = a4;
	register unsigned long x16 __asm__("x16") = op;

	__asm__ volatile("hvc #0xea1"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x16)
			 :
			 : "memory");
	return (long)x0;
}

#endif
