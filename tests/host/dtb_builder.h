/*
 * Building small device trees inside host tests, and loading the compiled fixtures.
 *
 * A test writes the tree it needs, node by node, with libfdt's sequential-write API behind
 * these helpers, so each case reads like the .dts it stands for. Every helper asserts its
 * libfdt call succeeded. Trees are built in one static buffer: one tree at a time.
 */
#ifndef DTB_BUILDER_H
#define DTB_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include <arbor/dt.h>

#define OK(call)  assert_int_equal((call), 0)

/* The size of the buffer trees are built in: room for DT_MAX_NODES + 1 nodes (16 bytes each). */
#define TREE_SIZE  131072

/* The (cleared) buffer trees are built in, for tests that write a tree by hand. */
void *tree_buffer(void);

/* Start a tree whose root has these #address-cells / #size-cells (-1: leave it out). */
void *tree_begin(int addr_cells, int size_cells);

/* Close the root node and the tree, which must then pass dt_check(). */
void tree_end(void *fdt);

void node_begin(void *fdt, const char *name);
void node_end(void *fdt);
void prop_str(void *fdt, const char *name, const char *value);
void prop_u32(void *fdt, const char *name, uint32_t value);

/* A property of exactly these bytes (string lists, unterminated strings, odd lengths). */
void prop_bytes(void *fdt, const char *name, const void *bytes, int len);

/* A property of cells, given in CPU order and stored big-endian; use with CELLS(...). */
void prop_cells(void *fdt, const char *name, const uint32_t *cells, size_t n);

/* The cells of a property and how many there are, as prop_cells() takes them. */
#define CELLS(...) \
	(const uint32_t[]){ __VA_ARGS__ }, sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t)

/*
 * The index of the tree at fdt (which must pass dt_index), built afresh on each call into
 * storage of exactly dt_index_size(); the previous index is freed, so use one at a time.
 */
const struct dt *tree_index(const void *fdt);

/* The index node at path (which must exist) in the tree at fdt. */
int tree_node(const void *fdt, const char *path);

/*
 * Read the compiled fixture build/host/dtb/<name> into a buffer of exactly its size (so
 * ASan sees any read past it); the caller frees it.
 */
void *fixture_load(const char *name, size_t *size);

#endif
