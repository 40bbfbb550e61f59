/*
 * Platform drivers: code that turns one kind of DTB node into part of the platform
 * description.
 *
 * A driver lists the compatible strings it handles and the level it probes at:
 *
 *     PLATFORM_DRIVER(gicv3, PROBE_IRQCHIP, gicv3_probe, "arm,gic-v3");
 *
 * The macro places an entry in the linker section arbor_drivers; platform_probe() goes
 * through the DTB's index once, noting the driver for each enabled node whose compatible
 * list names one of its strings (the node's most specific string deciding when two drivers
 * could take it), then calls the probes level by level, interrupt controllers first (every
 * other driver decodes its interrupts through the GIC). A probe gets the index and a node of
 * it, and records in the description what it decoded, never the node itself. It returns 0 or
 * a negative error after printing a message naming the node; any error stops the probe, as
 * the DTB is then not one Arbor can trust.
 */
#ifndef ARBOR_DRIVER_H
#define ARBOR_DRIVER_H

#include <arbor/dt.h>
#include <arbor/platform.h>
#include <arbor/types.h>

enum probe_level {
	PROBE_IRQCHIP,
	PROBE_TIMER,
	PROBE_HYPERVISOR,
	PROBE_CONSOLE,
	PROBE_OTHER,
	PROBE_LEVELS
};

struct platform_driver {
	const char *name;
	enum probe_level level;
	/*
	 * The strings, each ended by a NUL, then an empty one: the form of the DT's own
	 * compatible property. One pointer, where an array of pointers would need one
	 * R_*_RELATIVE relocation per string.
	 */
	const char *compatible;
	/* compatible: the string of the node's list that matched. */
	int (*probe)(struct platform *plat, const struct dt *dt, int node, const char *compatible);
};

/* Up to 16 string literals joined into one, each followed by a NUL, then more NULs. */
#define DRIVER_STRINGS_MAX  16
#define DRIVER_STRINGS(...) DRIVER_STRINGS_(__VA_ARGS__, "", "", "", "", "", "", "", "", "",  \
					    "", "", "", "", "", "", "")
#define DRIVER_STRINGS_(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, ...)               \
	a "\0" b "\0" c "\0" d "\0" e "\0" f "\0" g "\0" h "\0" i "\0" j "\0" k "\0" l "\0"      \
	m "\0" n "\0" o "\0" p "\0"

#define PLATFORM_DRIVER(id, lvl, fn, ...)                                                   \
	_Static_assert(sizeof((const char *[]){ __VA_ARGS__ }) <=                           \
		       DRIVER_STRINGS_MAX * sizeof(const char *), #id ": too many strings");  \
	static const struct platform_driver id##_driver                                    \
		__section("arbor_drivers") __used __aligned(sizeof(void *)) = {            \
			.name = #id, .level = (lvl),                                       \
			.compatible = DRIVER_STRINGS(__VA_ARGS__), .probe = (fn),          \
		}

/* Whether any string of node's compatible list is one of driver d's strings. */
bool platform_driver_matches(const struct platform_driver *d, const struct dt *dt, int node);

/*
 * Interrupt index of node as a GIC INTID: decoded through the DT and the GIC found at the
 * interrupt-controller level. 0; -ENXIO, silently, when the interrupt goes to another
 * controller (the caller decides whether that matters); or another negative error after
 * printing why, naming the node.
 */
int platform_irq(const struct platform *plat, const struct dt *dt, int node, int index,
		 struct plat_irq *irq);

/*
 * Record a matched node for the summary, with its path and its reg decoded; -ENOSPC (after a
 * message) when the list is full.
 */
int platform_add_device(struct platform *plat, const struct dt *dt, const char *driver, int node);

/*
 * A GIC interrupt specifier's first two cells (the type: 0 SPI, 1 PPI, 2 extended SPI, 3
 * extended PPI; the number within it) as an INTID for a GIC of that version: 0, or -EINVAL
 * with *why saying what is wrong ("unknown GIC type", "out of range").
 */
int platform_gic_intid(uint32_t type, uint32_t num, unsigned version, uint32_t *intid,
		       const char **why);

/* The table's bounds: from linker.ld in the kernel, from the host linker in host tools. */
extern const struct platform_driver __start_arbor_drivers[], __stop_arbor_drivers[];

#endif
