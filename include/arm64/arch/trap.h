/*
 * The register frame boot/arm64/vectors.S saves on every exception, as C sees it.
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#define TRAP_FRAME_SIZE  (36 * 8)
#define TRAP_ELR         (32 * 8)

#ifndef __ASSEMBLY__
#include <stdint.h>

struct trap_frame {
	uint64_t x[31];		/* x0..x30 (x30 is the link register) */
	uint64_t sp;		/* the interrupted stack pointer */
	uint64_t elr;		/* ELR_EL1: where the exception was taken */
	uint64_t spsr;		/* SPSR_EL1 */
	uint64_t esr;		/* ESR_EL1: syndrome */
	uint64_t far;		/* FAR_EL1: faulting address, when the class has one */
};

_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "vectors.S frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, elr) == TRAP_ELR, "vectors.S frame layout");
#endif

#endif
