/*
 * What fdt/'s files share and nobody else sees: libfdt itself, raw property access through
 * the index, and big-endian cell loads.
 */
#ifndef FDT_INTERNAL_H
#define FDT_INTERNAL_H

#include <libfdt.h>

#include <arbor/dt.h>

/* dt_node.flags */
#define DT_NODE_ENABLED         0x01	/* status absent, "okay" or "ok" */
#define DT_NODE_IRQ_CONTROLLER  0x02	/* has interrupt-controller */
#define DT_NODE_IRQ_MAP         0x04	/* has interrupt-map */
#define DT_NODE_IRQ_PARENT      0x08	/* has interrupt-parent */

/* dt_node's *_cells fields. */
#define DT_CELLS_ABSENT   (-1)
#define DT_CELLS_BAD      (-2)	/* not one cell */

/*
 * A cell (big-endian). Every cell fdt/ reads is 4-byte aligned: the blob is 8-byte aligned
 * (fdt_check_header refuses it otherwise), the structure block 4-byte aligned within it
 * (check_header), and every token and property value at a multiple of 4 in the block
 * (5.4.1). So one aligned load and a byte swap, where bytes one at a time cost a dozen
 * instructions on arm32, which builds with -mno-unaligned-access.
 */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "dt_cell swaps bytes");

typedef uint32_t __attribute__((may_alias, aligned(4))) dt_cell_t;

static inline uint32_t dt_cell(const void *p)
{
	return __builtin_bswap32(*(const dt_cell_t *)p);
}

static inline const struct dt_node *dt_node_of(const struct dt *dt, int node)
{
	return &dt->nodes[node];
}

/* Whether node is an index of dt (callers pass what earlier calls returned). */
static inline bool dt_valid(const struct dt *dt, int node)
{
	return node >= 0 && (unsigned)node < dt->nnodes;
}

/*
 * The value of node's first property called name (namelen bytes of it), its length in *len;
 * NULL with DT_ERR_NOTFOUND in *len when there is none.
 */
const void *dt_getprop_namelen(const struct dt *dt, int node, const char *name, size_t namelen,
			       int *len);

const void *dt_getprop(const struct dt *dt, int node, const char *name, int *len);

/* The interrupt parent of node, worked out from the index (irq.c); dt_index() records it. */
int dt_irq_parent_find(const struct dt *dt, int node);

/* Whether the search for an interrupt parent stops at node (irq.c, dt_irq_parent). */
bool dt_irq_domain_root(const struct dt *dt, int node);

#endif
