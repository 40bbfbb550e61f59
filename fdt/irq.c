/*
 * Interrupts: which controller a node's interrupts go to, and each interrupt specifier
 * decoded (Devicetree Specification v0.4, 2.4).
 *
 * A node lists its interrupts in one of two ways (2.4.1). With interrupts, every specifier
 * belongs to the node's interrupt parent and is that controller's #interrupt-cells wide.
 * With interrupts-extended, each specifier is preceded by the phandle of its own controller
 * and is that controller's #interrupt-cells wide, so entries can differ in size and the list
 * can only be read by walking it from the start. When a node has both, interrupts-extended
 * takes precedence (2.4.1.3).
 *
 * Interrupt nexus nodes (interrupt-map, 2.4.3) are not followed: what Xen gives its guests
 * has none, and a parent that is not an interrupt-controller is only followed through its
 * own interrupt-parent, as include/arbor/dt.h describes. Every walk is bounded, the ancestor
 * walk by DT_MAX_DEPTH and the interrupt-parent chain by IRQ_MAX_HOPS.
 */
#include <arbor/dt.h>

/*
 * The longest chain of interrupt-parent links between non-controllers that is followed. A
 * real tree has one or two; a longer chain is taken to be a loop, which also catches loops
 * without remembering the nodes seen.
 */
#define IRQ_MAX_HOPS  32

/* The node a phandle names; one that names no node is -FDT_ERR_BADPHANDLE. */
static int phandle_node(const void *fdt, uint32_t phandle)
{
	int node = dt_node_by_phandle(fdt, phandle);

	return node == -FDT_ERR_NOTFOUND ? -FDT_ERR_BADPHANDLE : node;
}

/*
 * The #interrupt-cells of ctrl, which must be an interrupt controller (2.4.2): 1 to
 * DT_IRQ_MAX_CELLS, and a controller without one is malformed (-FDT_ERR_BADNCELLS).
 */
static int irq_cells(const void *fdt, int ctrl)
{
	uint32_t n;

	if (!dt_has(fdt, ctrl, "interrupt-controller"))
		return DT_ERR_NOTIRQCTRL;
	int err = dt_u32(fdt, ctrl, "#interrupt-cells", &n);
	if (err == -FDT_ERR_NOTFOUND || err == -FDT_ERR_BADVALUE)
		return -FDT_ERR_BADNCELLS;
	if (err)
		return err;
	if (n < 1 || n > DT_IRQ_MAX_CELLS)
		return -FDT_ERR_BADNCELLS;
	return (int)n;
}

int dt_irq_parent(const void *fdt, int node)
{
	uint32_t phandle;
	int err;

	/* The nearest interrupt-parent: node's own, else an ancestor's, the root's last. */
	for (int level = 0;; level++) {
		if (level > DT_MAX_DEPTH)
			return -FDT_ERR_BADSTRUCTURE;	/* deeper than dt_check() allows */
		err = dt_u32(fdt, node, "interrupt-parent", &phandle);
		if (err != -FDT_ERR_NOTFOUND)
			break;
		node = fdt_parent_offset(fdt, node);
		if (node == -FDT_ERR_NOTFOUND)
			return DT_ERR_NOIRQPARENT;
		if (node < 0)
			return node;
	}
	if (err)
		return err;

	/* Follow it to a controller, through the interrupt-parent of each node that is not one. */
	for (int hop = 0; hop < IRQ_MAX_HOPS; hop++) {
		int parent = phandle_node(fdt, phandle);
		if (parent < 0)
			return parent;
		if (dt_has(fdt, parent, "interrupt-controller"))
			return parent;
		err = dt_u32(fdt, parent, "interrupt-parent", &phandle);
		if (err == -FDT_ERR_NOTFOUND)
			return DT_ERR_NOTIRQCTRL;
		if (err)
			return err;
	}
	return DT_ERR_IRQLOOP;
}

/* Specifier cells for controller ctrl, which is ncells wide. */
static void decode(struct dt_irq *irq, int ctrl, int ncells, const fdt32_t *cells)
{
	*irq = (struct dt_irq){ .controller = ctrl, .ncells = (unsigned)ncells };
	for (int i = 0; i < ncells; i++)
		irq->cells[i] = fdt32_ld(cells + i);
}

/*
 * Walk node's interrupt specifiers: the number of them, or a negative error when any part
 * of the property is malformed. When index is one of them, *irq gets it decoded.
 */
static int irq_walk(const void *fdt, int node, int index, struct dt_irq *irq)
{
	int len, count = 0;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupts-extended", &len);

	if (p) {
		/* <phandle specifier...> entries, each as wide as its controller says. */
		int ncells = len / (int)sizeof(*p);
		if (len % (int)sizeof(*p))
			return -FDT_ERR_BADVALUE;
		for (int pos = 0; pos < ncells; count++) {
			int ctrl = phandle_node(fdt, fdt32_ld(p + pos));
			if (ctrl < 0)
				return ctrl;
			int n = irq_cells(fdt, ctrl);
			if (n < 0)
				return n;
			if (n > ncells - pos - 1)
				return -FDT_ERR_BADVALUE;	/* the last entry is cut short */
			if (count == index)
				decode(irq, ctrl, n, p + pos + 1);
			pos += 1 + n;
		}
		return count;
	}
	if (len != -FDT_ERR_NOTFOUND)
		return len;

	p = fdt_getprop(fdt, node, "interrupts", &len);
	if (!p)
		return len == -FDT_ERR_NOTFOUND ? 0 : len;
	if (len == 0)
		return 0;
	int ctrl = dt_irq_parent(fdt, node);
	if (ctrl < 0)
		return ctrl;
	int n = irq_cells(fdt, ctrl);
	if (n < 0)
		return n;
	/* Shorter than, or not a multiple of, #interrupt-cells: not whole specifiers. */
	if (len % (n * (int)sizeof(*p)))
		return -FDT_ERR_BADVALUE;
	count = len / (n * (int)sizeof(*p));
	if (index >= 0 && index < count)
		decode(irq, ctrl, n, p + index * n);
	return count;
}

int dt_irq_count(const void *fdt, int node)
{
	return irq_walk(fdt, node, -1, NULL);
}

int dt_irq(const void *fdt, int node, int index, struct dt_irq *irq)
{
	struct dt_irq found;
	int count = irq_walk(fdt, node, index, &found);

	if (count < 0)
		return count;
	if (index < 0 || index >= count)
		return -FDT_ERR_NOTFOUND;
	*irq = found;	/* only now: on any error *irq is left as it was */
	return 0;
}
