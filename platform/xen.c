/*
 * The Xen hypervisor node (Xen's docs/misc/arm/device-tree/guest.txt).
 *
 * compatible = "xen,xen-X.Y", "xen,xen": the version of the interface. reg[0] is a range of
 * guest-physical space for mapping the grant table; reg[1..] (Xen 4.16 and later) are
 * further unused "extended regions" a guest may map foreign pages into. interrupts is the
 * PPI Xen raises for event-channel upcalls; it is chosen at run time for dom0.
 * A dom0less domU without xen,enhanced has no such node at all.
 */
#include <errno.h>
#include <string.h>

#include <arbor/driver.h>
#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/printk.h>

#define PATH_MAX_LEN  128

/* "xen,xen-4.17" -> 4, 17; false for anything else. */
static bool parse_version(const char *s, unsigned *major, unsigned *minor)
{
	static const char prefix[] = "xen,xen-";
	unsigned v[2] = { 0, 0 };
	int part = 0, digits = 0;

	if (strncmp(s, prefix, sizeof(prefix) - 1) != 0)
		return false;
	for (s += sizeof(prefix) - 1; *s; s++) {
		if (*s == '.' && part == 0 && digits) {
			part = 1;
			digits = 0;
		} else if (*s >= '0' && *s <= '9' && digits < 4) {
			v[part] = v[part] * 10 + (unsigned)(*s - '0');
			digits++;
		} else {
			return false;
		}
	}
	if (part != 1 || !digits)
		return false;
	*major = v[0];
	*minor = v[1];
	return true;
}

static int xen_probe(struct platform *plat, const struct dt *dt, int node, const char *compatible)
{
	char path[PATH_MAX_LEN];
	struct platform_xen *xen = &plat->xen;
	int count = dt_reg_count(dt, node), err;

	(void)compatible;
	dt_path(dt, node, path, sizeof(path));
	if (xen->present) {
		pr_warn("%s: a second hypervisor node; Arbor uses only the first\n", path);
		return 0;
	}
	/* The most specific string names the version: "xen,xen-4.17" before "xen,xen". */
	xen->compatible = dt_string_index(dt, node, "compatible", 0, NULL);
	if (!parse_version(xen->compatible, &xen->major, &xen->minor))
		xen->major = xen->minor = 0;

	if (count < 0)
		return platform_reg_error(dt, node, -1, NULL);
	if (count > 1 + PLATFORM_MAX_EXTENDED) {
		pr_err("%s: %d extended regions; Arbor records up to %u\n", path, count - 1,
		       PLATFORM_MAX_EXTENDED);
		return -ENOSPC;
	}
	for (int i = 0; i < count; i++) {
		struct mem_range *r = i == 0 ? &xen->gnttab : &xen->extended[i - 1];
		if ((err = dt_reg(dt, node, i, &r->base, &r->size)))
			return platform_reg_error(dt, node, i, i ? "extended region" : "grant table");
	}
	xen->nextended = count > 1 ? (unsigned)count - 1 : 0;

	count = dt_irq_count(dt, node);
	if (count < 0) {
		return platform_irq_count_error(dt, node, count);
	}
	if (count > 0 && (err = platform_irq(plat, dt, node, 0, &xen->evtchn))) {
		if (err == -ENXIO)
			pr_err("%s: the event-channel interrupt is not routed to the GIC\n", path);
		return err;
	}

	xen->present = true;
	dt_path(dt, node, xen->path, sizeof(xen->path));
	return platform_add_device(plat, dt, "xen", node);
}

PLATFORM_DRIVER(xen, PROBE_HYPERVISOR, xen_probe, "xen,xen");
