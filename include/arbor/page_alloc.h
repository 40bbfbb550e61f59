/*
 * The physical page allocator: power-of-two blocks of pages (a buddy allocator) over every
 * usable RAM bank minus what is already in use (the image, the DTB, reserved ranges, the
 * hypervisor node's regions). Memory is reached through the identity map, so a block's
 * address is both its physical and its virtual address.
 *
 * An order-o block is 2^o pages, aligned to its own size. Allocation and free take
 * O(PAGE_ALLOC_MAX_ORDER) steps; initialisation writes one header per maximal aligned block
 * of each free range and never walks the pages, so its cost does not grow with RAM size.
 *
 * Not locked: callers are the boot CPU's threads, never interrupt handlers.
 */
#ifndef ARBOR_PAGE_ALLOC_H
#define ARBOR_PAGE_ALLOC_H

#include <arbor/types.h>

#define PAGE_ALLOC_MAX_ORDER  18	/* 2^18 pages: 1 GiB blocks */

struct platform;

struct page_alloc_stats {
	uint64_t free_pages;
	unsigned blocks;		/* free blocks, all orders */
	int largest_order;		/* order of the largest free block; -1 when none */
};

/*
 * Take over every usable bank of plat, except [image_start, image_end), the DTB, the reserved
 * ranges and the hypervisor node's regions (each widened to whole pages). Forgets any earlier
 * state, so a host test may call it again. Returns the number of free pages.
 */
uint64_t page_alloc_init(const struct platform *plat, paddr_t image_start, paddr_t image_end);

/*
 * page_alloc_init in two steps, for the boot: page_alloc_find_free() works out the free
 * ranges (from the platform description alone: it writes nothing but the allocator's own
 * variables), page_alloc_start() hands them to the buddy allocator, which writes a header
 * into each free block and so needs all RAM mapped. In between, mmu_init() builds the map
 * that does, with table pages from page_alloc_early_page(): a free page inside [lo, hi),
 * memory the boot map already covers, taken out of the free ranges for good. NULL when that
 * window holds none.
 */
/*
 * An allocated block whose frames were given back to Xen (ballooned): the allocator stops
 * managing it, so that no later free or double-free check reads a header there, which would
 * be a stage-2 fault. It is never freed. Panics when the range table is full.
 */
void page_alloc_forget(void *addr, unsigned order);

void page_alloc_find_free(const struct platform *plat, paddr_t image_start, paddr_t image_end);
void *page_alloc_early_page(paddr_t lo, paddr_t hi);
uint64_t page_alloc_start(void);

/* A free block of 2^order pages, aligned to its size; NULL when none is left (or order is
 * above PAGE_ALLOC_MAX_ORDER). The contents are whatever was there. */
void *page_alloc(unsigned order);

/*
 * Zeroed memory for a table of size bytes that a subsystem keeps for good (the smallest block
 * that holds it, never given back): boot-time tables live here rather than in .bss, which the
 * arm32 zImage carries in its file. Panics naming what when memory is exhausted.
 */
void *page_alloc_table(size_t size, const char *what);

/*
 * Give back a block page_alloc(order) returned. A block that cannot be one (misaligned, not
 * in the allocator's memory) or that is still free (a double free) is reported and ignored,
 * never merged into the free lists.
 */
void page_free(void *addr, unsigned order);

void page_alloc_get_stats(struct page_alloc_stats *st);

/* Whether [pa, pa + size) lies inside the memory the allocator manages (free or not). */
bool page_alloc_manages(paddr_t pa, uint64_t size);

/*
 * The boot summary line, without its newline, into buf: "mm: N MiB free in K blocks, largest
 * 2^o pages", then "; bank B-E (S MiB) skipped: not addressable" for each bank this build
 * cannot reach (arm32 maps only the 32-bit space). Returns its length.
 */
size_t page_alloc_summary(const struct platform *plat, char *buf, size_t size);

#endif
