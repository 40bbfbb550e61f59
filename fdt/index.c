/*
 * The index: one walk of a DTB's structure block that checks every token and records every
 * node, so that nothing afterwards has to walk the blob again.
 *
 * libfdt answers "the parent of this node" or "the node with this phandle" by walking the
 * structure block from its start, every time; reading reg needs the parent, an interrupt
 * the interrupt parent, a message the path, so probing cost grew with the tree's shape, not
 * its size (on Juno's 27 KiB tree, 32 M instructions, most of them in those walks). Here the
 * blob is walked once, token by token (next_token(), below), and each node gets a 24-byte
 * record: its parent, depth, name, where its properties start, and what the later questions
 * need (#address-cells, #size-cells, #interrupt-cells, phandle, status, compatible,
 * interrupt-controller, interrupt-map), taken from its properties as the walk passes them.
 * Properties themselves are not recorded: a later property read scans the node's own
 * properties in the blob, from the offset its record keeps, which is local (a few tokens)
 * and keeps the index small enough for the kernel's one-page boot scratch. A second, cheap pass
 * over the records sorts the phandles and finds every node's interrupt parent.
 *
 * Storage comes from the caller, sized by dt_index_size() from the structure block's size
 * (every node takes at least 12 bytes of it) and capped by DT_MAX_NODES. A tree past a bound
 * is counted to the end and refused whole, with the counts left in struct dt for the
 * caller's message; nothing is ever indexed in part.
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
_Static_assert(DT_MAX_NODES < 32768, "dt_node's node indexes are 16 bits");
_Static_assert(DT_MAX_SIZE <= UINT32_MAX, "dt_node's blob offsets are 32 bits");
_Static_assert(sizeof(struct dt_node) == 24, "a node and its phandle entry take 32 bytes");

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

/* The blocks next_token() reads, from the header once rather than at every token. */
struct blocks {
	const char *structure, *strings;
	uint32_t structure_size, strings_size;
	/* The strings block ends in a NUL: every name inside it is terminated inside it. */
	bool strings_end_nul;
};

static struct blocks blocks_of(const void *fdt)
{
	return (struct blocks){
		.structure = (const char *)fdt + fdt_off_dt_struct(fdt),
		.strings = (const char *)fdt + fdt_off_dt_strings(fdt),
		.structure_size = fdt_size_dt_struct(fdt),
		.strings_size = fdt_size_dt_strings(fdt),
		.strings_end_nul = fdt_size_dt_strings(fdt) &&
				   ((const char *)fdt)[fdt_off_dt_strings(fdt) +
							fdt_size_dt_strings(fdt) - 1] == '\0',
	};
}

static int next_token(const struct blocks *b, uint32_t offset, struct token *t)
{
	const char *structure = b->structure, *strings = b->strings;
	uint32_t size = b->structure_size, room = size - offset;

	if (offset > size || room < FDT_TAGSIZE)
		return DT_ERR_TRUNCATED;
	t->tag = dt_cell(structure + offset);
	switch (t->tag) {
	case FDT_BEGIN_NODE: {
		t->name = structure + offset + FDT_TAGSIZE;
		/* A loop of its own: the C library's memchr costs a call and goes a byte a turn. */
		const char *end = t->name, *limit = t->name + (room - FDT_TAGSIZE);
		while (end < limit && *end)
			end++;
		if (end == limit)
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
		if (nameoff >= b->strings_size)
			return DT_ERR_BADOFFSET;
		t->name = strings + nameoff;
		if (!b->strings_end_nul && !memchr(t->name, '\0', b->strings_size - nameoff))
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

/* #address-cells and the like, as dt_node keeps them: one cell, or DT_CELLS_BAD. */
static int8_t cells_value(const struct token *t)
{
	if (t->len != 4)
		return DT_CELLS_BAD;
	uint32_t v = dt_cell(t->value);
	return v > 127 ? 127 : (int8_t)v;	/* every reader refuses more than 4 */
}

/*
 * What a node's properties say, gathered as the walk meets them (properties come before
 * children, 5.4.2) and settled when its first child or its end comes: the first property of
 * each name counts, as libfdt's fdt_getprop() finds the first.
 */
struct pending {
	struct dt_node *n;		/* NULL: nothing to settle */
	const struct token *phandle_seen, *linux_phandle_seen, *status_seen;
	struct token phandle, linux_phandle, status;
	bool addr, size, irq;
};

/* One property of the node being read. The first character sorts names cheaply. */
static void node_prop(struct pending *p, const struct token *t, uint32_t offset)
{
	struct dt_node *n = p->n;
	const char *name = t->name;

	switch (name[0]) {
	case '#':
		if (!p->addr && !strcmp(name, "#address-cells")) {
			p->addr = true;
			n->addr_cells = cells_value(t);
		} else if (!p->size && !strcmp(name, "#size-cells")) {
			p->size = true;
			n->size_cells = cells_value(t);
		} else if (!p->irq && !strcmp(name, "#interrupt-cells")) {
			p->irq = true;
			n->irq_cells = cells_value(t);
		}
		break;
	case 'c':
		if (!n->compatible && !strcmp(name, "compatible"))
			n->compatible = offset;
		break;
	case 'i':
		if (!strcmp(name, "interrupt-controller"))
			n->flags |= DT_NODE_IRQ_CONTROLLER;
		else if (!strcmp(name, "interrupt-map"))
			n->flags |= DT_NODE_IRQ_MAP;
		else if (!strcmp(name, "interrupt-parent"))
			n->flags |= DT_NODE_IRQ_PARENT;
		break;
	case 'l':
		if (!p->linux_phandle_seen && !strcmp(name, "linux,phandle"))
			p->linux_phandle = *t, p->linux_phandle_seen = &p->linux_phandle;
		break;
	case 'p':
		if (!p->phandle_seen && !strcmp(name, "phandle"))
			p->phandle = *t, p->phandle_seen = &p->phandle;
		break;
	case 's':
		if (!p->status_seen && !strcmp(name, "status"))
			p->status = *t, p->status_seen = &p->status;
		break;
	}
}

/* The node's properties are all read: its phandle (into the table) and status. */
static void settle(struct dt *dt, struct pending *p)
{
	struct dt_node *n = p->n;
	const struct token *ph = p->phandle_seen, *st = p->status_seen;

	if (!n)
		return;
	/* libfdt's fdt_get_phandle(): phandle when it is one cell, else linux,phandle. */
	if (!ph || ph->len != 4)
		ph = p->linux_phandle_seen;
	if (ph && ph->len == 4 && dt_cell(ph->value))
		dt->phandles[dt->nphandles++] =
			(struct dt_phandle){ dt_cell(ph->value), (uint32_t)(n - dt->nodes) };

	/*
	 * Devicetree Specification v0.4, 2.3.4 names "okay"; "ok" is an older spelling that
	 * Linux also accepts. Anything else ("disabled", "reserved", "fail", "fail-sss"), or a
	 * status that is not a string, is not enabled.
	 */
	if (!st || (st->len > 0 && st->value[st->len - 1] == '\0' &&
		    (!strcmp(st->value, "okay") || !strcmp(st->value, "ok"))))
		n->flags |= DT_NODE_ENABLED;
	*p = (struct pending){ 0 };
}

/*
 * The walk (5.4): the root first, at offset 0, with an empty name; every other node named;
 * each node's properties before its children (5.4.2: libfdt's readers find no property that
 * follows a child, so such a tree is refused rather than read in part); every property name
 * inside the strings block; nodes balanced; after the root only FDT_NOPs, then FDT_END.
 * libfdt's own phandle search ran past the root's end, hence that last check. Every step
 * moves forward through the structure block, so the walk ends.
 *
 * With dt->max_nodes = 0 nothing is recorded (dt_check). Otherwise nodes are recorded, with
 * what their properties say, while they fit; past a bound the walk goes on counting, so
 * that the refusal can say how many the tree has.
 */
static int walk(struct dt *dt)
{
	const char *base = dt->fdt;
	int stack[DT_MAX_DEPTH + 1];
	int depth = -1, offset = 0;
	unsigned nodes = 0, props = 0, deepest = 0;
	bool record = dt->max_nodes > 0, children = false;
	struct token t = { 0 };
	struct pending pending = { 0 };
	const struct blocks blocks = blocks_of(dt->fdt);

	for (;;) {
		int next = next_token(&blocks, (uint32_t)offset, &t);

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
				settle(dt, &pending);
				dt->nodes[nodes] = (struct dt_node){
					.name = (uint32_t)(name - base),
					.props = (uint32_t)(blocks.structure + next - base),
					.parent = (int16_t)(depth ? stack[depth - 1] : -1),
					.depth = (uint8_t)depth,
					.addr_cells = DT_CELLS_ABSENT,
					.size_cells = DT_CELLS_ABSENT,
					.irq_cells = DT_CELLS_ABSENT,
				};
				pending.n = &dt->nodes[nodes];
				stack[depth] = (int)nodes;
			}
			nodes++;
			children = false;
			break;
		}
		case FDT_PROP:
			if (depth < 0 || children || t.name[0] == '\0')
				return DT_ERR_BADSTRUCTURE;
			if (record)
				node_prop(&pending, &t, (uint32_t)(blocks.structure + offset - base));
			props++;
			break;
		case FDT_END_NODE:
			if (depth < 0)
				return DT_ERR_BADSTRUCTURE;
			if (record) {
				settle(dt, &pending);
				dt->nodes[stack[depth]].end = (uint16_t)nodes;
			}
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
	return 0;
}

int dt_check(const void *fdt, size_t buf_size)
{
	struct dt dt = { .fdt = fdt };
	int err = check_header(fdt, buf_size);

	return err ? err : walk(&dt);
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

/* Nodes the DTB at fdt can have: every node takes at least 12 bytes of the structure block. */
static unsigned node_cap(const void *fdt)
{
	return MIN(fdt_size_dt_struct(fdt) / MIN_ITEM_BYTES + 1, (unsigned)DT_MAX_NODES);
}

size_t dt_index_size(const void *fdt, size_t buf_size)
{
	if (check_header(fdt, buf_size))
		return 0;
	return node_cap(fdt) * DT_INDEX_BYTES_PER_NODE;
}

int dt_index(struct dt *dt, const void *fdt, size_t buf_size, void *storage, size_t storage_size)
{
	int err = check_header(fdt, buf_size);

	*dt = (struct dt){ .fdt = fdt, .err_node = -1 };
	if (err)
		return err;
	/* Storage smaller than dt_index_size() holds fewer nodes: a bigger tree is DT_ERR_NODES. */
	unsigned nodes = MIN(node_cap(fdt), (unsigned)(storage_size / DT_INDEX_BYTES_PER_NODE));
	if (!storage || !nodes || (uintptr_t)storage % 8)
		return DT_ERR_NOSPACE;	/* the caller's mistake, not the tree's */
	/* The node records, then room for as many phandles (filled as nodes are settled). */
	dt->nodes = storage;
	dt->phandles = (struct dt_phandle *)(dt->nodes + nodes);
	dt->max_nodes = nodes;

	err = walk(dt);
	if (err)
		return err;
	sort_phandles(dt->phandles, dt->nphandles);
	/*
	 * Needs every node's cells, flags and phandle, so only now. In tree order, so a node
	 * without interrupt-parent whose tree parent roots no interrupt domain takes its
	 * parent's answer: the search from it would go on exactly as the parent's did.
	 */
	for (unsigned i = 0; i < dt->nnodes; i++) {
		struct dt_node *n = &dt->nodes[i];
		int parent = n->parent;
		if (parent >= 0 && !(n->flags & DT_NODE_IRQ_PARENT) &&
		    !dt_irq_domain_root(dt, parent))
			n->irq_parent = dt->nodes[parent].irq_parent;
		else
			n->irq_parent = (int16_t)dt_irq_parent_find(dt, (int)i);
	}
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

/* Rarely asked (the phandle table is sorted by phandle, not node): a scan of the table. */
uint32_t dt_phandle(const struct dt *dt, int node)
{
	for (unsigned i = 0; dt_valid(dt, node) && i < dt->nphandles; i++)
		if (dt->phandles[i].node == (unsigned)node)
			return dt->phandles[i].phandle;
	return 0;
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
