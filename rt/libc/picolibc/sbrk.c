/*
 * picolibc's names for what rt/libc/heap.c provides, and what picolibc keeps per thread:
 * its errno is a __thread variable, so every thread has its own (sched/tls.c).
 */
#include <unistd.h>

#include <arbor/libc.h>

void *sbrk(ptrdiff_t incr)
{
	return libc_heap_sbrk(incr);
}

bool libc_errno_per_thread(void)
{
	return true;
}
