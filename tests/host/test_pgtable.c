/*
 * Unit tests for mm/pgtable.c: which descriptors pgtable_map() writes (blocks where alignment
 * allows, pages elsewhere, blocks split when part of one changes), what each map kind allows,
 * and which requests it refuses.
 *
 * The expected descriptors are written out here from the architecture's layout rather than
 * taken from pgtable.c. VMSAv8-64 (Arm ARM D8.3) and ARMv7 LPAE (Arm ARM B3.6.1) agree on
 * every bit used:
 *   [1:0]   0b01 block (levels 1-2), 0b11 table (levels 0-2) or page (level 3)
 *   [4:2]   AttrIndx: MAIR index, 0 = Device-nGnRE, 1 = Normal write-back (the arch code's MAIR)
 *   [7:6]   AP[2:1]: AP[2] = 1 read-only; AP[1] = 0 no EL0/PL0 access
 *   [9:8]   SH: 0b11 inner shareable
 *   [10]    AF: access flag
 *   [53]    PXN
 *   [54]    UXN on arm64 (EL1 may still execute), XN on arm32 (nobody executes)
 *
 * The file is built twice: as test_pgtable against include/arm64 (levels 0-3, 48-bit VA),
 * and as test_pgtable32 against include/arm32 (levels 1-3, 32-bit VA, 40-bit PA), whose
 * source defines TEST_ARM32 and includes this one.
 */
#include "host.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <arbor/mmu.h>
#include <arch/pte.h>

#ifdef TEST_ARM32
#define START_LEVEL  1
#define VA_BITS      32
#define OA_MASK      0x000000fffffff000ull	/* 40-bit output addresses */
#define TEXT_XN      0ull			/* XN would stop PL1 too */
#else
#define START_LEVEL  0
#define VA_BITS      48
#define OA_MASK      0x0000fffffffff000ull	/* 48-bit output addresses */
#define TEXT_XN      (1ull << 54)		/* UXN: EL0 never executes kernel text */
#endif
/* Catches a Makefile that hands this build the other architecture's headers. */
_Static_assert(PT_START_LEVEL == START_LEVEL && PT_VA_BITS == VA_BITS,
	       "built against the wrong include/<arch>");

#define VA_END       (1ull << VA_BITS)

/* Descriptor types, bits [1:0]. */
#define T_BLOCK      0x1ull
#define T_PAGE       0x3ull

/* Each kind's attribute bits (everything but the output address and the type). */
#define A_RAM        0x0060000000000704ull	/* PXN XN, AF, SH inner, AttrIndx 1 */
#define A_TEXT       (0x0000000000000784ull | TEXT_XN)	/* AF, SH, AP[2] RO, AttrIndx 1 */
#define A_RODATA     0x0060000000000784ull	/* PXN XN, AF, SH, AP[2] RO, AttrIndx 1 */
#define A_DEVICE     0x0060000000000400ull	/* PXN XN, AF, AttrIndx 0 */
#define A_BOOT       0x0000000000000704ull	/* AF, SH, AttrIndx 1 */

#define BLOCK_2M     (2 * MiB)
#define BLOCK_1G     GiB

/* Tables a single page mapping needs: one per level from the start level to 3. */
#define TABLES_PER_PAGE  (3 - START_LEVEL + 1)

#define POOL_PAGES   16

/*
 * The pool the tables come from. Descriptors hold table addresses in their output-address
 * bits, so the host address of every table must fit OA_MASK. arm64's 48 bits take any x86-64
 * user address, so a static pool does; arm32's 40 bits do not take a PIE binary's data
 * (around 0x55..._...._....), so there the pool is mapped below 4 GiB, where an arm32
 * kernel's pointers always are.
 */
#ifdef TEST_ARM32
static pte_t (*pool)[PTES_PER_TABLE];

static int pool_setup(void **state)
{
	(void)state;
#ifdef MAP_32BIT
	void *p = mmap(NULL, POOL_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
#else
	void *p = mmap((void *)0x10000000, POOL_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#endif
	if (p == MAP_FAILED || (uintptr_t)p + POOL_PAGES * PAGE_SIZE > (1ull << 32))
		return -1;
	pool = p;
	return 0;
}

static int pool_teardown(void **state)
{
	(void)state;
	return munmap(pool, POOL_PAGES * PAGE_SIZE);
}
#else
static pte_t pool_storage[POOL_PAGES][PTES_PER_TABLE] __aligned(PAGE_SIZE);
static pte_t (*pool)[PTES_PER_TABLE] = pool_storage;

static int pool_setup(void **state)
{
	(void)state;
	return ((uintptr_t)pool & ~OA_MASK) ? -1 : 0;
}

static int pool_teardown(void **state)
{
	(void)state;
	return 0;
}
#endif

static struct pgtable pt;

/*
 * Every test starts with a fresh table set over the whole pool. The pool is filled with a
 * pattern first, so a table pgtable.c forgot to clear shows up as stray mappings.
 */
static int fresh_tables(void **state)
{
	(void)state;
	memset(pool, 0xa5, POOL_PAGES * PAGE_SIZE);
	return pgtable_init(&pt, NULL, pool, POOL_PAGES);
}

static uint64_t level_size(unsigned level)
{
	return 1ull << (12 + 9 * (3 - level));
}

/*
 * va must translate to pa through a leaf at level whose descriptor has exactly attrs: the
 * whole descriptor is compared, output address of the block or page included.
 */
static void expect_leaf(uint64_t va, uint64_t pa, unsigned level, uint64_t attrs)
{
	unsigned got_level = 99;
	pte_t pte = pgtable_lookup(&pt, va, &got_level);
	uint64_t oa = pa & ~(level_size(level) - 1);

	if (got_level != level || pte != (oa | attrs | (level == 3 ? T_PAGE : T_BLOCK)))
		print_error("va 0x%llx: level %u descriptor 0x%016llx\n", (unsigned long long)va,
			    got_level, (unsigned long long)pte);
	assert_int_equal(got_level, level);
	assert_int_equal(pte, oa | attrs | (level == 3 ? T_PAGE : T_BLOCK));
}

static void expect_unmapped(uint64_t va)
{
	assert_int_equal(pgtable_lookup(&pt, va, NULL), 0);
}

/* ---- block and page choice ---- */

static void test_empty(void **state)
{
	(void)state;
	assert_int_equal(pt.pool_used, 1);
	expect_unmapped(0);
	expect_unmapped(0x40000000);
	expect_unmapped(VA_END - PAGE_SIZE);
	expect_unmapped(VA_END);
}

static void test_2m_blocks(void **state)
{
	(void)state;
	assert_int_equal(pgtable_map(&pt, 0x40000000, 0x40000000, 4 * MiB, MAP_RAM), 0);

	expect_leaf(0x40000000, 0x40000000, 2, A_RAM);
	expect_leaf(0x401ff000, 0x401ff000, 2, A_RAM);
	expect_leaf(0x40200000, 0x40200000, 2, A_RAM);
	expect_leaf(0x403ff000, 0x403ff000, 2, A_RAM);
	expect_unmapped(0x3ffff000);
	expect_unmapped(0x40400000);
	/* Root to level 2, no level-3 table. */
	assert_int_equal(pt.pool_used, 2 - START_LEVEL + 1);
}

/* Pages up to the first 2 MiB boundary, a block across the next 2 MiB, pages after it. */
static void test_4k_pages(void **state)
{
	(void)state;
	assert_int_equal(pgtable_map(&pt, 0x401fe000, 0x501fe000, 0x203000, MAP_RAM), 0);

	expect_unmapped(0x401fd000);
	expect_leaf(0x401fe000, 0x501fe000, 3, A_RAM);
	expect_leaf(0x401ff000, 0x501ff000, 3, A_RAM);
	expect_leaf(0x40200000, 0x50200000, 2, A_RAM);
	expect_leaf(0x403ff000, 0x503ff000, 2, A_RAM);
	expect_leaf(0x40400000, 0x50400000, 3, A_RAM);
	expect_unmapped(0x40401000);
	/* Another page in the same level-3 table as a mapped one is still empty. */
	expect_unmapped(0x40000000);
}

/* va is 2 MiB aligned but pa is not: a block cannot express that, so pages are used. */
static void test_pa_not_block_aligned(void **state)
{
	(void)state;
	assert_int_equal(pgtable_map(&pt, 0x40000000, 0x80001000, BLOCK_2M, MAP_RAM), 0);

	for (uint64_t off = 0; off < BLOCK_2M; off += PAGE_SIZE)
		expect_leaf(0x40000000 + off, 0x80001000 + off, 3, A_RAM);
	expect_unmapped(0x40200000);
}

static void test_1g_block(void **state)
{
	(void)state;
	assert_int_equal(pgtable_map(&pt, 0x40000000, 0x40000000, BLOCK_1G, MAP_RAM), 0);

	expect_leaf(0x40000000, 0x40000000, 1, A_RAM);
	expect_leaf(0x7ffff000, 0x7ffff000, 1, A_RAM);
	expect_unmapped(0x3ffff000);
	expect_unmapped(0x80000000);
	/* Root to level 1 only. */
	assert_int_equal(pt.pool_used, 1 - START_LEVEL + 1);
}

/* 1 GiB long but only 2 MiB aligned: 512 level-2 blocks. */
static void test_1g_range_unaligned(void **state)
{
	(void)state;
	assert_int_equal(pgtable_map(&pt, 0x40200000, 0x40200000, BLOCK_1G, MAP_RAM), 0);

	for (uint64_t va = 0x40200000; va < 0x80200000; va += BLOCK_2M)
		expect_leaf(va, va, 2, A_RAM);
	expect_unmapped(0x80200000);
}

/* ---- splitting ---- */

/*
 * Two 2 MiB blocks of RAM (va + 1 GiB = pa), then 64 KiB in the middle of the first made
 * text: that block becomes 512 pages, each keeping its output address and the text range
 * taking the new attributes; the second block is left alone.
 */
static void test_split_2m(void **state)
{
	const uint64_t text = 0x40100000, text_end = 0x40110000;

	(void)state;
	assert_int_equal(pgtable_map(&pt, 0x40000000, 0x80000000, 4 * MiB, MAP_RAM), 0);
	assert_int_equal(pgtable_map(&pt, text, text + GiB, text_end - text, MAP_TEXT), 0);

	for (uint64_t va = 0x40000000; va < 0x40200000; va += PAGE_SIZE)
		expect_leaf(va, va + GiB, 3, va >= text && va < text_end ? A_TEXT : A_RAM);
	expect_leaf(0x40200000, 0x80200000, 2, A_RAM);
	expect_leaf(0x403ff000, 0x803ff000, 2, A_RAM);
}

/* A 1 GiB block split twice: into 2 MiB blocks, then one of those into pages. */
static void test_split_1g(void **state)
{
	(void)state;
	assert_int_equal(pgtable_map(&pt, 0x40000000, 0x40000000, BLOCK_1G, MAP_DEVICE), 0);
	assert_int_equal(pgtable_map(&pt, 0x40201000, 0x40201000, PAGE_SIZE, MAP_RODATA), 0);

	for (uint64_t va = 0x40000000; va < 0x80000000; va += BLOCK_2M)
		if (va != 0x40200000)
			expect_leaf(va, va, 2, A_DEVICE);
	for (uint64_t va = 0x40200000; va < 0x40400000; va += PAGE_SIZE)
		expect_leaf(va, va, 3, va == 0x40201000 ? A_RODATA : A_DEVICE);
}

/*
 * A block of each kind, one page of it remapped as something else: the other 511 pages keep
 * every attribute bit of the block, whichever kind it was.
 */
static void test_split_keeps_each_kind(void **state)
{
	static const struct {
		enum map_kind kind, other;
		uint64_t attrs;
	} cases[] = {
		{ MAP_RAM, MAP_DEVICE, A_RAM },
		{ MAP_TEXT, MAP_RAM, A_TEXT },
		{ MAP_RODATA, MAP_RAM, A_RODATA },
		{ MAP_DEVICE, MAP_RAM, A_DEVICE },
		{ MAP_BOOT, MAP_RAM, A_BOOT },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t block = 0x40000000 + i * BLOCK_2M, page = block + 0x7000;

		assert_int_equal(pgtable_map(&pt, block, block, BLOCK_2M, cases[i].kind), 0);
		expect_leaf(block, block, 2, cases[i].attrs);
		assert_int_equal(pgtable_map(&pt, page, page, PAGE_SIZE, cases[i].other), 0);
		for (uint64_t va = block; va < block + BLOCK_2M; va += PAGE_SIZE)
			if (va != page)
				expect_leaf(va, va, 3, cases[i].attrs);
	}
}

/* A whole block mapped over a range that had pages becomes one block descriptor again. */
static void test_block_replaces_pages(void **state)
{
	(void)state;
	assert_int_equal(pgtable_map(&pt, 0x40000000, 0x40000000, 2 * PAGE_SIZE, MAP_TEXT), 0);
	expect_leaf(0x40000000, 0x40000000, 3, A_TEXT);
	assert_int_equal(pgtable_map(&pt, 0x40000000, 0x40000000, BLOCK_2M, MAP_RAM), 0);
	expect_leaf(0x40001000, 0x40001000, 2, A_RAM);
}

/* ---- attributes ---- */

struct kind_case {
	enum map_kind kind;
	uint64_t attrs;
	bool writable;
	bool executable;
};

static void test_kinds(void **state)
{
	static const struct kind_case cases[] = {
		{ MAP_RAM, A_RAM, true, false },
		{ MAP_TEXT, A_TEXT, false, true },
		{ MAP_RODATA, A_RODATA, false, false },
		{ MAP_DEVICE, A_DEVICE, true, false },
		{ MAP_BOOT, A_BOOT, true, true },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t va = 0x40000000 + i * PAGE_SIZE;

		assert_int_equal(pgtable_map(&pt, va, va, PAGE_SIZE, cases[i].kind), 0);
		expect_leaf(va, va, 3, cases[i].attrs);
		assert_int_equal(pte_writable(pgtable_lookup(&pt, va, NULL)), cases[i].writable);
		assert_int_equal(pte_executable(pgtable_lookup(&pt, va, NULL)), cases[i].executable);
	}
	/* XN (bit 54) without PXN: EL1 may execute on arm64 (it is UXN), nobody on arm32. */
	assert_int_equal(pte_executable(T_PAGE | A_BOOT | (1ull << 54)), TEXT_XN != 0);
	/* An invalid descriptor allows nothing, whatever its other bits say. */
	assert_false(pte_writable(A_BOOT));
	assert_false(pte_executable(A_BOOT));
}

/*
 * One RAM page, its descriptor spelled out bit by bit:
 *   0x0000000040001000  output address
 *   0x0000000000000003  [1:0] valid, page
 *   0x0000000000000004  [4:2] AttrIndx = 1 (Normal)
 *   0x0000000000000000  [7:6] AP = 0b00: read-write at EL1, no EL0 access
 *   0x0000000000000300  [9:8] SH = 0b11, inner shareable
 *   0x0000000000000400  [10] AF
 *   0x0020000000000000  [53] PXN
 *   0x0040000000000000  [54] UXN / XN
 *   ------------------
 *   0x0060000040001707
 * And a 2 MiB RAM block at 0x40200000: the same with [1:0] = 0b01, 0x0060000040200705.
 */
static void test_ram_descriptor_bits(void **state)
{
	unsigned level;

	(void)state;
	assert_int_equal(pgtable_map(&pt, 0x40001000, 0x40001000, PAGE_SIZE, MAP_RAM), 0);
	assert_int_equal(pgtable_lookup(&pt, 0x40001000, &level), 0x0060000040001707ull);
	assert_int_equal(level, 3);

	assert_int_equal(pgtable_map(&pt, 0x40200000, 0x40200000, BLOCK_2M, MAP_RAM), 0);
	assert_int_equal(pgtable_lookup(&pt, 0x40200000, &level), 0x0060000040200705ull);
	assert_int_equal(level, 2);
}

/* ---- refused requests ---- */

static void test_pool_exhausted(void **state)
{
	struct pgtable small;

	(void)state;
	assert_int_equal(pgtable_init(&small, NULL, pool, 0), -ENOMEM);

	/* One table short of a page mapping. */
	assert_int_equal(pgtable_init(&small, NULL, pool, TABLES_PER_PAGE - 1), 0);
	assert_int_equal(pgtable_map(&small, 0x40000000, 0x40000000, PAGE_SIZE, MAP_RAM), -ENOMEM);

	/* Exactly enough. */
	assert_int_equal(pgtable_init(&small, NULL, pool, TABLES_PER_PAGE), 0);
	assert_int_equal(pgtable_map(&small, 0x40000000, 0x40000000, PAGE_SIZE, MAP_RAM), 0);
	assert_int_equal(small.pool_used, TABLES_PER_PAGE);
}

/* A split that finds the pool empty fails and leaves the block as it was. */
static void test_pool_exhausted_split(void **state)
{
	struct pgtable small;

	(void)state;
	assert_int_equal(pgtable_init(&small, NULL, pool, TABLES_PER_PAGE - 1), 0);
	assert_int_equal(pgtable_map(&small, 0x40000000, 0x40000000, BLOCK_2M, MAP_RAM), 0);
	assert_int_equal(pgtable_map(&small, 0x40001000, 0x40001000, PAGE_SIZE, MAP_TEXT), -ENOMEM);
	assert_int_equal(pgtable_lookup(&small, 0x40001000, NULL), 0x40000000 | A_RAM | T_BLOCK);
}

/*
 * A root of the table set's own (the boot and kernel maps': PT_ROOT_ENTRIES descriptors, 32
 * bytes on arm32), which pgtable_init() clears: the pool then holds only the tables below it,
 * and mapping the first and the last page of the VA space writes nothing past its last entry.
 */
static void test_own_root(void **state)
{
	static pte_t root[PT_ROOT_ENTRIES + 8] __aligned(PAGE_SIZE);
	const pte_t guard = 0xa5a5a5a5a5a5a5a5ull;
	struct pgtable own;
	unsigned level;

	(void)state;
	assert_int_equal(PT_ROOT_ENTRIES, VA_BITS == 32 ? 4 : 512);
	assert_int_equal(PT_ROOT_ALIGN, VA_BITS == 32 ? 32 : PAGE_SIZE);
	memset(root, 0xa5, sizeof(root));
	assert_int_equal(pgtable_init(&own, root, pool, POOL_PAGES), 0);
	assert_ptr_equal(own.root, root);
	assert_int_equal(own.pool_used, 0);
	for (unsigned i = 0; i < PT_ROOT_ENTRIES; i++)
		assert_int_equal(root[i], 0);

	assert_int_equal(pgtable_map(&own, 0, 0, PAGE_SIZE, MAP_RAM), 0);
	assert_int_equal(pgtable_map(&own, VA_END - PAGE_SIZE, VA_END - PAGE_SIZE, PAGE_SIZE,
				     MAP_RAM), 0);
	/* One table for each level below the root, for each of the two pages. */
	assert_int_equal(own.pool_used, 2 * (3 - START_LEVEL));
	assert_int_equal(pgtable_lookup(&own, 0, &level), A_RAM | T_PAGE);
	assert_int_equal(level, 3);
	assert_int_equal(pgtable_lookup(&own, VA_END - PAGE_SIZE, &level),
			 (VA_END - PAGE_SIZE) | A_RAM | T_PAGE);
	assert_int_equal(level, 3);
	assert_int_equal(root[0] & 3, T_PAGE);	/* a table descriptor: the same type bits */
	assert_int_equal(root[PT_ROOT_ENTRIES - 1] & 3, T_PAGE);
	for (unsigned i = PT_ROOT_ENTRIES; i < PT_ROOT_ENTRIES + 8; i++)
		assert_int_equal(root[i], guard);
}

static void test_misaligned(void **state)
{
	(void)state;
	assert_int_equal(pgtable_map(&pt, 0x40000800, 0x40000000, PAGE_SIZE, MAP_RAM), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0x40000000, 0x40000001, PAGE_SIZE, MAP_RAM), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0x40000000, 0x40000000, 0x1800, MAP_RAM), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0x40000000, 0x40000000, 0, MAP_RAM), -EINVAL);
	expect_unmapped(0x40000000);
	assert_int_equal(pt.pool_used, 1);
}

/* Virtual addresses end at 2^VA_BITS, output addresses where OA_MASK ends. */
static void test_out_of_range(void **state)
{
	const uint64_t pa_end = OA_MASK + PAGE_SIZE;

	(void)state;
	/* The last page of each space is fine... */
	assert_int_equal(pgtable_map(&pt, VA_END - PAGE_SIZE, pa_end - PAGE_SIZE, PAGE_SIZE,
				     MAP_DEVICE), 0);
	expect_leaf(VA_END - PAGE_SIZE, pa_end - PAGE_SIZE, 3, A_DEVICE);
	/* ...one more is not. */
	assert_int_equal(pgtable_map(&pt, VA_END - PAGE_SIZE, 0, 2 * PAGE_SIZE, MAP_RAM), -EINVAL);
	assert_int_equal(pgtable_map(&pt, VA_END, 0, PAGE_SIZE, MAP_RAM), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0, pa_end - PAGE_SIZE, 2 * PAGE_SIZE, MAP_RAM), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0, pa_end, PAGE_SIZE, MAP_RAM), -EINVAL);
	/* Ranges that wrap around 2^64. */
	assert_int_equal(pgtable_map(&pt, ~0ull - PAGE_SIZE + 1, 0, 2 * PAGE_SIZE, MAP_RAM), -EINVAL);
	assert_int_equal(pgtable_map(&pt, 0, ~0ull - PAGE_SIZE + 1, 2 * PAGE_SIZE, MAP_RAM), -EINVAL);
	expect_unmapped(0);
}

/*
 * An address past the VA space does not alias the one with its top bits cleared. The first
 * whose start-level index wraps to 0 is 2^(12 + 9 * (4 - START_LEVEL)): 2^48 on arm64, where
 * that is VA_END, and 2^39 on arm32.
 */
static void test_lookup_past_va_space(void **state)
{
	(void)state;
	assert_int_equal(pgtable_map(&pt, 0, 0, PAGE_SIZE, MAP_RAM), 0);
	expect_leaf(0, 0, 3, A_RAM);
	expect_unmapped(VA_END);
	expect_unmapped(1ull << (12 + 9 * (4 - START_LEVEL)));
}

#define TEST(f)  cmocka_unit_test_setup(f, fresh_tables)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_empty),
		TEST(test_2m_blocks),
		TEST(test_4k_pages),
		TEST(test_pa_not_block_aligned),
		TEST(test_1g_block),
		TEST(test_1g_range_unaligned),
		TEST(test_split_2m),
		TEST(test_split_1g),
		TEST(test_split_keeps_each_kind),
		TEST(test_block_replaces_pages),
		TEST(test_kinds),
		TEST(test_ram_descriptor_bits),
		TEST(test_pool_exhausted),
		TEST(test_pool_exhausted_split),
		TEST(test_own_root),
		TEST(test_misaligned),
		TEST(test_out_of_range),
		TEST(test_lookup_past_va_space),
	};

	return cmocka_run_group_tests(tests, pool_setup, pool_teardown);
}
