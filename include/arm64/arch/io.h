/*
 * arm64 device-register accessors: every access to a memory-mapped device goes through these.
 *
 * Each is a single load or store with a plain base register and no writeback. Under Xen (and
 * KVM) a trapped access, such as any to the GIC distributor, a vpl011 or an emulated RTC, can
 * be emulated only from the syndrome of the data abort, which is valid (ESR_EL2.ISV) for a
 * single load or store without writeback (Arm ARM DDI 0487, ESR_EL2, ISS encoding for an
 * exception from a Data Abort). A plain volatile dereference leaves the instruction to the
 * compiler, which may use a pair, a post-indexed form or a wider access: Xen cannot emulate
 * those and the domain is killed. The "memory" clobber keeps the compiler from moving other
 * memory accesses across a device access.
 */
#ifndef ARCH_IO_H
#define ARCH_IO_H

#include <arbor/types.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline uint8_t mmio_read8(uintptr_t addr)
{
	uint32_t v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return (uint8_t)v;
}

static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
	__asm__ volatile("strb %w0, [%1]" : : "r"((uint32_t)v), "r"(addr) : "memory");
}

#endif
