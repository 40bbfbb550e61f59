/*
 * The register frame boot/arm32/vectors.S saves on every exception, as C sees it, and the
 * vector numbers it passes to trap_entry() (the entry's offset in the vector table / 4).
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

/* Vector table entries, Arm ARM B1.8.1 table B1-3 (VBAR-relative offset / 4). */
#define VECTOR_RESET       0
#define VECTOR_UNDEF       1
#define VECTOR_SVC         2
#define VECTOR_PABT        3
#define VECTOR_DABT        4
#define VECTOR_UNUSED      5
#define VECTOR_IRQ         6
#define VECTOR_FIQ         7

#define TRAP_FRAME_SIZE    (22 * 4)
#define TRAP_SP            (13 * 4)
#define TRAP_DFSR          (15 * 4)
#define TRAP_PC            (20 * 4)

#ifndef __ASSEMBLY__
#include <stdint.h>

struct trap_frame {
	uint32_t r[13];		/* r0..r12 (for an FIQ, r8..r12 are FIQ mode's own) */
	uint32_t sp;		/* the interrupted mode's r13 */
	uint32_t lr;		/* the interrupted mode's r14 */
	uint32_t dfsr;		/* DFSR / DFAR / IFSR / IFAR, whichever the vector needs */
	uint32_t dfar;
	uint32_t ifsr;
	uint32_t ifar;
	uint32_t reserved;	/* keeps the frame a multiple of 8 bytes (AAPCS stack alignment) */
	uint32_t pc;		/* the return address: RFE resumes here */
	uint32_t cpsr;		/* the interrupted CPSR (the exception mode's SPSR) */
};

_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "vectors.S frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, sp) == TRAP_SP, "vectors.S frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, dfsr) == TRAP_DFSR, "vectors.S frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, pc) == TRAP_PC, "vectors.S frame layout");
_Static_assert(TRAP_FRAME_SIZE % 8 == 0, "AAPCS: the stack stays 8-byte aligned");
#endif

#endif
