/*
 * Xen's error numbers and the C library's, kept apart (include/arbor/xen.h).
 *
 * Xen's public xen/errno.h numbers its errors as Linux does; picolibc and newlib number theirs
 * otherwise (ENOSYS is 38 in Xen, 88 in picolibc). A hypercall's negative result is therefore
 * translated once, in xen_hypercall(), by name: Xen's EPERM becomes <errno.h>'s EPERM. Every
 * function above it returns the C library's numbers only.
 *
 * No table of pointers: that would need one R_*_RELATIVE relocation per entry, applied at
 * boot and carried in the image. The numbers are arrays, the names one string, each name
 * ended by a NUL, in the same order as the numbers.
 */
#include <errno.h>

#include <arbor/xen.h>

/* The one name of Xen's list that neither C library defines: it aliases EDEADLK in Xen too. */
#ifndef EDEADLOCK
#define EDEADLOCK EDEADLK
#endif

#define XEN_ERRNO(name, value) _Static_assert(value > 0 && value < 128, #name " fits the table");
#include <xen/errno.h>
#undef XEN_ERRNO

/* Xen's number -> the C library's, indexed by Xen's. Aliases (EWOULDBLOCK) repeat a slot. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#define XEN_ERRNO(name, value) [value] = name,
static const short from_xen[] = {
#include <xen/errno.h>
};
#undef XEN_ERRNO
#pragma GCC diagnostic pop

/*
 * The C library's numbers and their names, for messages: Xen's list, then Arbor's own
 * (EPROTO: a peer broke its protocol). The first name of a number wins.
 */
#define XEN_ERRNO(name, value) name,
static const short libc_nums[] = {
#include <xen/errno.h>
	EPROTO,
};
#undef XEN_ERRNO

#define XEN_ERRNO(name, value) #name "\0"
static const char libc_names[] =
#include <xen/errno.h>
	"EPROTO\0";
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
	const char *name = libc_names;

	for (size_t i = 0; i < ARRAY_SIZE(libc_nums); i++, name += __builtin_strlen(name) + 1)
		if (libc_nums[i] == -err)
			return name;
	return "unknown error";
}
