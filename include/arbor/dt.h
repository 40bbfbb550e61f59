/*
 * fdt/: the only code that reads device-tree structure, a bounded layer over libfdt.
 *
 * Every length and offset taken from the DTB is checked here; callers get decoded values or a
 * negative error code (libfdt's -FDT_ERR_* or one of the DT_ERR_* below), never a raw cell.
 * Nothing here prints: callers name the node (dt_path) and the error (dt_strerror) in their
 * own message. No function reads outside the blob on any input once dt_check() has passed.
 */
#ifndef ARBOR_DT_H
#define ARBOR_DT_H

#include <libfdt.h>

#include <arbor/types.h>

/* Errors beyond libfdt's own. */
#define DT_ERR_UNTRANSLATABLE  (-(FDT_ERR_MAX + 1))	/* a parent bus has no (matching) ranges */
#define DT_ERR_NOIRQPARENT     (-(FDT_ERR_MAX + 2))	/* no interrupt parent anywhere up the tree */
#define DT_ERR_IRQLOOP         (-(FDT_ERR_MAX + 3))	/* interrupt-parent or -map links loop */
#define DT_ERR_NOTIRQCTRL      (-(FDT_ERR_MAX + 4))	/* parent is neither controller nor nexus */
#define DT_ERR_NOIRQMAP        (-(FDT_ERR_MAX + 5))	/* no interrupt-map entry matches */

/* The largest DTB accepted; arm64's boot protocol caps it at 2 MiB. */
#define DT_MAX_SIZE            (2u * 1024 * 1024)

/* The deepest node dt_check() accepts (the root is depth 0); it bounds every walk up the tree. */
#define DT_MAX_DEPTH           32

/*
 * Words for any error this layer returns (libfdt's or DT_ERR_*), with the code's name in
 * parentheses: "bad property value (FDT_ERR_BADVALUE)".
 */
const char *dt_strerror(int err);

/*
 * Validate the DTB at fdt, of which buf_size bytes are readable: the header, a totalsize
 * within buf_size and DT_MAX_SIZE, and a walk of every node and property (names, lengths,
 * nesting) so that later reads meet no surprise. 0 or a negative error.
 */
int dt_check(const void *fdt, size_t buf_size);

/* The node's full path in buf (for messages); "<bad node>" when it cannot be found. */
const char *dt_path(const void *fdt, int node, char *buf, size_t size);

/* status absent, "okay" or "ok". */
bool dt_enabled(const void *fdt, int node);

/* ---- bounded property readers: 0 / a value, or -FDT_ERR_NOTFOUND / -FDT_ERR_BADVALUE ---- */

/* A string property, NUL terminated within its length; NULL (and *err) when not. */
const char *dt_string(const void *fdt, int node, const char *name, int *err);

/* Number of strings in a string-list property (each NUL terminated), or a negative error. */
int dt_string_count(const void *fdt, int node, const char *name);

/*
 * A string-list property, checked to end in a NUL: the bytes and their number in *len; NULL,
 * with the error in *len, when absent or malformed. Walk it with dt_string_next(), which
 * costs no further property lookup.
 */
const char *dt_string_list(const void *fdt, int node, const char *name, int *len);

/* The string at *pos (start with 0) of a list from dt_string_list, advancing *pos; NULL at its end. */
const char *dt_string_next(const char *list, int len, int *pos);

/* String index of a string-list property; NULL (and *err) when absent or malformed. */
const char *dt_string_index(const void *fdt, int node, const char *name, int index, int *err);

/* A property of exactly one cell. */
int dt_u32(const void *fdt, int node, const char *name, uint32_t *value);

/* A property of one or two cells (big-endian, most significant cell first). */
int dt_u64(const void *fdt, int node, const char *name, uint64_t *value);

/* Whether a property is present at all (e.g. "interrupt-controller", "vpl011"). */
bool dt_has(const void *fdt, int node, const char *name);

/* ---- compatible ---- */

/* 1 when any string of node's compatible list equals compat, 0 when none, <0 malformed. */
int dt_compatible(const void *fdt, int node, const char *compat);

/*
 * Match node's compatible list against a NULL-terminated list of strings: the index in
 * node's list of the first (most specific) string that the list contains, -FDT_ERR_NOTFOUND
 * when none does, or another negative error when the property is malformed.
 */
int dt_match(const void *fdt, int node, const char *const *compats);

/* ---- phandles ---- */

/* The node with that phandle, or -FDT_ERR_BADPHANDLE / -FDT_ERR_NOTFOUND. */
int dt_node_by_phandle(const void *fdt, uint32_t phandle);

/* ---- reg and ranges ---- */

/*
 * #address-cells / #size-cells that apply to node's reg, i.e. its parent's: address 1 or 2,
 * size 0, 1 or 2 (the defaults 2 and 1 when absent); anything else is -FDT_ERR_BADNCELLS.
 */
int dt_reg_cells(const void *fdt, int node, int *addr_cells, int *size_cells);

/* Number of entries in node's reg (0 when absent), or a negative error. */
int dt_reg_count(const void *fdt, int node);

/* Entry index of node's reg in the parent bus's address space (no translation). */
int dt_reg_raw(const void *fdt, int node, int index, uint64_t *addr, uint64_t *size);

/*
 * Entry index of node's reg as a CPU physical address: translated through the ranges of
 * every bus between node and the root. An empty ranges maps one to one; an absent ranges, or
 * an address no ranges entry covers, gives DT_ERR_UNTRANSLATABLE.
 */
int dt_reg(const void *fdt, int node, int index, paddr_t *base, uint64_t *size);

/* ---- interrupts ---- */

#define DT_IRQ_MAX_CELLS  4

/* One interrupt specifier, with the controller it belongs to (after any interrupt-map). */
struct dt_irq {
	int controller;				/* node offset of the interrupt controller */
	unsigned ncells;			/* its #interrupt-cells */
	uint32_t cells[DT_IRQ_MAX_CELLS];
};

/*
 * The interrupt parent of node (Devicetree Specification v0.4, 2.4.1): the node its
 * interrupt-parent names, else its tree parent; as Linux does, a node reached that way which
 * has no #interrupt-cells (nor interrupt-controller or interrupt-map) is passed through to
 * its own interrupt-parent or tree parent in turn. The result is an interrupt controller or
 * an interrupt nexus (a node with interrupt-map, 2.4.3), else DT_ERR_NOTIRQCTRL; more than
 * 32 interrupt-parent links is taken as a loop (DT_ERR_IRQLOOP), and reaching past the root
 * is DT_ERR_NOIRQPARENT.
 */
int dt_irq_parent(const void *fdt, int node);

/*
 * Number of interrupts node has (from interrupts-extended when present, else interrupts and
 * its interrupt parent's #interrupt-cells); 0 when it has none; negative when malformed,
 * e.g. a length that is not a whole number of specifiers. Specifiers given to a nexus are
 * counted, not mapped: a fault in an interrupt-map shows in dt_irq().
 */
int dt_irq_count(const void *fdt, int node);

/*
 * Interrupt index of node, decoded, and mapped through every interrupt nexus on its way to
 * its controller (2.4.3): a malformed interrupt-map is a negative error, one without an
 * entry for the interrupt DT_ERR_NOIRQMAP, a chain of more than 8 nexus nodes
 * DT_ERR_IRQLOOP. On any error *irq is left as it was.
 */
int dt_irq(const void *fdt, int node, int index, struct dt_irq *irq);

#endif
