/*
 * Tree building and fixture loading for host tests (dtb_builder.h).
 */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <arbor/dt.h>

#include "dtb_builder.h"

static char tree[TREE_SIZE] __attribute__((aligned(8)));

void *tree_buffer(void)
{
	memset(tree, 0, sizeof(tree));
	return tree;
}

void *tree_begin(int addr_cells, int size_cells)
{
	void *fdt = tree_buffer();

	OK(fdt_create(fdt, sizeof(tree)));
	OK(fdt_finish_reservemap(fdt));
	OK(fdt_begin_node(fdt, ""));
	if (addr_cells >= 0)
		OK(fdt_property_u32(fdt, "#address-cells", (uint32_t)addr_cells));
	if (size_cells >= 0)
		OK(fdt_property_u32(fdt, "#size-cells", (uint32_t)size_cells));
	return fdt;
}

void tree_end(void *fdt)
{
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	OK(dt_check(fdt, sizeof(tree)));
}

void node_begin(void *fdt, const char *name)
{
	OK(fdt_begin_node(fdt, name));
}

void node_end(void *fdt)
{
	OK(fdt_end_node(fdt));
}

void prop_str(void *fdt, const char *name, const char *value)
{
	OK(fdt_property_string(fdt, name, value));
}

void prop_u32(void *fdt, const char *name, uint32_t value)
{
	OK(fdt_property_u32(fdt, name, value));
}

void prop_bytes(void *fdt, const char *name, const void *bytes, int len)
{
	OK(fdt_property(fdt, name, bytes, len));
}

void prop_cells(void *fdt, const char *name, const uint32_t *cells, size_t n)
{
	fdt32_t be[128];

	assert_true(n <= sizeof(be) / sizeof(be[0]));
	for (size_t i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	OK(fdt_property(fdt, name, be, (int)(n * sizeof(be[0]))));
}

void *fixture_load(const char *name, size_t *size)
{
	char path[1024];
	FILE *f;
	long len;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s", HOST_DTB_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s: run make host", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*size = (size_t)len;
	return buf;
}

const struct dt *tree_index(const void *fdt)
{
	/* Exactly what the tree can need, as dtprobe allocates: ASan sees a write past it. */
	static void *storage;
	static struct dt dt;
	size_t need = dt_index_size(fdt, fdt_totalsize(fdt));

	free(storage);
	storage = malloc(need);
	assert_non_null(storage);
	int err = dt_index(&dt, fdt, fdt_totalsize(fdt), storage, need);

	if (err)
		fail_msg("dt_index: %s", dt_strerror(err));
	return &dt;
}

int tree_node(const void *fdt, const char *path)
{
	int node = dt_find_node(tree_index(fdt), path, strlen(path));

	if (node < 0)
		fail_msg("%s: %s", path, dt_strerror(node));
	return node;
}
