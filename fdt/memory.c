/*
 * The memory a checked blob describes, read without an index.
 *
 * The kernel indexes the DTB in a small static boot scratch (boot/main.c). A tree too big for
 * it is indexed in free RAM instead, and to know which RAM is free before there is an index,
 * this reads what Linux's early scan reads: the RAM banks (reg of the root's children whose
 * device_type is "memory", decoded with the root's #address-cells and #size-cells) and the
 * reserved ranges (/memreserve/ and the reg of /reserved-memory's children). It walks the
 * blob with libfdt, once; the caller has checked the blob (dt_check or dt_index), so libfdt
 * meets nothing malformed. An entry that does not decode (bad cells, a partial reg) is
 * passed over here: the real probe reads it again and says what is wrong.
 */
#include <string.h>

#include "internal.h"

/* One address or size of n cells (0 to 2), big-endian, most significant first. */
static uint64_t cells(const char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | dt_cell(p + 4 * i);
	return v;
}

/*
 * node's #address-cells or #size-cells, else the default (2, 1): libfdt's own
 * fdt_address_cells() lives with its read-write functions, which the kernel does not link.
 */
static int ncells(const void *fdt, int node, const char *name, int absent)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return absent;
	return len == 4 ? (int)dt_cell(p) : -1;
}

/* Every (address, size) of node's reg, with the given cells, to fn. */
static void each_reg(const void *fdt, int node, int ac, int sc, bool reserved,
		     dt_range_fn fn, void *ctx)
{
	int len;
	const char *reg = fdt_getprop(fdt, node, "reg", &len);
	int entry = 4 * (ac + sc);

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 || len % entry)
		return;
	for (int off = 0; off + entry <= len; off += entry)
		fn(ctx, reserved, cells(reg + off, ac), cells(reg + off + 4 * ac, sc));
}

void dt_raw_memory(const void *fdt, dt_range_fn fn, void *ctx)
{
	int ac = ncells(fdt, 0, "#address-cells", 2), sc = ncells(fdt, 0, "#size-cells", 1);
	int node, len;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", &len);
		if (type && len == sizeof("memory") && !memcmp(type, "memory", len))
			each_reg(fdt, node, ac, sc, false, fn, ctx);
	}

	for (int i = 0, n = fdt_num_mem_rsv(fdt); i < n; i++) {
		uint64_t base, size;
		if (!fdt_get_mem_rsv(fdt, i, &base, &size))
			fn(ctx, true, base, size);
	}

	int rm = fdt_subnode_offset(fdt, 0, "reserved-memory");
	if (rm < 0)
		return;
	int rac = ncells(fdt, rm, "#address-cells", 2), rsc = ncells(fdt, rm, "#size-cells", 1);
	fdt_for_each_subnode(node, fdt, rm)
		each_reg(fdt, node, rac, rsc, true, fn, ctx);
}
