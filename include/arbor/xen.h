/*
 * Xen hypercalls Arbor uses, as typed wrappers over arch_hypercall(). Structures and numbers
 * come from Xen's public headers (libxen-dev), never from copies.
 */
#ifndef ARBOR_XEN_H
#define ARBOR_XEN_H

#include <arbor/types.h>   /* the Xen headers expect stdint types in scope */

#include <xen/xen.h>
#include <xen/sched.h>

#include <arbor/types.h>
#include <arch/hypercall.h>

/* Write n bytes to Xen's console (HYPERVISOR_console_io, CONSOLEIO_write). */
long xen_console_write(const char *s, size_t n);

/* SCHEDOP_shutdown with reason (SHUTDOWN_poweroff, SHUTDOWN_crash, ...); never returns. */
void xen_shutdown(unsigned int reason) __noreturn;

/* Whether this domain is the hardware domain (XENFEAT_dom0). */
bool xen_is_dom0(void);

/*
 * dom0 only: wait (at most a minute) until every other domain has shut down, so that
 * powering off, which halts the machine, does not cut them short.
 */
void xen_wait_other_domains(void);

/* The name of a Xen error number (a negative hypercall result), e.g. "EINVAL". */
const char *xen_strerror(long err);

#endif
