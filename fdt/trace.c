/*
 * What the index knows about a node's properties, handed out for explaining: the cell counts
 * a node declares and where a property lies in the blob. The readers elsewhere in fdt/ answer
 * with decoded values; these answer "where did that come from?", which is what a learner (and
 * an error message) needs. dt_reg_trace(), the steps of dt_reg(), is in reg.c, beside the
 * code whose steps it records.
 */
#include "internal.h"

int dt_cells_declared(const struct dt *dt, int node, enum dt_cells_kind kind)
{
	if (!dt_valid(dt, node))
		return DT_ERR_BADOFFSET;

	const struct dt_node *n = dt_node_of(dt, node);
	int8_t v = kind == DT_ADDRESS_CELLS ? n->addr_cells :
		   kind == DT_SIZE_CELLS ? n->size_cells : n->irq_cells;

	_Static_assert(DT_CELLS_NONE == DT_CELLS_ABSENT && DT_CELLS_MALFORMED == DT_CELLS_BAD,
		       "dt.h's names for the index's cell markers");
	return v;
}

const void *dt_prop_where(const struct dt *dt, int node, const char *name, uint32_t *token,
			  int *len)
{
	const char *value = dt_getprop(dt, node, name, len);

	/* The value follows the token's three cells: FDT_PROP, the length, the name's offset. */
	if (value)
		*token = (uint32_t)(value - (const char *)dt->fdt) - 12;
	return value;
}
