/*
 * The physical page allocator: a buddy allocator whose free lists live in the free memory.
 *
 * At init the usable banks, minus everything already in use, become a short sorted list of
 * free ranges; each range is cut into maximal aligned power-of-two blocks (at most about
 * 2 * PAGE_ALLOC_MAX_ORDER per range, plus one per 1 GiB), and each block's first page gets
 * a header linking it into the free list of its order. No per-page array exists, so a 4 GiB
 * domain costs the same few hundred writes as a 64 MiB one.
 *
 * Whether a block's buddy is free is read from the buddy's own header. A header is valid
 * only while its block is on a free list: it is written when the block goes on a list and
 * its check word cleared when the block comes off (allocation, or absorption by a merge), so
 * an allocated block never carries a stale one. The check word mixes a magic number with the
 * block's address and order, so neither a copied header nor ordinary data passes for one.
 * The buddy is only read when the merged block lies inside the same free range, so the read
 * never leaves mapped RAM and never merges across a hole.
 *
 * Once running (page_alloc_start), the free lists are shared by every CPU and thread: one
 * spinlock, taken with interrupts masked, covers each allocation, free and statistics read.
 * The set-up before that runs on the boot CPU alone.
 */
#include <string.h>

#include <arbor/format.h>
#include <arbor/page_alloc.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/spinlock.h>

#define PAGE_SHIFT   12
#define FREE_MAGIC   0x5a17b10c4b7e3e5dull

/* Banks, then each excluded range can split one range in two; page_alloc_forget() too. */
#define MAX_EXCLUDED  (2 + PLATFORM_MAX_RESERVED + 1 + PLATFORM_MAX_EXTENDED)
#define MAX_FORGOTTEN 4
#define MAX_RANGES    (PLATFORM_MAX_BANKS + MAX_EXCLUDED + MAX_FORGOTTEN)

_Static_assert(PAGE_SIZE == 1u << PAGE_SHIFT, "4 KiB pages");

struct free_block {
	struct free_block *next, *prev;
	uint64_t check;		/* FREE_MAGIC ^ address ^ order while on a free list, else 0 */
	unsigned order;
};

struct range {
	paddr_t start, end;	/* page aligned, start < end */
};

static struct free_block *free_list[PAGE_ALLOC_MAX_ORDER + 1];
static unsigned free_count[PAGE_ALLOC_MAX_ORDER + 1];
static uint64_t free_pages;
static struct range ranges[MAX_RANGES];
static unsigned nranges;
static struct spinlock lock = SPINLOCK_INIT;

static inline uint64_t block_bytes(unsigned order)
{
	return (uint64_t)PAGE_SIZE << order;
}

static inline struct free_block *block_at(paddr_t pa)
{
	return (struct free_block *)(uintptr_t)pa;
}

static inline uint64_t check_word(paddr_t pa, unsigned order)
{
	return FREE_MAGIC ^ pa ^ order;
}

static void push_block(paddr_t pa, unsigned order)
{
	struct free_block *b = block_at(pa);

	b->order = order;
	b->check = check_word(pa, order);
	b->prev = NULL;
	b->next = free_list[order];
	if (b->next)
		b->next->prev = b;
	free_list[order] = b;
	free_count[order]++;
	free_pages += 1ull << order;
}

static void remove_block(struct free_block *b, unsigned order)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		free_list[order] = b->next;
	if (b->next)
		b->next->prev = b->prev;
	b->check = 0;
	free_count[order]--;
	free_pages -= 1ull << order;
}

/* Whether a free block of exactly this order starts at pa (pa must be in a free range). */
static bool is_free_block(paddr_t pa, unsigned order)
{
	const struct free_block *b = block_at(pa);
	return b->check == check_word(pa, order) && b->order == order;
}

/* The range holding [pa, pa + size), or NULL. The ranges are sorted and few. */
static const struct range *range_of(paddr_t pa, uint64_t size)
{
	for (unsigned i = 0; i < nranges; i++)
		if (pa >= ranges[i].start && pa + size <= ranges[i].end && pa + size > pa)
			return &ranges[i];
	return NULL;
}

bool page_alloc_manages(paddr_t pa, uint64_t size)
{
	return range_of(pa, size) != NULL;
}

/* Remove [start, end) from every range, splitting one that it falls inside. */
static void exclude(paddr_t start, uint64_t size)
{
	if (!size)
		return;
	paddr_t s = ALIGN_DOWN(start, PAGE_SIZE);
	paddr_t e = start + size < start ? ~(paddr_t)0 : start + size;
	e = e > ~(paddr_t)0 - PAGE_SIZE ? ALIGN_DOWN(~(paddr_t)0, PAGE_SIZE) : ALIGN_UP(e, PAGE_SIZE);

	for (unsigned i = 0; i < nranges; i++) {
		struct range *r = &ranges[i];
		if (e <= r->start || s >= r->end)
			continue;
		if (s > r->start && e < r->end) {
			/* Room is guaranteed by MAX_RANGES: each exclusion splits at most once. */
			ranges[nranges++] = (struct range){ e, r->end };
			r->end = s;
		} else if (s > r->start) {
			r->end = s;
		} else if (e < r->end) {
			r->start = e;
		} else {
			ranges[i--] = ranges[--nranges];
		}
	}
}

static void sort_ranges(void)
{
	for (unsigned i = 1; i < nranges; i++) {
		struct range r = ranges[i];
		unsigned j = i;
		for (; j > 0 && ranges[j - 1].start > r.start; j--)
			ranges[j] = ranges[j - 1];
		ranges[j] = r;
	}
}

/* Cut [start, end) into maximal aligned blocks, lowest address first. */
static void add_range(paddr_t start, paddr_t end)
{
	paddr_t pa = start;

	while (pa < end) {
		unsigned order = 0;
		while (order < PAGE_ALLOC_MAX_ORDER && IS_ALIGNED(pa, block_bytes(order + 1)) &&
		       end - pa >= block_bytes(order + 1))
			order++;
		push_block(pa, order);
		pa += block_bytes(order);
	}
}

void page_alloc_find_free(const struct platform *plat, paddr_t image_start, paddr_t image_end)
{
	for (unsigned o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++) {
		free_list[o] = NULL;
		free_count[o] = 0;
	}
	free_pages = 0;
	nranges = 0;

	for (unsigned i = 0; i < plat->nmem; i++) {
		const struct mem_bank *b = &plat->mem[i];
		paddr_t s = ALIGN_UP(b->base, PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(b->base + b->size, PAGE_SIZE);
		if (b->usable && e > s)
			ranges[nranges++] = (struct range){ s, e };
	}

	/*
	 * A no-map range (Devicetree Specification v0.4, 3.5.4) is one the OS must not even
	 * map: firmware or another agent owns it. Arbor's image already runs there, mapped, so
	 * nothing can be trusted on: stop, naming both. Other reserved ranges over the image
	 * (a /memreserve/ a boot loader wrote for the image it loaded) are only kept out of
	 * the allocator, as they are anywhere.
	 */
	for (unsigned i = 0; i < plat->nreserved; i++) {
		const struct mem_range *r = &plat->reserved[i];
		if (plat->reserved_nomap[i] && r->base < image_end && image_start < r->base + r->size)
			panic("mm: reserved range 0x%llx-0x%llx (/reserved-memory/%s) is no-map, but "
			      "the kernel image 0x%llx-0x%llx lies in it\n",
			      (unsigned long long)r->base, (unsigned long long)(r->base + r->size - 1),
			      plat->reserved_name[i] ? plat->reserved_name[i] : "?",
			      (unsigned long long)image_start, (unsigned long long)(image_end - 1));
	}

	/* Page 0 stays unmapped (mm/mmu.c), so that a NULL access faults. */
	exclude(0, PAGE_SIZE);
	exclude(image_start, image_end - image_start);
	exclude(plat->dtb.base, plat->dtb.size);
	for (unsigned i = 0; i < plat->nreserved; i++)
		exclude(plat->reserved[i].base, plat->reserved[i].size);
	if (plat->xen.present) {
		/* Guest-physical space for foreign pages: outside RAM in every layout Xen
		 * builds, but never hand out a page Xen may map something over. */
		exclude(plat->xen.gnttab.base, plat->xen.gnttab.size);
		for (unsigned i = 0; i < plat->xen.nextended; i++)
			exclude(plat->xen.extended[i].base, plat->xen.extended[i].size);
	}
	sort_ranges();
}

/*
 * A page at an end of a free range, inside [lo, hi): taking it off the range's end never
 * splits a range, so the table of ranges cannot overflow. Nothing is written to memory here.
 */
void *page_alloc_early_page(paddr_t lo, paddr_t hi)
{
	for (unsigned i = 0; i < nranges; i++) {
		struct range *r = &ranges[i];
		paddr_t pa;

		if (r->start >= lo && r->start + PAGE_SIZE <= hi && r->start < r->end) {
			pa = r->start;
			r->start += PAGE_SIZE;
		} else if (r->end <= hi && r->end - PAGE_SIZE >= lo && r->start < r->end) {
			r->end -= PAGE_SIZE;
			pa = r->end;
		} else {
			continue;
		}
		if (r->start == r->end) {
			ranges[i] = ranges[--nranges];
			sort_ranges();
		}
		return (void *)(uintptr_t)pa;
	}
	return NULL;
}

void page_alloc_forget(void *addr, unsigned order)
{
	if (nranges == MAX_RANGES)
		panic("page_alloc: range table exhausted (MAX_FORGOTTEN): cannot forget 0x%llx\n",
		      (unsigned long long)(uintptr_t)addr);
	exclude((uintptr_t)addr, block_bytes(order));
	sort_ranges();
}

uint64_t page_alloc_start(void)
{
	for (unsigned i = 0; i < nranges; i++)
		add_range(ranges[i].start, ranges[i].end);
	return free_pages;
}

uint64_t page_alloc_init(const struct platform *plat, paddr_t image_start, paddr_t image_end)
{
	page_alloc_find_free(plat, image_start, image_end);
	return page_alloc_start();
}

static void *alloc_locked(unsigned order)
{
	unsigned o = order;

	if (order > PAGE_ALLOC_MAX_ORDER)
		return NULL;
	while (o <= PAGE_ALLOC_MAX_ORDER && !free_list[o])
		o++;
	if (o > PAGE_ALLOC_MAX_ORDER)
		return NULL;

	struct free_block *b = free_list[o];
	paddr_t pa = (uintptr_t)b;
	remove_block(b, o);
	while (o > order) {
		o--;
		push_block(pa + block_bytes(o), o);
	}
	return b;
}

void *page_alloc(unsigned order)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	void *p = alloc_locked(order);

	spin_unlock_irqrestore(&lock, flags);
	return p;
}

void *page_alloc_table(size_t size, const char *what)
{
	unsigned order = 0;

	while (order <= PAGE_ALLOC_MAX_ORDER && block_bytes(order) < size)
		order++;
	uint8_t *p = page_alloc(order);
	if (!p)
		panic("mm: out of memory for %s (%zu bytes, a block of 2^%u pages)\n", what, size,
		      order);
	memset(p, 0, block_bytes(order));
	return p;
}

/*
 * A free block overlapping the order-`order` block at pa: one starting at pa (of any order),
 * or one of a higher order containing it. Only headers inside pa's range are read.
 */
static bool overlaps_free(const struct range *r, paddr_t pa, unsigned order)
{
	for (unsigned o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++) {
		paddr_t head = ALIGN_DOWN(pa, block_bytes(o));
		if (o < order && is_free_block(pa, o))
			return true;
		if (o >= order && head >= r->start && head + block_bytes(o) <= r->end &&
		    is_free_block(head, o))
			return true;
	}
	return false;
}

static void free_locked(void *addr, unsigned order)
{
	paddr_t pa = (uintptr_t)addr;
	const struct range *r = order <= PAGE_ALLOC_MAX_ORDER ? range_of(pa, block_bytes(order)) : NULL;

	if (!r || !IS_ALIGNED(pa, block_bytes(order))) {
		pr_err("page_free: 0x%llx order %u is not a block of the allocator's memory\n",
		       (unsigned long long)pa, order);
		return;
	}
	if (overlaps_free(r, pa, order)) {
		pr_err("page_free: 0x%llx order %u is already free (double free)\n",
		       (unsigned long long)pa, order);
		return;
	}

	while (order < PAGE_ALLOC_MAX_ORDER) {
		paddr_t buddy = pa ^ block_bytes(order);
		paddr_t merged = pa & ~(block_bytes(order + 1) - 1);
		if (merged < r->start || merged + block_bytes(order + 1) > r->end ||
		    !is_free_block(buddy, order))
			break;
		remove_block(block_at(buddy), order);
		pa = merged;
		order++;
	}
	push_block(pa, order);
}

void page_free(void *addr, unsigned order)
{
	unsigned long flags = spin_lock_irqsave(&lock);

	free_locked(addr, order);
	spin_unlock_irqrestore(&lock, flags);
}

void page_alloc_get_stats(struct page_alloc_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&lock);

	st->free_pages = free_pages;
	st->blocks = 0;
	st->largest_order = -1;
	for (unsigned o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++) {
		st->blocks += free_count[o];
		if (free_count[o])
			st->largest_order = (int)o;
	}
	spin_unlock_irqrestore(&lock, flags);
}

size_t page_alloc_summary(const struct platform *plat, char *buf, size_t size)
{
	struct page_alloc_stats st;
	size_t n;

	page_alloc_get_stats(&st);
	n = format_buf(buf, size, "mm: %llu MiB free in %u blocks, largest 2^%d pages",
		       (unsigned long long)(st.free_pages * PAGE_SIZE / MiB), st.blocks,
		       st.largest_order);
	for (unsigned i = 0; i < plat->nmem && n < size; i++) {
		const struct mem_bank *b = &plat->mem[i];
		if (!b->usable)
			n += format_buf(buf + n, size - n,
					"; bank 0x%llx-0x%llx (%llu MiB) skipped: not addressable",
					(unsigned long long)b->base,
					(unsigned long long)(b->base + b->size - 1),
					(unsigned long long)(b->size / MiB));
	}
	return n;
}
