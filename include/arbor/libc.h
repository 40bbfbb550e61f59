/*
 * The glue between picolibc and the kernel (rt/libc/): stdout/stderr on the console, the
 * heap behind malloc, _exit, time and clocks, and locks for libc's internal state.
 * Applications use the C library itself; this header is for tests and reports.
 */
#ifndef ARBOR_LIBC_H
#define ARBOR_LIBC_H

#include <stddef.h>

#include <arbor/types.h>

/* The region malloc grows into (reserved from the page allocator at its first sbrk). */
struct libc_heap_stats {
	uintptr_t base;		/* 0 until malloc first asks for memory */
	size_t size;		/* bytes reserved */
	size_t used;		/* bytes handed to malloc so far (the break minus base) */
};

void libc_heap_get_stats(struct libc_heap_stats *st);

/*
 * sbrk itself (rt/libc/heap.c): the old break, after moving it by incr; (void *)-1 with
 * errno ENOMEM when that would leave the region.
 */
void *libc_heap_sbrk(ptrdiff_t incr);

/* Whether errno (and the rest of the library's per-thread state) is kept per thread. */
bool libc_errno_per_thread(void);

#endif
