/*
 * libFuzzer target for the index: every answer fdt/index.c gives about a tree it accepted,
 * compared with what libfdt, an independent reader of the same bytes, says.
 *
 * For each node of the index: its name, its parent, its path, its depth (parents up to the root), its phandle and the
 * node that phandle leads to (the first in tree order, as libfdt's search finds it), whether
 * it is enabled, and for each of its properties the length the index gives for that name
 * (the first of the name, as fdt_getprop() finds). The index also has to hold as many nodes
 * as libfdt's walk visits. Any difference stops the run with both answers.
 *
 * Inputs come from the structure-aware mutator (mutator.c), which keeps most of them valid.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <arbor/dt.h>

#include "fuzz.h"

#define FAIL(...) fuzz_fail("fuzz_index", __VA_ARGS__)

/* libfdt's offset of an index node: its name sits right after the BEGIN_NODE tag. */
static int node_offset(const struct dt *dt, const void *fdt, int node)
{
	return (int)(dt_name(dt, node) - (const char *)fdt) - (int)fdt_off_dt_struct(fdt) -
	       FDT_TAGSIZE;
}

/*
 * Enabled as Linux's __of_device_is_available() reads status: the value compared with
 * strcmp(), so what counts is its first string ("okay\0junk\0" is enabled). The value must end
 * in a NUL for strcmp() to stay inside it; one that does not is not enabled.
 */
static bool status_ok(const void *fdt, int off)
{
	int len;
	const char *s = fdt_getprop(fdt, off, "status", &len);

	if (!s)
		return true;
	if (len < 1 || memchr(s, '\0', (size_t)len) == NULL || s[len - 1] != '\0')
		return false;
	return !strcmp(s, "okay") || !strcmp(s, "ok");
}

/*
 * One node against libfdt: loff is its offset as libfdt's walk found it, lparent its parent's
 * (-1 for the root), lpath its path built from libfdt's names, ldepth its depth. libfdt's own
 * fdt_parent_offset() and fdt_get_path() walk from the root each time, which would make a
 * big tree cost n^2; the walk in LLVMFuzzerTestOneInput() gives the same facts at once.
 */
/* Phandles met so far in the walk and the first node offset of each: fdt_node_offset_by_phandle()
 * would answer the same, by a walk from the root per lookup. */
static uint32_t seen_phandle[DT_MAX_NODES];
static int seen_offset[DT_MAX_NODES];
static unsigned nseen;

static int first_with_phandle(uint32_t ph, int off)
{
	for (unsigned i = 0; i < nseen; i++)
		if (seen_phandle[i] == ph)
			return seen_offset[i];
	if (nseen < DT_MAX_NODES) {
		seen_phandle[nseen] = ph;
		seen_offset[nseen++] = off;
	}
	return off;
}

static void compare_node(const struct dt *dt, const void *fdt, int node, int loff, int lparent,
			 const char *lpath, int ldepth)
{
	static char mine[4096];
	int len;

	if (node_offset(dt, fdt, node) != loff)
		FAIL("node %d: the index has it at %d, libfdt's walk at %d", node,
		     node_offset(dt, fdt, node), loff);
	const char *name = fdt_get_name(fdt, loff, &len);
	if (!name || strcmp(name, dt_name(dt, node)))
		FAIL("node %d at %d: index name \"%s\", libfdt \"%s\"", node, loff, dt_name(dt, node),
		     name ? name : "(error)");

	int parent = dt_parent(dt, node);
	if (lparent < 0 ? parent != DT_ERR_NOTFOUND
			: parent < 0 || node_offset(dt, fdt, parent) != lparent)
		FAIL("node %d at %d: index parent %d, libfdt's at %d", node, loff, parent, lparent);

	if (lpath && strcmp(dt_path(dt, node, mine, sizeof(mine)), lpath))
		FAIL("node %d: index path \"%s\", libfdt's names make \"%s\"", node, mine, lpath);

	int depth = 0;
	for (int p = dt_parent(dt, node); p >= 0; p = dt_parent(dt, p))
		depth++;
	if (depth != ldepth)
		FAIL("node %d: %d parents up to the root in the index, depth %d in libfdt", node,
		     depth, ldepth);

	uint32_t ph = fdt_get_phandle(fdt, loff);
	if (ph != dt_phandle(dt, node))
		FAIL("node %d: index phandle 0x%x, libfdt 0x%x", node, dt_phandle(dt, node), ph);
	if (ph && ph != (uint32_t)-1) {
		int target = dt_node_by_phandle(dt, ph);
		int ltarget = first_with_phandle(ph, loff);
		if (target < 0 || node_offset(dt, fdt, target) != ltarget)
			FAIL("phandle 0x%x: index node %d, libfdt's at %d", ph, target, ltarget);
	}

	if (dt_enabled(dt, node) != status_ok(fdt, loff))
		FAIL("node %d: index says %s", node, dt_enabled(dt, node) ? "enabled" : "disabled");

	int prop;
	fdt_for_each_property_offset(prop, fdt, loff) {
		const char *pname;
		if (!fdt_getprop_by_offset(fdt, prop, &pname, &len))
			continue;
		int first;
		fdt_getprop(fdt, loff, pname, &first);
		if (dt_prop_len(dt, node, pname) != first)
			FAIL("node %d, property \"%s\": index length %d, libfdt %d", node, pname,
			     dt_prop_len(dt, node, pname), first);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t need = dt_index_size(data, size);
	void *storage = need ? malloc(need) : NULL;
	struct dt dt;

	if (!storage || dt_index(&dt, data, size, storage, need)) {
		free(storage);
		return 0;
	}
	/* libfdt's walk, with a stack of parents and the path so far. */
	static int parents[DT_MAX_DEPTH + 2];
	static char path[4096];
	size_t plen[DT_MAX_DEPTH + 2];
	int depth = 0, visited = 0;

	nseen = 0;
	/* fdt_next_node() leaves the root with depth -1 and a positive offset. */
	for (int off = 0; off >= 0 && depth >= 0; off = fdt_next_node(data, off, &depth)) {
		if (depth > DT_MAX_DEPTH || (unsigned)visited >= dt.nnodes)
			FAIL("libfdt's walk finds node %d at depth %d; the index has %u nodes, "
			     "depth %u", visited, depth, dt.nnodes, dt.depth);
		parents[depth] = off;
		const char *name = fdt_get_name(data, off, NULL);
		size_t base = depth ? plen[depth - 1] : 0, n = name ? strlen(name) : 0;
		bool fits = base + n + 2 < sizeof(path);
		if (fits) {
			if (depth == 0) {
				strcpy(path, "/");
				plen[0] = 1;
			} else {
				size_t at = base;
				if (depth > 1)
					path[at++] = '/';
				memcpy(path + at, name, n);
				path[at + n] = '\0';
				plen[depth] = at + n;
			}
		} else {
			plen[depth] = sizeof(path);	/* deeper paths do not fit either */
		}
		compare_node(&dt, data, visited, off, depth ? parents[depth - 1] : -1,
			     fits && base < sizeof(path) ? path : NULL, depth);
		visited++;
	}
	if ((unsigned)visited != dt.nnodes)
		FAIL("the index holds %u nodes, libfdt's walk visits %d", dt.nnodes, visited);
	free(storage);
	return 0;
}
