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

#endif
