/*
 * reg and ranges: where a node's registers are, first as its parent bus sees them
 * (dt_reg_raw), then as the CPU does (dt_reg).
 *
 * Devicetree Specification v0.4, 2.3.5 and 2.3.6: reg is a list of (address, size) pairs,
 * each as many cells wide as the parent's #address-cells and #size-cells say (2 and 1 when
 * absent). Arbor takes 1 or 2 address cells and 0 to 2 size cells, so every value fits in a
 * uint64_t; 3 address cells is PCI's encoding (a flags cell first), which Arbor has no use
 * for, and is refused like any other width. The cells in effect and the bus above each node
 * come from the index: no walk of the blob.
 */
#include "internal.h"

/* A big-endian value of n (at most 2) cells, most significant first. */
static uint64_t read_cells(const char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | dt_cell(p + 4 * i);
	return v;
}

/* #address-cells or #size-cells as the index keeps it: dflt when absent, else at most 2. */
static int cells_value(int8_t cells, int dflt)
{
	if (cells == DT_CELLS_ABSENT)
		return dflt;
	if (cells < 0 || cells > 2)
		return DT_ERR_BADNCELLS;
	return cells;
}

int dt_reg_cells_from(const struct dt *dt, int node, struct dt_cells *ac, struct dt_cells *sc)
{
	int parent = dt_parent(dt, node);
	if (parent < 0)
		return parent;

	const struct dt_node *p = dt_node_of(dt, parent);
	int a = cells_value(p->addr_cells, 2);
	int s = cells_value(p->size_cells, 1);
	/* What was declared, for a message about a refused count; the default's origin is -1. */
	*ac = (struct dt_cells){ a < 0 ? p->addr_cells : a, p->addr_cells == DT_CELLS_ABSENT ? -1 : parent };
	*sc = (struct dt_cells){ s < 0 ? p->size_cells : s, p->size_cells == DT_CELLS_ABSENT ? -1 : parent };
	if (a < 0)
		return a;
	if (s < 0)
		return s;
	if (a == 0)
		return DT_ERR_BADNCELLS;
	return 0;
}

int dt_reg_cells(const struct dt *dt, int node, int *addr_cells, int *size_cells)
{
	struct dt_cells ac, sc;
	int err = dt_reg_cells_from(dt, node, &ac, &sc);

	if (err)
		return err;
	*addr_cells = ac.value;
	*size_cells = sc.value;
	return 0;
}

/* node's reg, checked to hold whole entries; *count is their number or a negative error. */
static const char *reg_prop(const struct dt *dt, int node, int *count, int *ac, int *sc)
{
	int len, err = dt_reg_cells(dt, node, ac, sc);

	if (err) {
		*count = err;
		return NULL;
	}
	const char *p = dt_getprop(dt, node, "reg", &len);
	if (!p) {
		*count = len == DT_ERR_NOTFOUND ? 0 : len;
		return NULL;
	}
	int entry = (*ac + *sc) * 4;
	if (len % entry) {
		*count = DT_ERR_BADVALUE;
		return NULL;
	}
	*count = len / entry;
	return p;
}

int dt_reg_count(const struct dt *dt, int node)
{
	int count, ac, sc;

	reg_prop(dt, node, &count, &ac, &sc);
	return count;
}

int dt_reg_raw(const struct dt *dt, int node, int index, uint64_t *addr, uint64_t *size)
{
	int count, ac, sc;
	const char *p = reg_prop(dt, node, &count, &ac, &sc);

	if (count < 0)
		return count;
	if (index < 0 || index >= count)
		return DT_ERR_NOTFOUND;
	p += index * (ac + sc) * 4;
	*addr = read_cells(p, ac);
	*size = read_cells(p + ac * 4, sc);
	return 0;
}

/*
 * bus's ranges and the widths of its entries' three parts: *cac the bus's own
 * #address-cells (the child address), *pac its parent's (the parent address), *csc the bus's
 * #size-cells (the length). *len is the length, or DT_ERR_NOTFOUND when it has none. 0 or
 * a negative error: cells refused, or a length that is not a whole number of entries.
 */
static const char *ranges_prop(const struct dt *dt, int bus, int *len, int *cac, int *pac, int *csc)
{
	const struct dt_node *b = dt_node_of(dt, bus);
	int psc;

	*cac = cells_value(b->addr_cells, 2);
	*csc = cells_value(b->size_cells, 1);
	int err = *cac < 0 ? *cac : *csc < 0 ? *csc : dt_reg_cells(dt, bus, pac, &psc);
	if (!err && *cac == 0)
		err = DT_ERR_BADNCELLS;	/* as for a reg: a bus's children need an address */
	const char *ranges = dt_getprop(dt, bus, "ranges", len);
	if (err)
		return *len = err, NULL;
	if (ranges && *len % ((*cac + *pac + *csc) * 4))
		return *len = DT_ERR_BADVALUE, NULL;
	return ranges;
}

int dt_ranges_count(const struct dt *dt, int bus)
{
	int len, cac, pac, csc;

	if (!dt_valid(dt, bus))
		return DT_ERR_BADOFFSET;
	if (!ranges_prop(dt, bus, &len, &cac, &pac, &csc))
		return len;
	return len / ((cac + pac + csc) * 4);
}

int dt_ranges_entry(const struct dt *dt, int bus, int index, uint64_t *child, uint64_t *parent,
		    uint64_t *length)
{
	int len, cac, pac, csc;
	const char *ranges = dt_valid(dt, bus) ? ranges_prop(dt, bus, &len, &cac, &pac, &csc) : NULL;

	if (!ranges)
		return dt_valid(dt, bus) ? len : DT_ERR_BADOFFSET;
	int entry = (cac + pac + csc) * 4;
	if (index < 0 || index >= len / entry)
		return DT_ERR_NOTFOUND;
	ranges += index * entry;
	*child = read_cells(ranges, cac);
	*parent = read_cells(ranges + cac * 4, pac);
	*length = read_cells(ranges + (cac + pac) * 4, csc);
	return 0;
}

/*
 * Translate *addr, an address on the bus node sits on, to a CPU physical address (2.3.8).
 * Each bus between node and the root says in its ranges how its children's address space
 * maps into its own parent's, as entries of
 *
 *	<child-bus-address parent-bus-address length>
 *
 * the child address in the bus's own #address-cells, the parent address in its parent's
 * #address-cells, the length in the bus's own #size-cells. The entry whose window
 * [child-bus-address, child-bus-address + length) holds the address moves it to
 * parent-bus-address plus its offset into the window, one level up; the walk repeats until
 * the bus is the root, whose address space is the CPU's. An empty ranges says the two
 * spaces are the same. An absent ranges says the children are not memory mapped at all
 * (an I2C bus, /cpus), and so does an address outside every window: both are
 * DT_ERR_UNTRANSLATABLE. As Linux does, only the base address has to lie in a window.
 * The index bounds the depth, so the walk has at most DT_MAX_DEPTH steps.
 */
static void trace_bus(const struct dt *dt, int bus, struct dt_reg_trace *t);

static int translate(const struct dt *dt, int node, uint64_t *addr, struct dt_reg_trace *t)
{
	int child = node;

	for (int level = 0; level <= DT_MAX_DEPTH; level++) {
		int bus = dt_parent(dt, child);
		if (bus < 0)
			return bus;
		if (bus == 0)
			return 0;	/* the root */

		int len, cac, pac, csc;
		const char *ranges = ranges_prop(dt, bus, &len, &cac, &pac, &csc);
		struct dt_hop hop = { .bus = bus, .entry = -1, .in = *addr, .out = *addr };
		int err = 0;

		if (!ranges) {
			err = len == DT_ERR_NOTFOUND ? DT_ERR_UNTRANSLATABLE : len;
		} else if (len) {
			int entry = (cac + pac + csc) * 4, n = len / entry, i;
			for (i = 0; i < n; i++, ranges += entry) {
				uint64_t cbase = read_cells(ranges, cac);
				uint64_t pbase = read_cells(ranges + cac * 4, pac);
				uint64_t length = read_cells(ranges + (cac + pac) * 4, csc);
				if (*addr < cbase || *addr - cbase >= length)
					continue;
				hop = (struct dt_hop){ bus, i, cbase, pbase, length, *addr, 0 };
				if (*addr - cbase > UINT64_MAX - pbase)
					err = DT_ERR_BADVALUE;	/* past 2^64 in the parent's space */
				else
					*addr = hop.out = pbase + (*addr - cbase);
				break;
			}
			if (i == n)
				err = DT_ERR_UNTRANSLATABLE;
		}
		if (t && err)
			trace_bus(dt, bus, t);
		if (err)
			return err;
		if (t && t->nhops < DT_TRACE_HOPS)
			t->hop[t->nhops] = hop;
		if (t)
			t->nhops++;
		child = bus;
	}
	return DT_ERR_BADSTRUCTURE;	/* deeper than the index allows */
}

int dt_reg(const struct dt *dt, int node, int index, paddr_t *base, uint64_t *size)
{
	uint64_t addr, len;
	int err = dt_reg_raw(dt, node, index, &addr, &len);

	if (!err)
		err = translate(dt, node, &addr, NULL);
	if (err)
		return err;
	/* The range must end at or below 2^64: addr + len - 1 must not wrap. */
	if (len && len - 1 > UINT64_MAX - addr)
		return DT_ERR_BADVALUE;
	*base = addr;
	*size = len;
	return 0;
}

/* ---- the same steps, kept for dt_reg_trace() ---- */

/* The bus at fault and the cells its ranges is read with. */
static void trace_bus(const struct dt *dt, int bus, struct dt_reg_trace *t)
{
	const struct dt_node *b = dt_node_of(dt, bus);
	struct dt_cells psc;

	t->bus = bus;
	t->ranges_len = dt_prop_len(dt, bus, "ranges");
	t->bus_ac = (struct dt_cells){ b->addr_cells == DT_CELLS_ABSENT ? 2 : b->addr_cells,
				       b->addr_cells == DT_CELLS_ABSENT ? -1 : bus };
	t->bus_sc = (struct dt_cells){ b->size_cells == DT_CELLS_ABSENT ? 1 : b->size_cells,
				       b->size_cells == DT_CELLS_ABSENT ? -1 : bus };
	dt_reg_cells_from(dt, bus, &t->bus_pac, &psc);	/* a bus is never the root */
}

int dt_reg_trace(const struct dt *dt, int node, int index, struct dt_reg_trace *t)
{
	*t = (struct dt_reg_trace){ .bus = -1, .ranges_len = DT_ERR_NOTFOUND };
	if (!dt_valid(dt, node))
		return t->err = DT_ERR_BADOFFSET;

	const char *reg = dt_prop_where(dt, node, "reg", &t->token, &t->len);
	if ((t->err = dt_reg_cells_from(dt, node, &t->ac, &t->sc)))
		return t->err;
	t->entry_bytes = (t->ac.value + t->sc.value) * 4;
	if (!reg)
		return t->err = t->len;
	if (t->len % t->entry_bytes)
		return t->err = DT_ERR_BADVALUE;
	t->count = t->len / t->entry_bytes;
	if (index < 0 || index >= t->count)
		return t->err = DT_ERR_NOTFOUND;

	reg += index * t->entry_bytes;
	t->addr = read_cells(reg, t->ac.value);
	t->size = read_cells(reg + t->ac.value * 4, t->sc.value);
	t->cpu = t->addr;
	if ((t->err = translate(dt, node, &t->cpu, t)))
		return t->err;
	if (t->size && t->size - 1 > UINT64_MAX - t->cpu)
		t->err = DT_ERR_BADVALUE;
	return t->err;
}
