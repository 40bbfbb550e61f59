/*
 * The bounded layer over libfdt (include/arbor/dt.h): checking a DTB once, and the small
 * readers every other part of Arbor uses instead of raw libfdt calls: strings, string lists,
 * cells, compatible matching and phandles. reg and ranges are in reg.c, interrupts in irq.c.
 *
 * libfdt bounds each of its reads by the header's block sizes once fdt_check_header() has
 * passed, but leaves two things to its callers: walking the whole structure (Linux 6.1's
 * libfdt has no fdt_check_full()), and what a property's length means. dt_check() does the
 * first, once, at boot; every reader here does the second on each call, checking the length
 * a property must have before it reads a byte of it. Cells are read with fdt32_ld(), byte by
 * byte, so no read here depends on the block alignment dt_check() asks for.
 */
#include <string.h>

#include <arbor/dt.h>

/*
 * Words for every code, libfdt's included: libfdt's own fdt_strerror() gives only the names
 * ("FDT_ERR_BADVALUE"), which say little to someone reading a boot log. The name is kept in
 * parentheses so that it can still be searched for.
 */
const char *dt_strerror(int err)
{
	switch (err) {
	case 0:
		return "no error";
	case -FDT_ERR_NOTFOUND:
		return "no such node or property (FDT_ERR_NOTFOUND)";
	case -FDT_ERR_EXISTS:
		return "node or property already exists (FDT_ERR_EXISTS)";
	case -FDT_ERR_NOSPACE:
		return "too large for the space it has (FDT_ERR_NOSPACE)";
	case -FDT_ERR_BADOFFSET:
		return "offset out of bounds or at the wrong kind of tag (FDT_ERR_BADOFFSET)";
	case -FDT_ERR_BADPATH:
		return "badly formed path (FDT_ERR_BADPATH)";
	case -FDT_ERR_BADPHANDLE:
		return "phandle names no node (FDT_ERR_BADPHANDLE)";
	case -FDT_ERR_BADSTATE:
		return "tree still being written (FDT_ERR_BADSTATE)";
	case -FDT_ERR_TRUNCATED:
		return "blob truncated: something ends past its block (FDT_ERR_TRUNCATED)";
	case -FDT_ERR_BADMAGIC:
		return "not a device tree blob: bad magic number (FDT_ERR_BADMAGIC)";
	case -FDT_ERR_BADVERSION:
		return "unsupported device tree version (FDT_ERR_BADVERSION)";
	case -FDT_ERR_BADSTRUCTURE:
		return "malformed structure block (FDT_ERR_BADSTRUCTURE)";
	case -FDT_ERR_BADLAYOUT:
		return "blocks in an unsupported order (FDT_ERR_BADLAYOUT)";
	case -FDT_ERR_INTERNAL:
		return "internal libfdt error (FDT_ERR_INTERNAL)";
	case -FDT_ERR_BADNCELLS:
		return "bad or missing #address-cells, #size-cells or #interrupt-cells "
		       "(FDT_ERR_BADNCELLS)";
	case -FDT_ERR_BADVALUE:
		return "bad property value (FDT_ERR_BADVALUE)";
	case -FDT_ERR_BADOVERLAY:
		return "malformed overlay (FDT_ERR_BADOVERLAY)";
	case -FDT_ERR_NOPHANDLES:
		return "no phandle values left (FDT_ERR_NOPHANDLES)";
	case -FDT_ERR_BADFLAGS:
		return "bad flags (FDT_ERR_BADFLAGS)";
	case -FDT_ERR_ALIGNMENT:
		return "blob or block misaligned (FDT_ERR_ALIGNMENT)";
	case DT_ERR_UNTRANSLATABLE:
		return "address not translatable: a parent bus has no ranges covering it "
		       "(DT_ERR_UNTRANSLATABLE)";
	case DT_ERR_NOIRQPARENT:
		return "no interrupt parent on the node or any ancestor (DT_ERR_NOIRQPARENT)";
	case DT_ERR_IRQLOOP:
		return "interrupt-parent or interrupt-map links form a loop (DT_ERR_IRQLOOP)";
	case DT_ERR_NOTIRQCTRL:
		return "interrupt parent is neither an interrupt-controller nor an interrupt-map "
		       "nexus (DT_ERR_NOTIRQCTRL)";
	case DT_ERR_NOIRQMAP:
		return "no interrupt-map entry matches the interrupt (DT_ERR_NOIRQMAP)";
	default:
		return "unknown device tree error";
	}
}

/* ---- checking a DTB ---- */

/*
 * Walk every node and property from the root (Devicetree Specification v0.4, 5.4): each node
 * name and property name must be readable and NUL terminated inside its block (libfdt's
 * fdt_get_name() and fdt_getprop_by_offset() check that), each property's value must lie
 * inside the structure block (fdt_next_tag() checks that), nodes must nest no deeper than
 * DT_MAX_DEPTH, and the root must be the one top-level node, at offset 0, followed by FDT_END.
 * libfdt itself assumes the root is at offset 0 (fdt_path_offset("/") and fdt_parent_offset()
 * start there), and its phandle search runs past the root's end, so both are checked here.
 * Every step moves forward through the structure block, so the walk ends.
 */
static int check_structure(const void *fdt)
{
	int node = 0, depth = 0, prop, len, next;
	const char *name = fdt_get_name(fdt, 0, &len);

	if (!name)
		return len == -FDT_ERR_BADOFFSET ? -FDT_ERR_BADSTRUCTURE : len;
	if (len != 0)
		return -FDT_ERR_BADSTRUCTURE;	/* the root has no name (2.2.1) */

	while (depth >= 0) {
		if (depth > DT_MAX_DEPTH)
			return -FDT_ERR_BADSTRUCTURE;
		if (depth > 0) {
			name = fdt_get_name(fdt, node, &len);
			if (!name)
				return len;
			if (len == 0)
				return -FDT_ERR_BADSTRUCTURE;
		}
		fdt_for_each_property_offset(prop, fdt, node) {
			if (!fdt_getprop_by_offset(fdt, prop, &name, &len))
				return len;
			if (len < 0 || name[0] == '\0')
				return -FDT_ERR_BADSTRUCTURE;
		}
		if (prop != -FDT_ERR_NOTFOUND)
			return prop;
		/* After the root's FDT_END_NODE this gives the offset past it, with depth -1. */
		node = fdt_next_node(fdt, node, &depth);
		if (node == -FDT_ERR_NOTFOUND)
			return -FDT_ERR_BADSTRUCTURE;	/* FDT_END inside a node */
		if (node < 0)
			return node;
	}

	/* Past the root: only FDT_NOPs, then FDT_END. */
	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, node, &next);

		if (tag == FDT_END)
			return next < 0 ? next : 0;	/* next < 0: a premature end */
		if (tag != FDT_NOP)
			return -FDT_ERR_BADSTRUCTURE;
		node = next;
	}
}

int dt_check(const void *fdt, size_t buf_size)
{
	if (!fdt || buf_size < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;

	/* Alignment of the blob, magic, versions, and every block inside totalsize. */
	int err = fdt_check_header(fdt);
	if (err)
		return err;
	/* Version 17 is the one the specification describes (5.1); older ones lack block sizes. */
	if (fdt_version(fdt) < 17)
		return -FDT_ERR_BADVERSION;
	if (fdt_totalsize(fdt) > DT_MAX_SIZE)
		return -FDT_ERR_NOSPACE;
	if (fdt_totalsize(fdt) > buf_size)
		return -FDT_ERR_TRUNCATED;
	/* 5.6: the reservation block is 8-byte aligned, the structure block 4-byte aligned. */
	if (fdt_off_mem_rsvmap(fdt) % 8 || fdt_off_dt_struct(fdt) % 4)
		return -FDT_ERR_ALIGNMENT;
	/* The reservation list must end, with an entry of size 0, inside the blob (5.3). */
	err = fdt_num_mem_rsv(fdt);
	if (err < 0)
		return err;
	return check_structure(fdt);
}

const char *dt_path(const void *fdt, int node, char *buf, size_t size)
{
	if (fdt_get_path(fdt, node, buf, (int)MIN(size, (size_t)INT32_MAX)) < 0) {
		const char bad[] = "<bad node>";
		size_t i;
		for (i = 0; i + 1 < size && i < sizeof(bad) - 1; i++)
			buf[i] = bad[i];
		if (size)
			buf[i] = '\0';
	}
	return buf;
}

/*
 * Devicetree Specification v0.4, 2.3.4 names "okay"; "ok" is an older spelling that Linux
 * also accepts. Anything else ("disabled", "reserved", "fail", "fail-sss") is not enabled.
 */
bool dt_enabled(const void *fdt, int node)
{
	int err;
	const char *status = dt_string(fdt, node, "status", &err);

	if (!status)
		return err == -FDT_ERR_NOTFOUND;
	return !strcmp(status, "okay") || !strcmp(status, "ok");
}

/* ---- property readers ---- */

const char *dt_string(const void *fdt, int node, const char *name, int *err)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	if (s && (len < 1 || s[len - 1] != '\0')) {
		s = NULL;
		len = -FDT_ERR_BADVALUE;
	}
	if (err)
		*err = s ? 0 : len;
	return s;
}

/*
 * A string-list property (2.2.4, <stringlist>): its bytes and length, checked to end in a NUL
 * so that every string in it is terminated inside it. An empty property is a list of no
 * strings. NULL, with the error in *len, when absent or malformed.
 */
const char *dt_string_list(const void *fdt, int node, const char *name, int *len)
{
	const char *list = fdt_getprop(fdt, node, name, len);

	if (list && *len > 0 && list[*len - 1] != '\0') {
		*len = -FDT_ERR_BADVALUE;
		return NULL;
	}
	return list;
}

/* The string at pos in a checked list of len bytes, and the position of the next one. */
static const char *next_string(const char *list, int len, int *pos)
{
	const char *s = list + *pos;

	*pos += (int)strnlen(s, (size_t)(len - *pos)) + 1;
	return s;
}

const char *dt_string_next(const char *list, int len, int *pos)
{
	if (!list || *pos < 0 || *pos >= len)
		return NULL;
	return next_string(list, len, pos);
}

int dt_string_count(const void *fdt, int node, const char *name)
{
	int len, pos = 0, count = 0;
	const char *list = dt_string_list(fdt, node, name, &len);

	if (!list)
		return len;
	while (pos < len) {
		next_string(list, len, &pos);
		count++;
	}
	return count;
}

const char *dt_string_index(const void *fdt, int node, const char *name, int index, int *err)
{
	int len, pos = 0;
	const char *list = dt_string_list(fdt, node, name, &len);

	if (!list) {
		if (err)
			*err = len;
		return NULL;
	}
	for (int i = 0; pos < len; i++) {
		const char *s = next_string(list, len, &pos);
		if (i == index) {
			if (err)
				*err = 0;
			return s;
		}
	}
	if (err)
		*err = -FDT_ERR_NOTFOUND;
	return NULL;
}

int dt_u32(const void *fdt, int node, const char *name, uint32_t *value)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return len;
	if (len != sizeof(*p))
		return -FDT_ERR_BADVALUE;
	*value = fdt32_ld(p);
	return 0;
}

int dt_u64(const void *fdt, int node, const char *name, uint64_t *value)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return len;
	if (len == sizeof(*p))
		*value = fdt32_ld(p);
	else if (len == 2 * sizeof(*p))
		*value = (uint64_t)fdt32_ld(p) << 32 | fdt32_ld(p + 1);
	else
		return -FDT_ERR_BADVALUE;
	return 0;
}

bool dt_has(const void *fdt, int node, const char *name)
{
	return fdt_getprop(fdt, node, name, NULL) != NULL;
}

/* ---- compatible (2.3.1: most specific string first) ---- */

int dt_compatible(const void *fdt, int node, const char *compat)
{
	int len, pos = 0;
	const char *list = dt_string_list(fdt, node, "compatible", &len);

	if (!list)
		return len == -FDT_ERR_NOTFOUND ? 0 : len;
	while (pos < len)
		if (!strcmp(next_string(list, len, &pos), compat))
			return 1;
	return 0;
}

int dt_match(const void *fdt, int node, const char *const *compats)
{
	int len, pos = 0;
	const char *list = dt_string_list(fdt, node, "compatible", &len);

	if (!list)
		return len;
	for (int i = 0; pos < len; i++) {
		const char *s = next_string(list, len, &pos);
		for (const char *const *c = compats; c && *c; c++)
			if (!strcmp(s, *c))
				return i;
	}
	return -FDT_ERR_NOTFOUND;
}

/* ---- phandles (2.3.3) ---- */

/* libfdt refuses 0 and 0xffffffff (-FDT_ERR_BADPHANDLE) and scans every node for the rest. */
int dt_node_by_phandle(const void *fdt, uint32_t phandle)
{
	return fdt_node_offset_by_phandle(fdt, phandle);
}
