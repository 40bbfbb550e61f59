/*
 * fdt/: the only code that reads device-tree structure, a bounded layer over libfdt.
 *
 * A DTB is read once, at boot, by dt_index(): it checks the whole blob (header, every token,
 * every name) and records each node in an index (struct dt). Every later question — a node's
 * parent, the cells in effect for its reg, the node a phandle names, its compatible list, its
 * path for a message — is answered from that index, without walking the blob again. Property
 * values are still read from the blob, at places the index recorded and checked.
 *
 * Callers get decoded values or a negative error code (one of DT_ERR_* below), never a raw
 * cell. Nothing here prints: callers name the node (dt_path) and the error (dt_strerror) in
 * their own message. No function reads outside the blob on any input once dt_index() (or
 * dt_check()) has passed. libfdt's header is not exported: only fdt/ sees libfdt.
 */
#ifndef ARBOR_DT_H
#define ARBOR_DT_H

#include <arbor/types.h>

/*
 * Errors. The first group has libfdt's numbers (fdt/index.c checks that they agree), the second
 * is this layer's own, past libfdt's last (FDT_ERR_MAX, 19).
 */
#define DT_ERR_NOTFOUND        (-1)	/* no such node or property */
#define DT_ERR_NOSPACE         (-3)	/* larger than DT_MAX_SIZE */
#define DT_ERR_BADOFFSET       (-4)	/* not a node of the index */
#define DT_ERR_BADPATH         (-5)
#define DT_ERR_BADPHANDLE      (-6)	/* 0, 0xffffffff, or a phandle naming no node */
#define DT_ERR_TRUNCATED       (-8)
#define DT_ERR_BADMAGIC        (-9)
#define DT_ERR_BADVERSION      (-10)
#define DT_ERR_BADSTRUCTURE    (-11)
#define DT_ERR_BADNCELLS       (-14)	/* bad #address-cells, #size-cells or #interrupt-cells */
#define DT_ERR_BADVALUE        (-15)	/* a property of the wrong length or form */
#define DT_ERR_ALIGNMENT       (-19)

#define DT_ERR_UNTRANSLATABLE  (-20)	/* a parent bus has no (matching) ranges */
#define DT_ERR_NOIRQPARENT     (-21)	/* no interrupt parent anywhere up the tree */
#define DT_ERR_IRQLOOP         (-22)	/* interrupt-parent or -map links loop */
#define DT_ERR_NOTIRQCTRL      (-23)	/* parent is neither controller nor nexus */
#define DT_ERR_NOIRQMAP        (-24)	/* no interrupt-map entry matches */
#define DT_ERR_TOODEEP         (-25)	/* nodes nested deeper than DT_MAX_DEPTH */
#define DT_ERR_NODES           (-26)	/* more nodes than DT_MAX_NODES, or than the storage holds */

/* The largest DTB accepted; arm64's boot protocol caps it at 2 MiB. */
#define DT_MAX_SIZE            (2u * 1024 * 1024)

/*
 * The index's bounds. The deepest node (the root is depth 0) bounds every walk up the tree;
 * DT_MAX_NODES bounds the index's storage, DT_INDEX_BYTES_PER_NODE (32) a node's share of it:
 * Xen's own guest trees have about 10 nodes, a dom0 on QEMU's virt machine 51, the largest
 * board tree in the catalogue (R-Car H3 Salvator-X, 74 KiB) 527. DT_MAX_NODES was 1024 until
 * issue 12's merely large tree (QEMU's plus 2,000 sibling nodes: 2,056 nodes, 4,221
 * properties) had to boot. Properties are not bounded: the index keeps none, a node's are
 * read where they are in the blob. A tree past a bound is refused (DT_ERR_TOODEEP,
 * DT_ERR_NODES) with the count found in struct dt, never indexed in part. The kernel indexes
 * first into its boot scratch (4 KiB: 128 nodes, boot/main.c) and a bigger tree, up to
 * DT_MAX_NODES (128 KiB of index), into free RAM the boot map covers.
 */
#define DT_MAX_DEPTH           32
#define DT_MAX_NODES           4096

/* ---- the index (fields private to fdt/; declared here so that storage can be sized) ---- */

/*
 * One node, in 24 bytes (with its phandle entry, 32: 128 nodes in a 4 KiB page). Blob
 * offsets are from the blob's start; DT_MAX_SIZE (2 MiB) fits 32 bits, DT_MAX_NODES 16.
 */
struct dt_node {
	uint32_t name;		/* offset of the name */
	uint32_t props;		/* offset of the first token after the name: its properties */
	uint32_t compatible;	/* offset of its compatible property's FDT_PROP token; 0: none */
	int16_t parent;		/* index of the parent; -1 for the root */
	uint16_t end;		/* index one past the node's last descendant */
	int16_t irq_parent;	/* node index, or the DT_ERR_* dt_irq_parent() gives */
	uint8_t depth;
	uint8_t flags;		/* DT_NODE_* (fdt/internal.h) */
	int8_t addr_cells;	/* #address-cells as declared: -1 absent, -2 malformed, else 0..127 */
	int8_t size_cells;	/* #size-cells, likewise */
	int8_t irq_cells;	/* #interrupt-cells, likewise */
	uint8_t pad;
};

/* A phandle and the node it names, sorted by phandle then node: lookups binary-search. */
struct dt_phandle {
	uint32_t phandle;
	uint32_t node;
};

/* What one node costs the index at most: its record, and a phandle entry should it have one. */
#define DT_INDEX_BYTES_PER_NODE  (sizeof(struct dt_node) + sizeof(struct dt_phandle))

struct dt {
	const void *fdt;
	struct dt_node *nodes;
	struct dt_phandle *phandles;
	unsigned nnodes, nprops, nphandles;	/* nprops: counted, for messages only */
	unsigned depth;		/* the deepest node's */
	/* Room the storage given to dt_index() has. */
	unsigned max_nodes;
	/*
	 * Where a structure error (DT_ERR_BADSTRUCTURE, _BADOFFSET, _TRUNCATED) was met: the
	 * token's offset in the structure block, and the innermost open node then (-1: none or
	 * not recorded); nodes[0..nnodes) are then the nodes recorded before it, for dt_path().
	 */
	unsigned err_offset;
	int err_node;
};

/*
 * Bytes of index storage the DTB at fdt can need: from its structure block's size (a node
 * takes at least 12 bytes of it), capped by DT_MAX_NODES. 0 when the header is unusable
 * (dt_index() then says why). Host tools allocate this much.
 */
size_t dt_index_size(const void *fdt, size_t buf_size);

/* The most dt_index_size() ever returns (128 KiB). */
#define DT_INDEX_MAX_BYTES  (DT_MAX_NODES * DT_INDEX_BYTES_PER_NODE)

/*
 * Check the DTB at fdt, of which buf_size bytes are readable (as dt_check() does), and index
 * it into dt, using storage (8-byte aligned, storage_size bytes): dt_index_size() is always
 * enough; less holds storage_size / DT_INDEX_BYTES_PER_NODE nodes, and a tree with more is
 * DT_ERR_NODES (room for none, or no storage, is DT_ERR_NOSPACE). 0, or a negative error; on
 * DT_ERR_TOODEEP and DT_ERR_NODES, dt->depth, dt->nnodes and dt->nprops hold what the tree
 * has, dt->max_nodes what the storage held, for the message; on an error in the structure
 * block, dt->err_offset and dt->err_node say where (dt_path names it).
 */
int dt_index(struct dt *dt, const void *fdt, size_t buf_size, void *storage, size_t storage_size);

/*
 * Without an index (fdt/memory.c): each RAM bank (reserved false) and each reserved range
 * (/memreserve/, /reserved-memory; reserved true) of a blob dt_index() or dt_check() has
 * passed, to fn. Entries that do not decode are passed over. For placing a big tree's index
 * in free RAM, where the kernel's boot scratch is too small for it.
 */
typedef void (*dt_range_fn)(void *ctx, bool reserved, uint64_t base, uint64_t size);
void dt_raw_memory(const void *fdt, dt_range_fn fn, void *ctx);

/*
 * Validate the DTB at fdt without indexing it: the header, a totalsize within buf_size and
 * DT_MAX_SIZE, and a walk of every node and property (names, lengths, nesting), so that later
 * reads meet no surprise. 0 or a negative error.
 */
int dt_check(const void *fdt, size_t buf_size);

/*
 * What a boot that must stop before its console exists needs (fdt/rescue.c), read from a blob
 * that dt_index() may have refused, with libfdt's bounded readers: the node stdout-path names,
 * when it sits under the root (its first reg entry and its compatible list, NULL when it has
 * none usable), the first PSCI node's method ("hvc", "smc" or NULL) and whether a hypervisor
 * node (xen,xen) exists. 0, or DT_ERR_BADSTRUCTURE when even the header is unusable.
 */
struct dt_rescue {
	uint64_t uart_base, uart_size;
	const char *uart_compatible;	/* the whole list, NUL-separated */
	size_t uart_compatible_len;
	const char *psci_method;
	bool hypervisor;
};

int dt_rescue(const void *fdt, size_t buf_size, struct dt_rescue *r);

/*
 * Words for any error this layer returns, with the code's name in parentheses: "bad
 * property value (FDT_ERR_BADVALUE)".
 */
const char *dt_strerror(int err);

/* The blob and its totalsize. */
const void *dt_blob(const struct dt *dt);
size_t dt_size(const struct dt *dt);

/*
 * ---- nodes: an int from 0 (the root) to dt->nnodes - 1, in tree order ----
 * Any other int is no node: readers answer DT_ERR_BADOFFSET, dt_path "<bad node>".
 */

/* The parent of node, or DT_ERR_NOTFOUND for the root. */
int dt_parent(const struct dt *dt, int node);

/* The node's name ("" for the root, "uart@9000000"...). */
const char *dt_name(const struct dt *dt, int node);

/* The first child of node, the next sibling of node; DT_ERR_NOTFOUND when there is none. */
int dt_first_child(const struct dt *dt, int node);
int dt_next_sibling(const struct dt *dt, int node);

#define dt_for_each_child(dt, parent, child)                                         \
	for ((child) = dt_first_child((dt), (parent)); (child) >= 0;                  \
	     (child) = dt_next_sibling((dt), (child)))

/*
 * The node at path ("/cpus", "/soc/uart@1000"; a unit address may be left out when only one
 * child has that name before its '@'), or, when path does not start with '/', the alias its
 * first component names in /aliases followed by the rest. len bytes of path are read.
 * DT_ERR_NOTFOUND, or DT_ERR_BADPATH for an alias that names no path.
 */
int dt_find_node(const struct dt *dt, const char *path, size_t len);

/* The node's full path in buf (for messages and descriptions), cut at size with "...". */
const char *dt_path(const struct dt *dt, int node, char *buf, size_t size);

/* status absent, "okay" or "ok". */
bool dt_enabled(const struct dt *dt, int node);

/* ---- the memory reservation block (/memreserve/) ---- */

int dt_num_mem_rsv(const struct dt *dt);
int dt_mem_rsv(const struct dt *dt, int index, uint64_t *base, uint64_t *size);

/* ---- bounded property readers: 0 / a value, or DT_ERR_NOTFOUND / DT_ERR_BADVALUE ---- */

/* The length of a property, or DT_ERR_NOTFOUND. */
int dt_prop_len(const struct dt *dt, int node, const char *name);

/* A string property, NUL terminated within its length; NULL (and *err) when not. */
const char *dt_string(const struct dt *dt, int node, const char *name, int *err);

/* Number of strings in a string-list property (each NUL terminated), or a negative error. */
int dt_string_count(const struct dt *dt, int node, const char *name);

/*
 * A string-list property, checked to end in a NUL: the bytes and their number in *len; NULL,
 * with the error in *len, when absent or malformed. Walk it with dt_string_next(), which
 * costs no further property lookup.
 */
const char *dt_string_list(const struct dt *dt, int node, const char *name, int *len);

/* The string at *pos (start with 0) of a list from dt_string_list, advancing *pos; NULL at its end. */
const char *dt_string_next(const char *list, int len, int *pos);

/* String index of a string-list property; NULL (and *err) when absent or malformed. */
const char *dt_string_index(const struct dt *dt, int node, const char *name, int index, int *err);

/* A property of exactly one cell. */
int dt_u32(const struct dt *dt, int node, const char *name, uint32_t *value);

/* A property of one or two cells (big-endian, most significant cell first). */
int dt_u64(const struct dt *dt, int node, const char *name, uint64_t *value);

/* Whether a property is present at all (e.g. "interrupt-controller", "vpl011"). */
bool dt_has(const struct dt *dt, int node, const char *name);

/* ---- compatible (from the index: no property lookup) ---- */

/* The node's compatible list (see dt_string_list); NULL with the error in *len. */
const char *dt_compatible_list(const struct dt *dt, int node, int *len);

/* 1 when any string of node's compatible list equals compat, 0 when none, <0 malformed. */
int dt_compatible(const struct dt *dt, int node, const char *compat);

/*
 * Match node's compatible list against a NULL-terminated list of strings: the index in
 * node's list of the first (most specific) string that the list contains, DT_ERR_NOTFOUND
 * when none does, or another negative error when the property is malformed.
 */
int dt_match(const struct dt *dt, int node, const char *const *compats);

/* ---- phandles ---- */

/* The node's phandle (phandle, else linux,phandle), 0 when it has none. */
uint32_t dt_phandle(const struct dt *dt, int node);

/* The node with that phandle (the first in tree order), or DT_ERR_BADPHANDLE / DT_ERR_NOTFOUND. */
int dt_node_by_phandle(const struct dt *dt, uint32_t phandle);

/* ---- reg and ranges ---- */

/*
 * #address-cells / #size-cells that apply to node's reg, i.e. its parent's: address 1 or 2,
 * size 0, 1 or 2 (the defaults 2 and 1 when absent); anything else is DT_ERR_BADNCELLS.
 */
int dt_reg_cells(const struct dt *dt, int node, int *addr_cells, int *size_cells);

/* Number of entries in node's reg (0 when absent), or a negative error. */
int dt_reg_count(const struct dt *dt, int node);

/* Entry index of node's reg in the parent bus's address space (no translation). */
int dt_reg_raw(const struct dt *dt, int node, int index, uint64_t *addr, uint64_t *size);

/*
 * Entry index of node's reg as a CPU physical address: translated through the ranges of
 * every bus between node and the root. An empty ranges maps one to one; an absent ranges, or
 * an address no ranges entry covers, gives DT_ERR_UNTRANSLATABLE.
 */
int dt_reg(const struct dt *dt, int node, int index, paddr_t *base, uint64_t *size);

/* ---- interrupts ---- */

#define DT_IRQ_MAX_CELLS  4

/* One interrupt specifier, with the controller it belongs to (after any interrupt-map). */
struct dt_irq {
	int controller;				/* node of the interrupt controller */
	unsigned ncells;			/* its #interrupt-cells */
	uint32_t cells[DT_IRQ_MAX_CELLS];
};

/*
 * The interrupt parent of node (Devicetree Specification v0.4, 2.4.1), found when the tree
 * was indexed: the node its interrupt-parent names, else its tree parent; as Linux does, a
 * node reached that way which has no #interrupt-cells (nor interrupt-controller or
 * interrupt-map) is passed through to its own interrupt-parent or tree parent in turn. The
 * result is an interrupt controller or an interrupt nexus (a node with interrupt-map, 2.4.3),
 * else DT_ERR_NOTIRQCTRL; more than 32 interrupt-parent links is taken as a loop
 * (DT_ERR_IRQLOOP), and reaching past the root is DT_ERR_NOIRQPARENT.
 */
int dt_irq_parent(const struct dt *dt, int node);

/*
 * Number of interrupts node has (from interrupts-extended when present, else interrupts and
 * its interrupt parent's #interrupt-cells); 0 when it has none; negative when malformed,
 * e.g. a length that is not a whole number of specifiers. Specifiers given to a nexus are
 * counted, not mapped: a fault in an interrupt-map shows in dt_irq().
 */
int dt_irq_count(const struct dt *dt, int node);

/*
 * Interrupt index of node, decoded, and mapped through every interrupt nexus on its way to
 * its controller (2.4.3): a malformed interrupt-map is a negative error, one without an
 * entry for the interrupt DT_ERR_NOIRQMAP, a chain of more than 8 nexus nodes
 * DT_ERR_IRQLOOP. On any error *irq is left as it was.
 */
int dt_irq(const struct dt *dt, int node, int index, struct dt_irq *irq);

/*
 * ---- explaining: the steps behind dt_reg(), for teaching and for messages (fdt/trace.c,
 * fdt/reg.c) ----
 * platform/explain.c prints them (dtprobe --explain, the kernel's probe=explain), and
 * platform/'s error messages name the cells, lengths and bus they come from.
 */

/* Which cell count of a node. */
enum dt_cells_kind { DT_ADDRESS_CELLS, DT_SIZE_CELLS, DT_INTERRUPT_CELLS };

/* What node itself declares: 0..127 (larger values read as 127), or one of these. */
#define DT_CELLS_NONE       (-1)	/* the node has no such property */
#define DT_CELLS_MALFORMED  (-2)	/* the property is not one cell */
int dt_cells_declared(const struct dt *dt, int node, enum dt_cells_kind kind);

/*
 * node's property name, with where it lies in the blob: the offset of its FDT_PROP token from
 * the blob's start in *token (the length cell follows at +4, the name offset at +8, the
 * value at +12), its length in *len. NULL, with the error in *len, when absent.
 */
const void *dt_prop_where(const struct dt *dt, int node, const char *name, uint32_t *token,
			  int *len);

/* One cell count in effect, and the node it came from: -1 when the default applied. */
struct dt_cells {
	int value;	/* the count, or what was declared when it is refused */
	int from;
};

/* The cells in effect for node's reg: its parent's #address-cells and #size-cells. */
int dt_reg_cells_from(const struct dt *dt, int node, struct dt_cells *ac, struct dt_cells *sc);

/* Number of entries in bus's ranges: 0 for an empty one; DT_ERR_NOTFOUND when absent. */
int dt_ranges_count(const struct dt *dt, int bus);

/* Entry index of bus's ranges: <child-bus-address parent-bus-address length>. */
int dt_ranges_entry(const struct dt *dt, int bus, int index, uint64_t *child, uint64_t *parent,
		    uint64_t *length);

/* The hops kept by dt_reg_trace(); a deeper translation is counted, its first hops kept. */
#define DT_TRACE_HOPS  8

/* One ranges step: the bus whose ranges moved the address one level up. */
struct dt_hop {
	int bus;
	int entry;			/* the ranges entry used; -1: an empty ranges, one to one */
	uint64_t child, parent, length;	/* that entry's window */
	uint64_t in, out;		/* the address before and after */
};

/*
 * Every step of dt_reg(dt, node, index): the cells and where they came from, reg's length and
 * place, the raw entry (bus address), each ranges hop, the CPU address. The same code as
 * dt_reg() (reg.c), so the two cannot disagree. When a step fails, err says why and bus says
 * where: -1 for the node's own reg, else the bus whose ranges (or cells) are at fault, with
 * that bus's cells in bus_ac (its own #address-cells), bus_pac (its parent's) and bus_sc.
 */
struct dt_reg_trace {
	struct dt_cells ac, sc;
	int len;			/* reg's length in bytes, or a negative error */
	uint32_t token;			/* reg's FDT_PROP token in the blob */
	int entry_bytes;		/* (ac + sc) * 4 */
	int count;			/* entries */
	uint64_t addr, size;		/* the entry on its parent bus */
	unsigned nhops;
	struct dt_hop hop[DT_TRACE_HOPS];
	uint64_t cpu;			/* the CPU physical address */
	int err;
	int bus;
	struct dt_cells bus_ac, bus_pac, bus_sc;
	int ranges_len;
};

/* Fill t with dt_reg's steps; returns t->err (0, or what dt_reg would return). */
int dt_reg_trace(const struct dt *dt, int node, int index, struct dt_reg_trace *t);

#endif
