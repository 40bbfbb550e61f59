/*
 * Names for Xen's error numbers, from its public xen/errno.h (an X-macro list).
 *
 * No table of pointers: that would need one R_*_RELATIVE relocation per entry, applied at
 * boot and carried in the image (49 of them, 1.2 KiB on arm64). The numbers are one array,
 * the names one string, each name ended by a NUL, in the same order.
 */
#include <arbor/xen.h>

#define XEN_ERRNO(name, value) value,
static const uint8_t xen_errnums[] = {
#include <xen/errno.h>
};

#define XEN_ERRNO(name, value) #name "\0"
static const char xen_errnames[] =
#include <xen/errno.h>
	;

#define XEN_ERRNO(name, value) _Static_assert(value > 0 && value < 256, #name " fits a byte");
#include <xen/errno.h>

const char *xen_strerror(long err)
{
	const char *name = xen_errnames;

	for (size_t i = 0; i < ARRAY_SIZE(xen_errnums); i++, name += __builtin_strlen(name) + 1)
		if (xen_errnums[i] == -err)
			return name;
	return "unknown error";
}
