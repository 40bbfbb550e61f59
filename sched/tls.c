/*
 * Thread-local storage: each thread's copy of the TLS image (__thread variables, such as
 * picolibc's errno), and the thread pointer value that finds it.
 *
 * The layout is the ELF TLS ABI's variant 1, which both Arm ABIs use: the thread pointer
 * points at a thread control block of ARCH_TLS_TCB_SIZE bytes (unused by Arbor, zeroed),
 * and the TLS block follows at the TCB's size rounded up to the TLS segment's alignment;
 * the linker resolves every __thread access in the static image as that fixed offset from
 * the thread pointer (local-exec). The block starts with .tdata's initial values and
 * continues with .tbss, zeroed. linker.ld provides the image's symbols.
 */
#include <string.h>

#include <arbor/printk.h>
#include <arbor/sched.h>
#include <arch/context.h>

#include "thread.h"

/* linker.ld: the image's bounds, and its alignment as a distance from __tdata_start. */
extern const char __tdata_start[], __tdata_end[], __tbss_start[], __tbss_end[];
extern const char __tls_align_mark[];

/* The TLS segment's alignment (its PT_TLS p_align), which places the block; 1 without one. */
static size_t tls_align(void)
{
	size_t align = (size_t)(__tls_align_mark - __tdata_start);

	return align ? align : 1;
}

/* Offset of the TLS block from the thread pointer, as the linker computed it. */
static size_t tls_block_offset(void)
{
	size_t align = tls_align();

	return (ARCH_TLS_TCB_SIZE + align - 1) & ~(align - 1);
}

/* The thread pointer's alignment: the segment's, and at least 16 (sp-like, harmless). */
static size_t tp_align(void)
{
	return tls_align() < 16 ? 16 : tls_align();
}

size_t sched_tls_area_size(void)
{
	return tls_block_offset() + (size_t)(__tbss_end - __tdata_start);
}

uintptr_t sched_tls_area_init(void *area, size_t room)
{
	uintptr_t tp = ((uintptr_t)area + tp_align() - 1) & ~(uintptr_t)(tp_align() - 1);
	size_t need = sched_tls_area_size();

	if (tp + need > (uintptr_t)area + room)
		panic("sched: the TLS image (%zu bytes, aligned to %zu) does not fit its %zu-byte area\n",
		      need, tp_align(), room);
	char *block = (char *)tp + tls_block_offset();
	memset((void *)tp, 0, need);
	memcpy(block, __tdata_start, (size_t)(__tdata_end - __tdata_start));
	return tp;
}
