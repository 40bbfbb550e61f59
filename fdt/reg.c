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

int dt_reg_cells(const struct dt *dt, int node, int *addr_cells, int *size_cells)
{
	int parent = dt_parent(dt, node);
	if (parent < 0)
		return parent;

	const struct dt_node *p = dt_node_of(dt, parent);
	int ac = cells_value(p->addr_cells, 2);
	int sc = cells_value(p->size_cells, 1);
	if (ac < 0)
		return ac;
	if (sc < 0)
		return sc;
	if (ac == 0)
		return DT_ERR_BADNCELLS;
	*addr_cells = ac;
	*size_cells = sc;
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
static int translate(const struct dt *dt, int node, uint64_t *addr)
{
	int child = node;

	for (int level = 0; level <= DT_MAX_DEPTH; level++) {
		int bus = dt_parent(dt, child);
		if (bus < 0)
			return bus;
		if (bus == 0)
			return 0;	/* the root */

		int cac, csc, pac, psc, len;
		int err = dt_reg_cells(dt, child, &cac, &csc);	/* the bus's own cells */
		if (!err)
			err = dt_reg_cells(dt, bus, &pac, &psc);	/* its parent's */
		if (err)
			return err;

		const char *ranges = dt_getprop(dt, bus, "ranges", &len);
		if (!ranges)
			return len == DT_ERR_NOTFOUND ? DT_ERR_UNTRANSLATABLE : len;
		child = bus;
		if (len == 0)
			continue;	/* one to one */

		int entry = (cac + pac + csc) * 4;
		if (len % entry)
			return DT_ERR_BADVALUE;
		int n = len / entry, i;
		for (i = 0; i < n; i++, ranges += entry) {
			uint64_t cbase = read_cells(ranges, cac);
			uint64_t pbase = read_cells(ranges + cac * 4, pac);
			uint64_t length = read_cells(ranges + (cac + pac) * 4, csc);
			if (*addr < cbase || *addr - cbase >= length)
				continue;
			if (*addr - cbase > UINT64_MAX - pbase)
				return DT_ERR_BADVALUE;	/* past 2^64 in the parent's space */
			*addr = pbase + (*addr - cbase);
			break;
		}
		if (i == n)
			return DT_ERR_UNTRANSLATABLE;
	}
	return DT_ERR_BADSTRUCTURE;	/* deeper than the index allows */
}

int dt_reg(const struct dt *dt, int node, int index, paddr_t *base, uint64_t *size)
{
	uint64_t addr, len;
	int err = dt_reg_raw(dt, node, index, &addr, &len);

	if (!err)
		err = translate(dt, node, &addr);
	if (err)
		return err;
	/* The range must end at or below 2^64: addr + len - 1 must not wrap. */
	if (len && len - 1 > UINT64_MAX - addr)
		return DT_ERR_BADVALUE;
	*base = addr;
	*size = len;
	return 0;
}
