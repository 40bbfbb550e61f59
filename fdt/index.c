/*
 * The index: one walk of a DTB's structure block that checks every token and records every
 * node, so that nothing afterwards has to walk the blob again.
 *
 * libfdt answers "the parent of this node" or "the node with this phandle" by walking the
 * structure block from its start, every time; reading reg needs the parent, an interrupt
 * the interrupt parent, a message the path, so probing cost grew with the tree's shape, not
 * its size (on Juno's 27 KiB tree, 32 M instructions, most of them in those walks). Here the
 * blob is walked once, token by token (next_token(), below), and each node gets a record: its parent, depth, name, the range of its properties, and what the
 * later questions need (#address-cells, #size-cells, #interrupt-cells, phandle, status,
 * compatible, interrupt-controller, interrupt-map). A second, cheap pass over the records
 * sorts the phandles and finds every node's interrupt parent.
 *
 * Storage comes from the caller, sized by dt_index_size() from the structure block's size
 * (every node or property takes at least 12 bytes of it) and capped by DT_MAX_NODES and
 * DT_MAX_PROPS. A tree past a bound is counted to the end and refused whole, with the counts
 * left in struct dt for the caller's message; nothing is ever indexed in part.
 */
#include <string.h>

#include "internal.h"

/* Sanity of the numbers dt.h copies from libfdt. */
_Static_assert(DT_ERR_NOTFOUND == -FDT_ERR_NOTFOUND && DT_ERR_NOSPACE == -FDT_ERR_NOSPACE &&
	       DT_ERR_BADOFFSET == -FDT_ERR_BADOFFSET && DT_ERR_BADPATH == -FDT_ERR_BADPATH &&
	       DT_ERR_BADPHANDLE == -FDT_ERR_BADPHANDLE && DT_ERR_TRUNCATED == -FDT_ERR_TRUNCATED &&
	       DT_ERR_BADMAGIC == -FDT_ERR_BADMAGIC && DT_ERR_BADVERSION == -FDT_ERR_BADVERSION &&
	       DT_ERR_BADSTRUCTURE == -FDT_ERR_BADSTRUCTURE &&
	       DT_ERR_BADNCELLS == -FDT_ERR_BADNCELLS && DT_ERR_BADVALUE == -FDT_ERR_BADVALUE &&
	       DT_ERR_ALIGNMENT == -FDT_ERR_ALIGNMENT && DT_ERR_UNTRANSLATABLE == -(FDT_ERR_MAX + 1),
	       "dt.h's error numbers must be libfdt's");
_Static_assert(DT_MAX_DEPTH < 256, "dt_node.depth is 8 bits");
_Static_assert(DT_MAX_PROPS < 65536, "dt_node.nprops is 16 bits");

/* The fewest bytes of structure block one node (BEGIN_NODE, a name, END_NODE) or property takes. */
#define MIN_ITEM_BYTES  12

/* The header checks every reader relies on (Devicetree Specification v0.4, 5.2). */
static int check_header(const void *fdt, size_t buf_size)
{
	if (!fdt || buf_size < sizeof(struct fdt_header))
		return DT_ERR_TRUNCATED;

	/* Alignment of the blob, magic, versions, and every block inside totalsize. */
	int err = fdt_check_header(fdt);
	if (err)
		return err;
	/* Version 17 is the one the specification describes (5.1); older ones lack block sizes. */
	if (fdt_version(fdt) < 17)
		return DT_ERR_BADVERSION;
	if (fdt_totalsize(fdt) > DT_MAX_SIZE)
		return DT_ERR_NOSPACE;
	if (fdt_totalsize(fdt) > buf_size)
		return DT_ERR_TRUNCATED;
	/* 5.6: the reservation block is 8-byte aligned, the structure block 4-byte aligned. */
	if (fdt_off_mem_rsvmap(fdt) % 8 || fdt_off_dt_struct(fdt) % 4)
		return DT_ERR_ALIGNMENT;
	/* The reservation list must end, with an entry of size 0, inside the blob (5.3). */
	err = fdt_num_mem_rsv(fdt);
	return err < 0 ? err : 0;
}

/*
 * One token of the structure block at offset (Devicetree Specification v0.4, 5.4.1): its
 * tag, and in *next the offset of the token after it, or a negative error. The checks are
 * libfdt's fdt_next_tag() and fdt_get_string(), with the same error codes: a token cut by
 * the block's end is DT_ERR_TRUNCATED, a node name or property running past it, or an
 * unknown tag, DT_ERR_BADSTRUCTURE, a property name outside the strings block
 * DT_ERR_BADOFFSET (DT_ERR_TRUNCATED when unterminated there). They are done here rather
 * than by calling fdt_next_tag(), which finds a node name's end by calling fdt_offset_ptr()
 * for each of its bytes: that was most of the walk's cost. The header's block offsets and
 * sizes were checked (fdt_check_header) to lie within the blob.
 */
struct token {
	uint32_t tag;
	const char *name;	/* BEGIN_NODE, PROP: NUL terminated inside its block */
	const char *value;	/* PROP */
	uint32_t len;		/* PROP */
};

static int next_token(const void *fdt, uint32_t offset, struct token *t)
{
	const char *structure = (const char *)fdt + fdt_off_dt_struct(fdt);
	const char *strings = (const char *)fdt + fdt_off_dt_strings(fdt);
	uint32_t size = fdt_size_dt_struct(fdt), room = size - offset;

	if (offset > size || room < FDT_TAGSIZE)
		return DT_ERR_TRUNCATED;
	t->tag = dt_cell(structure + offset);
	switch (t->tag) {
	case FDT_BEGIN_NODE: {
		t->name = structure + offset + FDT_TAGSIZE;
		const char *end = memchr(t->name, '\0', room - FDT_TAGSIZE);
		if (!end)
			return DT_ERR_BADSTRUCTURE;
		return (int)ALIGN_UP((uint32_t)(end + 1 - structure), (uint32_t)FDT_TAGSIZE);
	}
	case FDT_PROP: {
		if (room < 3 * FDT_TAGSIZE)
			return DT_ERR_BADSTRUCTURE;
		t->len = dt_cell(structure + offset + 4);
		if (t->len > room - 3 * FDT_TAGSIZE)
			return DT_ERR_BADSTRUCTURE;
		t->value = structure + offset + 3 * FDT_TAGSIZE;
		uint32_t nameoff = dt_cell(structure + offset + 8);
		if (nameoff >= fdt_size_dt_strings(fdt))
			return DT_ERR_BADOFFSET;
		t->name = strings + nameoff;
		if (!memchr(t->name, '\0', fdt_size_dt_strings(fdt) - nameoff))
			return DT_ERR_TRUNCATED;
		return (int)ALIGN_UP(offset + 3 * FDT_TAGSIZE + t->len, (uint32_t)FDT_TAGSIZE);
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		return (int)(offset + FDT_TAGSIZE);
	default:
		return DT_ERR_BADSTRUCTURE;
	}
}

/*
 * The walk (5.4): the root first, at offset 0, with an empty name; every other node named;
 * each node's properties before its children (5.4.2: libfdt's readers find no property that
 * follows a child, so such a tree is refused rather than read in part); every property name
 * inside the strings block; nodes balanced; after the root only FDT_NOPs, then FDT_END.
 * libfdt's own phandle search ran past the root's end, hence that last check. Every step
 * moves forward through the structure block, so the walk ends.
 *
 * With dt->max_nodes = 0 nothing is recorded (dt_check). Otherwise nodes and properties are
 * recorded while they fit; past a bound the walk goes on counting, so that the refusal can
 * say how many the tree has.
 */
static int walk(struct dt *dt)
{
	const char *base = dt->fdt;
	int stack[DT_MAX_DEPTH + 1];
	int depth = -1, offset = 0;
	unsigned nodes = 0, props = 0, deepest = 0;
	bool record = dt->max_nodes > 0, children = false;
	struct token t = { 0 };

	for (;;) {
		int next = next_token(dt->fdt, (uint32_t)offset, &t);

		if (next < 0) {
			/* Say where, for the message: the nodes recorded so far stay valid. */
			dt->err_offset = (unsigned)offset;
			dt->err_node = depth >= 0 && record ? stack[depth] : -1;
			dt->nnodes = record ? nodes : 0;
			return next;
		}
		switch (t.tag) {
		case FDT_BEGIN_NODE: {
			const char *name = t.name;
			bool root = offset == 0;

			if (root != (depth == -1) || root != (name[0] == '\0'))
				return DT_ERR_BADSTRUCTURE;
			depth++;
			if ((unsigned)depth > deepest)
				deepest = (unsigned)depth;
			if (depth > DT_MAX_DEPTH || nodes == dt->max_nodes)
				record = false;
			if (record) {
				dt->nodes[nodes] = (struct dt_node){
					.name = (uint32_t)(name - base),
					.parent = depth ? stack[depth - 1] : -1,
					.props = props,
					.depth = (uint8_t)depth,
					.compatible = -1,
				};
				stack[depth] = (int)nodes;
			}
			nodes++;
			children = false;
			break;
		}
		case FDT_PROP:
			if (depth < 0 || children || t.name[0] == '\0')
				return DT_ERR_BADSTRUCTURE;
			if (props == dt->max_props)
				record = false;
			if (record) {
				dt->props[props] = (struct dt_prop){ .name = (uint32_t)(t.name - base),
								     .value = (uint32_t)(t.value - base),
								     .len = t.len };
				dt->nodes[stack[depth]].nprops++;
			}
			props++;
			break;
		case FDT_END_NODE:
			if (depth < 0)
				return DT_ERR_BADSTRUCTURE;
			if (record)
				dt->nodes[stack[depth]].end = nodes;
			depth--;
			children = true;	/* in the parent, a property now would follow a child */
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			if (depth >= 0 || nodes == 0)
				return DT_ERR_BADSTRUCTURE;	/* FDT_END inside a node, or no root */
			goto done;
		}
		/* After the root has closed only FDT_NOPs may come. */
		if (depth < 0 && t.tag == FDT_BEGIN_NODE)
			return DT_ERR_BADSTRUCTURE;
		offset = next;
	}
done:
	dt->nnodes = nodes;
	dt->nprops = props;
	dt->depth = deepest;
	if (deepest > DT_MAX_DEPTH)
		return DT_ERR_TOODEEP;
	if (dt->max_nodes && nodes > dt->max_nodes)
		return DT_ERR_NODES;
	if (dt->max_nodes && props > dt->max_props)
		return DT_ERR_PROPS;
	return 0;
}

int dt_check(const void *fdt, size_t buf_size)
{
	struct dt dt = { .fdt = fdt };
	int err = check_header(fdt, buf_size);

	return err ? err : walk(&dt);
}

/* ---- what each node's properties say ---- */

/* #address-cells and the like, as dt_node keeps them: one cell, or DT_CELLS_BAD. */
static int8_t cells_value(const struct dt *dt, const struct dt_prop *p)
{
	if (p->len != 4)
		return DT_CELLS_BAD;
	uint32_t v = dt_cell((const char *)dt->fdt + p->value);
	return v > 127 ? 127 : (int8_t)v;	/* every reader refuses more than 4 */
}

/*
 * One node's properties, read once: the first of each name counts, as libfdt's
 * fdt_getprop() finds the first. The first character sorts names cheaply.
 */
static void node_props(struct dt *dt, struct dt_node *n)
{
	const char *base = dt->fdt;
	const struct dt_prop *phandle = NULL, *linux_phandle = NULL, *status = NULL;
	bool seen_addr = false, seen_size = false, seen_irq = false;

	n->addr_cells = n->size_cells = n->irq_cells = DT_CELLS_ABSENT;
	for (unsigned i = n->props; i < n->props + n->nprops; i++) {
		const struct dt_prop *p = &dt->props[i];
		const char *name = base + p->name;

		switch (name[0]) {
		case '#':
			if (!seen_addr && !strcmp(name, "#address-cells")) {
				seen_addr = true;
				n->addr_cells = cells_value(dt, p);
			} else if (!seen_size && !strcmp(name, "#size-cells")) {
				seen_size = true;
				n->size_cells = cells_value(dt, p);
			} else if (!seen_irq && !strcmp(name, "#interrupt-cells")) {
				seen_irq = true;
				n->irq_cells = cells_value(dt, p);
			}
			break;
		case 'c':
			if (n->compatible < 0 && !strcmp(name, "compatible"))
				n->compatible = (int32_t)i;
			break;
		case 'i':
			if (!strcmp(name, "interrupt-controller"))
				n->flags |= DT_NODE_IRQ_CONTROLLER;
			else if (!strcmp(name, "interrupt-map"))
				n->flags |= DT_NODE_IRQ_MAP;
			break;
		case 'l':
			if (!linux_phandle && !strcmp(name, "linux,phandle"))
				linux_phandle = p;
			break;
		case 'p':
			if (!phandle && !strcmp(name, "phandle"))
				phandle = p;
			break;
		case 's':
			if (!status && !strcmp(name, "status"))
				status = p;
			break;
		}
	}
	/* libfdt's fdt_get_phandle(): phandle when it is one cell, else linux,phandle. */
	if (!phandle || phandle->len != 4)
		phandle = linux_phandle;
	n->phandle = phandle && phandle->len == 4 ? dt_cell(base + phandle->value) : 0;

	/*
	 * Devicetree Specification v0.4, 2.3.4 names "okay"; "ok" is an older spelling that
	 * Linux also accepts. Anything else ("disabled", "reserved", "fail", "fail-sss"), or a
	 * status that is not a string, is not enabled.
	 */
	const char *s = status ? base + status->value : NULL;
	if (!status || (status->len > 0 && s[status->len - 1] == '\0' &&
			(!strcmp(s, "okay") || !strcmp(s, "ok"))))
		n->flags |= DT_NODE_ENABLED;
}

/* Phandle table order: by phandle, then by node, so the first node in tree order wins. */
static bool phandle_less(const struct dt_phandle *a, const struct dt_phandle *b)
{
	return a->phandle < b->phandle || (a->phandle == b->phandle && a->node < b->node);
}

/* Heapsort: no recursion, no allocation, n log n whatever order dtc gave the phandles. */
static void sift_down(struct dt_phandle *h, unsigned root, unsigned n)
{
	for (unsigned child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && phandle_less(&h[child], &h[child + 1]))
			child++;
		if (!phandle_less(&h[root], &h[child]))
			return;
		struct dt_phandle t = h[root];
		h[root] = h[child];
		h[child] = t;
	}
}

static void sort_phandles(struct dt_phandle *h, unsigned n)
{
	for (unsigned i = n / 2; i-- > 0;)
		sift_down(h, i, n);
	for (unsigned i = n; i-- > 1;) {
		struct dt_phandle t = h[0];
		h[0] = h[i];
		h[i] = t;
		sift_down(h, 0, i);
	}
}

/* The three tables carved from storage, in this order, for caps of nodes and properties. */
static void caps(const void *fdt, unsigned *nodes, unsigned *props)
{
	unsigned most = fdt_size_dt_struct(fdt) / MIN_ITEM_BYTES + 1;

	*nodes = MIN(most, (unsigned)DT_MAX_NODES);
	*props = MIN(most, (unsigned)DT_MAX_PROPS);
}

static size_t storage_bytes(unsigned nodes, unsigned props)
{
	return nodes * (sizeof(struct dt_node) + sizeof(struct dt_phandle)) +
	       props * sizeof(struct dt_prop);
}

size_t dt_index_size(const void *fdt, size_t buf_size)
{
	unsigned nodes, props;

	if (check_header(fdt, buf_size))
		return 0;
	caps(fdt, &nodes, &props);
	return storage_bytes(nodes, props);
}

int dt_index(struct dt *dt, const void *fdt, size_t buf_size, void *storage, size_t storage_size)
{
	unsigned nodes, props;
	int err = check_header(fdt, buf_size);

	*dt = (struct dt){ .fdt = fdt, .err_node = -1 };
	if (err)
		return err;
	caps(fdt, &nodes, &props);
	if (!storage || storage_size < storage_bytes(nodes, props) || (uintptr_t)storage % 8)
		return DT_ERR_NOSPACE;	/* the caller's mistake, not the tree's */
	/* Nodes first: their records are the largest and need the strictest alignment. */
	dt->nodes = storage;
	dt->phandles = (struct dt_phandle *)(dt->nodes + nodes);
	dt->props = (struct dt_prop *)(dt->phandles + nodes);
	dt->max_nodes = nodes;
	dt->max_props = props;

	err = walk(dt);
	if (err)
		return err;
	for (unsigned i = 0; i < dt->nnodes; i++) {
		struct dt_node *n = &dt->nodes[i];
		node_props(dt, n);
		if (n->phandle)
			dt->phandles[dt->nphandles++] = (struct dt_phandle){ n->phandle, i };
	}
	sort_phandles(dt->phandles, dt->nphandles);
	/* Needs every node's cells, flags and phandle, so only now. */
	for (unsigned i = 0; i < dt->nnodes; i++)
		dt->nodes[i].irq_parent = dt_irq_parent_find(dt, (int)i);
	return 0;
}

/* ---- questions the index answers ---- */

const void *dt_blob(const struct dt *dt)
{
	return dt->fdt;
}

size_t dt_size(const struct dt *dt)
{
	return fdt_totalsize(dt->fdt);
}

int dt_parent(const struct dt *dt, int node)
{
	if (!dt_valid(dt, node))
		return DT_ERR_BADOFFSET;
	return node == 0 ? DT_ERR_NOTFOUND : dt->nodes[node].parent;
}

const char *dt_name(const struct dt *dt, int node)
{
	return dt_valid(dt, node) ? (const char *)dt->fdt + dt->nodes[node].name : "";
}

int dt_first_child(const struct dt *dt, int node)
{
	if (!dt_valid(dt, node) || dt->nodes[node].end == (unsigned)node + 1)
		return DT_ERR_NOTFOUND;
	return node + 1;
}

int dt_next_sibling(const struct dt *dt, int node)
{
	if (!dt_valid(dt, node) || node == 0)
		return DT_ERR_NOTFOUND;
	unsigned next = dt->nodes[node].end;
	return next < dt->nodes[dt->nodes[node].parent].end ? (int)next : DT_ERR_NOTFOUND;
}

/*
 * A child of parent whose name is the len bytes at name: its whole name, or, when name has
 * no unit address, the part of its name before '@' (as libfdt's fdt_subnode_offset_namelen).
 */
static int child_named(const struct dt *dt, int parent, const char *name, size_t len)
{
	bool unit = memchr(name, '@', len) != NULL;
	int child;

	dt_for_each_child(dt, parent, child) {
		const char *n = dt_name(dt, child);
		if (strncmp(n, name, len) == 0 && memchr(n, '\0', len) == NULL &&
		    (n[len] == '\0' || (!unit && n[len] == '@')))
			return child;
	}
	return DT_ERR_NOTFOUND;
}

int dt_find_node(const struct dt *dt, const char *path, size_t len)
{
	const char *p = path, *end = path + len;
	int node = 0;

	if (len == 0)
		return DT_ERR_BADPATH;
	if (*p != '/') {
		/* An alias (3.3): its value is a full path, the rest of path goes on from there. */
		const char *q = memchr(p, '/', len);
		int alen, aliases = dt_find_node(dt, "/aliases", 8);
		if (!q)
			q = end;
		const char *alias = aliases < 0 ? NULL :
				    dt_getprop_namelen(dt, aliases, p, (size_t)(q - p), &alen);
		if (!alias || alen < 2 || alias[0] != '/' || alias[alen - 1] != '\0')
			return DT_ERR_BADPATH;
		node = dt_find_node(dt, alias, (size_t)alen - 1);
		if (node < 0)
			return node;
		p = q;
	}
	while (p < end) {
		while (p < end && *p == '/')
			p++;
		if (p == end)
			break;
		const char *q = memchr(p, '/', (size_t)(end - p));
		if (!q)
			q = end;
		node = child_named(dt, node, p, (size_t)(q - p));
		if (node < 0)
			return node;
		p = q;
	}
	return node;
}

/* Append s to the string at buf[*pos], keeping a NUL's room; false when it does not fit. */
static bool append(char *buf, size_t size, size_t *pos, const char *s)
{
	for (; *s; s++) {
		if (*pos + 1 >= size)
			return false;
		buf[(*pos)++] = *s;
	}
	return true;
}

const char *dt_path(const struct dt *dt, int node, char *buf, size_t size)
{
	int chain[DT_MAX_DEPTH + 1], n = 0;
	size_t pos = 0;
	bool fits;

	if (!size)
		return buf;
	if (!dt_valid(dt, node)) {
		fits = append(buf, size, &pos, "<bad node>");
	} else {
		for (int i = node; i > 0 && n <= DT_MAX_DEPTH; i = dt->nodes[i].parent)
			chain[n++] = i;
		fits = n ? true : append(buf, size, &pos, "/");
		while (fits && n-- > 0)
			fits = append(buf, size, &pos, "/") &&
			       append(buf, size, &pos, dt_name(dt, chain[n]));
	}
	if (!fits) {
		/* Cut: say so rather than show a shorter path that names another node. */
		pos = size > 4 ? size - 4 : 0;
		append(buf, size, &pos, "...");
	}
	buf[pos] = '\0';
	return buf;
}

bool dt_enabled(const struct dt *dt, int node)
{
	return dt_valid(dt, node) && (dt->nodes[node].flags & DT_NODE_ENABLED);
}

uint32_t dt_phandle(const struct dt *dt, int node)
{
	return dt_valid(dt, node) ? dt->nodes[node].phandle : 0;
}

/* libfdt refuses 0 and 0xffffffff (-FDT_ERR_BADPHANDLE); the rest are in the sorted table. */
int dt_node_by_phandle(const struct dt *dt, uint32_t phandle)
{
	unsigned lo = 0, hi = dt->nphandles;

	if (phandle == 0 || phandle == UINT32_MAX)
		return DT_ERR_BADPHANDLE;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (dt->phandles[mid].phandle < phandle)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < dt->nphandles && dt->phandles[lo].phandle == phandle)
		return (int)dt->phandles[lo].node;
	return DT_ERR_NOTFOUND;
}

int dt_irq_parent(const struct dt *dt, int node)
{
	return dt_valid(dt, node) ? dt->nodes[node].irq_parent : DT_ERR_BADOFFSET;
}

int dt_num_mem_rsv(const struct dt *dt)
{
	return fdt_num_mem_rsv(dt->fdt);
}

int dt_mem_rsv(const struct dt *dt, int index, uint64_t *base, uint64_t *size)
{
	return fdt_get_mem_rsv(dt->fdt, index, base, size);
}
