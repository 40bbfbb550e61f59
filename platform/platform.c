/*
 * platform_probe(): from a validated DTB to the platform description.
 *
 * The fixed nodes come first (/memory, /memreserve/ and /reserved-memory, /chosen, /cpus);
 * then one walk of the tree notes which driver takes each enabled node
 * (include/arbor/driver.h), and the drivers probe their nodes level by level. Interrupt
 * controllers go first because every later driver decodes its interrupts through the GIC
 * found then. Finally the pieces
 * no Arbor can run without are checked, each missing one with its own message.
 */
#include <errno.h>
#include <string.h>

#include <arbor/driver.h>
#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/platform.h>
#include <arbor/printk.h>

/* Node paths in messages; deeper trees are cut by dt_path, which is fine for a message. */
#define PATH_MAX_LEN  128

/*
 * Every driver's compatible strings with their lengths, in driver order, worked out once:
 * matching a node then compares lengths first, which turns away nearly every string (most
 * start "arm,", so a first-byte test would not) without walking the drivers' packed lists
 * with strlen() for every node. Fewer entries than strings would only make matching slower:
 * past MATCH_STRINGS_MAX the packed lists are walked as before.
 */
#define MATCH_STRINGS_MAX  64

static struct driver_string {
	const char *s;
	size_t len;
	const struct platform_driver *driver;
} driver_strings[MATCH_STRINGS_MAX];
static unsigned ndriver_strings;
static bool driver_strings_all;

static void list_driver_strings(void)
{
	if (ndriver_strings)
		return;
	driver_strings_all = true;
	for (const struct platform_driver *d = __start_arbor_drivers; d < __stop_arbor_drivers; d++) {
		for (const char *c = d->compatible; *c; c += strlen(c) + 1) {
			if (ndriver_strings == MATCH_STRINGS_MAX) {
				driver_strings_all = false;
				return;
			}
			driver_strings[ndriver_strings++] =
				(struct driver_string){ c, strlen(c), d };
		}
	}
}

/* The first driver (in driver order) listing compat, which is len bytes long. */
static const struct platform_driver *driver_for(const char *compat, size_t len)
{
	if (driver_strings_all) {
		for (unsigned i = 0; i < ndriver_strings; i++)
			if (driver_strings[i].len == len && !memcmp(driver_strings[i].s, compat, len))
				return driver_strings[i].driver;
		return NULL;
	}
	for (const struct platform_driver *d = __start_arbor_drivers; d < __stop_arbor_drivers; d++)
		for (const char *c = d->compatible; *c; c += strlen(c) + 1)
			if (!strcmp(c, compat))
				return d;
	return NULL;
}

/*
 * The driver for node, if any: for each string of the node's compatible list, most specific
 * first, the first driver (of any level) listing it. *which is set to the matched string.
 * Returns NULL when none matches, or sets *err when the property is malformed.
 */
static const struct platform_driver *find_driver(const struct dt *dt, int node, const char **which,
						 int *err)
{
	int len, pos = 0, start;
	const char *list = dt_compatible_list(dt, node, &len), *compat;

	*err = list || len == DT_ERR_NOTFOUND ? 0 : len;
	for (start = pos; (compat = dt_string_next(list, len, &pos)); start = pos) {
		/* pos is past the string's NUL: its length without a strlen(). */
		const struct platform_driver *d = driver_for(compat, (size_t)(pos - start - 1));
		if (d) {
			*which = compat;
			return d;
		}
	}
	return NULL;
}

/*
 * The GIC's node while platform_probe() runs on dt, so that platform_irq() knows the GIC by
 * its node rather than by building and comparing paths for every interrupt; -1 otherwise
 * (platform_irq() called on its own compares paths, as the description keeps no node).
 */
static const struct dt *probing;
static int gic_node = -1;

bool platform_driver_matches(const struct platform_driver *d, const struct dt *dt, int node)
{
	for (const char *c = d->compatible; *c; c += strlen(c) + 1)
		if (dt_compatible(dt, node, c) > 0)
			return true;
	return false;
}

/* A node a driver will probe, found by the one walk of the tree. */
struct match {
	const struct platform_driver *driver;
	const char *compatible;
	int node;
};

/* Nodes matched in one DTB; a real tree has a few, a hostile one is refused past this. */
#define MAX_MATCHES  64

/*
 * Walk the tree once, noting every enabled node some driver takes, then probe them level by
 * level (tree order within a level). One walk rather than one per level: reading a DTB is
 * most of what booting costs.
 */
static int probe_drivers(struct platform *plat, const struct dt *dt)
{
	/* Not cleared by head.S (.bss.noclear): entries are read only up to nmatches. */
	static struct match matches[MAX_MATCHES] __noclear(matches);
	char path[PATH_MAX_LEN];
	unsigned nmatches = 0;
	int err;

	for (int node = 0; node < (int)dt->nnodes; node++) {
		const char *compat;
		const struct platform_driver *drv = find_driver(dt, node, &compat, &err);

		if (err) {
			pr_err("%s: compatible is not a list of strings\n", dt_path(dt, node, path, sizeof(path)));
			return -EINVAL;
		}
		if (!drv || !dt_enabled(dt, node))
			continue;
		if (nmatches == MAX_MATCHES) {
			pr_err("%s: more than %u device-tree nodes match drivers\n",
			       dt_path(dt, node, path, sizeof(path)), MAX_MATCHES);
			return -ENOSPC;
		}
		matches[nmatches++] = (struct match){ .driver = drv, .compatible = compat, .node = node };
	}

	for (enum probe_level level = 0; level < PROBE_LEVELS; level++) {
		for (unsigned i = 0; i < nmatches; i++) {
			const struct match *m = &matches[i];
			bool had_gic = plat->gic.version;
			if (m->driver->level == level &&
			    (err = m->driver->probe(plat, dt, m->node, m->compatible)))
				return err;
			if (!had_gic && plat->gic.version)
				gic_node = m->node;	/* this node's probe described the GIC */
		}
		/* Said as soon as it is known, before later levels trip over its absence. */
		if (level == PROBE_IRQCHIP && !plat->gic.version) {
			platform_explain_missing(dt, level, "interrupt controller");
			return -ENOENT;
		}
		if (level == PROBE_TIMER && !plat->timer.present) {
			platform_explain_missing(dt, level, "timer");
			return -ENOENT;
		}
	}
	return 0;
}

/* The console: the UART stdout-path names, else the first one probed. */
static void choose_console(struct platform *plat)
{
	plat->console = plat->nuarts ? 0 : -1;
	for (unsigned i = 0; i < plat->nuarts; i++)
		if (plat->uarts[i].stdout_path)
			plat->console = (int)i;
}

int platform_probe(struct platform *plat, const struct dt *dt)
{
	uint64_t limit = plat->addr_limit;
	int err;

	memset(plat, 0, sizeof(*plat));
	/* On the host the blob is in the tool's memory; in the kernel, one to one, physical. */
	plat->dtb = (struct mem_range){ .base = (uintptr_t)dt_blob(dt), .size = dt_size(dt) };
	plat->addr_limit = limit;
	plat->console = -1;

	if ((err = platform_probe_memory(plat, dt)) || (err = platform_probe_reserved(plat, dt)) ||
	    (err = platform_probe_chosen(plat, dt)) || (err = platform_probe_cpus(plat, dt)))
		return err;
	probing = dt;
	gic_node = -1;
	list_driver_strings();
	err = probe_drivers(plat, dt);
	probing = NULL;
	gic_node = -1;
	if (err)
		return err;
	choose_console(plat);
	return 0;
}

/*
 * What the drivers can add at most: the GIC (either version's driver), the timer, the RTC,
 * the hypervisor node and PSCI take one node each, the UART PLATFORM_MAX_UARTS. A driver
 * added later raises the count here, and PLATFORM_MAX_DEVICES if it must; devices[] is not
 * sized with room to spare, as struct platform is .bss, which the arm32 zImage carries.
 */
#define ONE_NODE_DRIVERS  5

_Static_assert(ONE_NODE_DRIVERS + PLATFORM_MAX_UARTS <= PLATFORM_MAX_DEVICES,
	       "devices[] holds what every driver can add");

int platform_add_device(struct platform *plat, const struct dt *dt, const char *driver, int node)
{
	if (plat->ndevices == PLATFORM_MAX_DEVICES) {
		char path[PATH_MAX_LEN];
		pr_err("%s: more than %u devices matched; raise PLATFORM_MAX_DEVICES\n",
		       dt_path(dt, node, path, sizeof(path)), PLATFORM_MAX_DEVICES);
		return -ENOSPC;
	}
	struct platform_device *d = &plat->devices[plat->ndevices++];
	int count = dt_reg_count(dt, node);

	*d = (struct platform_device){ .driver = driver };
	dt_path(dt, node, d->path, sizeof(d->path));
	/*
	 * The driver has accepted the node, so its own reg entries were good; entries it did
	 * not use and that do not translate are left out here, silently: this list only
	 * describes (the summary, dtprobe's map).
	 */
	d->reg_entries = count > 0 ? (unsigned)count : 0;
	for (int i = 0; i < count && d->nreg < PLATFORM_DEVICE_REGS; i++) {
		struct mem_range *r = &d->reg[d->nreg];
		if (dt_reg(dt, node, i, &r->base, &r->size) == 0)
			d->nreg++;
	}
	return 0;
}

int platform_irq(const struct platform *plat, const struct dt *dt, int node, int index,
		 struct plat_irq *irq)
{
	char path[PATH_MAX_LEN];
	struct dt_irq spec;
	int err = dt_irq(dt, node, index, &spec);

	*irq = (struct plat_irq){ 0 };
	if (err) {
		pr_err("%s: interrupt %d: %s\n", dt_path(dt, node, path, sizeof(path)), index,
		       dt_strerror(err));
		return -EINVAL;
	}
	/* The GIC is known by its path: the description keeps no node handles. */
	char gic[sizeof(plat->gic.path)];
	if (!plat->gic.version)
		return -ENXIO;	/* the caller decides whether that is an error */
	if (dt == probing && gic_node >= 0 ? spec.controller != gic_node :
	    strcmp(dt_path(dt, spec.controller, gic, sizeof(gic)), plat->gic.path) != 0)
		return -ENXIO;
	if (spec.ncells < 3) {
		pr_err("%s: the GIC's #interrupt-cells is %u, the binding needs 3\n",
		       dt_path(dt, spec.controller, path, sizeof(path)), spec.ncells);
		return -EINVAL;
	}

	uint32_t type = spec.cells[0], num = spec.cells[1], intid;
	const char *why;

	if (platform_gic_intid(type, num, plat->gic.version, &intid, &why)) {
		if (type > 3)	/* past the binding's four types */
			pr_err("%s: interrupt %d has unknown GIC type %u\n",
			       dt_path(dt, node, path, sizeof(path)), index, (unsigned)type);
		else
			pr_err("%s: interrupt %d: %s %u is out of range\n",
			       dt_path(dt, node, path, sizeof(path)), index,
			       type == 1 || type == 3 ? "PPI" : "SPI", (unsigned)num);
		return -EINVAL;
	}
	*irq = (struct plat_irq){ .present = true, .intid = intid, .flags = spec.cells[2] & 0xf };
	return 0;
}

/*
 * The node whose interrupt-parent is in effect for node (itself or its nearest ancestor
 * with one), and that property's value; -1 when none has one.
 */
static int irq_parent_source(const struct dt *dt, int node, uint32_t *phandle)
{
	for (int n = node; n >= 0; n = dt_parent(dt, n))
		if (dt_u32(dt, n, "interrupt-parent", phandle) == 0)
			return n;
	return -1;
}

int platform_irq_count_error(const struct dt *dt, int node, int err)
{
	char path[PATH_MAX_LEN], other[PATH_MAX_LEN];
	uint32_t phandle, cells;
	int parent, from;

	dt_path(dt, node, path, sizeof(path));
	switch (err) {
	case DT_ERR_BADPHANDLE:
	case DT_ERR_IRQLOOP:
	case DT_ERR_NOTIRQCTRL:
		from = irq_parent_source(dt, node, &phandle);
		if (from < 0)
			break;
		if (from == node)
			pr_err("%s: interrupts: interrupt-parent <0x%x>: %s\n", path,
			       (unsigned)phandle, dt_strerror(err));
		else
			pr_err("%s: interrupts: interrupt-parent <0x%x> (inherited from %s): %s\n",
			       path, (unsigned)phandle, dt_path(dt, from, other, sizeof(other)),
			       dt_strerror(err));
		return -EINVAL;
	case DT_ERR_BADVALUE:
		parent = dt_irq_parent(dt, node);
		if (parent < 0 || dt_u32(dt, parent, "#interrupt-cells", &cells) || !cells)
			break;
		pr_err("%s: interrupts is %d bytes, not a whole number of %u-byte specifiers "
		       "(#interrupt-cells = %u from %s): %s\n", path,
		       dt_prop_len(dt, node, "interrupts"), (unsigned)(4 * cells), (unsigned)cells,
		       dt_path(dt, parent, other, sizeof(other)), dt_strerror(err));
		return -EINVAL;
	}
	pr_err("%s: interrupts: %s\n", path, dt_strerror(err));
	return -EINVAL;
}
