/*
 * The heap behind the C library's malloc: sbrk over one region of the page allocator
 * (rt/libc/<libc>/ names it as its library expects: sbrk for picolibc, _sbrk for newlib).
 *
 * malloc (picolibc's nano-malloc, newlib's dlmalloc) grows its arena with sbrk and expects
 * the new memory to follow the old, but the page allocator's blocks are not contiguous with one another. So
 * the first sbrk reserves one block, the largest of order at most HEAP_MAX_ORDER that is
 * free and no bigger than a quarter of the free memory (at least HEAP_MIN_ORDER), and the
 * break then moves inside it. When a request does not fit, sbrk says so once with the
 * sizes and returns (void *)-1 with errno ENOMEM, so malloc returns NULL. Freed memory
 * goes back to malloc's free list and is reused; the block itself is never returned to the
 * page allocator (the heap lives as long as the domain).
 */
#include <errno.h>

#include <arbor/libc.h>
#include <arbor/page_alloc.h>
#include <arbor/printk.h>

#define HEAP_MAX_ORDER  13	/* 2^13 pages: 32 MiB */
#define HEAP_MIN_ORDER  4	/* 64 KiB */

static char *heap_base, *heap_brk, *heap_end;
static bool exhausted_reported;

static bool heap_reserve(void)
{
	struct page_alloc_stats st;
	int order = HEAP_MAX_ORDER;

	page_alloc_get_stats(&st);
	while (order > HEAP_MIN_ORDER && (1ull << order) > st.free_pages / 4)
		order--;
	for (; order >= HEAP_MIN_ORDER; order--) {
		heap_base = page_alloc((unsigned)order);
		if (heap_base)
			break;
	}
	if (!heap_base) {
		pr_err("libc: no memory for the heap (not even 2^%d pages free)\n", HEAP_MIN_ORDER);
		return false;
	}
	heap_brk = heap_base;
	heap_end = heap_base + ((size_t)PAGE_SIZE << order);
	return true;
}

void *libc_heap_sbrk(ptrdiff_t incr)
{
	if (!heap_base && !heap_reserve()) {
		errno = ENOMEM;
		return (void *)-1;
	}
	if (incr > heap_end - heap_brk || incr < heap_base - heap_brk) {
		if (!exhausted_reported && incr > 0) {
			pr_err("libc: heap exhausted: %zu more bytes asked, %zu of %zu KiB in use\n",
			       (size_t)incr, (size_t)(heap_brk - heap_base) / 1024,
			       (size_t)(heap_end - heap_base) / 1024);
			exhausted_reported = true;
		}
		errno = ENOMEM;
		return (void *)-1;
	}
	char *old = heap_brk;
	heap_brk += incr;
	return old;
}

void libc_heap_get_stats(struct libc_heap_stats *st)
{
	st->base = (uintptr_t)heap_base;
	st->size = (size_t)(heap_end - heap_base);
	st->used = (size_t)(heap_brk - heap_base);
}
