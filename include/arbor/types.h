/*
 * Basic types and helpers used everywhere in Arbor.
 *
 * Physical addresses are 64-bit on both architectures (an arm32 guest can be handed banks
 * above 4 GiB); virtual addresses are pointer sized. Arbor maps memory one to one, so the two
 * have equal values where both exist, but keeping the types apart says which one a function
 * wants.
 */
#ifndef ARBOR_TYPES_H
#define ARBOR_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;
typedef uintptr_t vaddr_t;

/*
 * A page-table descriptor: 64 bits on both architectures (arm32 uses LPAE's long format).
 * Here rather than in mmu.h so that the architecture's interface (arch.h) needs nothing of
 * mm/'s.
 */
typedef uint64_t pte_t;

#define ARRAY_SIZE(a)        (sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a)     ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)       ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a)     (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b)            ((a) < (b) ? (a) : (b))
#define MAX(a, b)            ((a) > (b) ? (a) : (b))

/* Attribute shorthands; the C library's sys/cdefs.h may already define some of them. */
#ifndef __noreturn
#define __noreturn           __attribute__((noreturn))
#endif
#ifndef __printf
#define __printf(f, a)       __attribute__((format(printf, f, a)))
#endif
#ifndef __aligned
#define __aligned(n)         __attribute__((aligned(n)))
#endif
#ifndef __section
#define __section(s)         __attribute__((section(s)))
#endif
#ifndef __noinline
#define __noinline           __attribute__((noinline))
#endif
/*
 * A variable head.S need not clear (linker.ld's .bss.noclear): in a section of its own, named
 * after it, so that the linker can sort these by alignment even when link-time optimisation
 * has put them all in one object, where one shared section would keep the compiler's order
 * and the padding between a small variable and a page-aligned one.
 */
#define __noclear(name)      __section(".bss.noclear." #name)
#ifndef __used
#define __used               __attribute__((used))
#endif
#ifndef __unused
#define __unused             __attribute__((unused))
#endif

#define PAGE_SIZE            4096u
#define KiB                  1024ull
#define MiB                  (1024ull * KiB)
#define GiB                  (1024ull * MiB)

#endif
