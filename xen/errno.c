/*
 * Xen's error numbers and the C library's, kept apart (include/arbor/xen.h).
 *
 * Xen's public xen/errno.h numbers its errors as Linux does; picolibc and newlib number theirs
 * otherwise (ENOSYS is 38 in Xen, 88 in picolibc). A hypercall's negative result is therefore
 * translated once, in xen_hypercall(), by name: Xen's EPERM becomes <errno.h>'s EPERM. Every
 * function above it returns the C library's numbers only.
 */
#include <errno.h>

#include <arbor/xen.h>

/* The one name of Xen's list that neither C library defines: it aliases EDEADLK in Xen too. */
#ifndef EDEADLOCK
#define EDEADLOCK EDEADLK
#endif

/* Xen's number -> the C library's, indexed by Xen's. Aliases (EWOULDBLOCK) repeat a slot. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#define XEN_ERRNO(name, value) [value] = name,
static const short from_xen[] = {
#include <xen/errno.h>
};
#undef XEN_ERRNO
#pragma GCC diagnostic pop

/* The C library's numbers by name, for messages: the first name of a number wins. */
#define XEN_ERRNO(name, value) { name, #name },
static const struct {
	short err;
	const char *name;
} names[] = {
#include <xen/errno.h>
	{ EPROTO, "EPROTO" },	/* Arbor's own: a peer broke its protocol */
};
#undef XEN_ERRNO

long xen_errno(long xen_err)
{
	if (xen_err >= 0)
		return xen_err;
	unsigned long n = (unsigned long)-xen_err;
	/* A number Xen's header does not list (slot 0 is none): not knowable, so EIO. */
	if (n >= ARRAY_SIZE(from_xen) || !from_xen[n])
		return -EIO;
	return -from_xen[n];
}

long xen_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4)
{
	return xen_errno(arch_hypercall(op, a0, a1, a2, a3, a4));
}

const char *xen_strerror(long err)
{
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == -err)
			return names[i].name;
	return "unknown error";
}
