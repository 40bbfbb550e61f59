/*
 * page_alloc_table() for host tests of code that takes its tables from the page allocator
 * (irq/irq.c): zeroed memory from calloc, never freed, as in the kernel.
 */
#include <stdio.h>
#include <stdlib.h>

#include <arbor/page_alloc.h>

void *page_alloc_table(size_t size, const char *what)
{
	void *p = calloc(1, size);

	if (!p) {
		fprintf(stderr, "fake page_alloc_table: out of memory for %s\n", what);
		abort();
	}
	return p;
}
