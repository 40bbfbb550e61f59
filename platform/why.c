/*
 * Probe errors that teach: the words for a reg entry that does not read, naming the property,
 * its length, the entry size expected and the cell counts with the node each came from, or
 * the bus whose ranges is at fault and the windows it has (include/arbor/explain.h).
 *
 * The facts come from dt_reg_trace(), which is dt_reg()'s own code with its steps kept, so
 * the message describes exactly the failure the driver met. Kept apart from explain.c so that
 * code reading the fixed nodes (memory.c, cpus.c) needs no driver table.
 */
#include <errno.h>
#include <string.h>

#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/printk.h>

#include "why.h"

typedef unsigned long long ull;

/* The error's name alone ("FDT_ERR_BADVALUE"), from dt_strerror's words "... (NAME)". */
const char *why_err_name(int err, char *buf, size_t size)
{
	const char *words = dt_strerror(err), *open = strrchr(words, '(');

	format_buf(buf, size, "%s", open ? open + 1 : words);
	char *close = strrchr(buf, ')');
	if (close)
		*close = '\0';
	return buf;
}

/* ---- the cells in effect, and where they came from ---- */

void why_cells(const struct dt *dt, struct sink *out, const char *name,
		      const struct dt_cells *c, int owner)
{
	char path[PATH_MAX_LEN];

	if (c->from < 0) {
		/* Absent on the node whose count applies: the specification's default. */
		format(out, "%s = %d (default: %s has none)", name, c->value,
		       dt_path(dt, owner, path, sizeof(path)));
	} else if (c->value == DT_CELLS_MALFORMED) {
		format(out, "%s of %s is not one cell", name, dt_path(dt, c->from, path, sizeof(path)));
	} else {
		format(out, "%s = %d from %s", name, c->value, dt_path(dt, c->from, path, sizeof(path)));
	}
}

/* "#address-cells = 2 from /, #size-cells = 2 from /": the cells node's reg is read with. */
void why_reg_cells(const struct dt *dt, int node, const struct dt_reg_trace *t,
			  struct sink *out)
{
	int parent = dt_parent(dt, node);

	why_cells(dt, out, "#address-cells", &t->ac, parent);
	format(out, ", ");
	why_cells(dt, out, "#size-cells", &t->sc, parent);
}

/* ---- why a reg entry does not read ---- */

void why_window(struct sink *out, uint64_t child, uint64_t parent, uint64_t length)
{
	format(out, "0x%llx-0x%llx -> 0x%llx", (ull)child, (ull)(child + length - 1), (ull)parent);
}

static void why_bus(const struct dt *dt, const struct dt_reg_trace *t, uint64_t addr,
			struct sink *out)
{
	char bus[PATH_MAX_LEN], name[40];
	int n, err = t->err;

	dt_path(dt, t->bus, bus, sizeof(bus));
	if (t->ranges_len == DT_ERR_NOTFOUND && err == DT_ERR_UNTRANSLATABLE) {
		format(out, "bus address 0x%llx cannot be translated: bus %s has no ranges, so its "
		       "children are not memory mapped (%s)", (ull)addr, bus,
		       why_err_name(err, name, sizeof(name)));
		return;
	}
	if (err == DT_ERR_UNTRANSLATABLE) {
		format(out, "bus address 0x%llx lies outside every window of %s's ranges (", (ull)addr, bus);
		n = dt_ranges_count(dt, t->bus);
		for (int i = 0; i < n && i < EXPLAIN_MAX_ENTRIES; i++) {
			uint64_t c = 0, p = 0, l = 0;
			if (dt_ranges_entry(dt, t->bus, i, &c, &p, &l) == 0) {
				format(out, "%s", i ? ", " : "");
				why_window(out, c, p, l);
			}
		}
		format(out, ") (%s)", why_err_name(err, name, sizeof(name)));
		return;
	}
	/* The bus's ranges itself is malformed: blame it, with the cells its entries need. */
	int width = t->bus_ac.value + t->bus_pac.value + t->bus_sc.value;
	if (err == DT_ERR_BADVALUE && t->ranges_len >= 0 && width > 0 &&
	    t->ranges_len % (width * 4)) {
		format(out, "the fault is bus %s's ranges: %d bytes, not a whole number of %d-byte "
		       "entries (", bus, t->ranges_len, width * 4);
	} else {
		format(out, "the fault is bus %s's ranges or cells: %s (", bus, dt_strerror(err));
	}
	why_cells(dt, out, "child #address-cells", &t->bus_ac, t->bus);
	format(out, ", ");
	why_cells(dt, out, "parent #address-cells", &t->bus_pac, dt_parent(dt, t->bus));
	format(out, ", ");
	why_cells(dt, out, "#size-cells", &t->bus_sc, t->bus);
	format(out, ")");
	if (err == DT_ERR_BADVALUE)
		format(out, " (%s)", why_err_name(err, name, sizeof(name)));
}

/*
 * The other children of node's parent whose reg is read with the same cells and is not a
 * whole number of entries either: a changed #address-cells breaks every reg it sizes, and
 * (as dtc does) the message says so, naming the first few.
 */
static void why_siblings(const struct dt *dt, int node, int entry_bytes, struct sink *out)
{
	char path[PATH_MAX_LEN];
	int parent = dt_parent(dt, node), sibling, n = 0;

	dt_for_each_child(dt, parent, sibling) {
		int len = dt_prop_len(dt, sibling, "reg");
		if (sibling == node || len <= 0 || len % entry_bytes == 0)
			continue;
		if (n < 3)
			format(out, "%s%s", n ? ", " : "; the same cells break the reg of ",
			       dt_path(dt, sibling, path, sizeof(path)));
		n++;
	}
	if (n > 3)
		format(out, " and %d more", n - 3);
}

void why_reg(const struct dt *dt, int node, int index, const struct dt_reg_trace *t,
			struct sink *out)
{
	char name[40];
	int err = t->err;

	if (t->bus >= 0) {
		why_bus(dt, t, t->addr, out);
		return;
	}
	if (err == DT_ERR_BADNCELLS) {
		format(out, "reg cannot be read with ");
		why_reg_cells(dt, node, t, out);
		format(out, ": Arbor reads 1 or 2 address cells and 0 to 2 size cells (%s)",
		       why_err_name(err, name, sizeof(name)));
	} else if (err == DT_ERR_BADVALUE && t->len >= 0 && t->entry_bytes && t->len % t->entry_bytes) {
		format(out, "reg is %d bytes (%d cells%s), not a whole number of %d-byte entries (",
		       t->len, t->len / 4, t->len % 4 ? " and a part" : "", t->entry_bytes);
		why_reg_cells(dt, node, t, out);
		why_siblings(dt, node, t->entry_bytes, out);
		format(out, ") (%s)", why_err_name(err, name, sizeof(name)));
	} else if (err == DT_ERR_NOTFOUND) {
		if (t->len == DT_ERR_NOTFOUND)
			format(out, "no reg property");
		else
			format(out, "reg has %d entr%s (%d bytes of %d-byte entries), no entry %d", t->count,
			       t->count == 1 ? "y" : "ies", t->len, t->entry_bytes, index);
	} else if (err == DT_ERR_BADVALUE) {
		format(out, "reg entry %d, 0x%llx of size 0x%llx at 0x%llx, runs past 2^64 (%s)", index,
		       (ull)t->addr, (ull)t->size, (ull)t->cpu, why_err_name(err, name, sizeof(name)));
	} else {
		format(out, "reg: %s", dt_strerror(err));
	}
}

void platform_reg_why(const struct dt *dt, int node, int index, struct sink *out)
{
	static struct dt_reg_trace t;	/* large for a kernel stack; probing is single-threaded */

	if (dt_reg_trace(dt, node, index, &t))
		why_reg(dt, node, index, &t, out);
}

void why_buf_put(struct sink *sink, const char *s, size_t n)
{
	struct buf_sink *b = (struct buf_sink *)sink;

	while (n-- && b->len + 1 < b->size)
		b->buf[b->len++] = *s++;
	b->buf[b->len] = '\0';
}

int platform_reg_error(const struct dt *dt, int node, int index, const char *what)
{
	static char why[512];
	struct buf_sink b = { { why_buf_put }, why, sizeof(why), 0 };
	char path[PATH_MAX_LEN];

	why[0] = '\0';
	platform_reg_why(dt, node, index < 0 ? 0 : index, &b.sink);
	dt_path(dt, node, path, sizeof(path));
	if (index < 0)
		pr_err("%s: %s\n", path, why);
	else
		pr_err("%s: reg entry %d%s%s%s: %s\n", path, index, what ? " (" : "", what ? what : "",
		       what ? ")" : "", why);
	return -EINVAL;
}
