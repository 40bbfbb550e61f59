/*
 * Names for Xen's error numbers, from its public xen/errno.h (an X-macro list).
 */
#include <arbor/xen.h>

struct xen_errname {
	long err;
	const char *name;
};

#define XEN_ERRNO(name, value) { value, #name },
static const struct xen_errname xen_errnames[] = {
#include <xen/errno.h>
};
#undef XEN_ERRNO

const char *xen_strerror(long err)
{
	for (size_t i = 0; i < ARRAY_SIZE(xen_errnames); i++)
		if (xen_errnames[i].err == -err)
			return xen_errnames[i].name;
	return "unknown error";
}
