/*
 * The kernel's entry points between boot and the application.
 */
#ifndef ARBOR_KERNEL_H
#define ARBOR_KERNEL_H

#include <arbor/types.h>

/* Called by boot/<arch>/head.S with the MMU on and the DTB's address; never returns. */
void kernel_main(uintptr_t dtb) __noreturn;

/* The application's entry. Its return value is reported; returning powers the domain off. */
int app_main(void);

/*
 * The phases of a boot, in the order boot/main.c goes through them: kernel_main() up to
 * BOOT_TIMER, the thread main it starts after that (sched_init). At the end of each it
 * reads the virtual counter into boot_phase_end[] (head.S's reading at entry is
 * boot_entry_counter, include/arbor/time.h), so that a benchmark can say what each phase cost (apps/bench).
 */
enum boot_phase {
	BOOT_HEAD,		/* head.S: relocation, .bss cleared, boot map, MMU on */
	BOOT_DTB,		/* the DTB validated and indexed, in one pass (fdt/index.c) */
	BOOT_PROBE,		/* the platform described from it */
	BOOT_DETECT,		/* Xen detected (or not), the early console chosen */
	BOOT_PAGE_TABLES,	/* the free ranges found, the kernel's own map built from them */
	BOOT_ALLOCATOR,		/* the page allocator started over the free ranges */
	BOOT_CONSOLE,		/* the console chosen, the boot summary printed */
	BOOT_GIC,		/* the interrupt controller */
	BOOT_TIMER,		/* the clock and the timer */
	BOOT_SCHED,		/* threads: main started, kernel_main() become idle, main running */
	BOOT_XEN,		/* Xen's services: shared info, events, and the linked ones (grants, xenstore) */
	BOOT_PHASES
};

extern uint64_t boot_phase_end[BOOT_PHASES];
/* Short names, for the benchmark's lines: "head", "dtb", "probe"... */
extern const char *const boot_phase_name[BOOT_PHASES];

#endif
