/*
 * Unit tests for mm/page_alloc.c over a fake RAM: an aligned malloc'd buffer whose address
 * stands in for physical memory (the allocator reaches memory through the identity map, and
 * on the host that is simply the buffer). A fake platform description puts banks in it, with
 * an "image", a "DTB", reserved ranges and a hypervisor region cut out.
 *
 * Checked: the exact free count and block list after init, alignment of every block, no
 * overlaps under a long seeded random alloc/free run (each page tagged and checked), freeing
 * everything coalescing back to the starting blocks, exhaustion, and bad and double frees
 * reported without changing the free lists; the boot's two-step init with early pages taken
 * from a window in between, and a forgotten (ballooned) block never read again.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

#include <arbor/page_alloc.h>
#include <arbor/platform.h>

#include "host_printk.h"

#define RAM_SIZE   (64 * MiB)
#define RAM_ALIGN  (16 * MiB)
#define PG         ((uint64_t)PAGE_SIZE)

/* The fake arch's interrupt mask (tests/host/fake/arch/irq.h), which the allocator's lock
 * sets while held: after allocations, frees and refused frees it must be back as it was. */
bool fake_irq_masked;

static uint8_t *ram;
static paddr_t base;
static struct platform plat;

static int setup(void **state)
{
	(void)state;
	if (!ram) {
		ram = aligned_alloc(RAM_ALIGN, RAM_SIZE);
		assert_non_null(ram);
		base = (uintptr_t)ram;
	}
	memset(&plat, 0, sizeof(plat));
	host_printk_reset();
	return 0;
}

static void add_bank(paddr_t off, uint64_t size, bool usable)
{
	plat.mem[plat.nmem++] = (struct mem_bank){ base + off, size, usable };
}

static uint64_t pages(uint64_t bytes)
{
	return bytes / PG;
}

/* One whole 16 MiB-aligned bank, nothing excluded: 4096 pages in one order-12 block. */
static void test_single_bank(void **state)
{
	(void)state;
	struct page_alloc_stats st;

	add_bank(0, 16 * MiB, true);
	assert_int_equal(page_alloc_init(&plat, 0, 0), pages(16 * MiB));
	page_alloc_get_stats(&st);
	assert_int_equal(st.free_pages, 4096);
	assert_int_equal(st.blocks, 1);
	assert_int_equal(st.largest_order, 12);

	char line[256];
	page_alloc_summary(&plat, line, sizeof(line));
	assert_string_equal(line, "mm: 16 MiB free in 1 blocks, largest 2^12 pages");
}

/* Holes: image, DTB (unaligned, widened to pages), reserved, hypervisor regions, and a bank
 * that is not usable. Free count must be exact; blocks are maximal and aligned. */
static void holes_platform(void)
{
	add_bank(0, 32 * MiB, true);
	add_bank(48 * MiB, 8 * MiB, true);
	add_bank(56 * MiB, 8 * MiB, false);	/* beyond the address limit: skipped */
	plat.dtb = (struct mem_range){ base + 4 * MiB + 100, PG + 200 };	/* 4 MiB+100 .. +2 pages */
	plat.reserved[plat.nreserved++] = (struct mem_range){ base + 20 * MiB, 3 * PG };
	plat.reserved[plat.nreserved++] = (struct mem_range){ base + 100 * MiB, MiB }; /* outside */
	plat.xen.present = true;
	plat.xen.gnttab = (struct mem_range){ base + 31 * MiB, 2 * MiB };	/* straddles the end */
	plat.xen.extended[plat.xen.nextended++] = (struct mem_range){ base + 50 * MiB, PG };
}

static uint64_t holes_expected(void)
{
	return pages(32 * MiB) - pages(MiB) /* image */ - 2 /* DTB */ - 3 /* reserved */ -
	       pages(MiB) /* gnttab part in RAM */ + pages(8 * MiB) - 1 /* extended */;
}

static void test_holes_exact(void **state)
{
	(void)state;
	struct page_alloc_stats st;

	holes_platform();
	assert_int_equal(page_alloc_init(&plat, base + MiB, base + 2 * MiB), holes_expected());
	page_alloc_get_stats(&st);
	assert_int_equal(st.free_pages, holes_expected());
	assert_int_equal(st.largest_order, 11);	/* 8 MiB at 8 MiB..16 MiB */
	assert_true(page_alloc_manages(base, PG));
	assert_false(page_alloc_manages(base + MiB, PG));
	assert_false(page_alloc_manages(base + 4 * MiB, PG));
	assert_true(page_alloc_manages(base + 4 * MiB + 2 * PG, PG));
	assert_false(page_alloc_manages(base + 20 * MiB + 2 * PG, PG));
	assert_false(page_alloc_manages(base + 31 * MiB, PG));
	assert_false(page_alloc_manages(base + 50 * MiB, PG));
	assert_false(page_alloc_manages(base + 56 * MiB, PG));

	char line[256];
	page_alloc_summary(&plat, line, sizeof(line));
	assert_non_null(strstr(line, "; bank 0x"));
	assert_non_null(strstr(line, "(8 MiB) skipped: not addressable"));
}

/* Drain everything one page at a time: every page exactly once, never a hole, then NULL. */
static void test_exhaustion_and_coalescing(void **state)
{
	(void)state;
	struct page_alloc_stats st0, st;

	holes_platform();
	uint64_t n = page_alloc_init(&plat, base + MiB, base + 2 * MiB);
	page_alloc_get_stats(&st0);
	uint8_t *seen = calloc(pages(RAM_SIZE), 1);
	void **got = calloc(n, sizeof(*got));

	for (uint64_t i = 0; i < n; i++) {
		got[i] = page_alloc(0);
		assert_non_null(got[i]);
		paddr_t pa = (uintptr_t)got[i];
		assert_true(pa >= base && pa < base + RAM_SIZE);
		assert_true(page_alloc_manages(pa, PG));
		assert_int_equal(seen[(pa - base) / PG]++, 0);
	}
	assert_null(page_alloc(0));
	assert_null(page_alloc(PAGE_ALLOC_MAX_ORDER));
	assert_null(page_alloc(PAGE_ALLOC_MAX_ORDER + 1));
	page_alloc_get_stats(&st);
	assert_int_equal(st.free_pages, 0);
	assert_int_equal(st.largest_order, -1);

	/* Free in a scrambled order: the blocks must merge back to the initial set. */
	for (uint64_t i = 0; i < n; i++) {
		uint64_t j = (i * 7919) % n;
		void *t = got[i];
		got[i] = got[j];
		got[j] = t;
	}
	for (uint64_t i = 0; i < n; i++)
		page_free(got[i], 0);
	page_alloc_get_stats(&st);
	assert_int_equal(st.free_pages, st0.free_pages);
	assert_int_equal(st.blocks, st0.blocks);
	assert_int_equal(st.largest_order, st0.largest_order);
	assert_int_equal(host_err_count, 0);
	free(seen);
	free(got);
}

static uint32_t rng_state;

static uint32_t rng(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

#define SLOTS  200

static void test_random_no_overlap(void **state)
{
	(void)state;
	struct page_alloc_stats st0, st;
	struct { uint64_t *p; unsigned order; } slot[SLOTS] = { 0 };
	unsigned failures = 0;

	holes_platform();
	page_alloc_init(&plat, base + MiB, base + 2 * MiB);
	page_alloc_get_stats(&st0);
	rng_state = 12345;
	for (unsigned round = 0; round < 100000; round++) {
		unsigned i = rng() % SLOTS;
		if (slot[i].p) {
			for (unsigned k = 0; k < 1u << slot[i].order; k++)
				assert_int_equal(slot[i].p[k * PG / 8], (uintptr_t)slot[i].p + k * PG);
			page_free(slot[i].p, slot[i].order);
			slot[i].p = NULL;
			continue;
		}
		unsigned order = rng() % 10;
		uint64_t *p = page_alloc(order);
		if (!p) {
			failures++;
			continue;
		}
		paddr_t pa = (uintptr_t)p;
		assert_true(IS_ALIGNED(pa, PG << order));
		assert_true(page_alloc_manages(pa, PG << order));
		for (unsigned k = 0; k < 1u << order; k++)
			p[k * PG / 8] = pa + k * PG;
		slot[i].p = p;
		slot[i].order = order;
	}
	for (unsigned i = 0; i < SLOTS; i++)
		if (slot[i].p)
			page_free(slot[i].p, slot[i].order);
	page_alloc_get_stats(&st);
	assert_int_equal(st.free_pages, st0.free_pages);
	assert_int_equal(st.blocks, st0.blocks);
	assert_int_equal(host_err_count, 0);
	assert_true(failures > 0);	/* orders up to 9 on ~50 MiB: exhaustion was reached */
	assert_false(fake_irq_masked);
}

static void test_bad_and_double_free(void **state)
{
	(void)state;
	struct page_alloc_stats st0, st;

	add_bank(0, 16 * MiB, true);
	page_alloc_init(&plat, 0, 0);
	uint8_t *a = page_alloc(0);
	uint8_t *b = page_alloc(2);
	page_alloc_get_stats(&st0);

	page_free(a + PG / 2, 0);	/* misaligned */
	assert_int_equal(host_err_count, 1);
	assert_non_null(strstr(host_last_err, "is not a block of the allocator's memory"));
	page_free(b + PG, 2);		/* misaligned for its order */
	page_free(ram + 32 * MiB, 0);	/* not managed */
	assert_int_equal(host_err_count, 3);
	page_alloc_get_stats(&st);
	assert_int_equal(st.free_pages, st0.free_pages);

	page_free(a, 0);
	assert_int_equal(host_err_count, 3);
	page_free(a, 0);		/* the page merged into a larger block */
	assert_int_equal(host_err_count, 4);
	assert_non_null(strstr(host_last_err, "already free (double free)"));
	page_free(b, 2);
	page_free(b + PG, 0);		/* a page of a free block */
	assert_int_equal(host_err_count, 5);
	page_free(b, 2);
	assert_int_equal(host_err_count, 6);
	page_alloc_get_stats(&st);
	assert_int_equal(st.free_pages, 4096);
	assert_int_equal(st.blocks, 1);
	assert_false(fake_irq_masked);	/* the refused frees released the lock's mask too */
	fake_irq_masked = true;		/* called with interrupts masked: they stay masked */
	page_free(page_alloc(0), 0);
	assert_true(fake_irq_masked);
	fake_irq_masked = false;
}

/*
 * page_alloc_find_free, then early pages from a window, then page_alloc_start: the pages
 * come from the ends of free ranges inside the window, one by one, and are not handed out
 * again; a window without a free range end gives none.
 */
static void test_early_pages(void **state)
{
	(void)state;
	add_bank(0, 16 * MiB, true);
	/* The "image" at 1-2 MiB: the free ranges are [0, 1 MiB) and [2, 16) MiB of the bank. */
	page_alloc_find_free(&plat, base + MiB, base + 2 * MiB);
	assert_null(page_alloc_early_page(base + 4 * MiB, base + 6 * MiB));
	void *a = page_alloc_early_page(base + 2 * MiB, base + 4 * MiB);
	void *b = page_alloc_early_page(base + 2 * MiB, base + 4 * MiB);
	assert_ptr_equal(a, (void *)(uintptr_t)(base + 2 * MiB));
	assert_ptr_equal(b, (void *)(uintptr_t)(base + 2 * MiB + PG));
	void *c = page_alloc_early_page(base + MiB / 2, base + 2 * MiB);
	assert_ptr_equal(c, (void *)(uintptr_t)(base + MiB - PG));
	assert_int_equal(page_alloc_start(), pages(15 * MiB) - 3);
	for (void *p; (p = page_alloc(0));)
		assert_true(p != a && p != b && p != c);
}

/* A forgotten block is outside the allocator: freeing its neighbours reads nothing in it. */
static void test_forget(void **state)
{
	(void)state;
	add_bank(0, 16 * MiB, true);
	page_alloc_init(&plat, 0, 0);
	uint8_t *blk[8];
	for (unsigned i = 0; i < 8; i++)
		blk[i] = page_alloc(2);
	page_alloc_forget(blk[2], 2);
	assert_false(page_alloc_manages((uintptr_t)blk[2], 4 * PG));
	/* Poison it: a header check that read there would see garbage, not a free block. */
	memset(blk[2], 0xa5, 4 * PG);
	for (unsigned i = 0; i < 8; i++)
		if (i != 2)
			page_free(blk[i], 2);
	assert_int_equal(host_err_count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_single_bank, setup),
		cmocka_unit_test_setup(test_holes_exact, setup),
		cmocka_unit_test_setup(test_exhaustion_and_coalescing, setup),
		cmocka_unit_test_setup(test_random_no_overlap, setup),
		cmocka_unit_test_setup(test_bad_and_double_free, setup),
		cmocka_unit_test_setup(test_early_pages, setup),
		cmocka_unit_test_setup(test_forget, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
