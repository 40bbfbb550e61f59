/*
 * The bounded layer's readers (include/arbor/dt.h): error words, and the small readers every
 * other part of Arbor uses instead of raw libfdt calls: strings, string lists, cells and
 * compatible matching. The index and everything the index answers alone (parents, paths,
 * phandles) are in index.c, reg and ranges in reg.c, interrupts in irq.c.
 *
 * dt_index() checked every property's place and length against the blob once; what a
 * property's length means is left to each reader here, which checks the length it needs
 * before it reads a byte of the value. Cells are read with aligned loads (dt_cell): the
 * header check asks for the alignment that makes every cell 4-byte aligned.
 */
#include <string.h>

#include "internal.h"

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
	case DT_ERR_TOODEEP:
		return "nodes nested deeper than DT_MAX_DEPTH (32) levels (DT_ERR_TOODEEP)";
	case DT_ERR_NODES:
		return "more nodes than the index holds, DT_MAX_NODES (4096) (DT_ERR_NODES)";
	default:
		return "unknown device tree error";
	}
}

_Static_assert(DT_MAX_DEPTH == 32 && DT_MAX_NODES == 4096,
	       "dt_strerror() names the bounds: change its words with them");

/* ---- property readers ---- */

/*
 * A node's properties are the FDT_PROP (and FDT_NOP) tokens from the offset its record keeps
 * to its first child or its end (5.4.2); dt_index() checked every one of them, so they are
 * read here without checks again. Names are compared in place, in the strings block, by
 * match (true when the property's name is the one asked for). The first property of that
 * name counts, as in libfdt.
 */
static const void *find_prop(const struct dt *dt, int node, const char *name,
			     bool (*match)(const char *pname, const char *name, size_t namelen),
			     size_t namelen, int *len)
{
	const char *base = dt->fdt;

	if (dt_valid(dt, node)) {
		const char *strings = base + fdt_off_dt_strings(dt->fdt);
		const char *p = base + dt->nodes[node].props;
		for (;;) {
			uint32_t tag = dt_cell(p);
			if (tag == FDT_NOP) {
				p += FDT_TAGSIZE;
				continue;
			}
			if (tag != FDT_PROP)
				break;
			uint32_t plen = dt_cell(p + 4);
			const char *pname = strings + dt_cell(p + 8);
			/* The first byte turns most names away before a call. */
			if (pname[0] == name[0] && match(pname, name, namelen)) {
				if (len)
					*len = (int)plen;
				return p + 3 * FDT_TAGSIZE;
			}
			p += 3 * FDT_TAGSIZE + ALIGN_UP(plen, (uint32_t)FDT_TAGSIZE);
		}
	}
	if (len)
		*len = dt_valid(dt, node) ? DT_ERR_NOTFOUND : DT_ERR_BADOFFSET;
	return NULL;
}

static bool match_namelen(const char *pname, const char *name, size_t namelen)
{
	return strncmp(pname, name, namelen) == 0 && pname[namelen] == '\0';
}

/* A NUL-terminated name: compared byte by byte, with no strlen() of it first. */
static bool match_string(const char *pname, const char *name, size_t namelen)
{
	(void)namelen;
	while (*pname && *pname == *name)
		pname++, name++;
	return *pname == *name;
}

const void *dt_getprop_namelen(const struct dt *dt, int node, const char *name, size_t namelen,
			       int *len)
{
	/* A name with a NUL inside names no property. */
	if (memchr(name, '\0', namelen)) {
		if (len)
			*len = dt_valid(dt, node) ? DT_ERR_NOTFOUND : DT_ERR_BADOFFSET;
		return NULL;
	}
	return find_prop(dt, node, name, match_namelen, namelen, len);
}

const void *dt_getprop(const struct dt *dt, int node, const char *name, int *len)
{
	return find_prop(dt, node, name, match_string, 0, len);
}

int dt_prop_len(const struct dt *dt, int node, const char *name)
{
	int len;

	dt_getprop(dt, node, name, &len);
	return len;
}

const char *dt_string(const struct dt *dt, int node, const char *name, int *err)
{
	int len;
	const char *s = dt_getprop(dt, node, name, &len);

	if (s && (len < 1 || s[len - 1] != '\0')) {
		s = NULL;
		len = DT_ERR_BADVALUE;
	}
	if (err)
		*err = s ? 0 : len;
	return s;
}

/* A list's bytes checked to end in a NUL; an empty property is a list of no strings. */
static const char *checked_list(const char *list, int *len)
{
	if (list && *len > 0 && list[*len - 1] != '\0') {
		*len = DT_ERR_BADVALUE;
		return NULL;
	}
	return list;
}

/*
 * A string-list property (2.2.4, <stringlist>): its bytes and length, checked to end in a NUL
 * so that every string in it is terminated inside it. NULL, with the error in *len, when
 * absent or malformed.
 */
const char *dt_string_list(const struct dt *dt, int node, const char *name, int *len)
{
	return checked_list(dt_getprop(dt, node, name, len), len);
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

int dt_string_count(const struct dt *dt, int node, const char *name)
{
	int len, pos = 0, count = 0;
	const char *list = dt_string_list(dt, node, name, &len);

	if (!list)
		return len;
	while (pos < len) {
		next_string(list, len, &pos);
		count++;
	}
	return count;
}

const char *dt_string_index(const struct dt *dt, int node, const char *name, int index, int *err)
{
	int len, pos = 0;
	const char *list = dt_string_list(dt, node, name, &len);

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
		*err = DT_ERR_NOTFOUND;
	return NULL;
}

int dt_u32(const struct dt *dt, int node, const char *name, uint32_t *value)
{
	int len;
	const void *p = dt_getprop(dt, node, name, &len);

	if (!p)
		return len;
	if (len != 4)
		return DT_ERR_BADVALUE;
	*value = dt_cell(p);
	return 0;
}

int dt_u64(const struct dt *dt, int node, const char *name, uint64_t *value)
{
	int len;
	const char *p = dt_getprop(dt, node, name, &len);

	if (!p)
		return len;
	if (len == 4)
		*value = dt_cell(p);
	else if (len == 8)
		*value = (uint64_t)dt_cell(p) << 32 | dt_cell(p + 4);
	else
		return DT_ERR_BADVALUE;
	return 0;
}

bool dt_has(const struct dt *dt, int node, const char *name)
{
	return dt_getprop(dt, node, name, NULL) != NULL;
}

/* ---- compatible (2.3.1: most specific string first), found by the index ---- */

const char *dt_compatible_list(const struct dt *dt, int node, int *len)
{
	if (!dt_valid(dt, node) || !dt->nodes[node].compatible) {
		*len = dt_valid(dt, node) ? DT_ERR_NOTFOUND : DT_ERR_BADOFFSET;
		return NULL;
	}
	const char *p = (const char *)dt->fdt + dt->nodes[node].compatible;	/* its FDT_PROP */
	*len = (int)dt_cell(p + 4);
	return checked_list(p + 3 * FDT_TAGSIZE, len);
}

int dt_compatible(const struct dt *dt, int node, const char *compat)
{
	int len, pos = 0;
	const char *list = dt_compatible_list(dt, node, &len);

	if (!list)
		return len == DT_ERR_NOTFOUND ? 0 : len;
	while (pos < len)
		if (!strcmp(next_string(list, len, &pos), compat))
			return 1;
	return 0;
}

int dt_match(const struct dt *dt, int node, const char *const *compats)
{
	int len, pos = 0;
	const char *list = dt_compatible_list(dt, node, &len);

	if (!list)
		return len;
	for (int i = 0; pos < len; i++) {
		const char *s = next_string(list, len, &pos);
		for (const char *const *c = compats; c && *c; c++)
			if (!strcmp(s, *c))
				return i;
	}
	return DT_ERR_NOTFOUND;
}
