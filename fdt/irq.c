/*
 * Interrupts: which controller a node's interrupts go to, and each interrupt specifier
 * decoded (Devicetree Specification v0.4, 2.4).
 *
 * A node lists its interrupts in one of two ways (2.4.1). With interrupts, every specifier
 * belongs to the node's interrupt parent and is that parent's #interrupt-cells wide. With
 * interrupts-extended, each specifier is preceded by the phandle of its own parent and is
 * that parent's #interrupt-cells wide, so entries can differ in size and the list can only
 * be read by walking it from the start. When a node has both, interrupts-extended takes
 * precedence (2.4.1.3).
 *
 * An interrupt parent is the root of an interrupt domain (2.4): an interrupt controller
 * (interrupt-controller), or an interrupt nexus (interrupt-map, 2.4.3), which is no device
 * but a table saying where each of its children's interrupts goes. Buses on real boards are
 * nexus nodes: vexpress and the Arm FVP route their peripherals' 1-cell interrupts to GIC
 * SPIs through one. A specifier given to a nexus is followed through its map, and through
 * the next nexus if the map leads to one, until it reaches a controller.
 *
 * Every walk is bounded: up the tree by DT_MAX_DEPTH, along interrupt-parent links by
 * IRQ_MAX_HOPS, through nexus nodes by IRQ_MAX_MAP_HOPS, and each property is read only
 * within the length the index recorded for it. Which nodes are controllers or nexus nodes,
 * their cells and phandles come from the index; each node's interrupt parent is found once,
 * when the tree is indexed (dt_irq_parent_find), and read from there afterwards.
 */
#include "internal.h"

/*
 * The longest chain of interrupt-parent links followed from a node to its interrupt parent.
 * A real tree has one or two; a longer chain is taken to be a loop, which also catches
 * loops without remembering the nodes seen.
 */
#define IRQ_MAX_HOPS  32

/*
 * The most nexus nodes one interrupt is mapped through. A real tree has one (a bus) or two
 * (a PCI bridge behind one); each step reads the nexus's whole map, so the bound is kept
 * small, and more is taken to be a loop.
 */
#define IRQ_MAX_MAP_HOPS  8

/*
 * The widest unit address an interrupt-map entry may have: 3 cells, PCI's (2.4.3.1's
 * example). Boards use 0 to 2.
 */
#define IRQ_MAX_ADDR_CELLS  3

/* A unit address followed by an interrupt specifier: what an interrupt-map matches. */
#define IRQ_MAX_KEY  (IRQ_MAX_ADDR_CELLS + DT_IRQ_MAX_CELLS)

/* The node a phandle names; one that names no node is DT_ERR_BADPHANDLE. */
static int phandle_node(const struct dt *dt, uint32_t phandle)
{
	int node = dt_node_by_phandle(dt, phandle);

	return node == DT_ERR_NOTFOUND ? DT_ERR_BADPHANDLE : node;
}

static bool is_controller(const struct dt *dt, int node)
{
	return dt_node_of(dt, node)->flags & DT_NODE_IRQ_CONTROLLER;
}

/* A nexus: a node with an interrupt-map that is not itself a controller (2.4.3). */
static bool is_nexus(const struct dt *dt, int node)
{
	return !is_controller(dt, node) && (dt_node_of(dt, node)->flags & DT_NODE_IRQ_MAP);
}

/*
 * The #interrupt-cells of node, which must be an interrupt controller or a nexus (2.4.2,
 * 2.4.3): 1 to DT_IRQ_MAX_CELLS; one without the property is malformed (DT_ERR_BADNCELLS).
 */
static int irq_cells(const struct dt *dt, int node)
{
	int n = dt_node_of(dt, node)->irq_cells;	/* absent and malformed are negative */

	if (!is_controller(dt, node) && !is_nexus(dt, node))
		return DT_ERR_NOTIRQCTRL;
	if (n < 1 || n > DT_IRQ_MAX_CELLS)
		return DT_ERR_BADNCELLS;
	return n;
}

/*
 * The #address-cells of a nexus, or of the parent an interrupt-map entry names: how wide the
 * unit address in its interrupt domain is. The specification asks for it to be given, 0 when
 * there is none; absent is taken as 0, as Linux does for a map's parent (for the nexus
 * itself Linux looks further up the tree, which only matters to a tree already malformed).
 */
static int irq_addr_cells(const struct dt *dt, int node)
{
	int n = dt_node_of(dt, node)->addr_cells;

	if (n == DT_CELLS_ABSENT)
		return 0;
	if (n < 0 || n > IRQ_MAX_ADDR_CELLS)
		return DT_ERR_BADNCELLS;
	return n;
}

/* Whether node is where the search for an interrupt parent stops (see dt_irq_parent). */
bool dt_irq_domain_root(const struct dt *dt, int node)
{
	const struct dt_node *n = dt_node_of(dt, node);

	return n->irq_cells != DT_CELLS_ABSENT || (n->flags & (DT_NODE_IRQ_CONTROLLER | DT_NODE_IRQ_MAP));
}

/*
 * 2.4.1: "If this property [interrupt-parent] is missing from a device, its interrupt parent
 * is assumed to be its devicetree parent." A parent that roots no interrupt domain only
 * passes the question on, through its own interrupt-parent or to its own tree parent, as
 * Linux's of_irq_find_parent() does; the search stops at the first node that has
 * #interrupt-cells (or interrupt-controller or interrupt-map, so that such a node missing
 * #interrupt-cells is reported rather than silently passed over).
 */
int dt_irq_parent_find(const struct dt *dt, int node)
{
	int hops = 0, climbed = 0;

	for (;;) {
		uint32_t phandle;
		/* The index noted which nodes have the property: no lookup for the others. */
		int err = dt_node_of(dt, node)->flags & DT_NODE_IRQ_PARENT ?
			  dt_u32(dt, node, "interrupt-parent", &phandle) : DT_ERR_NOTFOUND;

		if (err == DT_ERR_NOTFOUND) {
			node = dt_parent(dt, node);
			if (node == DT_ERR_NOTFOUND)
				return DT_ERR_NOIRQPARENT;	/* past the root */
			if (++climbed > DT_MAX_DEPTH)
				return DT_ERR_BADSTRUCTURE;	/* deeper than the index allows */
		} else if (err) {
			return err;
		} else {
			if (++hops > IRQ_MAX_HOPS)
				return DT_ERR_IRQLOOP;
			node = phandle_node(dt, phandle);
			climbed = 0;
		}
		if (node < 0)
			return node;
		if (!dt_irq_domain_root(dt, node))
			continue;
		if (!is_controller(dt, node) && !is_nexus(dt, node))
			return DT_ERR_NOTIRQCTRL;
		return node;
	}
}

/* The first n cells of node's reg, as its unit address; 0s where it has none or fewer. */
static void unit_address(const struct dt *dt, int node, uint32_t *cells, int n)
{
	int len;
	const char *reg = dt_getprop(dt, node, "reg", &len);
	int have = reg && len > 0 ? len / 4 : 0;

	for (int i = 0; i < n; i++)
		cells[i] = i < have ? dt_cell(reg + 4 * i) : 0;
}

/* The interrupt-map-mask of a nexus whose entries match n cells: all ones when absent. */
static int map_mask(const struct dt *dt, int nexus, uint32_t *mask, int n)
{
	int len;
	const char *p = dt_getprop(dt, nexus, "interrupt-map-mask", &len);

	if (!p && len != DT_ERR_NOTFOUND)
		return len;
	if (p && len != n * 4)
		return DT_ERR_BADVALUE;
	for (int i = 0; i < n; i++)
		mask[i] = p ? dt_cell(p + 4 * i) : UINT32_MAX;
	return 0;
}

/* The interrupt parent an interrupt-map entry names, and its cells. */
struct map_parent {
	uint32_t phandle;
	int node, addr_cells, irq_cells;
};

/*
 * One step through a nexus (2.4.3). Its interrupt-map is a table of entries
 *
 *	<child-unit-address child-interrupt-specifier interrupt-parent
 *	 parent-unit-address parent-interrupt-specifier>
 *
 * the child parts as wide as the nexus's own #address-cells and #interrupt-cells (*naddr and
 * *nspec, which key holds), the interrupt-parent a phandle, and the parent parts as wide as
 * that parent's #address-cells and #interrupt-cells, so entries can differ in size and the
 * table is read from the start. The entry whose child parts equal key, both ANDed with
 * interrupt-map-mask (as Linux compares them), gives the next interrupt parent (*nexus) and
 * the next key: its parent unit address and specifier. The whole table is read, so a
 * malformed entry is an error whichever entry matches; none matching is DT_ERR_NOIRQMAP.
 */
static int map_step(const struct dt *dt, int *nexus, uint32_t *key, int *naddr, int *nspec)
{
	uint32_t mask[IRQ_MAX_KEY], next[IRQ_MAX_KEY];
	struct map_parent parent = { .node = -1 }, found = { .node = -1 };
	int len, child = *naddr + *nspec;
	const char *map = dt_getprop(dt, *nexus, "interrupt-map", &len);

	if (!map)
		return len == DT_ERR_NOTFOUND ? DT_ERR_NOTIRQCTRL : len;
	int err = map_mask(dt, *nexus, mask, child);
	if (err)
		return err;
	if (len % 4)
		return DT_ERR_BADVALUE;

	int ncells = len / 4;
	for (int pos = 0; pos < ncells;) {
		if (ncells - pos < child + 1)
			return DT_ERR_BADVALUE;	/* cut short before the parent's phandle */
		uint32_t phandle = dt_cell(map + 4 * (pos + child));
		/* Maps name the same parent entry after entry: look it up once per run. */
		if (parent.node < 0 || phandle != parent.phandle) {
			parent.phandle = phandle;
			parent.node = phandle_node(dt, phandle);
			if (parent.node < 0)
				return parent.node;
			parent.irq_cells = irq_cells(dt, parent.node);
			if (parent.irq_cells < 0)
				return parent.irq_cells;
			parent.addr_cells = irq_addr_cells(dt, parent.node);
			if (parent.addr_cells < 0)
				return parent.addr_cells;
		}
		int width = parent.addr_cells + parent.irq_cells;
		if (ncells - pos - child - 1 < width)
			return DT_ERR_BADVALUE;	/* the parent's parts cut short */

		bool match = found.node < 0;
		for (int i = 0; match && i < child; i++)
			match = ((dt_cell(map + 4 * (pos + i)) ^ key[i]) & mask[i]) == 0;
		if (match) {
			found = parent;
			for (int i = 0; i < width; i++)
				next[i] = dt_cell(map + 4 * (pos + child + 1 + i));
		}
		pos += child + 1 + width;
	}
	if (found.node < 0)
		return DT_ERR_NOIRQMAP;

	for (int i = 0; i < found.addr_cells + found.irq_cells; i++)
		key[i] = next[i];
	*nexus = found.node;
	*naddr = found.addr_cells;
	*nspec = found.irq_cells;
	return 0;
}

/*
 * Decode one specifier of node's, nspec cells at spec, given to interrupt parent parent (a
 * controller or a nexus, its #interrupt-cells checked to be nspec): map it through every
 * nexus on the way, then hand the controller's specifier back in *irq. A nexus matches a
 * unit address followed by the specifier; the first is node's (its reg's first cells, as
 * wide as the nexus's #address-cells), later ones come from the map entries themselves.
 */
static int irq_resolve(const struct dt *dt, int node, int parent, const char *spec, int nspec,
		       struct dt_irq *irq)
{
	uint32_t key[IRQ_MAX_KEY];
	int naddr = 0;

	if (!is_controller(dt, parent)) {
		naddr = irq_addr_cells(dt, parent);
		if (naddr < 0)
			return naddr;
		unit_address(dt, node, key, naddr);
	}
	for (int i = 0; i < nspec; i++)
		key[naddr + i] = dt_cell(spec + 4 * i);

	for (int hop = 0; !is_controller(dt, parent); hop++) {
		if (hop == IRQ_MAX_MAP_HOPS)
			return DT_ERR_IRQLOOP;
		int err = map_step(dt, &parent, key, &naddr, &nspec);
		if (err)
			return err;
	}
	*irq = (struct dt_irq){ .controller = parent, .ncells = (unsigned)nspec };
	for (int i = 0; i < nspec; i++)
		irq->cells[i] = key[naddr + i];
	return 0;
}

/*
 * Walk node's interrupt specifiers: the number of them, or a negative error when any part
 * of the list is malformed. When index is one of them, *irq gets it decoded, mapped through
 * any nexus on its way (and an error there is returned instead).
 */
static int irq_walk(const struct dt *dt, int node, int index, struct dt_irq *irq)
{
	int len, count = 0, err;
	const char *p = dt_getprop(dt, node, "interrupts-extended", &len);

	if (p) {
		/* <phandle specifier...> entries, each as wide as its parent says. */
		int ncells = len / 4;
		if (len % 4)
			return DT_ERR_BADVALUE;
		for (int pos = 0; pos < ncells; count++) {
			int parent = phandle_node(dt, dt_cell(p + 4 * pos));
			if (parent < 0)
				return parent;
			int n = irq_cells(dt, parent);
			if (n < 0)
				return n;
			if (n > ncells - pos - 1)
				return DT_ERR_BADVALUE;	/* the last entry is cut short */
			if (count == index) {
				err = irq_resolve(dt, node, parent, p + 4 * (pos + 1), n, irq);
				if (err)
					return err;
			}
			pos += 1 + n;
		}
		return count;
	}
	if (len != DT_ERR_NOTFOUND)
		return len;

	p = dt_getprop(dt, node, "interrupts", &len);
	if (!p)
		return len == DT_ERR_NOTFOUND ? 0 : len;
	if (len == 0)
		return 0;
	int parent = dt_irq_parent(dt, node);
	if (parent < 0)
		return parent;
	int n = irq_cells(dt, parent);
	if (n < 0)
		return n;
	/* Shorter than, or not a multiple of, #interrupt-cells: not whole specifiers. */
	if (len % (n * 4))
		return DT_ERR_BADVALUE;
	count = len / (n * 4);
	if (index >= 0 && index < count) {
		err = irq_resolve(dt, node, parent, p + 4 * index * n, n, irq);
		if (err)
			return err;
	}
	return count;
}

int dt_irq_count(const struct dt *dt, int node)
{
	if (!dt_valid(dt, node))
		return DT_ERR_BADOFFSET;
	return irq_walk(dt, node, -1, NULL);
}

int dt_irq(const struct dt *dt, int node, int index, struct dt_irq *irq)
{
	struct dt_irq found;

	if (!dt_valid(dt, node))
		return DT_ERR_BADOFFSET;
	int count = irq_walk(dt, node, index, &found);
	if (count < 0)
		return count;
	if (index < 0 || index >= count)
		return DT_ERR_NOTFOUND;
	*irq = found;	/* only now: on any error *irq is left as it was */
	return 0;
}
