/*
 * Unit tests for platform/memory.c and platform/report.c, with fdt/dt.c beneath them: which
 * memory banks and bootargs a device tree yields, what is refused and with which message, and
 * what the two reports say about the result.
 *
 * Most trees are built here with libfdt's sequential-write API, one small tree per case, so a
 * case reads as the DTB it describes. The trees real Xen 4.17 gave guests (dts/xen/, which
 * `make host` compiles into HOST_DTB_DIR) are loaded as they are, and checked against values
 * read off their .dts text.
 *
 * The file is built twice: as test_memory against include/arm64 (a 48-bit identity map), and
 * as test_memory32 against include/arm32 (32-bit), whose source defines EXPECT_VA_BITS 32 and
 * includes this one. Only whether a bank is usable, and the warning about one that is not,
 * differ between the two.
 */
#include "host.h"
#include "dtb_builder.h"
#include "host_printk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <arbor/dt.h>
#include <arbor/platform.h>
#include <arch/pte.h>

#ifndef EXPECT_VA_BITS
#define EXPECT_VA_BITS 48
#endif
/* Catches a Makefile that hands this build the other architecture's headers. */
_Static_assert(PT_VA_BITS == EXPECT_VA_BITS, "built against the wrong include/<arch>");

/* Defined in host_printk.c: the last pr_err/pr_warn text and how many there were. */

/* A node under the root with device_type = "memory" and this reg. */
static void memory_node(void *fdt, const char *name, const uint32_t *reg, size_t n)
{
	node_begin(fdt, name);
	prop_str(fdt, "device_type", "memory");
	prop_cells(fdt, "reg", reg, n);
	node_end(fdt);
}

/* ---- probing and checking ---- */

static struct platform plat;

/* Every test starts with an empty platform and no messages. */
static int reset(void **state)
{
	(void)state;
	memset(&plat, 0, sizeof(plat));
	plat.addr_limit = 1ull << EXPECT_VA_BITS;	/* what the kernel sets from PT_VA_BITS */
	host_printk_reset();
	return 0;
}

struct bank_want {
	paddr_t base;
	uint64_t size;
	bool usable;
};

#define BANKS(...) \
	(const struct bank_want[]){ __VA_ARGS__ }, \
	sizeof((const struct bank_want[]){ __VA_ARGS__ }) / sizeof(struct bank_want)

static void assert_banks(const struct bank_want *want, unsigned n)
{
	assert_int_equal(plat.nmem, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(plat.mem[i].base, want[i].base);
		assert_int_equal(plat.mem[i].size, want[i].size);
		assert_int_equal(plat.mem[i].usable, want[i].usable);
	}
}

/* Nothing was reported: what a well-formed tree must give. */
static void assert_silent(void)
{
	assert_string_equal(host_last_err, "");
	assert_string_equal(host_last_warn, "");
	assert_int_equal(host_err_count, 0);
	assert_int_equal(host_warn_count, 0);
}

/* Exactly one error was reported, and it said this. */
static void assert_error(const char *want)
{
	assert_string_equal(host_last_err, want);
	assert_int_equal(host_err_count, 1);
}

/* ---- the Xen captures ---- */

struct capture {
	const char *dtb;		/* under HOST_DTB_DIR */
	struct bank_want bank;		/* each capture has one memory node with one entry */
	const char *bootargs;		/* NULL: /chosen has none */
};

static const struct capture captures[] = {
	{ "xen/dom0-gicv3-qemu-virt.dtb", { 0x44000000, 0x4000000, true }, "dom0 args" },
	{ "xen/domU-dom0less-gicv2.dtb", { 0x40000000, 0x8000000, true }, "console=hvc0 foo=bar" },
	{ "xen/domU-dom0less-gicv3.dtb", { 0x40000000, 0x8000000, true }, "console=hvc0 foo=bar" },
	{ "xen/domU-enhanced-gicv3.dtb", { 0x40000000, 0x8000000, true }, NULL },
};

static void test_capture(void **state)
{
	const struct capture *c = *state;
	size_t size;
	void *fdt = fixture_load(c->dtb, &size);

	OK(dt_check(fdt, size));
	OK(platform_probe_memory(&plat, tree_index(fdt)));
	OK(platform_probe_chosen(&plat, tree_index(fdt)));
	assert_banks(&c->bank, 1);
	if (c->bootargs) {
		assert_non_null(plat.bootargs);
		assert_string_equal(plat.bootargs, c->bootargs);
	} else {
		assert_null(plat.bootargs);
	}
	assert_silent();
	free(fdt);
}

/* ---- banks ---- */

static void test_two_memory_nodes(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	memory_node(fdt, "memory@40000000", CELLS(0, 0x40000000, 0, 0x8000000));
	memory_node(fdt, "memory@80000000", CELLS(0, 0x80000000, 0, 0x10000000));
	tree_end(fdt);

	OK(platform_probe_memory(&plat, tree_index(fdt)));
	assert_banks(BANKS({ 0x40000000, 0x8000000, true }, { 0x80000000, 0x10000000, true }));
	assert_int_equal(platform_usable_memory(&plat), 0x18000000);
	assert_silent();
}

static void test_several_entries_in_one_node(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	memory_node(fdt, "memory@40000000", CELLS(0, 0x40000000, 0, 0x1000000,
						  0, 0x60000000, 0, 0x2000000,
						  0, 0x50000000, 0, 0x100000));
	tree_end(fdt);

	OK(platform_probe_memory(&plat, tree_index(fdt)));
	/* DTB order, not sorted. */
	assert_banks(BANKS({ 0x40000000, 0x1000000, true }, { 0x60000000, 0x2000000, true },
			   { 0x50000000, 0x100000, true }));
	assert_int_equal(platform_usable_memory(&plat), 0x3100000);
	assert_silent();
}

static void test_one_cell_each(void **state)
{
	(void)state;
	void *fdt = tree_begin(1, 1);
	memory_node(fdt, "memory@40000000", CELLS(0x40000000, 0x8000000, 0x90000000, 0x1000));
	tree_end(fdt);

	OK(platform_probe_memory(&plat, tree_index(fdt)));
	assert_banks(BANKS({ 0x40000000, 0x8000000, true }, { 0x90000000, 0x1000, true }));
	assert_silent();
}

/* A root without #address-cells / #size-cells means 2 and 1 (Devicetree Spec v0.4, 2.3.5). */
static void test_default_cells(void **state)
{
	(void)state;
	void *fdt = tree_begin(-1, -1);
	memory_node(fdt, "memory@40000000", CELLS(0, 0x40000000, 0x8000000));
	tree_end(fdt);

	OK(platform_probe_memory(&plat, tree_index(fdt)));
	assert_banks(BANKS({ 0x40000000, 0x8000000, true }));
	assert_silent();
}

/*
 * A bank above 4 GiB next to one below it. arm64 maps it; arm32's identity map ends at 4 GiB,
 * so there the bank is kept in the list, marked unusable, and a warning says so.
 */
static void test_bank_above_4g(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	memory_node(fdt, "memory@40000000", CELLS(0, 0x40000000, 0, 0x8000000));
	memory_node(fdt, "memory@100000000", CELLS(1, 0, 0, 0x40000000));
	tree_end(fdt);

	OK(platform_probe_memory(&plat, tree_index(fdt)));
#if EXPECT_VA_BITS == 48
	assert_banks(BANKS({ 0x40000000, 0x8000000, true }, { 0x100000000, 0x40000000, true }));
	assert_int_equal(platform_usable_memory(&plat), 0x48000000);
	assert_silent();
#else
	assert_banks(BANKS({ 0x40000000, 0x8000000, true }, { 0x100000000, 0x40000000, false }));
	assert_int_equal(platform_usable_memory(&plat), 0x8000000);
	assert_string_equal(host_last_warn, "memory: bank 0x100000000-0x13fffffff lies beyond "
			    "the 4 GiB this build addresses; skipped\n");
	assert_int_equal(host_warn_count, 1);
	assert_int_equal(host_err_count, 0);
#endif
}

/* The only bank is above 4 GiB: fine on arm64, nothing to run in on arm32. */
static void test_only_bank_above_4g(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	memory_node(fdt, "memory@100000000", CELLS(1, 0, 0, 0x40000000));
	tree_end(fdt);

#if EXPECT_VA_BITS == 48
	OK(platform_probe_memory(&plat, tree_index(fdt)));
	assert_banks(BANKS({ 0x100000000, 0x40000000, true }));
	assert_silent();
#else
	assert_int_equal(platform_probe_memory(&plat, tree_index(fdt)), -ENOENT);
	assert_banks(BANKS({ 0x100000000, 0x40000000, false }));
	assert_int_equal(host_warn_count, 1);
	assert_error("memory: no usable bank: the 1 bank in the device tree lies beyond the "
		     "4 GiB this build addresses\n");
#endif
}

/*
 * Banks, but none this build can use: the message says where they are, not that the tree
 * has none (QEMU -m 6G gives an arm32 dom0 only banks above 4 GiB).
 */
static void test_every_bank_beyond_limit(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
#if EXPECT_VA_BITS == 48
	memory_node(fdt, "memory@1000000000000", CELLS(0x10000, 0, 0, 0x40000000));
	memory_node(fdt, "memory@2000000000000", CELLS(0x20000, 0, 0, 0x40000000,
						       0x20000, 0x40000000, 0, 0x40000000));
#else
	memory_node(fdt, "memory@100000000", CELLS(1, 0, 0, 0x40000000));
	memory_node(fdt, "memory@200000000", CELLS(2, 0, 0, 0x40000000,
						   2, 0x40000000, 0, 0x40000000));
#endif
	tree_end(fdt);

	assert_int_equal(platform_probe_memory(&plat, tree_index(fdt)), -ENOENT);
	assert_int_equal(plat.nmem, 3);
	assert_int_equal(host_warn_count, 3);
#if EXPECT_VA_BITS == 48
	assert_error("memory: no usable bank: the 3 banks in the device tree lie beyond the "
		     "262144 GiB this build addresses\n");
#else
	assert_error("memory: no usable bank: the 3 banks in the device tree lie beyond the "
		     "4 GiB this build addresses\n");
#endif
}

/*
 * The edge of what this build addresses: a bank ending exactly at the limit is usable, one
 * crossing it is not, as a whole (usable means mapped, and half a bank is not mapped).
 */
static void test_address_limit(void **state)
{
	(void)state;
	/* Two trees: banks that end at and cross the limit would overlap in one. */
	void *fdt = tree_begin(2, 2);
#if EXPECT_VA_BITS == 48
	memory_node(fdt, "memory@ffff00000000", CELLS(0xffff, 0, 1, 0));
#else
	memory_node(fdt, "memory@f0000000", CELLS(0, 0xf0000000, 0, 0x10000000));
#endif
	tree_end(fdt);
	OK(platform_probe_memory(&plat, tree_index(fdt)));
#if EXPECT_VA_BITS == 48
	assert_banks(BANKS({ 0xffff00000000, 0x100000000, true }));
#else
	assert_banks(BANKS({ 0xf0000000, 0x10000000, true }));
#endif
	assert_silent();

	reset(NULL);
	fdt = tree_begin(2, 2);
#if EXPECT_VA_BITS == 48
	memory_node(fdt, "memory@0", CELLS(0, 0, 0, 0x10000000));
	memory_node(fdt, "memory@ffff80000000", CELLS(0xffff, 0x80000000, 1, 0));
#else
	memory_node(fdt, "memory@0", CELLS(0, 0, 0, 0x10000000));
	memory_node(fdt, "memory@f8000000", CELLS(0, 0xf8000000, 0, 0x10000000));
#endif
	tree_end(fdt);
	OK(platform_probe_memory(&plat, tree_index(fdt)));
#if EXPECT_VA_BITS == 48
	assert_banks(BANKS({ 0, 0x10000000, true }, { 0xffff80000000, 0x100000000, false }));
	assert_string_equal(host_last_warn, "memory: bank 0xffff80000000-0x100007fffffff lies "
			    "beyond the 262144 GiB this build addresses; skipped\n");
#else
	assert_banks(BANKS({ 0, 0x10000000, true }, { 0xf8000000, 0x10000000, false }));
	assert_string_equal(host_last_warn, "memory: bank 0xf8000000-0x107ffffff lies beyond "
			    "the 4 GiB this build addresses; skipped\n");
#endif
	assert_int_equal(host_warn_count, 1);
	assert_int_equal(host_err_count, 0);
}

/* status: absent, "okay" and "ok" count; "disabled" and anything else do not. */
static void test_status(void **state)
{
	static const char *const statuses[] = { "disabled", "ok", "fail", "okay" };
	char name[32];

	(void)state;
	void *fdt = tree_begin(2, 2);
	for (unsigned i = 0; i < ARRAY_SIZE(statuses); i++) {
		snprintf(name, sizeof(name), "memory@%x", 0x40000000 + i * 0x10000000);
		node_begin(fdt, name);
		prop_str(fdt, "device_type", "memory");
		prop_cells(fdt, "reg", CELLS(0, 0x40000000 + i * 0x10000000, 0, 0x1000000));
		prop_str(fdt, "status", statuses[i]);
		node_end(fdt);
	}
	tree_end(fdt);

	OK(platform_probe_memory(&plat, tree_index(fdt)));
	assert_banks(BANKS({ 0x50000000, 0x1000000, true }, { 0x70000000, 0x1000000, true }));
	assert_silent();
}

static void test_only_bank_disabled(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	node_begin(fdt, "memory@40000000");
	prop_str(fdt, "device_type", "memory");
	prop_cells(fdt, "reg", CELLS(0, 0x40000000, 0, 0x8000000));
	prop_str(fdt, "status", "disabled");
	node_end(fdt);
	tree_end(fdt);

	assert_int_equal(platform_probe_memory(&plat, tree_index(fdt)), -ENOENT);
	assert_int_equal(plat.nmem, 0);
	assert_error("memory: no usable bank in the device tree\n");
}

static void test_size_zero_ignored(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	memory_node(fdt, "memory@40000000", CELLS(0, 0x40000000, 0, 0,
						  0, 0x48000000, 0, 0x8000000));
	tree_end(fdt);

	OK(platform_probe_memory(&plat, tree_index(fdt)));
	assert_banks(BANKS({ 0x48000000, 0x8000000, true }));
	assert_silent();
}

/* Only device_type = "memory" makes a memory node; the name, or a reg, does not. */
static void test_other_nodes_ignored(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	node_begin(fdt, "memory@80000000");
	prop_cells(fdt, "reg", CELLS(0, 0x80000000, 0, 0x8000000));
	node_end(fdt);
	node_begin(fdt, "pcie@10000000");
	prop_str(fdt, "device_type", "pci");
	prop_cells(fdt, "reg", CELLS(0x40, 0x10000000, 0, 0x10000000));
	node_end(fdt);
	memory_node(fdt, "memory@40000000", CELLS(0, 0x40000000, 0, 0x8000000));
	/* A memory node below the root is not one of the system's memory nodes. */
	node_begin(fdt, "soc");
	prop_cells(fdt, "#address-cells", CELLS(2));
	prop_cells(fdt, "#size-cells", CELLS(2));
	memory_node(fdt, "memory@c0000000", CELLS(0, 0xc0000000, 0, 0x1000000));
	node_end(fdt);
	tree_end(fdt);

	OK(platform_probe_memory(&plat, tree_index(fdt)));
	assert_banks(BANKS({ 0x40000000, 0x8000000, true }));
	assert_silent();
}

/* ---- refused trees ---- */

static void test_reg_not_whole_entries(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	memory_node(fdt, "memory@40000000", CELLS(0, 0x40000000, 0x8000000));
	tree_end(fdt);

	assert_int_equal(platform_probe_memory(&plat, tree_index(fdt)), -EINVAL);
	/* 3 cells (12 bytes) against entries of 2 + 2 cells (16 bytes), both counts the root's. */
	assert_error("/memory@40000000: reg is 12 bytes (3 cells), not a whole number of 16-byte "
		     "entries (#address-cells = 2 from /, #size-cells = 2 from /) (FDT_ERR_BADVALUE)\n");
}

static void test_address_cells_3(void **state)
{
	(void)state;
	void *fdt = tree_begin(3, 2);
	memory_node(fdt, "memory@40000000", CELLS(0, 0, 0x40000000, 0, 0x8000000));
	tree_end(fdt);

	assert_int_equal(platform_probe_memory(&plat, tree_index(fdt)), -EINVAL);
	assert_error("/memory@40000000: reg cannot be read with #address-cells = 3 from /, "
		     "#size-cells = 2 from /: Arbor reads 1 or 2 address cells and 0 to 2 size cells "
		     "(FDT_ERR_BADNCELLS)\n");
}

static void test_no_memory_node(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	node_begin(fdt, "chosen");
	prop_str(fdt, "bootargs", "console=hvc0");
	node_end(fdt);
	tree_end(fdt);

	assert_int_equal(platform_probe_memory(&plat, tree_index(fdt)), -ENOENT);
	assert_int_equal(plat.nmem, 0);
	assert_error("memory: no usable bank in the device tree\n");
}

/* stdout-path naming a disabled UART: said, not silently dropped. */
static void test_stdout_path_disabled(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	node_begin(fdt, "aliases");
	prop_str(fdt, "serial0", "/pl011@9000000");
	node_end(fdt);
	node_begin(fdt, "chosen");
	prop_str(fdt, "stdout-path", "serial0:115200n8");
	node_end(fdt);
	node_begin(fdt, "pl011@9000000");
	prop_str(fdt, "compatible", "arm,pl011");
	prop_str(fdt, "status", "disabled");
	node_end(fdt);
	tree_end(fdt);

	assert_int_equal(platform_probe_chosen(&plat, tree_index(fdt)), 0);
	assert_string_equal(plat.stdout_path, "");
	assert_string_equal(host_last_warn, "/chosen: stdout-path \"serial0\" names /pl011@9000000, "
			    "which is present but disabled (status = \"disabled\"); the console is "
			    "chosen without it\n");
	assert_int_equal(host_err_count, 0);
}

/* A node with n one-MiB banks from 0x40000000 up. */
static void *tree_with_banks(unsigned n)
{
	uint32_t reg[4 * (PLATFORM_MAX_BANKS + 1)];

	assert_true(n <= PLATFORM_MAX_BANKS + 1);
	for (unsigned i = 0; i < n; i++) {
		reg[4 * i + 0] = 0;
		reg[4 * i + 1] = 0x40000000 + i * 0x100000;
		reg[4 * i + 2] = 0;
		reg[4 * i + 3] = 0x100000;
	}
	void *fdt = tree_begin(2, 2);
	memory_node(fdt, "memory@40000000", reg, 4 * n);
	tree_end(fdt);
	return fdt;
}

static void test_16_banks(void **state)
{
	(void)state;
	void *fdt = tree_with_banks(16);

	OK(platform_probe_memory(&plat, tree_index(fdt)));
	assert_int_equal(plat.nmem, 16);
	assert_int_equal(plat.mem[15].base, 0x40f00000);
	assert_int_equal(platform_usable_memory(&plat), 16 * 0x100000);
	assert_silent();
}

static void test_17_banks(void **state)
{
	(void)state;
	void *fdt = tree_with_banks(17);

	assert_int_equal(platform_probe_memory(&plat, tree_index(fdt)), -ENOSPC);
	assert_error("/memory@40000000: more than 16 memory banks in the device tree; "
		     "raise PLATFORM_MAX_BANKS\n");
}

static void test_bank_wraps(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	memory_node(fdt, "memory@40000000", CELLS(0, 0x40000000, 0, 0x8000000));
	memory_node(fdt, "memory@fffffffff0000000",
		    CELLS(0xffffffff, 0xf0000000, 0, 0x20000000));
	tree_end(fdt);

	assert_int_equal(platform_probe_memory(&plat, tree_index(fdt)), -EINVAL);
	assert_error("/memory@fffffffff0000000: reg bank at 0xfffffffff0000000 of size "
		     "0x20000000 wraps around the address space\n");
}

/* ---- /chosen ---- */

static void test_no_chosen(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	memory_node(fdt, "memory@40000000", CELLS(0, 0x40000000, 0, 0x8000000));
	tree_end(fdt);

	plat.bootargs = "stale";
	OK(platform_probe_chosen(&plat, tree_index(fdt)));
	assert_null(plat.bootargs);
	assert_silent();
}

static void test_bootargs_unterminated(void **state)
{
	static const char args[] = { 'q', 'u', 'i', 'e', 't' };

	(void)state;
	void *fdt = tree_begin(2, 2);
	node_begin(fdt, "chosen");
	OK(fdt_property(fdt, "bootargs", args, sizeof(args)));
	node_end(fdt);
	tree_end(fdt);

	assert_int_equal(platform_probe_chosen(&plat, tree_index(fdt)), -EINVAL);
	assert_null(plat.bootargs);
	assert_error("/chosen: bootargs is not a NUL-terminated string: bad property value "
		     "(FDT_ERR_BADVALUE)\n");
}

/* ---- reports ---- */

/* A sink that collects what is written to it, as a string. */
struct text_sink {
	struct sink sink;
	char text[2048];
	size_t len;
};

static void text_put(struct sink *sink, const char *s, size_t n)
{
	struct text_sink *t = (struct text_sink *)sink;

	assert_true(t->len + n < sizeof(t->text));
	memcpy(t->text + t->len, s, n);
	t->len += n;
	t->text[t->len] = '\0';
}

/* One usable bank below 4 GiB, one the platform marked unusable, and bootargs to escape. */
static void two_bank_platform(void)
{
	plat.mem[0] = (struct mem_bank){ 0x40000000, 0x8000000, true };
	plat.mem[1] = (struct mem_bank){ 0x100000000, 0x40000000, false };
	plat.nmem = 2;
	plat.dtb.size = 1234;
	plat.bootargs = "console=hvc0 foo=\"a b\"";
	plat.console = -1;
}

/* The text with its newlines taken out, as the run harness joins console lines. */
static void strip_newlines(char *s)
{
	char *out = s;

	for (; *s; s++)
		if (*s != '\n')
			*out++ = *s;
	*out = '\0';
}

static void test_report_json(void **state)
{
	struct text_sink out = { .sink.put = text_put };

	(void)state;
	two_bank_platform();
	platform_report_json(&plat, &out.sink);
	assert_string_equal(out.text,
		"{\"memory\":[\n"
		"{\"base\":1073741824,\"size\":134217728,\"usable\":true},\n"
		"{\"base\":4294967296,\"size\":1073741824,\"usable\":false}],\n"
		"\"reserved\":[],\n"
		"\"gic\":null,\n"
		"\"timer\":null,\n"
		"\"hypervisor\":null,\n"
		"\"psci\":null,\n"
		"\"cpus\":0,\n"
		"\"mpidrs\":[],\n"
		"\"console\":null,\n"
		"\"bootargs\":\"console=hvc0 foo=\\\"a b\\\"\"}\n");

	/* Joined, it is still one valid JSON object (checked with python3 json.loads). */
	strip_newlines(out.text);
	assert_string_equal(out.text,
		"{\"memory\":[{\"base\":1073741824,\"size\":134217728,\"usable\":true},"
		"{\"base\":4294967296,\"size\":1073741824,\"usable\":false}],"
		"\"reserved\":[],\"gic\":null,\"timer\":null,\"hypervisor\":null,\"psci\":null,"
		"\"cpus\":0,\"mpidrs\":[],\"console\":null,"
		"\"bootargs\":\"console=hvc0 foo=\\\"a b\\\"\"}");
}

static void test_report_json_empty(void **state)
{
	struct text_sink out = { .sink.put = text_put };

	(void)state;
	platform_report_json(&plat, &out.sink);
	strip_newlines(out.text);
	assert_string_equal(out.text, "{\"memory\":[],\"reserved\":[],\"gic\":null,\"timer\":null,"
			    "\"hypervisor\":null,\"psci\":null,\"cpus\":0,\"mpidrs\":[],"
			    "\"console\":null,\"bootargs\":null}");
}

static void test_report_summary(void **state)
{
	struct text_sink out = { .sink.put = text_put };

	(void)state;
	two_bank_platform();
	platform_report_summary(&plat, &out.sink);
	assert_string_equal(out.text,
		"memory: 2 banks, 128 MiB usable\n"
		"  bank 0: 0x40000000-0x47ffffff (128 MiB)\n"
		"  bank 1: 0x100000000-0x13fffffff (1 GiB) not addressable by this build, skipped\n"
		"hypervisor: no hypervisor node\n"
		"cpus: 0\n"
		"matched: nothing\n"
		"dtb: 1234 bytes\n"
		"bootargs: \"console=hvc0 foo=\\\"a b\\\"\"\n");
}

#define TEST(f)  cmocka_unit_test_setup(f, reset)
#define CAPTURE(i) \
	{ captures[i].dtb, test_capture, reset, NULL, (void *)&captures[i] }

int main(void)
{
	const struct CMUnitTest tests[] = {
		CAPTURE(0),
		CAPTURE(1),
		CAPTURE(2),
		CAPTURE(3),
		TEST(test_two_memory_nodes),
		TEST(test_several_entries_in_one_node),
		TEST(test_one_cell_each),
		TEST(test_default_cells),
		TEST(test_bank_above_4g),
		TEST(test_only_bank_above_4g),
		TEST(test_every_bank_beyond_limit),
		TEST(test_address_limit),
		TEST(test_status),
		TEST(test_only_bank_disabled),
		TEST(test_size_zero_ignored),
		TEST(test_other_nodes_ignored),
		TEST(test_reg_not_whole_entries),
		TEST(test_address_cells_3),
		TEST(test_no_memory_node),
		TEST(test_stdout_path_disabled),
		TEST(test_16_banks),
		TEST(test_17_banks),
		TEST(test_bank_wraps),
		TEST(test_no_chosen),
		TEST(test_bootargs_unterminated),
		TEST(test_report_json),
		TEST(test_report_json_empty),
		TEST(test_report_summary),
	};

	_Static_assert(ARRAY_SIZE(captures) == 4, "one CAPTURE() entry per capture");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
