/*
 * A fake architecture for host tests of code that includes <arbor/xen.h>: the hypercall
 * instruction does not exist on the build machine, so any call that reaches it fails with
 * Xen's ENOSYS. Tests replace the Xen wrappers they care about (xen_console_write, ...)
 * with fakes of their own. Selected with -Itests/host/fake ahead of -Iinclude/<arch>.
 */
#ifndef ARCH_HYPERCALL_H
#define ARCH_HYPERCALL_H

static inline long arch_hypercall(unsigned long op, unsigned long a0, unsigned long a1,
				  unsigned long a2, unsigned long a3, unsigned long a4)
{
	(void)op, (void)a0, (void)a1, (void)a2, (void)a3, (void)a4;
	return -38;	/* ENOSYS in Xen's public errno.h */
}

#endif
