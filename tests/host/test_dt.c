/*
 * Unit tests for fdt/ (dt.c, reg.c, irq.c): every function of include/arbor/dt.h on trees
 * that are right and on trees that are wrong in one way each, with the exact value or the
 * exact error code expected.
 *
 * Trees are built here with libfdt's sequential-write API, one small tree per case, so a
 * case reads as the DTB it describes; the malformed blobs dt_check() must refuse are made by
 * building a good one and then changing a header field or a structure token in place. One
 * tree Xen 4.17 really gave a guest (dts/xen/, compiled by `make host` into HOST_DTB_DIR) is
 * read as well, against values taken from its .dts text.
 */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libfdt.h>

#include <arbor/dt.h>

#include "dtb_builder.h"

/* An int no tree here has as a node (they have a few dozen at most). */
#define NOT_A_NODE  1000

/* The index of a tree built here (tests/host/dtb_builder.c), rebuilt on each use. */
#define IX(fdt)  tree_index(fdt)

/* The index node at path, which must exist. */
static int node_at(const void *fdt, const char *path)
{
	return tree_node(fdt, path);
}

/* libfdt's offset of the node at path, for tests that damage the blob in place. */
static int offset_at(const void *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);

	if (node < 0)
		fail_msg("%s: %s", path, fdt_strerror(node));
	return node;
}

/* ---- dt_strerror ---- */

static void test_strerror(void **state)
{
	(void)state;
	/* Every code libfdt has, in words, its name kept in parentheses. */
	assert_string_equal(dt_strerror(-FDT_ERR_NOTFOUND),
			    "no such node or property (FDT_ERR_NOTFOUND)");
	assert_string_equal(dt_strerror(-FDT_ERR_EXISTS),
			    "node or property already exists (FDT_ERR_EXISTS)");
	assert_string_equal(dt_strerror(-FDT_ERR_NOSPACE),
			    "too large for the space it has (FDT_ERR_NOSPACE)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADOFFSET),
			    "offset out of bounds or at the wrong kind of tag (FDT_ERR_BADOFFSET)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADPATH), "badly formed path (FDT_ERR_BADPATH)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADPHANDLE),
			    "phandle names no node (FDT_ERR_BADPHANDLE)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADSTATE),
			    "tree still being written (FDT_ERR_BADSTATE)");
	assert_string_equal(dt_strerror(-FDT_ERR_TRUNCATED),
			    "blob truncated: something ends past its block (FDT_ERR_TRUNCATED)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADMAGIC),
			    "not a device tree blob: bad magic number (FDT_ERR_BADMAGIC)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADVERSION),
			    "unsupported device tree version (FDT_ERR_BADVERSION)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADSTRUCTURE),
			    "malformed structure block (FDT_ERR_BADSTRUCTURE)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADLAYOUT),
			    "blocks in an unsupported order (FDT_ERR_BADLAYOUT)");
	assert_string_equal(dt_strerror(-FDT_ERR_INTERNAL),
			    "internal libfdt error (FDT_ERR_INTERNAL)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADNCELLS),
			    "bad or missing #address-cells, #size-cells or #interrupt-cells "
			    "(FDT_ERR_BADNCELLS)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADVALUE), "bad property value (FDT_ERR_BADVALUE)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADOVERLAY),
			    "malformed overlay (FDT_ERR_BADOVERLAY)");
	assert_string_equal(dt_strerror(-FDT_ERR_NOPHANDLES),
			    "no phandle values left (FDT_ERR_NOPHANDLES)");
	assert_string_equal(dt_strerror(-FDT_ERR_BADFLAGS), "bad flags (FDT_ERR_BADFLAGS)");
	assert_string_equal(dt_strerror(-FDT_ERR_ALIGNMENT),
			    "blob or block misaligned (FDT_ERR_ALIGNMENT)");
	/* A libfdt newer than this table would add codes past 19: they need words here. */
	assert_int_equal(FDT_ERR_MAX, 19);

	/* And this layer's own. */
	assert_string_equal(dt_strerror(DT_ERR_UNTRANSLATABLE),
			    "address not translatable: a parent bus has no ranges covering it "
			    "(DT_ERR_UNTRANSLATABLE)");
	assert_string_equal(dt_strerror(DT_ERR_NOIRQPARENT),
			    "no interrupt parent on the node or any ancestor (DT_ERR_NOIRQPARENT)");
	assert_string_equal(dt_strerror(DT_ERR_IRQLOOP),
			    "interrupt-parent or interrupt-map links form a loop (DT_ERR_IRQLOOP)");
	assert_string_equal(dt_strerror(DT_ERR_NOTIRQCTRL),
			    "interrupt parent is neither an interrupt-controller nor an "
			    "interrupt-map nexus (DT_ERR_NOTIRQCTRL)");
	assert_string_equal(dt_strerror(DT_ERR_NOIRQMAP),
			    "no interrupt-map entry matches the interrupt (DT_ERR_NOIRQMAP)");
	assert_string_equal(dt_strerror(DT_ERR_TOODEEP),
			    "nodes nested deeper than DT_MAX_DEPTH (32) levels (DT_ERR_TOODEEP)");
	assert_string_equal(dt_strerror(DT_ERR_NODES),
			    "more nodes than the index holds, DT_MAX_NODES (4096) (DT_ERR_NODES)");
	assert_string_equal(dt_strerror(0), "no error");
	assert_string_equal(dt_strerror(DT_ERR_NODES - 1), "unknown device tree error");
	assert_string_equal(dt_strerror(1), "unknown device tree error");
	/* The DT_ERR_* codes are past libfdt's and not known to it. */
	assert_true(DT_ERR_UNTRANSLATABLE < -FDT_ERR_MAX);
	assert_string_equal(fdt_strerror(DT_ERR_NOTIRQCTRL), "<unknown error>");
}

/* ---- dt_check ---- */

/* A good tree of a few nodes: /soc/uart@1000 with properties, and /chosen. */
static void *good_tree(void)
{
	void *fdt = tree_begin(2, 2);
	prop_str(fdt, "compatible", "arbor,test");
	node_begin(fdt, "chosen");
	prop_str(fdt, "bootargs", "quiet");
	node_end(fdt);
	node_begin(fdt, "soc");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 1);
	prop_bytes(fdt, "ranges", NULL, 0);
	node_begin(fdt, "uart@1000");
	prop_str(fdt, "compatible", "arm,pl011");
	prop_cells(fdt, "reg", CELLS(0x1000, 0x100));
	node_end(fdt);
	node_end(fdt);
	tree_end(fdt);
	return fdt;
}

/* The structure-block token at offset off of fdt, to read or overwrite. */
static fdt32_t *token(void *fdt, int off)
{
	return (fdt32_t *)((char *)fdt + fdt_off_dt_struct(fdt) + off);
}

static void test_check_good(void **state)
{
	(void)state;
	void *fdt = good_tree();

	OK(dt_check(fdt, TREE_SIZE));
	OK(dt_check(fdt, fdt_totalsize(fdt)));	/* exactly as big as it says */
}

static void test_check_bad_magic(void **state)
{
	(void)state;
	void *fdt = good_tree();

	fdt_set_magic(fdt, 0xd00dfeee);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADMAGIC);
}

static void test_check_truncated(void **state)
{
	(void)state;
	void *fdt = good_tree();

	assert_int_equal(dt_check(fdt, fdt_totalsize(fdt) - 1), -FDT_ERR_TRUNCATED);
	/* Not even the header is readable: nothing is read at all. */
	assert_int_equal(dt_check(fdt, sizeof(struct fdt_header) - 1), -FDT_ERR_TRUNCATED);
	assert_int_equal(dt_check(NULL, TREE_SIZE), -FDT_ERR_TRUNCATED);
	/* A totalsize too small for the header is libfdt's to refuse. */
	fdt_set_totalsize(fdt, sizeof(struct fdt_header) - 4);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_TRUNCATED);
}

/*
 * Only 32 bytes readable, a good header's first 32, right before an unmapped page: refused
 * without a read past them (the header's last fields, at 32-39, would fault).
 */
static void test_check_short_buffer(void **state)
{
	(void)state;
	void *fdt = good_tree();
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(map != MAP_FAILED);
	OK(mprotect(map + page, (size_t)page, PROT_NONE));
	char *end = map + page - 32;
	memcpy(end, fdt, 32);
	assert_int_equal(dt_check(end, 32), -FDT_ERR_TRUNCATED);
	munmap(map, 2 * (size_t)page);
}

/* DT_MAX_SIZE itself is accepted, one byte more is not, however much is readable. */
static void test_check_too_big(void **state)
{
	(void)state;
	void *fdt = good_tree();
	size_t big = DT_MAX_SIZE + 4096;
	void *buf = aligned_alloc(8, big);

	assert_non_null(buf);
	memset(buf, 0, big);
	memcpy(buf, fdt, fdt_totalsize(fdt));
	fdt_set_totalsize(buf, DT_MAX_SIZE);
	OK(dt_check(buf, big));
	fdt_set_totalsize(buf, DT_MAX_SIZE + 1);
	assert_int_equal(dt_check(buf, big), -FDT_ERR_NOSPACE);
	free(buf);
}

static void test_check_version(void **state)
{
	(void)state;
	void *fdt = good_tree();

	/* Newer than libfdt knows (last_comp_version 18): libfdt refuses it. */
	fdt_set_last_comp_version(fdt, 18);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADVERSION);
	/* Older than libfdt reads. */
	fdt_set_version(fdt, 1);
	fdt_set_last_comp_version(fdt, 1);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADVERSION);
	/* Version 16, which libfdt would read: Arbor wants 17, with its block sizes. */
	fdt_set_version(fdt, 16);
	fdt_set_last_comp_version(fdt, 16);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADVERSION);
	fdt_set_version(fdt, 17);
	OK(dt_check(fdt, TREE_SIZE));
}

static void test_check_alignment(void **state)
{
	static char moved[TREE_SIZE + 8] __aligned(8);

	(void)state;
	void *fdt = good_tree();
	uint32_t total = fdt_totalsize(fdt);

	/* The blob itself 4 bytes off an 8-byte boundary. */
	memcpy(moved + 4, fdt, total);
	assert_int_equal(dt_check(moved + 4, total), -FDT_ERR_ALIGNMENT);

	/* The structure block 2 bytes off a 4-byte boundary (still inside the blob). */
	uint32_t off = fdt_off_dt_struct(fdt), size = fdt_size_dt_struct(fdt);
	fdt_set_off_dt_struct(fdt, off + 2);
	fdt_set_size_dt_struct(fdt, size - 4);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_ALIGNMENT);
	fdt_set_off_dt_struct(fdt, off);
	fdt_set_size_dt_struct(fdt, size);

	/* The reservation block 4 bytes off an 8-byte boundary. */
	fdt_set_off_mem_rsvmap(fdt, fdt_off_mem_rsvmap(fdt) + 4);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_ALIGNMENT);
}

/* A reservation block with no terminating entry before the blob ends. */
static void test_check_memrsv_unterminated(void **state)
{
	(void)state;
	void *fdt = good_tree();
	uint32_t end = ALIGN_UP(fdt_totalsize(fdt), 8u);

	fdt_set_totalsize(fdt, end);
	fdt_set_off_mem_rsvmap(fdt, end);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_TRUNCATED);
}

/* A token in the middle of the structure block overwritten with one that does not exist. */
static void test_check_corrupt_token(void **state)
{
	(void)state;
	void *fdt = good_tree();

	*token(fdt, offset_at(fdt, "/soc/uart@1000")) = cpu_to_fdt32(0xdeadbeef);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADSTRUCTURE);
}

/* A property whose name offset points past the strings block. */
static void test_check_bad_prop_name(void **state)
{
	(void)state;
	void *fdt = good_tree();
	int prop = fdt_first_property_offset(fdt, offset_at(fdt, "/soc/uart@1000"));

	assert_true(prop > 0);
	token(fdt, prop)[2] = cpu_to_fdt32(fdt_size_dt_strings(fdt));	/* nameoff */
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADOFFSET);
}

/* A property whose length runs past the structure block. */
static void test_check_prop_too_long(void **state)
{
	(void)state;
	void *fdt = good_tree();
	int prop = fdt_first_property_offset(fdt, offset_at(fdt, "/soc/uart@1000"));

	assert_true(prop > 0);
	token(fdt, prop)[1] = cpu_to_fdt32(fdt_size_dt_struct(fdt));	/* len */
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADSTRUCTURE);
}

/* FDT_END where the root's FDT_END_NODE should be: the root is never closed. */
static void test_check_root_unclosed(void **state)
{
	(void)state;
	void *fdt = good_tree();
	int last = (int)fdt_size_dt_struct(fdt) - 4;

	assert_int_equal(fdt32_to_cpu(*token(fdt, last)), FDT_END);
	assert_int_equal(fdt32_to_cpu(*token(fdt, last - 4)), FDT_END_NODE);
	*token(fdt, last - 4) = cpu_to_fdt32(FDT_END);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADSTRUCTURE);
}

/* The structure block cut before its FDT_END. */
static void test_check_no_end(void **state)
{
	(void)state;
	void *fdt = good_tree();

	fdt_set_size_dt_struct(fdt, fdt_size_dt_struct(fdt) - 4);
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_TRUNCATED);
}

/* A second node after the root has closed, which libfdt's phandle search would reach. */
static void test_check_second_root(void **state)
{
	(void)state;
	void *fdt = tree_buffer();

	OK(fdt_create(fdt, TREE_SIZE));
	OK(fdt_finish_reservemap(fdt));
	node_begin(fdt, "");
	node_end(fdt);
	node_begin(fdt, "stray");
	prop_u32(fdt, "phandle", 1);
	node_end(fdt);
	OK(fdt_finish(fdt));
	OK(fdt_check_header(fdt));
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADSTRUCTURE);
}

/* NOPs after the root are allowed (5.4.1), anything else is not. */
static void test_check_nop_after_root(void **state)
{
	(void)state;
	void *fdt = tree_buffer();

	OK(fdt_create(fdt, TREE_SIZE));
	OK(fdt_finish_reservemap(fdt));
	node_begin(fdt, "");
	node_end(fdt);
	node_begin(fdt, "x");
	node_end(fdt);
	OK(fdt_finish(fdt));
	/* Overwrite the stray node "x" (BEGIN_NODE, name, END_NODE) with NOPs. */
	int last = (int)fdt_size_dt_struct(fdt) - 4;
	for (int off = last - 12; off < last; off += 4)
		*token(fdt, off) = cpu_to_fdt32(FDT_NOP);
	OK(dt_check(fdt, TREE_SIZE));
}

static void test_check_names(void **state)
{
	(void)state;
	void *fdt = tree_buffer();

	/* The root's name must be empty. */
	OK(fdt_create(fdt, TREE_SIZE));
	OK(fdt_finish_reservemap(fdt));
	node_begin(fdt, "root");
	node_end(fdt);
	OK(fdt_finish(fdt));
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADSTRUCTURE);

	/* Any other node's must not be. */
	fdt = tree_begin(2, 1);
	node_begin(fdt, "");
	node_end(fdt);
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADSTRUCTURE);

	/* Nor a property's. */
	fdt = tree_begin(2, 1);
	node_begin(fdt, "node");
	prop_u32(fdt, "", 1);
	node_end(fdt);
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	assert_int_equal(dt_check(fdt, TREE_SIZE), -FDT_ERR_BADSTRUCTURE);
}

/* A chain of nodes depth levels below the root. */
static void *deep_tree(int depth)
{
	void *fdt = tree_begin(2, 1);
	for (int i = 0; i < depth; i++)
		node_begin(fdt, "n");
	for (int i = 0; i < depth; i++)
		node_end(fdt);
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	return fdt;
}

static void test_check_depth(void **state)
{
	(void)state;
	OK(dt_check(deep_tree(DT_MAX_DEPTH), TREE_SIZE));
	assert_int_equal(dt_check(deep_tree(DT_MAX_DEPTH + 1), TREE_SIZE), DT_ERR_TOODEEP);
}

/* ---- the index ---- */

/* A tree of n nodes under the root, each with props properties (n * props in all). */
static void *wide_tree(int n, int props)
{
	char name[16];
	void *fdt = tree_begin(-1, -1);

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		node_begin(fdt, name);
		for (int j = 0; j < props; j++) {
			snprintf(name, sizeof(name), "p%d", j);
			prop_bytes(fdt, name, NULL, 0);
		}
		node_end(fdt);
	}
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	return fdt;
}

/* dt_index into storage of exactly dt_index_size(), freed before returning. */
static int index_err(const void *fdt, struct dt *dt)
{
	size_t need = dt_index_size(fdt, TREE_SIZE);
	void *storage = malloc(need);
	assert_non_null(storage);
	int err = dt_index(dt, fdt, TREE_SIZE, storage, need);
	free(storage);
	return err;
}

/* The bounds: a tree just inside is indexed, one past is refused whole, with its counts. */
static void test_index_bounds(void **state)
{
	static char big[8 * TREE_SIZE];
	struct dt dt;

	(void)state;
	/* DT_MAX_NODES nodes in all: the root and DT_MAX_NODES - 1 children. */
	void *fdt = wide_tree(DT_MAX_NODES - 1, 0);
	OK(index_err(fdt, &dt));
	assert_int_equal(dt.nnodes, DT_MAX_NODES);
	assert_int_equal(dt.nprops, 0);

	fdt = wide_tree(DT_MAX_NODES, 0);
	assert_int_equal(index_err(fdt, &dt), DT_ERR_NODES);
	assert_int_equal(dt.nnodes, DT_MAX_NODES + 1);	/* counted to the end */
	OK(dt_check(fdt, TREE_SIZE));			/* a bound of the index, not of the blob */

	/*
	 * Properties are not bounded (the index keeps none): 6 nodes of 1024 each are indexed,
	 * and each node's last property is found by the scan of its own properties.
	 */
	OK(fdt_create(big, sizeof(big)));
	OK(fdt_finish_reservemap(big));
	OK(fdt_begin_node(big, ""));
	for (int i = 0; i < 6; i++) {
		char name[16];
		snprintf(name, sizeof(name), "n%d", i);
		OK(fdt_begin_node(big, name));
		for (int j = 0; j < 1024; j++) {
			snprintf(name, sizeof(name), "p%d", j);
			OK(fdt_property(big, name, NULL, 0));
		}
		OK(fdt_end_node(big));
	}
	OK(fdt_end_node(big));
	OK(fdt_finish(big));
	size_t need = dt_index_size(big, sizeof(big));
	void *storage = malloc(need);
	OK(dt_index(&dt, big, sizeof(big), storage, need));
	assert_int_equal(dt.nprops, 6 * 1024);
	assert_int_equal(dt.nnodes, 7);
	for (int node = 1; node < 7; node++) {
		assert_true(dt_has(&dt, node, "p1023"));
		assert_false(dt_has(&dt, node, "p1024"));
	}
	free(storage);

	/* Too deep: refused by the index as by dt_check, with the depth found. */
	assert_int_equal(index_err(deep_tree(DT_MAX_DEPTH + 3), &dt), DT_ERR_TOODEEP);
	assert_int_equal(dt.depth, DT_MAX_DEPTH + 3);
}

/*
 * Storage: dt_index_size() is what the index asks for; less holds fewer nodes, and a tree
 * with more is refused with its counts, never overrun; room for no node is DT_ERR_NOSPACE.
 */
static void test_index_storage(void **state)
{
	struct dt dt;
	(void)state;
	void *fdt = good_tree();
	unsigned most = fdt_size_dt_struct(fdt) / 12 + 1;	/* a node takes >= 12 bytes */
	size_t need = dt_index_size(fdt, TREE_SIZE);

	assert_int_equal(need, most * DT_INDEX_BYTES_PER_NODE);
	assert_true(need <= DT_INDEX_MAX_BYTES);
	char *storage = malloc(need);
	assert_int_equal(dt_index(&dt, fdt, TREE_SIZE, storage, DT_INDEX_BYTES_PER_NODE - 1),
			 DT_ERR_NOSPACE);
	/* Room for 3 of its 4 nodes, with a byte to spare: refused, counted to the end. */
	assert_int_equal(dt_index(&dt, fdt, TREE_SIZE, storage, 4 * DT_INDEX_BYTES_PER_NODE - 1),
			 DT_ERR_NODES);
	assert_int_equal(dt.nnodes, 4);
	assert_int_equal(dt.max_nodes, 3);
	OK(dt_index(&dt, fdt, TREE_SIZE, storage, 4 * DT_INDEX_BYTES_PER_NODE));
	assert_int_equal(dt_index(&dt, fdt, TREE_SIZE, NULL, need), DT_ERR_NOSPACE);
	assert_int_equal(dt_index(&dt, fdt, TREE_SIZE, storage + 4, need), DT_ERR_NOSPACE);
	OK(dt_index(&dt, fdt, TREE_SIZE, storage, need));
	assert_int_equal(dt.nnodes, 4);		/* /, /chosen, /soc, /soc/uart@1000 */
	assert_int_equal(dt.nprops, 9);
	assert_int_equal(dt.depth, 2);
	free(storage);
	/* A header dt_index would refuse has no size. */
	assert_int_equal(dt_index_size(fdt, 8), 0);
}

/* Parent, children, names, cells, phandles and paths, all answered by the index. */
static void test_index_answers(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	prop_u32(fdt, "#interrupt-cells", 3);
	node_begin(fdt, "cpus");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 0);
	node_begin(fdt, "cpu@0");
	prop_u32(fdt, "phandle", 7);
	node_end(fdt);
	node_begin(fdt, "cpu@1");
	prop_u32(fdt, "linux,phandle", 9);
	node_end(fdt);
	node_end(fdt);
	node_begin(fdt, "bus");
	prop_bytes(fdt, "#address-cells", "\0\0\1", 3);	/* malformed: one cell is 4 bytes */
	node_begin(fdt, "dev@10");
	prop_u32(fdt, "phandle", 7);			/* a duplicate: the first node wins */
	node_end(fdt);
	node_end(fdt);
	node_begin(fdt, "aliases");
	prop_str(fdt, "serial0", "/bus/dev@10");
	prop_str(fdt, "relative", "bus");
	node_end(fdt);
	tree_end(fdt);

	const struct dt *dt = IX(fdt);
	int cpus = node_at(fdt, "/cpus"), cpu0 = node_at(fdt, "/cpus/cpu@0");
	int cpu1 = node_at(fdt, "/cpus/cpu@1"), bus = node_at(fdt, "/bus");
	int dev = node_at(fdt, "/bus/dev@10");
	char buf[64];

	/* Tree order: the root, then each node before its children. */
	assert_int_equal(dt->nnodes, 7);
	assert_int_equal(cpus, 1);
	assert_int_equal(cpu0, 2);
	assert_int_equal(cpu1, 3);
	assert_int_equal(bus, 4);
	assert_int_equal(dev, 5);
	assert_int_equal(dt_parent(dt, 0), DT_ERR_NOTFOUND);
	assert_int_equal(dt_parent(dt, cpu1), cpus);
	assert_int_equal(dt_parent(dt, dev), bus);
	assert_int_equal(dt_parent(dt, 7), DT_ERR_BADOFFSET);
	assert_int_equal(dt_first_child(dt, 0), cpus);
	assert_int_equal(dt_next_sibling(dt, cpus), bus);
	assert_int_equal(dt_next_sibling(dt, cpu0), cpu1);
	assert_int_equal(dt_next_sibling(dt, cpu1), DT_ERR_NOTFOUND);
	assert_int_equal(dt_first_child(dt, cpu0), DT_ERR_NOTFOUND);
	assert_int_equal(dt_next_sibling(dt, 0), DT_ERR_NOTFOUND);
	assert_string_equal(dt_name(dt, cpu1), "cpu@1");
	assert_string_equal(dt_name(dt, 0), "");

	/* The cells a node's reg uses are its parent's, defaults when absent. */
	int ac, sc;
	OK(dt_reg_cells(dt, cpu0, &ac, &sc));
	assert_int_equal(ac, 1);
	assert_int_equal(sc, 0);
	OK(dt_reg_cells(dt, cpus, &ac, &sc));
	assert_int_equal(ac, 2);
	assert_int_equal(sc, 2);
	assert_int_equal(dt_reg_cells(dt, dev, &ac, &sc), DT_ERR_BADNCELLS);
	assert_int_equal(dt_reg_cells(dt, 0, &ac, &sc), DT_ERR_NOTFOUND);	/* the root has none */

	/* Phandles: phandle, else linux,phandle; a duplicate names the first node in tree order. */
	assert_int_equal(dt_phandle(dt, cpu0), 7);
	assert_int_equal(dt_phandle(dt, cpu1), 9);
	assert_int_equal(dt_phandle(dt, dev), 7);
	assert_int_equal(dt_phandle(dt, bus), 0);
	assert_int_equal(dt_node_by_phandle(dt, 7), cpu0);
	assert_int_equal(dt_node_by_phandle(dt, 9), cpu1);
	assert_int_equal(dt_node_by_phandle(dt, 8), DT_ERR_NOTFOUND);

	/* Paths, both ways; a unit address may be left out; aliases resolve. */
	assert_string_equal(dt_path(dt, dev, buf, sizeof(buf)), "/bus/dev@10");
	assert_int_equal(dt_find_node(dt, "/", 1), 0);
	assert_int_equal(dt_find_node(dt, "/cpus/cpu@1", 11), cpu1);
	assert_int_equal(dt_find_node(dt, "//cpus//cpu@1/", 14), cpu1);
	assert_int_equal(dt_find_node(dt, "/bus/dev", 8), dev);
	assert_int_equal(dt_find_node(dt, "/cpus/cpu", 9), cpu0);	/* the first one */
	assert_int_equal(dt_find_node(dt, "/cpus/cpu@2", 11), DT_ERR_NOTFOUND);
	assert_int_equal(dt_find_node(dt, "/bu", 3), DT_ERR_NOTFOUND);
	assert_int_equal(dt_find_node(dt, "/cpusX", 5), cpus);	/* only len bytes are read */
	assert_int_equal(dt_find_node(dt, "serial0", 7), dev);
	assert_int_equal(dt_find_node(dt, "serial0:115200", 7), dev);
	assert_int_equal(dt_find_node(dt, "serial1", 7), DT_ERR_BADPATH);
	assert_int_equal(dt_find_node(dt, "relative", 8), DT_ERR_BADPATH);	/* not a full path */
	assert_int_equal(dt_find_node(dt, "", 0), DT_ERR_BADPATH);
}

/* 5.4.2: properties come before a node's children; one after a child is refused. */
static void test_index_prop_after_child(void **state)
{
	(void)state;
	void *fdt = tree_buffer();

	OK(fdt_create(fdt, TREE_SIZE));
	OK(fdt_finish_reservemap(fdt));
	OK(fdt_begin_node(fdt, ""));
	OK(fdt_begin_node(fdt, "child"));
	OK(fdt_end_node(fdt));
	OK(fdt_property_u32(fdt, "late", 1));
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	assert_int_equal(dt_check(fdt, TREE_SIZE), DT_ERR_BADSTRUCTURE);
}

/*
 * A structure error says where: the token's offset in the structure block and the node it
 * is in. Here /a/b's property names a string past the strings block (QEMU loads such a tree).
 */
static void test_index_error_where(void **state)
{
	static uint64_t storage[4096];
	char path[32];
	struct dt dt;

	(void)state;
	void *fdt = tree_buffer();
	OK(fdt_create(fdt, TREE_SIZE));
	OK(fdt_finish_reservemap(fdt));
	OK(fdt_begin_node(fdt, ""));
	OK(fdt_begin_node(fdt, "a"));
	OK(fdt_property_u32(fdt, "x", 1));
	OK(fdt_begin_node(fdt, "b"));
	OK(fdt_property_u32(fdt, "bad", 2));
	OK(fdt_end_node(fdt));
	OK(fdt_end_node(fdt));
	OK(fdt_end_node(fdt));
	OK(fdt_finish(fdt));
	int prop = fdt_first_property_offset(fdt, fdt_path_offset(fdt, "/a/b"));
	assert_true(prop > 0);
	/* FDT_PROP, len, nameoff: the name offset is the token's third cell. */
	char *nameoff = (char *)fdt + fdt_off_dt_struct(fdt) + prop + 8;
	uint32_t past = fdt_size_dt_strings(fdt) + 0x100;
	nameoff[0] = (char)(past >> 24);
	nameoff[1] = (char)(past >> 16);
	nameoff[2] = (char)(past >> 8);
	nameoff[3] = (char)past;

	assert_int_equal(dt_index(&dt, fdt, TREE_SIZE, storage, sizeof(storage)), DT_ERR_BADOFFSET);
	assert_int_equal(dt.err_offset, (unsigned)prop);
	assert_string_equal(dt_path(&dt, dt.err_node, path, sizeof(path)), "/a/b");
}

/* What a boot that dies before its console reads (fdt/rescue.c). */
static void test_rescue(void **state)
{
	static const char pl011[] = "arm,pl011\0arm,primecell";
	struct dt_rescue r;

	(void)state;
	for (int whole = 1; whole >= 0; whole--) {
		void *fdt = tree_begin(2, 2);
		node_begin(fdt, "chosen");
		prop_bytes(fdt, "stdout-path", "serial0:115200n8", 17);
		node_end(fdt);
		node_begin(fdt, "aliases");
		prop_bytes(fdt, "serial0", "/uart@9000000", 14);
		node_end(fdt);
		node_begin(fdt, "psci");
		prop_bytes(fdt, "compatible", "arm,psci-1.0", 13);
		prop_bytes(fdt, "method", "smc", 4);
		node_end(fdt);
		node_begin(fdt, "uart@9000000");
		prop_bytes(fdt, "compatible", pl011, sizeof(pl011));
		static const uint32_t reg[] = { 0, 0x9000000, 0, 0x1000, 0 };
		prop_cells(fdt, "reg", reg, whole ? 4 : 5);	/* 5 cells: not whole entries */
		node_end(fdt);
		tree_end(fdt);

		OK(dt_rescue(fdt, TREE_SIZE, &r));
		assert_string_equal(r.psci_method, "smc");
		assert_false(r.hypervisor);
		if (whole) {
			assert_int_equal(r.uart_base, 0x9000000);
			assert_int_equal(r.uart_size, 0x1000);
			assert_int_equal(r.uart_compatible_len, sizeof(pl011));
			assert_memory_equal(r.uart_compatible, pl011, sizeof(pl011));
		} else {
			assert_null(r.uart_compatible);
		}
	}
	static const char junk[64] = "not a DTB";
	assert_int_equal(dt_rescue(junk, sizeof(junk), &r), DT_ERR_BADSTRUCTURE);
	assert_null(r.psci_method);
	assert_null(r.uart_compatible);
}

/* ---- dt_path, dt_enabled ---- */

static void test_path(void **state)
{
	char buf[64];

	(void)state;
	void *fdt = good_tree();
	int uart = node_at(fdt, "/soc/uart@1000");

	assert_string_equal(dt_path(IX(fdt), uart, buf, sizeof(buf)), "/soc/uart@1000");
	assert_string_equal(dt_path(IX(fdt), 0, buf, sizeof(buf)), "/");
	/* Not a node of the index. */
	assert_string_equal(dt_path(IX(fdt), NOT_A_NODE, buf, sizeof(buf)), "<bad node>");
	assert_string_equal(dt_path(IX(fdt), -1, buf, sizeof(buf)), "<bad node>");
	/* Too small for the path: cut, and "..." says so, all within the size. */
	assert_string_equal(dt_path(IX(fdt), uart, buf, 10), "/soc/u...");
	assert_string_equal(dt_path(IX(fdt), uart, buf, 15), "/soc/uart@1000");	/* just fits */
	assert_string_equal(dt_path(IX(fdt), uart, buf, 14), "/soc/uart@...");
	assert_string_equal(dt_path(IX(fdt), uart, buf, 4), "...");
	assert_string_equal(dt_path(IX(fdt), uart, buf, 2), ".");
	buf[0] = 'x';
	assert_ptr_equal(dt_path(IX(fdt), uart, buf, 0), buf);
	assert_int_equal(buf[0], 'x');
}

static void test_enabled(void **state)
{
	static const struct {
		const char *name;
		const char *status;	/* NULL: no status property */
		bool enabled;
	} cases[] = {
		{ "absent", NULL, true },
		{ "okay", "okay", true },
		{ "ok", "ok", true },
		{ "disabled", "disabled", false },
		{ "fail", "fail", false },
		{ "fail-sss", "fail-sss", false },
		{ "empty", "", false },
		{ "okay-prefix", "okayish", false },
	};

	(void)state;
	void *fdt = tree_begin(2, 1);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		node_begin(fdt, cases[i].name);
		if (cases[i].status)
			prop_str(fdt, "status", cases[i].status);
		node_end(fdt);
	}
	node_begin(fdt, "unterminated");
	prop_bytes(fdt, "status", "okay", 4);
	node_end(fdt);
	tree_end(fdt);

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char path[32];
		snprintf(path, sizeof(path), "/%s", cases[i].name);
		if (dt_enabled(IX(fdt), node_at(fdt, path)) != cases[i].enabled)
			fail_msg("status %s: want %d", cases[i].name, cases[i].enabled);
	}
	assert_false(dt_enabled(IX(fdt), node_at(fdt, "/unterminated")));
	assert_false(dt_enabled(IX(fdt), NOT_A_NODE));	/* not a node */
}

/* ---- property readers ---- */

/* One node, /p, with a property of each shape the readers meet. */
static void *props_tree(void)
{
	void *fdt = tree_begin(2, 1);
	node_begin(fdt, "p");
	prop_str(fdt, "str", "hello");
	prop_bytes(fdt, "unterminated", "hello", 5);
	prop_bytes(fdt, "empty", NULL, 0);
	prop_bytes(fdt, "list", "first\0second\0\0fourth", 21);
	prop_bytes(fdt, "list-open", "first\0second", 12);
	prop_cells(fdt, "one", CELLS(0x12345678));
	prop_cells(fdt, "two", CELLS(0x9abcdef0, 0x12345678));
	prop_cells(fdt, "three", CELLS(1, 2, 3));
	prop_bytes(fdt, "byte3", "\1\2\3", 3);
	prop_bytes(fdt, "byte5", "\1\2\3\4\5", 5);
	node_end(fdt);
	tree_end(fdt);
	return fdt;
}

static void test_string(void **state)
{
	int err = 1;

	(void)state;
	void *fdt = props_tree();
	int p = node_at(fdt, "/p");

	assert_string_equal(dt_string(IX(fdt), p, "str", &err), "hello");
	assert_int_equal(err, 0);
	assert_string_equal(dt_string(IX(fdt), p, "str", NULL), "hello");
	assert_null(dt_string(IX(fdt), p, "missing", &err));
	assert_int_equal(err, -FDT_ERR_NOTFOUND);
	assert_null(dt_string(IX(fdt), p, "unterminated", &err));
	assert_int_equal(err, -FDT_ERR_BADVALUE);
	assert_null(dt_string(IX(fdt), p, "empty", &err));
	assert_int_equal(err, -FDT_ERR_BADVALUE);
	assert_null(dt_string(IX(fdt), p, "unterminated", NULL));
	assert_null(dt_string(IX(fdt), NOT_A_NODE, "str", &err));
	assert_int_equal(err, -FDT_ERR_BADOFFSET);
}

static void test_string_count(void **state)
{
	(void)state;
	void *fdt = props_tree();
	int p = node_at(fdt, "/p");

	assert_int_equal(dt_string_count(IX(fdt), p, "list"), 4);	/* the third is "" */
	assert_int_equal(dt_string_count(IX(fdt), p, "str"), 1);
	assert_int_equal(dt_string_count(IX(fdt), p, "empty"), 0);
	assert_int_equal(dt_string_count(IX(fdt), p, "list-open"), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_string_count(IX(fdt), p, "unterminated"), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_string_count(IX(fdt), p, "missing"), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_string_count(IX(fdt), NOT_A_NODE, "list"), -FDT_ERR_BADOFFSET);
}

static void test_string_index(void **state)
{
	int err = 1;

	(void)state;
	void *fdt = props_tree();
	int p = node_at(fdt, "/p");

	assert_string_equal(dt_string_index(IX(fdt), p, "list", 0, &err), "first");
	assert_int_equal(err, 0);
	assert_string_equal(dt_string_index(IX(fdt), p, "list", 1, &err), "second");
	assert_string_equal(dt_string_index(IX(fdt), p, "list", 2, &err), "");
	assert_string_equal(dt_string_index(IX(fdt), p, "list", 3, &err), "fourth");
	assert_int_equal(err, 0);
	assert_string_equal(dt_string_index(IX(fdt), p, "list", 3, NULL), "fourth");
	assert_null(dt_string_index(IX(fdt), p, "list", 4, &err));
	assert_int_equal(err, -FDT_ERR_NOTFOUND);
	assert_null(dt_string_index(IX(fdt), p, "list", -1, &err));
	assert_int_equal(err, -FDT_ERR_NOTFOUND);
	assert_null(dt_string_index(IX(fdt), p, "empty", 0, &err));
	assert_int_equal(err, -FDT_ERR_NOTFOUND);
	/* Malformed as a whole, so not even the first, terminated, string is given. */
	assert_null(dt_string_index(IX(fdt), p, "list-open", 0, &err));
	assert_int_equal(err, -FDT_ERR_BADVALUE);
	assert_null(dt_string_index(IX(fdt), p, "missing", 0, &err));
	assert_int_equal(err, -FDT_ERR_NOTFOUND);
	assert_null(dt_string_index(IX(fdt), p, "list-open", 0, NULL));
}

static void test_u32(void **state)
{
	uint32_t v = 7;

	(void)state;
	void *fdt = props_tree();
	int p = node_at(fdt, "/p");

	OK(dt_u32(IX(fdt), p, "one", &v));
	assert_int_equal(v, 0x12345678);
	v = 7;
	assert_int_equal(dt_u32(IX(fdt), p, "two", &v), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_u32(IX(fdt), p, "empty", &v), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_u32(IX(fdt), p, "byte3", &v), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_u32(IX(fdt), p, "byte5", &v), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_u32(IX(fdt), p, "missing", &v), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_u32(IX(fdt), NOT_A_NODE, "one", &v), -FDT_ERR_BADOFFSET);
	assert_int_equal(v, 7);	/* untouched by every failure */
}

static void test_u64(void **state)
{
	uint64_t v = 7;

	(void)state;
	void *fdt = props_tree();
	int p = node_at(fdt, "/p");

	OK(dt_u64(IX(fdt), p, "one", &v));
	assert_int_equal(v, 0x12345678);
	OK(dt_u64(IX(fdt), p, "two", &v));
	assert_int_equal(v, 0x9abcdef012345678ull);
	v = 7;
	assert_int_equal(dt_u64(IX(fdt), p, "three", &v), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_u64(IX(fdt), p, "empty", &v), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_u64(IX(fdt), p, "byte3", &v), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_u64(IX(fdt), p, "byte5", &v), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_u64(IX(fdt), p, "missing", &v), -FDT_ERR_NOTFOUND);
	assert_int_equal(v, 7);
}

static void test_has(void **state)
{
	(void)state;
	void *fdt = props_tree();
	int p = node_at(fdt, "/p");

	assert_true(dt_has(IX(fdt), p, "empty"));
	assert_true(dt_has(IX(fdt), p, "one"));
	assert_false(dt_has(IX(fdt), p, "missing"));
	assert_false(dt_has(IX(fdt), NOT_A_NODE, "one"));
}

/* ---- compatible ---- */

static void *compat_tree(void)
{
	void *fdt = tree_begin(2, 1);
	node_begin(fdt, "dev");
	prop_bytes(fdt, "compatible", "vendor,chip-v2\0vendor,chip", 27);
	node_end(fdt);
	node_begin(fdt, "open");
	prop_bytes(fdt, "compatible", "vendor,chip-v2\0vendor,chip", 26);
	node_end(fdt);
	node_begin(fdt, "none");
	node_end(fdt);
	tree_end(fdt);
	return fdt;
}

static void test_compatible(void **state)
{
	(void)state;
	void *fdt = compat_tree();
	int dev = node_at(fdt, "/dev");

	assert_int_equal(dt_compatible(IX(fdt), dev, "vendor,chip-v2"), 1);
	assert_int_equal(dt_compatible(IX(fdt), dev, "vendor,chip"), 1);
	assert_int_equal(dt_compatible(IX(fdt), dev, "vendor,chip-v3"), 0);
	assert_int_equal(dt_compatible(IX(fdt), dev, "vendor"), 0);	/* whole strings only */
	assert_int_equal(dt_compatible(IX(fdt), node_at(fdt, "/none"), "vendor,chip"), 0);
	assert_int_equal(dt_compatible(IX(fdt), node_at(fdt, "/open"), "vendor,chip-v2"),
			 -FDT_ERR_BADVALUE);
	assert_int_equal(dt_compatible(IX(fdt), NOT_A_NODE, "vendor,chip"), -FDT_ERR_BADOFFSET);
}

static void test_match(void **state)
{
	static const char *const first[] = { "vendor,chip-v2", NULL };
	static const char *const second[] = { "other,thing", "vendor,chip", NULL };
	/* Both: the node's most specific string wins, whatever the order of the table. */
	static const char *const both[] = { "vendor,chip", "vendor,chip-v2", NULL };
	static const char *const neither[] = { "vendor,chip-v3", "vendor", NULL };
	static const char *const empty[] = { NULL };

	(void)state;
	void *fdt = compat_tree();
	int dev = node_at(fdt, "/dev");

	assert_int_equal(dt_match(IX(fdt), dev, first), 0);
	assert_int_equal(dt_match(IX(fdt), dev, second), 1);
	assert_int_equal(dt_match(IX(fdt), dev, both), 0);
	assert_int_equal(dt_match(IX(fdt), dev, neither), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_match(IX(fdt), dev, empty), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_match(IX(fdt), dev, NULL), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_match(IX(fdt), node_at(fdt, "/none"), first), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_match(IX(fdt), node_at(fdt, "/open"), first), -FDT_ERR_BADVALUE);
}

/* ---- phandles ---- */

static void test_node_by_phandle(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 1);
	node_begin(fdt, "a");
	prop_u32(fdt, "phandle", 1);
	node_end(fdt);
	node_begin(fdt, "b");
	prop_u32(fdt, "phandle", 0x1234);
	node_end(fdt);
	tree_end(fdt);

	assert_int_equal(dt_node_by_phandle(IX(fdt), 1), node_at(fdt, "/a"));
	assert_int_equal(dt_node_by_phandle(IX(fdt), 0x1234), node_at(fdt, "/b"));
	assert_int_equal(dt_node_by_phandle(IX(fdt), 2), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_node_by_phandle(IX(fdt), 0), -FDT_ERR_BADPHANDLE);
	assert_int_equal(dt_node_by_phandle(IX(fdt), 0xffffffff), -FDT_ERR_BADPHANDLE);
}

/* ---- reg ---- */

static void test_reg_cells(void **state)
{
	static const struct {
		int ac, sc;		/* the root's; -1: absent */
		int err;		/* 0: the cells are the ones wanted */
		int want_ac, want_sc;
	} cases[] = {
		{ -1, -1, 0, 2, 1 },	/* the defaults (2.3.5) */
		{ 1, 0, 0, 1, 0 },
		{ 1, 1, 0, 1, 1 },
		{ 2, 2, 0, 2, 2 },
		{ 1, -1, 0, 1, 1 },
		{ -1, 0, 0, 2, 0 },
		{ 3, 2, -FDT_ERR_BADNCELLS, 0, 0 },	/* PCI */
		{ 0, 1, -FDT_ERR_BADNCELLS, 0, 0 },
		{ 2, 3, -FDT_ERR_BADNCELLS, 0, 0 },
		{ (int)0x80000000u, 1, -FDT_ERR_BADNCELLS, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int ac = -7, sc = -7;
		void *fdt = tree_begin(-1, -1);
		if (cases[i].ac != -1)
			prop_u32(fdt, "#address-cells", (uint32_t)cases[i].ac);
		if (cases[i].sc != -1)
			prop_u32(fdt, "#size-cells", (uint32_t)cases[i].sc);
		node_begin(fdt, "dev");
		node_end(fdt);
		tree_end(fdt);

		int err = dt_reg_cells(IX(fdt), node_at(fdt, "/dev"), &ac, &sc);
		if (err != cases[i].err || (!err && (ac != cases[i].want_ac ||
						     sc != cases[i].want_sc)))
			fail_msg("case %zu: got %d (%d, %d)", i, err, ac, sc);
	}

	/* A cell count that is not one cell; and the root, which has no parent. */
	int ac, sc;
	void *fdt = tree_begin(-1, 1);
	prop_cells(fdt, "#address-cells", CELLS(0, 2));
	node_begin(fdt, "dev");
	node_end(fdt);
	tree_end(fdt);
	assert_int_equal(dt_reg_cells(IX(fdt), node_at(fdt, "/dev"), &ac, &sc), -FDT_ERR_BADNCELLS);
	assert_int_equal(dt_reg_cells(IX(fdt), 0, &ac, &sc), -FDT_ERR_NOTFOUND);
}

/*
 * Two reg entries at the root, for each width of address (1, 2) and size (0, 1, 2): raw and
 * translated (the root needs none) they are the same.
 */
static void test_reg_widths(void **state)
{
	static const struct {
		int ac, sc;
		uint32_t reg[8];
		uint64_t addr[2], size[2];
	} cases[] = {
		{ 1, 0, { 0x1000, 0x2000 }, { 0x1000, 0x2000 }, { 0, 0 } },
		{ 1, 1, { 0x1000, 0x10, 0x2000, 0x20 }, { 0x1000, 0x2000 }, { 0x10, 0x20 } },
		{ 1, 2, { 0x1000, 1, 0, 0x2000, 0, 0x20 }, { 0x1000, 0x2000 }, { 0x100000000, 0x20 } },
		{ 2, 0, { 1, 0x1000, 0, 0x2000 }, { 0x100001000, 0x2000 }, { 0, 0 } },
		{ 2, 1, { 1, 0x1000, 0x10, 0, 0x2000, 0x20 }, { 0x100001000, 0x2000 },
		  { 0x10, 0x20 } },
		{ 2, 2, { 0x12345678, 0x9abcdef0, 0, 0x10, 0, 0x2000, 0xffffffff, 0 },
		  { 0x123456789abcdef0, 0x2000 }, { 0x10, 0xffffffff00000000 } },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int n = 2 * (cases[i].ac + cases[i].sc);
		void *fdt = tree_begin(cases[i].ac, cases[i].sc);
		node_begin(fdt, "dev");
		prop_cells(fdt, "reg", cases[i].reg, (size_t)n);
		node_end(fdt);
		tree_end(fdt);

		int dev = node_at(fdt, "/dev");
		assert_int_equal(dt_reg_count(IX(fdt), dev), 2);
		for (int e = 0; e < 2; e++) {
			uint64_t addr, size;
			paddr_t base;
			OK(dt_reg_raw(IX(fdt), dev, e, &addr, &size));
			if (addr != cases[i].addr[e] || size != cases[i].size[e])
				fail_msg("case %zu entry %d raw: 0x%llx 0x%llx", i, e,
					 (unsigned long long)addr, (unsigned long long)size);
			OK(dt_reg(IX(fdt), dev, e, &base, &size));
			if (base != cases[i].addr[e] || size != cases[i].size[e])
				fail_msg("case %zu entry %d: 0x%llx 0x%llx", i, e,
					 (unsigned long long)base, (unsigned long long)size);
		}
	}
}

static void test_reg_malformed(void **state)
{
	uint64_t addr = 7, size = 7;
	paddr_t base = 7;

	(void)state;
	void *fdt = tree_begin(2, 1);
	node_begin(fdt, "short");
	prop_cells(fdt, "reg", CELLS(0, 0x1000, 0x10, 0));	/* 4 cells, entries of 3 */
	node_end(fdt);
	node_begin(fdt, "bytes");
	prop_bytes(fdt, "reg", "\0\0\0\0\0\0\x10\0\0\0\0\x10\0", 13);
	node_end(fdt);
	node_begin(fdt, "none");
	node_end(fdt);
	node_begin(fdt, "empty");
	prop_bytes(fdt, "reg", NULL, 0);
	node_end(fdt);
	node_begin(fdt, "one");
	prop_cells(fdt, "reg", CELLS(0, 0x1000, 0x10));
	node_end(fdt);
	node_begin(fdt, "pci");
	prop_u32(fdt, "#address-cells", 3);
	prop_u32(fdt, "#size-cells", 2);
	prop_bytes(fdt, "ranges", NULL, 0);
	node_begin(fdt, "dev");
	prop_cells(fdt, "reg", CELLS(0, 0, 0x1000, 0, 0x10));
	node_end(fdt);
	node_end(fdt);
	tree_end(fdt);

	int n = node_at(fdt, "/short");
	assert_int_equal(dt_reg_count(IX(fdt), n), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_reg_raw(IX(fdt), n, 0, &addr, &size), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_reg(IX(fdt), n, 0, &base, &size), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_reg_count(IX(fdt), node_at(fdt, "/bytes")), -FDT_ERR_BADVALUE);

	n = node_at(fdt, "/none");
	assert_int_equal(dt_reg_count(IX(fdt), n), 0);
	assert_int_equal(dt_reg(IX(fdt), n, 0, &base, &size), -FDT_ERR_NOTFOUND);
	n = node_at(fdt, "/empty");
	assert_int_equal(dt_reg_count(IX(fdt), n), 0);
	assert_int_equal(dt_reg_raw(IX(fdt), n, 0, &addr, &size), -FDT_ERR_NOTFOUND);

	n = node_at(fdt, "/one");
	assert_int_equal(dt_reg_count(IX(fdt), n), 1);
	assert_int_equal(dt_reg(IX(fdt), n, 1, &base, &size), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_reg(IX(fdt), n, -1, &base, &size), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_reg_raw(IX(fdt), n, 1, &addr, &size), -FDT_ERR_NOTFOUND);

	/* #address-cells = 3 (PCI's) is refused, whatever reg holds. */
	n = node_at(fdt, "/pci/dev");
	assert_int_equal(dt_reg_count(IX(fdt), n), -FDT_ERR_BADNCELLS);
	assert_int_equal(dt_reg_raw(IX(fdt), n, 0, &addr, &size), -FDT_ERR_BADNCELLS);
	assert_int_equal(dt_reg(IX(fdt), n, 0, &base, &size), -FDT_ERR_BADNCELLS);

	assert_int_equal(dt_reg_count(IX(fdt), NOT_A_NODE), -FDT_ERR_BADOFFSET);
	assert_int_equal(dt_reg_count(IX(fdt), 0), -FDT_ERR_NOTFOUND);	/* the root */
	/* No failure wrote an output. */
	assert_int_equal(addr, 7);
	assert_int_equal(size, 7);
	assert_int_equal(base, 7);
}

/*
 * The translation tree: a root of 2+2 cells holding
 *   /soc      1+1 cells, two windows: 0x0-0xfffffff at 0x10000000, 0x20000000-0x20000fff
 *             at 0x1_00000000
 *   /soc/sub  1+1 cells, one window: 0x0-0xfffff at 0x800000 in /soc's space, so at
 *             0x10800000 for the CPU
 *   /soc/sub/leafbus   empty ranges (one to one)
 *   /flat     2+2 cells, empty ranges
 *   /i2c      1+0 cells, no ranges (not memory mapped)
 *   /top      1+1 cells, a window ending exactly at 2^64
 *   /odd      ranges of 5 cells where entries take 4
 *   /pcibus   ranges with a parent that has #address-cells = 3
 */
static void *ranges_tree(void)
{
	void *fdt = tree_begin(2, 2);

	node_begin(fdt, "soc");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 1);
	prop_cells(fdt, "ranges", CELLS(0x0, 0x0, 0x10000000, 0x10000000,
					0x20000000, 0x1, 0x0, 0x1000));
	node_begin(fdt, "uart@1000");
	prop_cells(fdt, "reg", CELLS(0x1000, 0x100, 0xfffff00, 0x100));
	node_end(fdt);
	node_begin(fdt, "dev@20000010");
	prop_cells(fdt, "reg", CELLS(0x20000010, 0x10, 0x20001000, 0x10, 0x10000000, 0x10,
				     0x20000fff, 1));
	node_end(fdt);
	node_begin(fdt, "sub");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 1);
	prop_cells(fdt, "ranges", CELLS(0x0, 0x800000, 0x100000));
	node_begin(fdt, "dev@2000");
	prop_cells(fdt, "reg", CELLS(0x2000, 0x100, 0x100000, 0x10));
	node_end(fdt);
	node_begin(fdt, "leafbus");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 1);
	prop_bytes(fdt, "ranges", NULL, 0);
	node_begin(fdt, "dev@3000");
	prop_cells(fdt, "reg", CELLS(0x3000, 0x10));
	node_end(fdt);
	node_end(fdt);
	node_end(fdt);
	node_end(fdt);

	node_begin(fdt, "flat");
	prop_u32(fdt, "#address-cells", 2);
	prop_u32(fdt, "#size-cells", 2);
	prop_bytes(fdt, "ranges", NULL, 0);
	node_begin(fdt, "dev");
	prop_cells(fdt, "reg", CELLS(0x1, 0x2000, 0x0, 0x1000));
	node_end(fdt);
	node_begin(fdt, "wraps");
	prop_cells(fdt, "reg", CELLS(0xffffffff, 0xfffff000, 0x0, 0x1001));
	node_end(fdt);
	node_end(fdt);

	node_begin(fdt, "i2c");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 0);
	node_begin(fdt, "eeprom@50");
	prop_cells(fdt, "reg", CELLS(0x50));
	node_end(fdt);
	node_end(fdt);

	node_begin(fdt, "top");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 1);
	prop_cells(fdt, "ranges", CELLS(0x0, 0xffffffff, 0xffff0000, 0x10000,
					0x100000, 0xffffffff, 0xffff0000, 0x20000));
	node_begin(fdt, "last");
	prop_cells(fdt, "reg", CELLS(0xf000, 0x1000));
	node_end(fdt);
	node_begin(fdt, "over");
	prop_cells(fdt, "reg", CELLS(0xf000, 0x1001));
	node_end(fdt);
	node_begin(fdt, "beyond");
	prop_cells(fdt, "reg", CELLS(0x110000, 0x10));
	node_end(fdt);
	node_end(fdt);

	node_begin(fdt, "odd");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 1);
	prop_cells(fdt, "ranges", CELLS(0x0, 0x0, 0x10000000, 0x1000, 0));
	node_begin(fdt, "dev");
	prop_cells(fdt, "reg", CELLS(0x100, 0x10));
	node_end(fdt);
	node_end(fdt);

	node_begin(fdt, "pcihost");
	prop_u32(fdt, "#address-cells", 3);
	prop_u32(fdt, "#size-cells", 2);
	prop_bytes(fdt, "ranges", NULL, 0);
	node_begin(fdt, "bridge");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 1);
	prop_cells(fdt, "ranges", CELLS(0x0, 0x0, 0x0, 0x0, 0x0, 0x1000));
	node_begin(fdt, "dev");
	prop_cells(fdt, "reg", CELLS(0x100, 0x10));
	node_end(fdt);
	node_end(fdt);
	node_end(fdt);

	node_begin(fdt, "memory@fffffffff0000000");
	prop_cells(fdt, "reg", CELLS(0xffffffff, 0xf0000000, 0, 0x20000000));
	node_end(fdt);
	tree_end(fdt);
	return fdt;
}

/* dt_reg's result for entry index of the node at path, which must translate. */
static void assert_reg(const void *fdt, const char *path, int index, paddr_t want_base,
		       uint64_t want_size)
{
	paddr_t base;
	uint64_t size;
	int err = dt_reg(IX(fdt), node_at(fdt, path), index, &base, &size);

	if (err)
		fail_msg("%s[%d]: %s", path, index, dt_strerror(err));
	if (base != want_base || size != want_size)
		fail_msg("%s[%d]: 0x%llx+0x%llx, want 0x%llx+0x%llx", path, index,
			 (unsigned long long)base, (unsigned long long)size,
			 (unsigned long long)want_base, (unsigned long long)want_size);
}

/* dt_reg's error for entry index of the node at path. */
static int reg_err(const void *fdt, const char *path, int index)
{
	paddr_t base = 7;
	uint64_t size = 7;
	int err = dt_reg(IX(fdt), node_at(fdt, path), index, &base, &size);

	if (err && (base != 7 || size != 7))
		fail_msg("%s[%d]: outputs written on error %d", path, index, err);
	return err;
}

static void test_ranges_one_level(void **state)
{
	(void)state;
	void *fdt = ranges_tree();

	/* The first window moves 0x0-0xfffffff up by 0x10000000; its last bytes too. */
	assert_reg(fdt, "/soc/uart@1000", 0, 0x10001000, 0x100);
	assert_reg(fdt, "/soc/uart@1000", 1, 0x1fffff00, 0x100);
	/* The second takes 0x20000000-0x20000fff to 0x1_00000000. */
	assert_reg(fdt, "/soc/dev@20000010", 0, 0x100000010, 0x10);
	assert_reg(fdt, "/soc/dev@20000010", 3, 0x100000fff, 1);
	/* Just past each window: in neither. */
	assert_int_equal(reg_err(fdt, "/soc/dev@20000010", 1), DT_ERR_UNTRANSLATABLE);
	assert_int_equal(reg_err(fdt, "/soc/dev@20000010", 2), DT_ERR_UNTRANSLATABLE);

	/* dt_reg_raw is the address before translation. */
	uint64_t addr, size;
	OK(dt_reg_raw(IX(fdt), node_at(fdt, "/soc/uart@1000"), 0, &addr, &size));
	assert_int_equal(addr, 0x1000);
	assert_int_equal(size, 0x100);
}

static void test_ranges_two_levels(void **state)
{
	(void)state;
	void *fdt = ranges_tree();

	/* 0x2000 on sub is 0x802000 on soc is 0x10802000 for the CPU. */
	assert_reg(fdt, "/soc/sub/dev@2000", 0, 0x10802000, 0x100);
	/* Past sub's only window, though inside soc's. */
	assert_int_equal(reg_err(fdt, "/soc/sub/dev@2000", 1), DT_ERR_UNTRANSLATABLE);
	/* Through an empty ranges, then sub's and soc's windows. */
	assert_reg(fdt, "/soc/sub/leafbus/dev@3000", 0, 0x10803000, 0x10);
}

static void test_ranges_empty_and_absent(void **state)
{
	uint64_t addr, size;

	(void)state;
	void *fdt = ranges_tree();

	assert_reg(fdt, "/flat/dev", 0, 0x100002000, 0x1000);
	/* No ranges: dt_reg refuses, dt_reg_raw still gives the bus address. */
	assert_int_equal(reg_err(fdt, "/i2c/eeprom@50", 0), DT_ERR_UNTRANSLATABLE);
	OK(dt_reg_raw(IX(fdt), node_at(fdt, "/i2c/eeprom@50"), 0, &addr, &size));
	assert_int_equal(addr, 0x50);
	assert_int_equal(size, 0);
}

static void test_ranges_malformed(void **state)
{
	(void)state;
	void *fdt = ranges_tree();

	assert_int_equal(reg_err(fdt, "/odd/dev", 0), -FDT_ERR_BADVALUE);
	/* bridge's ranges would need its parent's #address-cells = 3. */
	assert_int_equal(reg_err(fdt, "/pcihost/bridge/dev", 0), -FDT_ERR_BADNCELLS);
}

/* Ranges that end exactly at 2^64 are fine; one byte further is not. */
static void test_reg_overflow(void **state)
{
	(void)state;
	void *fdt = ranges_tree();

	assert_reg(fdt, "/top/last", 0, 0xfffffffffffff000, 0x1000);
	assert_int_equal(reg_err(fdt, "/top/over", 0), -FDT_ERR_BADVALUE);
	/* The window's parent address plus the offset into it passes 2^64. */
	assert_int_equal(reg_err(fdt, "/top/beyond", 0), -FDT_ERR_BADVALUE);
	/* Untranslated, at the root and through an empty ranges. */
	assert_int_equal(reg_err(fdt, "/memory@fffffffff0000000", 0), -FDT_ERR_BADVALUE);
	assert_int_equal(reg_err(fdt, "/flat/wraps", 0), -FDT_ERR_BADVALUE);
}

/* ---- interrupts ---- */

enum { GIC = 1, GPIO = 2, BRIDGE = 3, LOOP_A = 4, LOOP_B = 5, NOCELLS = 6, DEAD = 7,
       WIDE = 8, ZERO = 9, BADLEN = 10, CELLS_ONLY = 11 };

/*
 * The interrupt tree. The root's interrupt-parent is the GIC (3 cells); /gpio is a second
 * controller (2 cells); the other nodes with phandles are broken in one way each.
 */
static void *irq_tree(void)
{
	void *fdt = tree_begin(2, 2);
	prop_u32(fdt, "interrupt-parent", GIC);

	node_begin(fdt, "gic");
	prop_u32(fdt, "phandle", GIC);
	prop_bytes(fdt, "interrupt-controller", NULL, 0);
	prop_u32(fdt, "#interrupt-cells", 3);
	node_end(fdt);
	node_begin(fdt, "gpio");
	prop_u32(fdt, "phandle", GPIO);
	prop_bytes(fdt, "interrupt-controller", NULL, 0);
	prop_u32(fdt, "#interrupt-cells", 2);
	prop_cells(fdt, "interrupts", CELLS(0, 40, 4));
	node_end(fdt);

	/* Via the root's interrupt-parent. */
	node_begin(fdt, "timer");
	prop_cells(fdt, "interrupts", CELLS(1, 13, 0xf08, 1, 14, 0xf08));
	node_end(fdt);

	node_begin(fdt, "soc");
	prop_u32(fdt, "interrupt-parent", GPIO);
	node_begin(fdt, "button");		/* via an ancestor's */
	prop_cells(fdt, "interrupts", CELLS(7, 1));
	node_end(fdt);
	node_begin(fdt, "uart");		/* via its own, over the ancestor's */
	prop_u32(fdt, "interrupt-parent", GIC);
	prop_cells(fdt, "interrupts", CELLS(0, 9, 4, 0, 10, 4));
	node_end(fdt);
	/* A controller's child: its tree parent is its interrupt parent, not soc's. */
	node_begin(fdt, "mux");
	prop_bytes(fdt, "interrupt-controller", NULL, 0);
	prop_u32(fdt, "#interrupt-cells", 1);
	node_begin(fdt, "child");
	prop_cells(fdt, "interrupts", CELLS(3));
	node_end(fdt);
	node_end(fdt);
	node_end(fdt);

	/* Both properties: interrupts-extended wins, two controllers of 3 and 2 cells. */
	node_begin(fdt, "ext");
	prop_cells(fdt, "interrupts-extended", CELLS(GIC, 0, 11, 4, GPIO, 3, 8, GIC, 1, 2, 3));
	prop_cells(fdt, "interrupts", CELLS(0, 99, 4));
	node_end(fdt);

	/* Not a controller, but with an interrupt-parent that leads to one. */
	node_begin(fdt, "bridge");
	prop_u32(fdt, "phandle", BRIDGE);
	prop_u32(fdt, "interrupt-parent", GIC);
	node_end(fdt);
	node_begin(fdt, "behind-bridge");
	prop_u32(fdt, "interrupt-parent", BRIDGE);
	prop_cells(fdt, "interrupts", CELLS(0, 12, 4));
	node_end(fdt);

	node_begin(fdt, "loop-a");
	prop_u32(fdt, "phandle", LOOP_A);
	prop_u32(fdt, "interrupt-parent", LOOP_B);
	node_end(fdt);
	node_begin(fdt, "loop-b");
	prop_u32(fdt, "phandle", LOOP_B);
	prop_u32(fdt, "interrupt-parent", LOOP_A);
	node_end(fdt);
	node_begin(fdt, "looped");
	prop_u32(fdt, "interrupt-parent", LOOP_A);
	prop_cells(fdt, "interrupts", CELLS(1, 2, 3));
	node_end(fdt);

	node_begin(fdt, "nowhere");
	prop_u32(fdt, "interrupt-parent", 99);
	prop_cells(fdt, "interrupts", CELLS(1, 2, 3));
	node_end(fdt);

	node_begin(fdt, "nocells");
	prop_u32(fdt, "phandle", NOCELLS);
	prop_bytes(fdt, "interrupt-controller", NULL, 0);
	node_end(fdt);
	node_begin(fdt, "wide");
	prop_u32(fdt, "phandle", WIDE);
	prop_bytes(fdt, "interrupt-controller", NULL, 0);
	prop_u32(fdt, "#interrupt-cells", DT_IRQ_MAX_CELLS + 1);
	node_end(fdt);
	node_begin(fdt, "zero");
	prop_u32(fdt, "phandle", ZERO);
	prop_bytes(fdt, "interrupt-controller", NULL, 0);
	prop_u32(fdt, "#interrupt-cells", 0);
	node_end(fdt);
	node_begin(fdt, "badlen");
	prop_u32(fdt, "phandle", BADLEN);
	prop_bytes(fdt, "interrupt-controller", NULL, 0);
	prop_cells(fdt, "#interrupt-cells", CELLS(0, 2));
	node_end(fdt);
	node_begin(fdt, "dead");		/* neither a controller nor an interrupt-parent */
	prop_u32(fdt, "phandle", DEAD);
	node_end(fdt);
	node_begin(fdt, "cells-only");		/* #interrupt-cells, but no controller or map */
	prop_u32(fdt, "phandle", CELLS_ONLY);
	prop_u32(fdt, "#interrupt-cells", 2);
	node_end(fdt);

	/* Interrupts via each broken parent. */
	static const struct { const char *name; uint32_t parent; } via[] = {
		{ "via-nocells", NOCELLS }, { "via-wide", WIDE }, { "via-zero", ZERO },
		{ "via-badlen", BADLEN }, { "via-dead", DEAD }, { "via-cells-only", CELLS_ONLY },
	};
	for (size_t i = 0; i < ARRAY_SIZE(via); i++) {
		node_begin(fdt, via[i].name);
		prop_u32(fdt, "interrupt-parent", via[i].parent);
		prop_cells(fdt, "interrupts", CELLS(1, 2));
		node_end(fdt);
	}

	node_begin(fdt, "short");		/* 2 cells for a 3-cell controller */
	prop_cells(fdt, "interrupts", CELLS(0, 13));
	node_end(fdt);
	node_begin(fdt, "ragged");		/* 4 cells: one and a third specifiers */
	prop_cells(fdt, "interrupts", CELLS(0, 13, 4, 0));
	node_end(fdt);
	node_begin(fdt, "odd-bytes");
	prop_bytes(fdt, "interrupts", "\0\0\0\0\0\0\0\x0d\0\0\0\4\0", 13);
	node_end(fdt);
	node_begin(fdt, "quiet");		/* no interrupts at all */
	node_end(fdt);
	node_begin(fdt, "empty");
	prop_bytes(fdt, "interrupts", NULL, 0);
	node_end(fdt);
	node_begin(fdt, "parent-len");
	prop_cells(fdt, "interrupt-parent", CELLS(0, GIC));
	prop_cells(fdt, "interrupts", CELLS(0, 1, 4));
	node_end(fdt);

	node_begin(fdt, "ext-short");		/* the GIC entry cut after 2 of its 3 cells */
	prop_cells(fdt, "interrupts-extended", CELLS(GPIO, 3, 8, GIC, 0, 11));
	node_end(fdt);
	node_begin(fdt, "ext-nowhere");
	prop_cells(fdt, "interrupts-extended", CELLS(GPIO, 3, 8, 99, 1));
	node_end(fdt);
	node_begin(fdt, "ext-zero");
	prop_cells(fdt, "interrupts-extended", CELLS(0, 1));
	node_end(fdt);
	node_begin(fdt, "ext-bridge");	/* a phandle to a node that is not a controller */
	prop_cells(fdt, "interrupts-extended", CELLS(BRIDGE, 0, 12, 4));
	node_end(fdt);
	node_begin(fdt, "ext-nocells");
	prop_cells(fdt, "interrupts-extended", CELLS(NOCELLS, 1));
	node_end(fdt);
	node_begin(fdt, "ext-bytes");
	prop_bytes(fdt, "interrupts-extended", "\0\0\0\2\0\0\0\3\0\0\0\x08\0", 13);
	node_end(fdt);
	tree_end(fdt);
	return fdt;
}

static int ctrl(const void *fdt, uint32_t phandle)
{
	int node = dt_node_by_phandle(IX(fdt), phandle);

	assert_true(node > 0);
	return node;
}

static int irq_parent(const void *fdt, const char *path)
{
	return dt_irq_parent(IX(fdt), node_at(fdt, path));
}

static void test_irq_parent(void **state)
{
	(void)state;
	void *fdt = irq_tree();
	int gic = ctrl(fdt, GIC), gpio = ctrl(fdt, GPIO);

	assert_int_equal(irq_parent(fdt, "/timer"), gic);		/* the root's */
	assert_int_equal(irq_parent(fdt, "/soc/button"), gpio);		/* an ancestor's */
	assert_int_equal(irq_parent(fdt, "/soc/uart"), gic);		/* its own */
	assert_int_equal(irq_parent(fdt, "/soc"), gpio);
	assert_int_equal(irq_parent(fdt, "/"), gic);
	assert_int_equal(irq_parent(fdt, "/behind-bridge"), gic);	/* followed */
	assert_int_equal(irq_parent(fdt, "/looped"), DT_ERR_IRQLOOP);
	assert_int_equal(irq_parent(fdt, "/loop-a"), DT_ERR_IRQLOOP);
	assert_int_equal(irq_parent(fdt, "/nowhere"), -FDT_ERR_BADPHANDLE);
	/*
	 * /dead has neither #interrupt-cells nor an interrupt-parent of its own: as in Linux's
	 * of_irq_find_parent(), the question passes to its tree parent, the root, whose
	 * interrupt-parent is the GIC.
	 */
	assert_int_equal(irq_parent(fdt, "/via-dead"), gic);
	/* #interrupt-cells alone makes neither a controller nor a nexus. */
	assert_int_equal(irq_parent(fdt, "/via-cells-only"), DT_ERR_NOTIRQCTRL);
	assert_int_equal(irq_parent(fdt, "/parent-len"), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_irq_parent(IX(fdt), NOT_A_NODE), -FDT_ERR_BADOFFSET);
	/* A controller is its own parent's to say: the GIC's comes from the root. */
	assert_int_equal(irq_parent(fdt, "/gpio"), gic);
	/*
	 * The walk up stops at the first node with #interrupt-cells (Linux's
	 * of_irq_find_parent()): /soc/mux/child's parent is /soc/mux, not the GPIO that
	 * /soc's interrupt-parent names.
	 */
	assert_int_equal(irq_parent(fdt, "/soc/mux/child"), node_at(fdt, "/soc/mux"));
	assert_int_equal(irq_parent(fdt, "/soc/mux"), gpio);

	/* No interrupt-parent anywhere up the tree. */
	fdt = tree_begin(2, 2);
	node_begin(fdt, "dev");
	prop_cells(fdt, "interrupts", CELLS(1));
	node_end(fdt);
	tree_end(fdt);
	assert_int_equal(irq_parent(fdt, "/dev"), DT_ERR_NOIRQPARENT);
	assert_int_equal(dt_irq_count(IX(fdt), node_at(fdt, "/dev")), DT_ERR_NOIRQPARENT);
}

/* A long chain of non-controllers is cut off as a loop would be. */
static void test_irq_parent_chain(void **state)
{
	char name[16];

	(void)state;
	/* The deepest node dt_check() allows climbs all the way to the root, and past it. */
	void *deep = deep_tree(DT_MAX_DEPTH);
	/* A chain: node i of the index is at depth i. */
	int deepest = DT_MAX_DEPTH;
	assert_int_equal(IX(deep)->depth, DT_MAX_DEPTH);
	assert_int_equal(IX(deep)->nnodes, DT_MAX_DEPTH + 1);
	assert_int_equal(dt_irq_parent(IX(deep), deepest), DT_ERR_NOIRQPARENT);

	for (int len = 31; len <= 32; len++) {
		/* /n1 -> /n2 -> ... -> /n<len> -> /gic */
		void *fdt = tree_begin(2, 2);
		node_begin(fdt, "gic");
		prop_u32(fdt, "phandle", 1000);
		prop_bytes(fdt, "interrupt-controller", NULL, 0);
		prop_u32(fdt, "#interrupt-cells", 1);
		node_end(fdt);
		for (int i = 1; i <= len; i++) {
			snprintf(name, sizeof(name), "n%d", i);
			node_begin(fdt, name);
			prop_u32(fdt, "phandle", (uint32_t)i);
			prop_u32(fdt, "interrupt-parent", i == len ? 1000 : (uint32_t)i + 1);
			node_end(fdt);
		}
		node_begin(fdt, "dev");
		prop_u32(fdt, "interrupt-parent", 1);
		node_end(fdt);
		tree_end(fdt);

		int want = len == 31 ? ctrl(fdt, 1000) : DT_ERR_IRQLOOP;
		assert_int_equal(irq_parent(fdt, "/dev"), want);
	}
}

static int irq_count(const void *fdt, const char *path)
{
	return dt_irq_count(IX(fdt), node_at(fdt, path));
}

/* dt_irq(path, index) must give this controller and these cells. */
static void assert_irq(const void *fdt, const char *path, int index, int controller,
		       unsigned ncells, uint32_t c0, uint32_t c1, uint32_t c2)
{
	struct dt_irq irq;
	const uint32_t want[DT_IRQ_MAX_CELLS] = { c0, c1, c2, 0 };

	memset(&irq, 0xa5, sizeof(irq));
	int err = dt_irq(IX(fdt), node_at(fdt, path), index, &irq);
	if (err)
		fail_msg("%s[%d]: %s", path, index, dt_strerror(err));
	assert_int_equal(irq.controller, controller);
	assert_int_equal(irq.ncells, ncells);
	for (unsigned i = 0; i < DT_IRQ_MAX_CELLS; i++)	/* unused cells are 0 */
		if (irq.cells[i] != want[i])
			fail_msg("%s[%d]: cell %u is 0x%x, want 0x%x", path, index, i,
				 irq.cells[i], want[i]);
}

static void test_irq_interrupts(void **state)
{
	(void)state;
	void *fdt = irq_tree();
	int gic = ctrl(fdt, GIC), gpio = ctrl(fdt, GPIO);

	assert_int_equal(irq_count(fdt, "/timer"), 2);
	assert_irq(fdt, "/timer", 0, gic, 3, 1, 13, 0xf08);
	assert_irq(fdt, "/timer", 1, gic, 3, 1, 14, 0xf08);
	assert_int_equal(irq_count(fdt, "/soc/button"), 1);
	assert_irq(fdt, "/soc/button", 0, gpio, 2, 7, 1, 0);
	assert_int_equal(irq_count(fdt, "/soc/uart"), 2);
	assert_irq(fdt, "/soc/uart", 1, gic, 3, 0, 10, 4);
	assert_int_equal(irq_count(fdt, "/behind-bridge"), 1);
	assert_irq(fdt, "/behind-bridge", 0, gic, 3, 0, 12, 4);
	assert_int_equal(irq_count(fdt, "/gpio"), 1);
	assert_irq(fdt, "/gpio", 0, gic, 3, 0, 40, 4);
	assert_int_equal(irq_count(fdt, "/soc/mux/child"), 1);
	assert_irq(fdt, "/soc/mux/child", 0, node_at(fdt, "/soc/mux"), 1, 3, 0, 0);

	assert_int_equal(irq_count(fdt, "/quiet"), 0);
	assert_int_equal(irq_count(fdt, "/empty"), 0);
	assert_int_equal(dt_irq_count(IX(fdt), NOT_A_NODE), -FDT_ERR_BADOFFSET);

	/* Out of range: an error, and *irq untouched. */
	struct dt_irq irq = { .controller = -7 };
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/timer"), 2, &irq), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/timer"), -1, &irq), -FDT_ERR_NOTFOUND);
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/quiet"), 0, &irq), -FDT_ERR_NOTFOUND);
	assert_int_equal(irq.controller, -7);
}

static void test_irq_extended(void **state)
{
	(void)state;
	void *fdt = irq_tree();
	int gic = ctrl(fdt, GIC), gpio = ctrl(fdt, GPIO);

	/* interrupts-extended wins over interrupts; its entries are 4, 3 and 4 cells. */
	assert_int_equal(irq_count(fdt, "/ext"), 3);
	assert_irq(fdt, "/ext", 0, gic, 3, 0, 11, 4);
	assert_irq(fdt, "/ext", 1, gpio, 2, 3, 8, 0);
	assert_irq(fdt, "/ext", 2, gic, 3, 1, 2, 3);

	struct dt_irq irq = { .controller = -7 };
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/ext"), 3, &irq), -FDT_ERR_NOTFOUND);
	assert_int_equal(irq_count(fdt, "/ext-short"), -FDT_ERR_BADVALUE);
	/* Malformed after the entry asked for: still refused, as the whole list is read. */
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/ext-short"), 0, &irq), -FDT_ERR_BADVALUE);
	assert_int_equal(irq_count(fdt, "/ext-nowhere"), -FDT_ERR_BADPHANDLE);
	assert_int_equal(irq_count(fdt, "/ext-zero"), -FDT_ERR_BADPHANDLE);
	assert_int_equal(irq_count(fdt, "/ext-bridge"), DT_ERR_NOTIRQCTRL);
	assert_int_equal(irq_count(fdt, "/ext-nocells"), -FDT_ERR_BADNCELLS);
	assert_int_equal(irq_count(fdt, "/ext-bytes"), -FDT_ERR_BADVALUE);
	assert_int_equal(irq.controller, -7);
}

static void test_irq_malformed(void **state)
{
	struct dt_irq irq = { .controller = -7 };

	(void)state;
	void *fdt = irq_tree();

	assert_int_equal(irq_count(fdt, "/looped"), DT_ERR_IRQLOOP);
	assert_int_equal(irq_count(fdt, "/nowhere"), -FDT_ERR_BADPHANDLE);
	assert_int_equal(irq_count(fdt, "/via-nocells"), -FDT_ERR_BADNCELLS);
	assert_int_equal(irq_count(fdt, "/via-wide"), -FDT_ERR_BADNCELLS);
	assert_int_equal(irq_count(fdt, "/via-zero"), -FDT_ERR_BADNCELLS);
	assert_int_equal(irq_count(fdt, "/via-badlen"), -FDT_ERR_BADNCELLS);
	/* Via the root to the GIC, whose 3 cells make 2 no whole specifier. */
	assert_int_equal(irq_count(fdt, "/via-dead"), -FDT_ERR_BADVALUE);
	assert_int_equal(irq_count(fdt, "/via-cells-only"), DT_ERR_NOTIRQCTRL);
	assert_int_equal(irq_count(fdt, "/parent-len"), -FDT_ERR_BADVALUE);
	/* interrupts shorter than, or not a multiple of, #interrupt-cells. */
	assert_int_equal(irq_count(fdt, "/short"), -FDT_ERR_BADVALUE);
	assert_int_equal(irq_count(fdt, "/ragged"), -FDT_ERR_BADVALUE);
	assert_int_equal(irq_count(fdt, "/odd-bytes"), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/ragged"), 0, &irq), -FDT_ERR_BADVALUE);
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/looped"), 0, &irq), DT_ERR_IRQLOOP);
	assert_int_equal(irq.controller, -7);
}

/* ---- interrupt nexus nodes (interrupt-map, 2.4.3) ---- */

enum { M_GIC = 1, M_GIC2 = 2, M_A = 3, M_B = 4, M_LOOP = 5, M_PLAIN = 6 };

/* A nexus node (cells < 0: absent; n_mask 0: no mask), and a child /<name>/dev with interrupt 5. */
static void nexus_with_dev(void *fdt, const char *name, int addr_cells, int irq_cells,
			   const uint32_t *map, size_t n_map, const uint32_t *mask, size_t n_mask)
{
	node_begin(fdt, name);
	if (addr_cells >= 0)
		prop_u32(fdt, "#address-cells", (uint32_t)addr_cells);
	prop_u32(fdt, "#size-cells", 0);
	if (irq_cells >= 0)
		prop_u32(fdt, "#interrupt-cells", (uint32_t)irq_cells);
	prop_cells(fdt, "interrupt-map", map, n_map);
	if (n_mask)
		prop_cells(fdt, "interrupt-map-mask", mask, n_mask);
	node_begin(fdt, "dev");
	prop_cells(fdt, "interrupts", CELLS(5));
	node_end(fdt);
	node_end(fdt);
}

static void *map_tree(void)
{
	void *fdt = tree_begin(2, 2);
	prop_u32(fdt, "interrupt-parent", M_GIC);

	node_begin(fdt, "gic");		/* as vexpress's: no unit address in its domain */
	prop_u32(fdt, "phandle", M_GIC);
	prop_bytes(fdt, "interrupt-controller", NULL, 0);
	prop_u32(fdt, "#interrupt-cells", 3);
	prop_u32(fdt, "#address-cells", 0);
	node_end(fdt);
	node_begin(fdt, "gic-its");	/* as the FVP's GICv3: 2 address cells, for its ITS */
	prop_u32(fdt, "phandle", M_GIC2);
	prop_bytes(fdt, "interrupt-controller", NULL, 0);
	prop_u32(fdt, "#interrupt-cells", 3);
	prop_u32(fdt, "#address-cells", 2);
	prop_u32(fdt, "#size-cells", 2);
	node_end(fdt);
	node_begin(fdt, "plain");		/* neither controller nor nexus */
	prop_u32(fdt, "phandle", M_PLAIN);
	node_end(fdt);

	/* As vexpress's bus@8000000: 1-cell interrupt n to SPI n, the unit address masked off. */
	node_begin(fdt, "bus@8000000");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 1);
	prop_u32(fdt, "#interrupt-cells", 1);
	prop_cells(fdt, "interrupt-map-mask", CELLS(0, 63));
	prop_cells(fdt, "interrupt-map", CELLS(0, 5, M_GIC, 0, 5, 4,
					       0, 6, M_GIC, 0, 6, 4));
	node_begin(fdt, "serial@90000");
	prop_cells(fdt, "reg", CELLS(0x90000, 0x1000));
	prop_cells(fdt, "interrupts", CELLS(5));
	node_end(fdt);
	node_begin(fdt, "two@a0000");
	prop_cells(fdt, "reg", CELLS(0xa0000, 0x1000));
	prop_cells(fdt, "interrupts", CELLS(6, 5));
	node_end(fdt);
	node_begin(fdt, "unmapped@b0000");
	prop_cells(fdt, "reg", CELLS(0xb0000, 0x1000));
	prop_cells(fdt, "interrupts", CELLS(5, 7));
	node_end(fdt);
	node_begin(fdt, "masked@c0000");	/* 69 & 63 = 5 */
	prop_cells(fdt, "reg", CELLS(0xc0000, 0x1000));
	prop_cells(fdt, "interrupts", CELLS(69));
	node_end(fdt);
	node_begin(fdt, "sub");			/* no #interrupt-cells: passed through */
	prop_u32(fdt, "#address-cells", 2);
	prop_u32(fdt, "#size-cells", 1);
	node_begin(fdt, "dev@0,100");
	prop_cells(fdt, "reg", CELLS(0, 0x100, 0x10));
	prop_cells(fdt, "interrupts", CELLS(6));
	node_end(fdt);
	node_end(fdt);
	node_end(fdt);

	/* Unit addresses that matter: PCI-slot style, keyed on the child's reg. */
	node_begin(fdt, "slots");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 1);
	prop_u32(fdt, "#interrupt-cells", 1);
	prop_cells(fdt, "interrupt-map-mask", CELLS(0xf000, 7));
	prop_cells(fdt, "interrupt-map", CELLS(0x1000, 1, M_GIC, 0, 10, 4,
					       0x2000, 1, M_GIC, 0, 20, 4,
					       0x2000, 2, M_GIC, 0, 21, 4,
					       0, 1, M_GIC, 0, 30, 4));
	node_begin(fdt, "dev@1000");
	prop_cells(fdt, "reg", CELLS(0x1000, 0x100));
	prop_cells(fdt, "interrupts", CELLS(1));
	node_end(fdt);
	node_begin(fdt, "dev@2345");		/* 0x2345 & 0xf000 = 0x2000 */
	prop_cells(fdt, "reg", CELLS(0x2345, 0x100));
	prop_cells(fdt, "interrupts", CELLS(2, 1));
	node_end(fdt);
	node_begin(fdt, "noreg");		/* no reg: a unit address of 0 */
	prop_cells(fdt, "interrupts", CELLS(1));
	node_end(fdt);
	node_begin(fdt, "dev@3000");
	prop_cells(fdt, "reg", CELLS(0x3000, 0x100));
	prop_cells(fdt, "interrupts", CELLS(1));
	node_end(fdt);
	node_end(fdt);

	/* As the FVP's motherboard: 2 address cells on both sides of each entry. */
	node_begin(fdt, "mb");
	prop_u32(fdt, "#address-cells", 2);
	prop_u32(fdt, "#size-cells", 1);
	prop_u32(fdt, "#interrupt-cells", 1);
	prop_cells(fdt, "interrupt-map-mask", CELLS(0, 0, 63));
	prop_cells(fdt, "interrupt-map", CELLS(0, 0, 4, M_GIC2, 0, 0, 0, 4, 4,
					       0, 0, 5, M_GIC2, 0, 0, 0, 5, 4));
	node_begin(fdt, "uart@0,90000");
	prop_cells(fdt, "reg", CELLS(0, 0x90000, 0x1000));
	prop_cells(fdt, "interrupts", CELLS(5));
	node_end(fdt);
	node_end(fdt);

	/* No interrupt-map-mask: every cell must match as it is. */
	node_begin(fdt, "exact");
	prop_u32(fdt, "#address-cells", 0);
	prop_u32(fdt, "#interrupt-cells", 2);
	prop_cells(fdt, "interrupt-map", CELLS(1, 2, M_GIC, 0, 40, 1));
	node_begin(fdt, "hit");
	prop_cells(fdt, "interrupts", CELLS(1, 2));
	node_end(fdt);
	node_begin(fdt, "miss");
	prop_cells(fdt, "interrupts", CELLS(1, 3));
	node_end(fdt);
	node_end(fdt);

	/* A chain: /a maps to /b, with a unit address in b's domain, and /b to the GIC. */
	node_begin(fdt, "a");
	prop_u32(fdt, "phandle", M_A);
	prop_u32(fdt, "#address-cells", 0);
	prop_u32(fdt, "#interrupt-cells", 1);
	prop_cells(fdt, "interrupt-map", CELLS(3, M_B, 0x42, 7));
	node_end(fdt);
	node_begin(fdt, "b");
	prop_u32(fdt, "phandle", M_B);
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#interrupt-cells", 1);
	prop_cells(fdt, "interrupt-map", CELLS(0x42, 7, M_GIC, 0, 50, 4,
					       0x43, 7, M_GIC, 0, 51, 4,
					       0, 7, M_GIC, 0, 52, 4));
	node_end(fdt);
	node_begin(fdt, "via-a");
	prop_u32(fdt, "interrupt-parent", M_A);
	prop_cells(fdt, "interrupts", CELLS(3));
	node_end(fdt);
	node_begin(fdt, "ext");		/* each entry to its own parent, nexus or not */
	prop_cells(fdt, "interrupts-extended", CELLS(M_A, 3, M_GIC, 0, 9, 4, M_B, 7));
	node_end(fdt);

	/* A nexus that maps to itself. */
	node_begin(fdt, "loop");
	prop_u32(fdt, "phandle", M_LOOP);
	prop_u32(fdt, "#address-cells", 0);
	prop_u32(fdt, "#interrupt-cells", 1);
	prop_cells(fdt, "interrupt-map", CELLS(1, M_LOOP, 1));
	node_end(fdt);
	node_begin(fdt, "via-loop");
	prop_u32(fdt, "interrupt-parent", M_LOOP);
	prop_cells(fdt, "interrupts", CELLS(1));
	node_end(fdt);

	/* Malformed nexus nodes, one defect each, each with a /<name>/dev whose interrupt is 5. */
	nexus_with_dev(fdt, "short", 0, 1, CELLS(5, M_GIC, 0, 5), NULL, 0);
	nexus_with_dev(fdt, "trailing", 0, 1, CELLS(5, M_GIC, 0, 5, 4, 6), NULL, 0);
	nexus_with_dev(fdt, "cut-phandle", 0, 1, CELLS(6, M_GIC, 0, 6, 4, 5), NULL, 0);
	nexus_with_dev(fdt, "nowhere", 0, 1, CELLS(5, 99, 0, 5, 4), NULL, 0);
	nexus_with_dev(fdt, "to-plain", 0, 1, CELLS(5, M_PLAIN, 0, 5, 4), NULL, 0);
	nexus_with_dev(fdt, "mask-len", 0, 1, CELLS(5, M_GIC, 0, 5, 4), CELLS(63, 0));
	nexus_with_dev(fdt, "no-cells", 0, -1, CELLS(5, M_GIC, 0, 5, 4), NULL, 0);
	nexus_with_dev(fdt, "wide-addr", 4, 1, CELLS(0, 0, 0, 0, 5, M_GIC, 0, 5, 4), NULL, 0);
	nexus_with_dev(fdt, "no-addr-cells", -1, 1, CELLS(5, M_GIC, 0, 5, 4), NULL, 0);
	node_begin(fdt, "odd-bytes");
	prop_u32(fdt, "#address-cells", 0);
	prop_u32(fdt, "#interrupt-cells", 1);
	prop_bytes(fdt, "interrupt-map", "\0\0\0\5\0\0\0\1\0\0\0\0\0\0\0\5\0\0\0\4\0", 21);
	node_begin(fdt, "dev");
	prop_cells(fdt, "interrupts", CELLS(5));
	node_end(fdt);
	node_end(fdt);
	tree_end(fdt);
	return fdt;
}

static void test_irq_map(void **state)
{
	(void)state;
	void *fdt = map_tree();
	int gic = ctrl(fdt, M_GIC), bus = node_at(fdt, "/bus@8000000");

	/* The nexus is the interrupt parent, found as the first ancestor with #interrupt-cells. */
	assert_int_equal(irq_parent(fdt, "/bus@8000000/serial@90000"), bus);
	assert_int_equal(irq_parent(fdt, "/bus@8000000/sub/dev@0,100"), bus);
	assert_int_equal(irq_parent(fdt, "/via-a"), node_at(fdt, "/a"));
	/* The nexus's own interrupt parent is the root's. */
	assert_int_equal(irq_parent(fdt, "/bus@8000000"), gic);

	/* The reproducer's shape (vexpress, FVP): 1-cell interrupts mapped to GIC SPIs. */
	assert_int_equal(irq_count(fdt, "/bus@8000000/serial@90000"), 1);
	assert_irq(fdt, "/bus@8000000/serial@90000", 0, gic, 3, 0, 5, 4);
	assert_int_equal(irq_count(fdt, "/bus@8000000/two@a0000"), 2);
	assert_irq(fdt, "/bus@8000000/two@a0000", 0, gic, 3, 0, 6, 4);
	assert_irq(fdt, "/bus@8000000/two@a0000", 1, gic, 3, 0, 5, 4);
	assert_irq(fdt, "/bus@8000000/masked@c0000", 0, gic, 3, 0, 5, 4);
	assert_irq(fdt, "/bus@8000000/sub/dev@0,100", 0, gic, 3, 0, 6, 4);

	/* The FVP's shape: a 2-cell parent unit address in each entry is stepped over. */
	assert_irq(fdt, "/mb/uart@0,90000", 0, ctrl(fdt, M_GIC2), 3, 0, 5, 4);

	/* No mask: exact. */
	assert_irq(fdt, "/exact/hit", 0, gic, 3, 0, 40, 1);

	/* Counted, but not in the map: only dt_irq() says so, and leaves *irq alone. */
	struct dt_irq irq = { .controller = -7 };
	assert_int_equal(irq_count(fdt, "/bus@8000000/unmapped@b0000"), 2);
	assert_irq(fdt, "/bus@8000000/unmapped@b0000", 0, gic, 3, 0, 5, 4);
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/bus@8000000/unmapped@b0000"), 1, &irq),
			 DT_ERR_NOIRQMAP);
	assert_int_equal(irq_count(fdt, "/exact/miss"), 1);
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/exact/miss"), 0, &irq), DT_ERR_NOIRQMAP);
	assert_int_equal(irq.controller, -7);
}

/* The unit address is the first #address-cells (of the nexus) cells of the child's reg. */
static void test_irq_map_unit_address(void **state)
{
	struct dt_irq irq = { .controller = -7 };

	(void)state;
	void *fdt = map_tree();
	int gic = ctrl(fdt, M_GIC);

	assert_irq(fdt, "/slots/dev@1000", 0, gic, 3, 0, 10, 4);
	assert_irq(fdt, "/slots/dev@2345", 0, gic, 3, 0, 21, 4);
	assert_irq(fdt, "/slots/dev@2345", 1, gic, 3, 0, 20, 4);
	assert_irq(fdt, "/slots/noreg", 0, gic, 3, 0, 30, 4);
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/slots/dev@3000"), 0, &irq), DT_ERR_NOIRQMAP);
	/* An absent #address-cells on the nexus is taken as 0. */
	assert_irq(fdt, "/no-addr-cells/dev", 0, gic, 3, 0, 5, 4);
	assert_int_equal(irq.controller, -7);
}

/* Through one nexus to another, from interrupts and from interrupts-extended. */
static void test_irq_map_chain(void **state)
{
	struct dt_irq irq = { .controller = -7 };

	(void)state;
	void *fdt = map_tree();
	int gic = ctrl(fdt, M_GIC);

	/* /a's entry gives b's unit address 0x42, which b's own map then matches. */
	assert_irq(fdt, "/via-a", 0, gic, 3, 0, 50, 4);
	assert_int_equal(irq_count(fdt, "/ext"), 3);
	assert_irq(fdt, "/ext", 0, gic, 3, 0, 50, 4);
	assert_irq(fdt, "/ext", 1, gic, 3, 0, 9, 4);
	assert_irq(fdt, "/ext", 2, gic, 3, 0, 52, 4);	/* /ext has no reg: unit address 0 */

	assert_int_equal(irq_count(fdt, "/via-loop"), 1);
	assert_int_equal(dt_irq(IX(fdt), node_at(fdt, "/via-loop"), 0, &irq), DT_ERR_IRQLOOP);
	assert_int_equal(irq.controller, -7);
}

/* A nexus through n hops (/n1 -> ... -> /n<n> -> the GIC): 8 are followed, 9 are a loop. */
static void test_irq_map_hops(void **state)
{
	char name[16];

	(void)state;
	for (int len = 8; len <= 9; len++) {
		void *fdt = tree_begin(2, 2);
		node_begin(fdt, "gic");
		prop_u32(fdt, "phandle", 1000);
		prop_bytes(fdt, "interrupt-controller", NULL, 0);
		prop_u32(fdt, "#interrupt-cells", 1);
		node_end(fdt);
		for (int i = 1; i <= len; i++) {
			snprintf(name, sizeof(name), "n%d", i);
			node_begin(fdt, name);
			prop_u32(fdt, "phandle", (uint32_t)i);
			prop_u32(fdt, "#address-cells", 0);
			prop_u32(fdt, "#interrupt-cells", 1);
			/* n_i maps i to n_(i+1)'s i + 1, the last to the GIC's 100. */
			if (i == len)
				prop_cells(fdt, "interrupt-map", CELLS((uint32_t)i, 1000, 100));
			else
				prop_cells(fdt, "interrupt-map",
					   CELLS((uint32_t)i, (uint32_t)i + 1, (uint32_t)i + 1));
			node_end(fdt);
		}
		node_begin(fdt, "dev");
		prop_u32(fdt, "interrupt-parent", 1);
		prop_cells(fdt, "interrupts", CELLS(1));
		node_end(fdt);
		tree_end(fdt);

		struct dt_irq irq;
		int err = dt_irq(IX(fdt), node_at(fdt, "/dev"), 0, &irq);
		if (len == 8) {
			assert_int_equal(err, 0);
			assert_int_equal(irq.controller, ctrl(fdt, 1000));
			assert_int_equal(irq.ncells, 1);
			assert_int_equal(irq.cells[0], 100);
		} else {
			assert_int_equal(err, DT_ERR_IRQLOOP);
		}
	}
}

static void test_irq_map_malformed(void **state)
{
	struct dt_irq irq = { .controller = -7 };

	(void)state;
	void *fdt = map_tree();

	/* Faults in a map are dt_irq()'s to find; the count needs only #interrupt-cells. */
	static const struct { const char *path; int err; } bad[] = {
		{ "/short/dev", -FDT_ERR_BADVALUE },		/* the entry cut short */
		{ "/trailing/dev", -FDT_ERR_BADVALUE },		/* read on past the match */
		{ "/cut-phandle/dev", -FDT_ERR_BADVALUE },	/* cut before the phandle */
		{ "/odd-bytes/dev", -FDT_ERR_BADVALUE },	/* not whole cells */
		{ "/nowhere/dev", -FDT_ERR_BADPHANDLE },
		{ "/to-plain/dev", DT_ERR_NOTIRQCTRL },
		{ "/mask-len/dev", -FDT_ERR_BADVALUE },		/* a mask of 2 cells for 1 */
		{ "/wide-addr/dev", -FDT_ERR_BADNCELLS },	/* #address-cells 4 */
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int node = node_at(fdt, bad[i].path);
		assert_int_equal(dt_irq_count(IX(fdt), node), 1);
		int err = dt_irq(IX(fdt), node, 0, &irq);
		if (err != bad[i].err)
			fail_msg("%s: %d (%s), want %d (%s)", bad[i].path, err, dt_strerror(err),
				 bad[i].err, dt_strerror(bad[i].err));
	}
	/* A nexus without #interrupt-cells: its children's interrupts cannot even be counted. */
	assert_int_equal(irq_parent(fdt, "/no-cells/dev"), node_at(fdt, "/no-cells"));
	assert_int_equal(irq_count(fdt, "/no-cells/dev"), -FDT_ERR_BADNCELLS);
	assert_int_equal(irq.controller, -7);
}

/* ---- a tree Xen gave a guest ---- */

static void test_xen_capture(void **state)
{
	static const char *const gics[] = { "arm,gic-400", "arm,gic-v3", NULL };
	static const char *const psci[] = { "arm,psci-0.2", "arm,psci", NULL };
	size_t size;

	(void)state;
	void *fdt = fixture_load("xen/domU-dom0less-gicv3.dtb", &size);
	OK(dt_check(fdt, size));

	int gic = node_at(fdt, "/interrupt-controller@3001000");
	assert_int_equal(dt_match(IX(fdt), gic, gics), 0);
	assert_int_equal(dt_match(IX(fdt), node_at(fdt, "/psci"), psci), 1);
	assert_int_equal(dt_string_count(IX(fdt), node_at(fdt, "/psci"), "compatible"), 3);
	assert_int_equal(dt_reg_count(IX(fdt), gic), 2);
	assert_reg(fdt, "/interrupt-controller@3001000", 1, 0x3020000, 0x1000000);
	assert_reg(fdt, "/sbsa-uart@22000000", 0, 0x22000000, 0x1000);
	assert_int_equal(dt_node_by_phandle(IX(fdt), 0xfde8), gic);

	/* /cpus has no ranges: a CPU's reg is an MPIDR, never an address. */
	int cpu = node_at(fdt, "/cpus/cpu@0");
	paddr_t base;
	uint64_t len;
	assert_int_equal(dt_reg(IX(fdt), cpu, 0, &base, &len), DT_ERR_UNTRANSLATABLE);
	OK(dt_reg_raw(IX(fdt), cpu, 0, &base, &len));
	assert_int_equal(base, 0);

	assert_int_equal(irq_count(fdt, "/timer"), 3);
	assert_irq(fdt, "/timer", 2, gic, 3, 1, 0xb, 0xf08);
	assert_irq(fdt, "/sbsa-uart@22000000", 0, gic, 3, 0, 0, 0xf04);
	assert_true(dt_enabled(IX(fdt), node_at(fdt, "/sbsa-uart@22000000")));
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_check_good),
		cmocka_unit_test(test_check_bad_magic),
		cmocka_unit_test(test_check_truncated),
		cmocka_unit_test(test_check_short_buffer),
		cmocka_unit_test(test_check_too_big),
		cmocka_unit_test(test_check_version),
		cmocka_unit_test(test_check_alignment),
		cmocka_unit_test(test_check_memrsv_unterminated),
		cmocka_unit_test(test_check_corrupt_token),
		cmocka_unit_test(test_check_bad_prop_name),
		cmocka_unit_test(test_check_prop_too_long),
		cmocka_unit_test(test_check_root_unclosed),
		cmocka_unit_test(test_check_no_end),
		cmocka_unit_test(test_check_second_root),
		cmocka_unit_test(test_check_nop_after_root),
		cmocka_unit_test(test_check_names),
		cmocka_unit_test(test_check_depth),
		cmocka_unit_test(test_index_bounds),
		cmocka_unit_test(test_index_storage),
		cmocka_unit_test(test_index_answers),
		cmocka_unit_test(test_index_prop_after_child),
		cmocka_unit_test(test_index_error_where),
		cmocka_unit_test(test_rescue),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_enabled),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_string_count),
		cmocka_unit_test(test_string_index),
		cmocka_unit_test(test_u32),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_compatible),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_node_by_phandle),
		cmocka_unit_test(test_reg_cells),
		cmocka_unit_test(test_reg_widths),
		cmocka_unit_test(test_reg_malformed),
		cmocka_unit_test(test_ranges_one_level),
		cmocka_unit_test(test_ranges_two_levels),
		cmocka_unit_test(test_ranges_empty_and_absent),
		cmocka_unit_test(test_ranges_malformed),
		cmocka_unit_test(test_reg_overflow),
		cmocka_unit_test(test_irq_parent),
		cmocka_unit_test(test_irq_parent_chain),
		cmocka_unit_test(test_irq_interrupts),
		cmocka_unit_test(test_irq_extended),
		cmocka_unit_test(test_irq_malformed),
		cmocka_unit_test(test_irq_map),
		cmocka_unit_test(test_irq_map_unit_address),
		cmocka_unit_test(test_irq_map_chain),
		cmocka_unit_test(test_irq_map_hops),
		cmocka_unit_test(test_irq_map_malformed),
		cmocka_unit_test(test_xen_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
