/*
 * Self-tests of the physical page allocator (mm/page_alloc.c) on the memory Xen gave this
 * domain: a seeded random stress whose blocks are tagged page by page and checked before
 * they are freed (an overlap shows as a wrong tag), the free count back where it started,
 * no block inside the image, the DTB or a reserved range, and, when a bank lies above
 * 4 GiB, a block served from it.
 */
#include <arbor/image.h>
#include <arbor/page_alloc.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>

#define STRESS_SLOTS   64
#define STRESS_ROUNDS  4000
#define SOAK_ROUNDS    2000000	/* about 1,000,000 allocations and as many frees */
#define STRESS_ORDERS  5	/* orders 0-4 */

static uint32_t rng_state;

/* xorshift32: deterministic, so a failure repeats. */
static uint32_t rng(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

static bool overlaps(paddr_t a, uint64_t asize, paddr_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

/* Whether the block is where the allocator must never put one. */
static const char *forbidden(paddr_t pa, uint64_t size)
{
	if (overlaps(pa, size, (uintptr_t)_start_image, (uintptr_t)_end - (uintptr_t)_start_image))
		return "the image";
	if (overlaps(pa, size, platform.dtb.base, platform.dtb.size))
		return "the DTB";
	for (unsigned i = 0; i < platform.nreserved; i++)
		if (overlaps(pa, size, platform.reserved[i].base, platform.reserved[i].size))
			return "a reserved range";
	for (unsigned i = 0; i < platform.nmem; i++) {
		const struct mem_bank *b = &platform.mem[i];
		if (b->usable && pa >= b->base && pa + size <= b->base + b->size)
			return NULL;
	}
	return "outside every usable bank";
}

static uint64_t tag_of(paddr_t page)
{
	return page * 0x9e3779b97f4a7c15ull ^ 0xa5a5a5a5a5a5a5a5ull;
}

static void tag(paddr_t pa, unsigned order)
{
	for (unsigned i = 0; i < 1u << order; i++) {
		volatile uint64_t *w = (uint64_t *)(uintptr_t)(pa + (uint64_t)i * PAGE_SIZE);
		w[0] = tag_of(pa + (uint64_t)i * PAGE_SIZE);
		w[PAGE_SIZE / 8 - 1] = ~w[0];
	}
}

static bool tag_intact(paddr_t pa, unsigned order)
{
	for (unsigned i = 0; i < 1u << order; i++) {
		paddr_t page = pa + (uint64_t)i * PAGE_SIZE;
		volatile uint64_t *w = (uint64_t *)(uintptr_t)page;
		if (w[0] != tag_of(page) || w[PAGE_SIZE / 8 - 1] != ~tag_of(page))
			return false;
	}
	return true;
}

SELFTEST(page_alloc_stress)
{
	struct { void *p; unsigned order; } slot[STRESS_SLOTS] = { 0 };
	struct page_alloc_stats before, after;
	unsigned allocs = 0, frees = 0, bad = 0;
	unsigned rounds = selftest_count(STRESS_ROUNDS, SOAK_ROUNDS);

	page_alloc_get_stats(&before);
	SKIP_UNLESS(before.free_pages >= 1024, "only %llu free pages",
		    (unsigned long long)before.free_pages);
	rng_state = 0x2545f491;
	for (unsigned round = 0; round < rounds && !bad; round++) {
		unsigned i = rng() % STRESS_SLOTS;
		if (slot[i].p) {
			if (!tag_intact((uintptr_t)slot[i].p, slot[i].order)) {
				EXPECT(0, "block %p order %u was overwritten: an overlap", slot[i].p,
				       slot[i].order);
				bad++;
			}
			page_free(slot[i].p, slot[i].order);
			slot[i].p = NULL;
			frees++;
			continue;
		}
		unsigned order = rng() % STRESS_ORDERS;
		void *p = page_alloc(order);
		paddr_t pa = (uintptr_t)p;
		EXPECT(p, "page_alloc(%u) failed with %llu pages free", order,
		       (unsigned long long)before.free_pages);
		if (!p)
			break;
		const char *where = forbidden(pa, PAGE_SIZE << order);
		EXPECT(!where, "block 0x%llx order %u is in %s", (unsigned long long)pa, order,
		       where ? where : "");
		EXPECT(IS_ALIGNED(pa, (uint64_t)PAGE_SIZE << order), "block 0x%llx order %u misaligned",
		       (unsigned long long)pa, order);
		if (where) {
			bad++;
			break;
		}
		tag(pa, order);
		slot[i].p = p;
		slot[i].order = order;
		allocs++;
	}
	for (unsigned i = 0; i < STRESS_SLOTS; i++) {
		if (!slot[i].p)
			continue;
		EXPECT(tag_intact((uintptr_t)slot[i].p, slot[i].order),
		       "block %p order %u was overwritten: an overlap", slot[i].p, slot[i].order);
		page_free(slot[i].p, slot[i].order);
		frees++;
	}
	page_alloc_get_stats(&after);
	EXPECT(after.free_pages == before.free_pages, "free pages %llu after, %llu before",
	       (unsigned long long)after.free_pages, (unsigned long long)before.free_pages);
	EXPECT(after.blocks == before.blocks, "%u free blocks after, %u before", after.blocks,
	       before.blocks);
	EXPECT(allocs > rounds / 4, "only %u allocations", allocs);
	EXPECT(frees == allocs, "%u allocations, %u frees", allocs, frees);
	if (selftest_soak())
		printk("selftest:   soak: pages: %u allocs, %u frees; free %llu -> %llu pages, "
		       "%u -> %u blocks\n", allocs, frees, (unsigned long long)before.free_pages,
		       (unsigned long long)after.free_pages, before.blocks, after.blocks);
}

/*
 * Take blocks, largest first, until one comes from above 4 GiB; they are chained through
 * their first word and all given back. Only the first page of each is written.
 */
SELFTEST(page_alloc_high_bank)
{
	bool high_bank = false;
	for (unsigned i = 0; i < platform.nmem; i++)
		high_bank |= platform.mem[i].usable && platform.mem[i].base >= 4 * GiB;
	SKIP_UNLESS(high_bank, "no usable bank above 4 GiB");

	struct page_alloc_stats before, after;
	uintptr_t chain = 0;
	paddr_t found = 0;

	page_alloc_get_stats(&before);
	for (int order = PAGE_ALLOC_MAX_ORDER; order >= 0 && !found; order--) {
		void *p;
		while (!found && (p = page_alloc((unsigned)order))) {
			uint64_t *w = p;
			w[0] = chain;
			w[1] = (uint64_t)order;
			chain = (uintptr_t)p;
			const char *where = forbidden((uintptr_t)p, (uint64_t)PAGE_SIZE << order);
			EXPECT(!where, "block %p order %d is in %s", p, order, where ? where : "");
			paddr_t pa = (uintptr_t)p;
			if (pa >= 4 * GiB)
				found = pa;
		}
	}
	EXPECT(found, "no block above 4 GiB although a usable bank is there");
	if (found)
		printk("page_alloc: served 0x%llx from the bank above 4 GiB\n", (unsigned long long)found);
	while (chain) {
		uint64_t *w = (uint64_t *)chain;
		uintptr_t next = (uintptr_t)w[0];
		page_free(w, (unsigned)w[1]);
		chain = next;
	}
	page_alloc_get_stats(&after);
	EXPECT(after.free_pages == before.free_pages, "free pages %llu after, %llu before",
	       (unsigned long long)after.free_pages, (unsigned long long)before.free_pages);
}
