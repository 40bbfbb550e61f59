/*
 * Names for Xen's error numbers, from its public xen/errno.h (an X-macro list).
 *
 * The names are stored in the table itself, not pointed to: a table of pointers would need
 * one R_*_RELATIVE relocation per entry, applied at boot and carried in the image (49 of
 * them, 1.2 KiB on arm64), where the longest name fits in 14 bytes.
 */
#include <arbor/xen.h>

struct xen_errname {
	uint8_t err;
	char name[15];
};

#define XEN_ERRNO(name, value) { value, #name },
static const struct xen_errname xen_errnames[] = {
#include <xen/errno.h>
};
#undef XEN_ERRNO

#define XEN_ERRNO(name, value) _Static_assert(sizeof(#name) <= 15 && value < 256, #name " fits");
#include <xen/errno.h>
#undef XEN_ERRNO

const char *xen_strerror(long err)
{
	for (size_t i = 0; i < ARRAY_SIZE(xen_errnames); i++)
		if (xen_errnames[i].err == -err)
			return xen_errnames[i].name;
	return "unknown error";
}
