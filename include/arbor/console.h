/*
 * The console: where printk's lines go.
 *
 * A backend is one way of getting bytes out. Until console_select() runs, and whenever the
 * chosen backend fails, the backend is Xen's HYPERVISOR_console_io, which needs nothing but
 * Xen -- except without Xen, where console_early() puts stdout-path's UART there as soon as
 * the DT is read and Xen detection has said no (console_io then fails without a hypercall). console_select() picks, once, the first of these that the platform offers:
 *
 *   1. the UART /chosen/stdout-path names (platform.console, when it came from stdout-path);
 *   2. a discovered arm,sbsa-uart or arm,pl011 (in a domU given vpl011: Xen's emulated one);
 *   3. the Xen PV console ring, when HVM_PARAM_CONSOLE_PFN and _EVTCHN are set;
 *   4. HYPERVISOR_console_io.
 *
 * and prints what it chose in one line. The backends live in console/ (pl011.c, xencons.c).
 */
#ifndef ARBOR_CONSOLE_H
#define ARBOR_CONSOLE_H

#include <arbor/types.h>

#include <xen/io/console.h>

struct platform;

enum console_kind {
	CONSOLE_XEN_IO,		/* HYPERVISOR_console_io */
	CONSOLE_UART,		/* a PL011 or SBSA UART, by MMIO */
	CONSOLE_XEN_RING,	/* the PV console ring shared with a backend domain */
};

struct console_backend {
	enum console_kind kind;
	const char *name;		/* "console_io", "sbsa-uart", "pl011", "xen-ring" */
	paddr_t base;			/* UART registers or ring page; 0 for console_io */
	/* Write all n bytes; n, or a negative error (the console then falls back). */
	long (*write)(const char *s, size_t n);
};

/*
 * Write the lines printk kept from before Xen detection (console/printk.c) through the current
 * console, once: console_early() calls it when it starts the UART of a boot without Xen.
 */
void console_replay_early(void);

/*
 * Before the kernel's map exists, when xen_detect() found no Xen: make the UART
 * /chosen/stdout-path names the console (mapped through the boot map), since there is no
 * console_io to speak through. Prints nothing; console_select() still chooses, and says so.
 */
void console_early(const struct platform *plat);

/*
 * Choose the console by the rules above and print the choice. Called once by kernel_main
 * after mmu_init() (the UART and ring are mapped through the kernel's tables).
 */
void console_select(const struct platform *plat);

/*
 * Write n bytes to the current backend; n, or a negative error. A backend that fails is
 * replaced by console_io (with one warning there) and the bytes are sent again.
 */
long console_write(const char *s, size_t n);

/* The backend in use. */
const struct console_backend *console_current(void);

/* Backends; each returns NULL after a message when the device cannot be used. */
const struct console_backend *console_xen_io(void);
/* map: how to reach the registers (mmu_map_device, or early_map_device before mmu_init). */
const struct console_backend *pl011_console_init(paddr_t base, uint64_t size,
						 const char *compatible, void *(*map)(paddr_t, uint64_t));
const struct console_backend *xencons_init(paddr_t page, uint32_t port);

/*
 * The producer side of a PV console ring, pure (host-tested): copy as much of s[0..n) as fits
 * into intf->out after *prod, publish it (data before the index), and advance *prod. *prod is
 * the domain's own copy of out_prod: the shared one is written, never trusted. Returns the
 * bytes queued (0 when the ring is full), or -EIO when the backend's out_cons is impossible
 * (more than the ring's size behind *prod, or ahead of it).
 */
long xencons_ring_put(struct xencons_interface *intf, XENCONS_RING_IDX *prod, const char *s,
		      size_t n);

#endif
