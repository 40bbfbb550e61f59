/*
 * Optional services: parts of the kernel that an application may or may not use (grant
 * tables, the xenstore client, secondary CPUs), started by the boot (boot/main.c) only in
 * the images that link them.
 *
 *     ARBOR_SERVICE(xenstore, SERVICE_XENSTORE, xenstore_init);
 *
 * The macro places an entry in the linker section arbor_services; the boot's thread main
 * walks the table once per level, lowest first, after xen_init(), and calls each entry's
 * init. The kernel's objects are linked from an archive (build/<arch>/libarbor.a, see the
 * Makefile), from which the linker takes a member only for a symbol something already linked
 * needs: a service's object, and with it its table entry, is in the image exactly when the
 * application (or another linked part) calls into its API. Nothing else names a service,
 * so an image whose application uses no grant tables carries none, and prints no line
 * about them. An init prints its one line and returns 0 or a negative error; an error
 * leaves the other services, and the boot, to go on.
 */
#ifndef ARBOR_SERVICE_H
#define ARBOR_SERVICE_H

#include <arbor/types.h>

struct platform;

/* Started in this order; a service may use any of a lower level. */
enum service_level {
	SERVICE_GNTTAB,		/* needs xen_init(): shared info, event channels */
	SERVICE_XENSTORE,
	SERVICE_SMP,		/* needs irq/, time/ and the page allocator (smp/) */
	SERVICE_LEVELS
};

struct arbor_service {
	const char *name;
	enum service_level level;
	int (*init)(const struct platform *plat);
};

#define ARBOR_SERVICE(id, lvl, fn)                                                          \
	static const struct arbor_service id##_service                                     \
		__section("arbor_services") __used __aligned(sizeof(void *)) = {           \
			.name = #id, .level = (lvl), .init = (fn),                          \
		}

/* The table's bounds, from linker.ld. */
extern const struct arbor_service __start_arbor_services[], __stop_arbor_services[];

#endif
