/*
 * Xen hypercalls Arbor uses, as typed wrappers over xen_hypercall(). Structures and numbers
 * come from Xen's public headers (libxen-dev), never from copies.
 *
 * Errors: every function of xen/ (this header, evtchn.h, gnttab.h, xenstore.h) returns the C
 * library's negative <errno.h> values, never Xen's. Xen's own numbers (public xen/errno.h)
 * differ from picolibc's and newlib's (ENOSYS: 38 against 88), so xen_hypercall() translates a
 * hypercall's negative result by name once, and nothing above it sees Xen's numbers.
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

/*
 * SCHEDOP_shutdown with reason (SHUTDOWN_poweroff, SHUTDOWN_crash, ...). Returns only when
 * Xen refused (or no Xen took the call): the error, translated. kernel_halt() (below) is the caller.
 */
long xen_shutdown(unsigned int reason);

/* How the kernel ends: the word of its last line, `arbor: halt: poweroff|crash`. */
enum halt_reason { HALT_POWEROFF, HALT_CRASH };

/*
 * End the kernel (xen/halt.c: the calls that end it are Xen's and the firmware's): print `arbor: halt: <reason>`, then on Xen
 * SCHEDOP_shutdown (poweroff or crash), without Xen PSCI SYSTEM_OFF over the DT's conduit
 * (for a crash too: the report is already out), and with neither, say so and wait for
 * interrupts with them masked, for ever.
 */
void kernel_halt(enum halt_reason reason) __noreturn;

/* Whether this domain is the hardware domain (XENFEAT_dom0). */
bool xen_is_dom0(void);

/*
 * dom0 only: wait (at most seconds; XEN_WAIT_OTHERS_S when dom0 powers off) until every other
 * domain has shut down, so that powering off, which halts the machine, does not cut them short.
 */
#define XEN_WAIT_OTHERS_S  60
void xen_wait_other_domains(unsigned seconds);

/*
 * HVMOP_get_param for this domain (index: HVM_PARAM_*, public hvm/params.h): 0 and *value,
 * or the negative error (<errno.h>'s, as everywhere here) after a warning naming the call.
 */
long xen_hvm_get_param(uint32_t index, uint64_t *value);

/*
 * This domain's id (0 for dom0), for the places DOMID_SELF is not accepted, such as a grant
 * entry's grantee (xen/domid.c says how it is found). 0 and *domid; -ENODEV when Xen was not
 * detected; or a negative error after a message naming the call.
 */
int xen_domid(domid_t *domid);

/*
 * arch_hypercall() with a negative result translated from Xen's error numbers to <errno.h>'s
 * (xen/errno.c); a non-negative result is returned as it is. Use it for every hypercall.
 */
long xen_hypercall(unsigned long op, unsigned long a0, unsigned long a1, unsigned long a2,
		   unsigned long a3, unsigned long a4);

/* Xen's negative error number as <errno.h>'s (-EIO for one Xen's header does not list). */
long xen_errno(long xen_err);

/* The name of a negative <errno.h> value (what xen/ functions return), e.g. "EINVAL". */
const char *xen_strerror(long err);

/* ---- Xen services: detection, shared info, wall clock (xen/detect.c, shared_info.c) ---- */

struct platform;

/*
 * dom0 only, when the platform has an RTC: set Xen's wall clock (and so every domain's)
 * from it with XENPF_settime64.
 */
void xen_set_wallclock_from_rtc(const struct platform *plat);

enum xen_detection {
	XEN_ABSENT,		/* not detected, or xen_detect() has not run */
	XEN_BY_NODE,		/* the DT's hypervisor node (compatible "xen,xen") */
	XEN_BY_SMCCC_UID,	/* no node; SMCCC Call UID over the PSCI conduit answered Xen's UID */
};

/*
 * Bring up the Xen services the platform offers, in order: detection, the shared-info page,
 * event channels (include/arbor/evtchn.h), detection having run already (xen_detect()).
 * Prints one line per service. Called once by the boot's thread main (boot/main.c) after
 * time_init(); a service that cannot start says why and the rest go on.
 */
void xen_init(const struct platform *plat);

/*
 * Decide whether Arbor runs on Xen (see xen/detect.c for how). Called by kernel_main right
 * after the platform is described, before any console but console_io exists, so it prints
 * nothing but errors: xen_report_detection() prints the outcome later. 0, or -ENODEV when it
 * is not Xen.
 */
int xen_detect(const struct platform *plat);
enum xen_detection xen_detected(void);

/*
 * Whether xen_detect() has run: before it, xen_detected() says XEN_ABSENT without knowing,
 * and kernel_halt() still tries SCHEDOP_shutdown.
 */
bool xen_detection_done(void);

/* Print the line xen_detect() composed: the Xen found and how, or why none was. */
void xen_report_detection(void);

/* XENVER_version and XENVER_extraversion as read by xen_detect(); 0.0 and "" before. */
void xen_version(unsigned *major, unsigned *minor, const char **extra);

/*
 * Map the shared-info page (XENMEM_add_to_physmap, XENMAPSPACE_shared_info) at a
 * guest-physical page chosen from the platform (xen/shared_info.c says which), and print
 * where and the wall clock. 0, or a negative error after a message.
 */
int xen_shared_info_init(const struct platform *plat);

/* The mapped shared-info page and its guest-physical address; NULL and 0 before. */
struct shared_info *xen_shared_info(void);
paddr_t xen_shared_info_pa(void);

/*
 * Wall-clock time: seconds and nanoseconds since the Unix epoch, from the shared-info page's
 * wc_* fields (Xen's wall clock when this domain was created) plus the time since this
 * domain's virtual counter started. 0, or -ENODEV without a shared-info page.
 */
int xen_wallclock(uint64_t *sec, uint32_t *nsec);

#endif
