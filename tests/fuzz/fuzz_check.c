/*
 * libFuzzer target for the validator alone: dt_check() on raw bytes, with libFuzzer's own
 * byte-level mutations (no structure-aware mutator: the malformed inputs are the point).
 *
 * Beyond crashes (ASan, UBSan; libfdt compiled in from its sources), two promises are held
 * to account on every input:
 *  - dt_check() and dt_index() agree: they share the walk, and a tree dt_check() passes is
 *    one dt_index() indexes, except where it is past the index's own bound (DT_ERR_NODES),
 *    which dt_check() does not judge;
 *  - what dt_check() passes, libfdt's own readers walk without an error: every node
 *    (fdt_next_node), every property (fdt_first/next_property_offset), each one's value and
 *    name (fdt_getprop_by_offset). That is what "nothing after it meets a surprise" means
 *    for the code that reads the tree with libfdt (apps/dtexplorer).
 */
#include <stdlib.h>

#include <libfdt.h>

#include <arbor/dt.h>

#include "fuzz.h"

static void libfdt_walk(const void *fdt)
{
	int depth = 0, node, prop, len;

	/* fdt_next_node() leaves the root with depth -1 and a positive offset. */
	for (node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		if (!fdt_get_name(fdt, node, &len))
			fuzz_fail("fuzz_check", "dt_check passed; libfdt cannot name node %d: %s", node,
				  fdt_strerror(len));
		fdt_for_each_property_offset(prop, fdt, node) {
			const char *name;
			if (!fdt_getprop_by_offset(fdt, prop, &name, &len) || !name)
				fuzz_fail("fuzz_check", "dt_check passed; libfdt cannot read property at "
					  "%d: %s", prop, fdt_strerror(len));
		}
		if (prop != -FDT_ERR_NOTFOUND)
			fuzz_fail("fuzz_check", "dt_check passed; libfdt's property walk of node %d "
				  "ended with %s", node, fdt_strerror(prop));
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		fuzz_fail("fuzz_check", "dt_check passed; libfdt's node walk ended with %s",
			  fdt_strerror(node));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int checked = dt_check(data, size);
	size_t need = dt_index_size(data, size);
	void *storage = need ? malloc(need) : NULL;
	struct dt dt;
	int indexed = dt_index(&dt, data, size, storage, need);

	free(storage);
	if (checked != indexed &&
	    !(checked == 0 && indexed == DT_ERR_NODES))
		fuzz_fail("fuzz_check", "dt_check says %d (%s), dt_index %d (%s)", checked,
			  dt_strerror(checked), indexed, dt_strerror(indexed));
	if (checked == 0)
		libfdt_walk(data);
	return 0;
}
