/*
 * Explaining the device tree (include/arbor/explain.h): every step platform/ takes to read a
 * node, told in order, for dtprobe --explain and the kernel's probe=explain; and the words
 * that make a probe error say what is wrong, not only that something is.
 *
 * Nothing here decides anything. Every fact comes from the same fdt/ calls the drivers make
 * (dt_reg_trace() is dt_reg()'s own code with its steps kept; dt_irq() is what
 * platform_irq() calls; driver matching reads the same driver table), so an explanation
 * cannot disagree with what the kernel does. Numbers are written one way throughout Arbor:
 * 0x and lowercase hex digits, unpadded (0x1234abc), as the boot summary prints them.
 */
#include <errno.h>
#include <string.h>

#include <arbor/bootargs.h>
#include <arbor/driver.h>
#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/printk.h>

#include "why.h"

typedef unsigned long long ull;

/* The bytes of a property with their offsets in the blob, as xxd would show them. */
static void put_bytes(const struct dt *dt, int node, const char *prop, struct sink *out)
{
	uint32_t token;
	int len;
	const uint8_t *v = dt_prop_where(dt, node, prop, &token, &len);

	if (!v)
		return;
	format(out, "  %s: FDT_PROP token at 0x%x, %d bytes of value at 0x%x\n", prop,
	       (unsigned)token, len, (unsigned)token + 12);
	for (int i = 0; i < len && i < 16 * EXPLAIN_MAX_ENTRIES; i += 16) {
		format(out, "    0x%x:", (unsigned)token + 12 + (unsigned)i);
		for (int j = i; j < len && j < i + 16; j++)
			format(out, " %02x", v[j]);
		format(out, "\n");
	}
}

static void put_range_words(struct sink *out, uint64_t base, uint64_t size)
{
	if (size)
		format(out, "0x%llx-0x%llx", (ull)base, (ull)(base + size - 1));
	else
		format(out, "0x%llx", (ull)base);
}

static void explain_reg(const struct dt *dt, int node, bool cpu, struct sink *out)
{
	static struct dt_reg_trace t;
	char path[PATH_MAX_LEN];

	if (dt_reg_trace(dt, node, 0, &t) == DT_ERR_NOTFOUND && t.len == DT_ERR_NOTFOUND)
		return;		/* no reg */
	put_bytes(dt, node, "reg", out);
	format(out, "  reg cells: ");
	why_reg_cells(dt, node, &t, out);
	format(out, "\n");
	if (t.err && t.count == 0) {
		format(out, "  reg: error: ");
		why_reg(dt, node, 0, &t, out);
		format(out, "\n");
		return;
	}
	format(out, "  reg entries: (%d + %d cells) x 4 = %d bytes each; %d / %d = %d entr%s\n",
	       t.ac.value, t.sc.value, t.entry_bytes, t.len, t.entry_bytes, t.count,
	       t.count == 1 ? "y" : "ies");

	int count = t.count;
	for (int i = 0; i < count && i < EXPLAIN_MAX_ENTRIES; i++) {
		int err = dt_reg_trace(dt, node, i, &t);
		if (cpu) {
			/* A CPU's reg is its MPIDR (affinity), not an address: nothing to translate. */
			format(out, "  reg[%d]: 0x%llx, this CPU's MPIDR affinity, not an address\n", i,
			       (ull)t.addr);
			continue;
		}
		format(out, "  reg[%d]: bus address 0x%llx, size 0x%llx\n", i, (ull)t.addr, (ull)t.size);
		for (unsigned h = 0; h < t.nhops && h < DT_TRACE_HOPS; h++) {
			const struct dt_hop *hop = &t.hop[h];
			dt_path(dt, hop->bus, path, sizeof(path));
			if (hop->entry < 0) {
				format(out, "    %s: empty ranges, one to one: 0x%llx\n", path, (ull)hop->out);
				continue;
			}
			format(out, "    %s: ranges entry %d, ", path, hop->entry);
			why_window(out, hop->child, hop->parent, hop->length);
			format(out, ": 0x%llx -> 0x%llx\n", (ull)hop->in, (ull)hop->out);
		}
		if (t.nhops > DT_TRACE_HOPS)
			format(out, "    ... %u more hops\n", t.nhops - DT_TRACE_HOPS);
		if (err) {
			format(out, "    error: ");
			why_reg(dt, node, i, &t, out);
			format(out, "\n");
			continue;
		}
		format(out, "    CPU address ");
		put_range_words(out, t.cpu, t.size);
		format(out, "%s\n", t.nhops ? "" : " (no bus between it and the root: the same)");
	}
	if (count > EXPLAIN_MAX_ENTRIES)
		format(out, "  ... %d more reg entries\n", count - EXPLAIN_MAX_ENTRIES);
}

static bool roots_irq_domain(const struct dt *dt, int node)
{
	return dt_cells_declared(dt, node, DT_INTERRUPT_CELLS) != DT_CELLS_NONE ||
	       dt_has(dt, node, "interrupt-controller") || dt_has(dt, node, "interrupt-map");
}

/*
 * How node's interrupt parent is found (dt_irq_parent(): Devicetree Specification v0.4,
 * 2.4.1, and Linux's of_irq_find_parent()), told by its first step; the index's answer is
 * printed beside it, so a longer chain is still named correctly.
 */
static void put_irq_parent_how(const struct dt *dt, int node, struct sink *out)
{
	char path[PATH_MAX_LEN];
	uint32_t ph;

	for (int n = node, up = 0; n >= 0 && up <= DT_MAX_DEPTH; up++) {
		if (dt_u32(dt, n, "interrupt-parent", &ph) == 0) {
			if (n == node)
				format(out, "its own interrupt-parent = <0x%x>", (unsigned)ph);
			else
				format(out, "inherited from ancestor %s: interrupt-parent = <0x%x>",
				       dt_path(dt, n, path, sizeof(path)), (unsigned)ph);
			return;
		}
		n = dt_parent(dt, n);
		if (n >= 0 && roots_irq_domain(dt, n)) {
			format(out, "no interrupt-parent on the way: %s %s roots an interrupt domain",
			       n == dt_parent(dt, node) ? "its tree parent" : "ancestor",
			       dt_path(dt, n, path, sizeof(path)));
			return;
		}
	}
	format(out, "no interrupt-parent on the node or any ancestor");
}

/* The driver of level PROBE_IRQCHIP whose strings node's compatible names, or NULL. */
static const struct platform_driver *irqchip_driver(const struct dt *dt, int node)
{
	for (const struct platform_driver *d = __start_arbor_drivers; d < __stop_arbor_drivers; d++)
		if (d->level == PROBE_IRQCHIP && platform_driver_matches(d, dt, node))
			return d;
	return NULL;
}

static const char *trigger_words(uint32_t flags)
{
	switch (flags & 0xf) {
	case IRQ_TYPE_EDGE_RISING: return "edge rising";
	case IRQ_TYPE_EDGE_FALLING: return "edge falling";
	case IRQ_TYPE_LEVEL_HIGH: return "level high";
	case IRQ_TYPE_LEVEL_LOW: return "level low";
	case 0: return "trigger not given";
	default: return "several triggers";
	}
}

static void put_gic_spec(const struct dt_irq *spec, unsigned version, struct sink *out)
{
	static const char *const types[] = { "SPI", "PPI", "extended SPI", "extended PPI" };
	static const unsigned bases[] = { 32, 16, 4096, 1056 };
	uint32_t intid, type = spec->cells[0], num = spec->cells[1];
	const char *why;

	if (spec->ncells < 3) {
		format(out, ": the GIC binding needs 3 cells, its #interrupt-cells is %u", spec->ncells);
		return;
	}
	if (platform_gic_intid(type, num, version, &intid, &why)) {
		format(out, ": type %u number %u: %s for a GICv%u", (unsigned)type, (unsigned)num, why,
		       version);
		return;
	}
	format(out, ": GIC %s %u = INTID %u (%u + %u), flags 0x%x: %s", types[type], (unsigned)num,
	       (unsigned)intid, bases[type], (unsigned)num, (unsigned)spec->cells[2],
	       trigger_words(spec->cells[2]));
	if (spec->cells[2] >> 8 & 0xff)
		format(out, ", CPU mask 0x%x", (unsigned)(spec->cells[2] >> 8 & 0xff));
}

static void explain_irqs(const struct dt *dt, int node, struct sink *out)
{
	char path[PATH_MAX_LEN], name[40];
	bool extended = dt_has(dt, node, "interrupts-extended");
	int count = dt_irq_count(dt, node);

	if (!extended && !dt_has(dt, node, "interrupts"))
		return;
	put_bytes(dt, node, extended ? "interrupts-extended" : "interrupts", out);
	if (extended) {
		format(out, "  interrupt parent: interrupts-extended names one before each specifier\n");
	} else {
		int parent = dt_irq_parent(dt, node);
		format(out, "  interrupt parent: ");
		if (parent >= 0) {
			format(out, "%s (", dt_path(dt, parent, path, sizeof(path)));
			put_irq_parent_how(dt, node, out);
			format(out, ")\n");
		} else {
			format(out, "none found: %s\n", dt_strerror(parent));
		}
		if (parent >= 0 && count >= 0) {
			int cells = dt_cells_declared(dt, parent, DT_INTERRUPT_CELLS);
			int len = dt_prop_len(dt, node, "interrupts");
			format(out, "  interrupt cells: #interrupt-cells = %d from %s; %d / %d = %d specifier%s\n",
			       cells, path, len, cells * 4, count, count == 1 ? "" : "s");
		}
	}
	if (count < 0) {
		format(out, "  interrupts: error: %s\n", dt_strerror(count));
		return;
	}
	for (int i = 0; i < count && i < EXPLAIN_MAX_ENTRIES; i++) {
		struct dt_irq spec;
		int err = dt_irq(dt, node, i, &spec);
		format(out, "  interrupts[%d]: ", i);
		if (err) {
			format(out, "error: %s\n", dt_strerror(err));
			continue;
		}
		int parent = dt_irq_parent(dt, node);
		if (!extended && parent >= 0 && parent != spec.controller)
			format(out, "mapped by %s's interrupt-map to ", dt_path(dt, parent, path, sizeof(path)));
		format(out, "%s <", dt_path(dt, spec.controller, path, sizeof(path)));
		for (unsigned c = 0; c < spec.ncells; c++)
			format(out, "%s0x%x", c ? " " : "", (unsigned)spec.cells[c]);
		format(out, ">");
		const struct platform_driver *gic = irqchip_driver(dt, spec.controller);
		if (gic)
			put_gic_spec(&spec, !strcmp(gic->name, "gicv3") ? 3 : 2, out);
		else
			format(out, ": not a GIC Arbor drives (%s)", why_err_name(DT_ERR_NOTIRQCTRL, name, sizeof(name)));
		format(out, "\n");
	}
	if (count > EXPLAIN_MAX_ENTRIES)
		format(out, "  ... %d more interrupts\n", count - EXPLAIN_MAX_ENTRIES);
}

/* What an interrupt controller's own cells say to the nodes that use it. */
static void explain_controller(const struct dt *dt, int node, struct sink *out)
{
	int ic = dt_cells_declared(dt, node, DT_INTERRUPT_CELLS);
	int ac = dt_cells_declared(dt, node, DT_ADDRESS_CELLS);
	uint32_t ph = dt_phandle(dt, node);

	if (!dt_has(dt, node, "interrupt-controller") && !dt_has(dt, node, "interrupt-map"))
		return;
	format(out, "  %s: phandle 0x%x", dt_has(dt, node, "interrupt-controller") ?
	       "interrupt controller" : "interrupt nexus (interrupt-map)", (unsigned)ph);
	if (ic >= 0)
		format(out, "; #interrupt-cells = %d: each specifier given to it is %d cells", ic, ic);
	if (ac == 0)
		format(out, "; #address-cells = 0: interrupt-map entries naming it carry no unit "
		       "address (it says nothing about its own reg, which its parent's cells size)");
	format(out, "\n");
}

/* The compatible strings tried, in order, and what took the node. */
static void explain_match(const struct dt *dt, int node, struct sink *out)
{
	int len, pos = 0;
	const char *list = dt_compatible_list(dt, node, &len), *compat;

	if (!list) {
		if (len != DT_ERR_NOTFOUND)
			format(out, "  compatible: error: not a list of strings (%s)\n", dt_strerror(len));
		return;
	}
	while ((compat = dt_string_next(list, len, &pos))) {
		for (const struct platform_driver *d = __start_arbor_drivers; d < __stop_arbor_drivers; d++) {
			for (const char *c = d->compatible; *c; c += strlen(c) + 1) {
				if (strcmp(c, compat))
					continue;
				format(out, "  driver: \"%s\" -> %s, probe level %d (%s)\n", compat, d->name,
				       (int)d->level, probe_level_name(d->level));
				return;
			}
		}
		format(out, "  driver: \"%s\" -> none\n", compat);
	}
	format(out, "  no driver for compatible ");
	for (pos = 0; (compat = dt_string_next(list, len, &pos));)
		format(out, "%s\"%s\"", compat == list ? "" : ", ", compat);
	format(out, "\n");
}

/* What reads a node no driver matches by compatible: the fixed parts platform_probe reads. */
static const char *fixed_reader(const struct dt *dt, int node)
{
	const char *type = dt_string(dt, node, "device_type", NULL);
	int parent = dt_parent(dt, node);

	if (type && !strcmp(type, "memory") && parent == 0)
		return "a RAM bank (device_type = \"memory\"): read by platform_probe_memory()";
	if (type && !strcmp(type, "cpu"))
		return "a CPU (device_type = \"cpu\"): read by platform_probe_cpus()";
	if (parent == 0 && !strcmp(dt_name(dt, node), "chosen"))
		return "/chosen: bootargs and stdout-path, read by platform_probe_chosen()";
	if (parent == 0 && !strcmp(dt_name(dt, node), "aliases"))
		return "/aliases: names for paths, read when stdout-path uses one";
	if (parent > 0 && !strcmp(dt_name(dt, parent), "reserved-memory"))
		return "a reserved range: read by platform_probe_reserved()";
	return NULL;
}

/* /chosen's stdout-path, resolved as platform/chosen.c resolves it (aliases included). */
static void explain_chosen(const struct dt *dt, int node, struct sink *out)
{
	char path[PATH_MAX_LEN];
	const char *prop = "stdout-path", *value = dt_string(dt, node, prop, NULL);

	if (!value && (value = dt_string(dt, node, "linux,stdout-path", NULL)))
		prop = "linux,stdout-path";
	if (!value)
		return;
	const char *colon = strchr(value, ':');
	int len = colon ? (int)(colon - value) : (int)strlen(value);
	format(out, "  %s = \"%s\": the node is \"%.*s\"", prop, value, len, value);
	if (colon)
		format(out, ", the options \"%s\"", colon + 1);
	format(out, "\n");
	if (len && value[0] != '/') {
		/* An alias: its first component is a property of /aliases holding a path. */
		const char *slash = memchr(value, '/', (size_t)len);
		int alen = slash ? (int)(slash - value) : len;
		int aliases = dt_find_node(dt, "/aliases", 8);
		char name[64];
		format_buf(name, sizeof(name), "%.*s", alen, value);
		const char *target = aliases >= 0 ? dt_string(dt, aliases, name, NULL) : NULL;
		format(out, "  alias: /aliases has %s = \"%s\"\n", name, target ? target : "(none)");
	}
	int target = dt_find_node(dt, value, (size_t)len);
	if (target < 0)
		format(out, "  stdout-path names no node: %s\n", dt_strerror(target));
	else
		format(out, "  stdout-path names %s%s\n", dt_path(dt, target, path, sizeof(path)),
		       dt_enabled(dt, target) ? "" : ", which is disabled: the console is chosen without it");
}

void platform_explain_node(const struct dt *dt, int node, struct sink *out)
{
	char path[PATH_MAX_LEN];
	const char *status = dt_string(dt, node, "status", NULL);

	format(out, "%s\n", dt_path(dt, node, path, sizeof(path)));
	if (!dt_enabled(dt, node)) {
		format(out, "  skipped: status = \"%s\"\n", status ? status : "?");
		return;
	}
	const char *fixed = fixed_reader(dt, node);
	const char *type = dt_string(dt, node, "device_type", NULL);
	if (fixed)
		format(out, "  %s\n", fixed);
	if (dt_parent(dt, node) == 0 && !strcmp(dt_name(dt, node), "chosen"))
		explain_chosen(dt, node, out);
	explain_reg(dt, node, type && !strcmp(type, "cpu"), out);
	explain_controller(dt, node, out);
	explain_irqs(dt, node, out);
	explain_match(dt, node, out);
}

void platform_explain_all(const struct dt *dt, struct sink *out)
{
	for (int node = 0; node < (int)dt->nnodes; node++) {
		if (node)
			format(out, "\n");
		platform_explain_node(dt, node, out);
	}
}

void platform_explain_if_asked(const struct dt *dt)
{
	int chosen = dt_find_node(dt, "/chosen", 7);
	const char *args = chosen >= 0 ? dt_string(dt, chosen, "bootargs", NULL) : NULL;

	if (!args || !bootargs_list_has(args, "probe", "explain"))
		return;
	printk("explain: begin\n");
	platform_explain_all(dt, &printk_sink);
	printk("explain: end\n");
}
