/*
 * The console chosen at run time (include/arbor/console.h): the selection rules, the
 * current backend, and the fall-back to HYPERVISOR_console_io.
 *
 * console/ holds the console and its backends, the way irq/ holds the interrupt core and the
 * GIC drivers. The UART driver is not in platform/: that directory only describes the DTB
 * and is also built into host tools (dtprobe, the fuzzer) that have no MMU or registers.
 *
 * console_write() is called from printk_flush() with printk's own line buffer, so nothing
 * here may call printk on the write path: the one message it can print (a backend that
 * failed) is formatted into a local buffer and sent straight to console_io.
 */
#include <errno.h>

#include <arbor/console.h>
#include <arbor/format.h>
#include <arbor/mmu.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/xen.h>

#include <xen/hvm/params.h>

static long xen_io_write(const char *s, size_t n)
{
	/* Known not to be on Xen: nobody would take the hypercall. */
	if (xen_detection_done() && xen_detected() == XEN_ABSENT)
		return -ENODEV;
	long err = xen_console_write(s, n);
	return err < 0 ? err : (long)n;
}

static const struct console_backend xen_io = {
	.kind = CONSOLE_XEN_IO,
	.name = "console_io",
	.write = xen_io_write,
};

static const struct console_backend *current = &xen_io;

const struct console_backend *console_xen_io(void)
{
	return &xen_io;
}

const struct console_backend *console_current(void)
{
	return current;
}

static const char *error_text(long err)
{
	switch (err) {
	case -ETIMEDOUT:
		return "the device stopped taking output";
	case -EIO:
		return "the backend broke the ring protocol";
	case -EPIPE:
		return "EVTCHNOP_send failed";
	default:
		return "error";
	}
}

long console_write(const char *s, size_t n)
{
	long err = current->write(s, n);

	if (err >= 0 || current == &xen_io)
		return err;
	/* Tell the user on the console that still works, then send the bytes there. */
	char msg[128];
	size_t len = format_buf(msg, sizeof(msg), "warning: console: %s: %s (%ld); back to console_io\n",
				current->name, error_text(err), err);
	current = &xen_io;
	xen_io_write(msg, MIN(len, sizeof(msg) - 1));
	return current->write(s, n);
}

/*
 * Whether a Xen hypercall may be issued to ask for the PV console: only on a Xen that
 * xen_detect() (run by kernel_main before any console is chosen) found.
 */
static bool xen_may_answer(void)
{
	return xen_detected() != XEN_ABSENT;
}

/*
 * Rule 3: the PV console ring. Prints the choice and returns the backend; or NULL, with *why
 * saying why not (after a message of its own for anything unexpected).
 */
static const struct console_backend *try_ring(const char **why)
{
	const struct console_backend *ring;
	uint64_t pfn, port;

	if (!xen_may_answer()) {
		*why = "PV console not asked for: not on Xen";
		return NULL;
	}
	if (xen_hvm_get_param(HVM_PARAM_CONSOLE_PFN, &pfn) ||
	    xen_hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &port)) {
		*why = "PV console: HVMOP_get_param failed";
		return NULL;
	}
	if (!pfn || !port) {
		*why = "no PV console: HVM_PARAM_CONSOLE_PFN/_EVTCHN not set";
		return NULL;
	}
	if (port > UINT32_MAX || pfn > (UINT64_MAX >> 12)) {
		pr_warn("console: HVM_PARAM_CONSOLE_PFN 0x%llx / _EVTCHN %llu out of range\n",
			(unsigned long long)pfn, (unsigned long long)port);
		*why = "PV console: parameters out of range";
		return NULL;
	}
	ring = xencons_init((paddr_t)pfn << 12, (uint32_t)port);
	if (!ring) {
		*why = "PV console: its page cannot be mapped";
		return NULL;
	}
	current = ring;
	pr_info("console: xen-ring, page 0x%llx, event channel %llu (HVM_PARAM_CONSOLE_PFN/_EVTCHN)\n",
		(unsigned long long)ring->base, (unsigned long long)port);
	return ring;
}

void console_early(const struct platform *plat)
{
	if (!xen_detection_done() || xen_detected() != XEN_ABSENT)
		return;
	if (plat->console < 0 || (unsigned)plat->console >= plat->nuarts)
		return;
	const struct platform_uart *u = &plat->uarts[plat->console];
	if (!u->stdout_path)
		return;		/* only the UART the boot loader says is the console */
	const struct console_backend *b = pl011_console_init(u->reg.base, u->reg.size,
							     u->compatible, early_map_device);
	if (b) {
		current = b;
		console_replay_early();
	}
}

void console_select(const struct platform *plat)
{
	const char *uart = "no UART", *why;

	/* Rules 1 and 2: platform.console is stdout-path's UART, else the first one found. */
	if (plat->console >= 0 && (unsigned)plat->console < plat->nuarts) {
		const struct platform_uart *u = &plat->uarts[plat->console];
		const struct console_backend *b;
		const char *path = u->path;

		b = pl011_console_init(u->reg.base, u->reg.size, u->compatible, mmu_map_device);
		if (b) {
			current = b;
			pr_info("console: %s at 0x%llx (%s %s)\n", b->name,
				(unsigned long long)u->reg.base,
				u->stdout_path ? "stdout-path" : "discovered", path);
			return;
		}
		pr_warn("console: %s cannot be used; trying the next console\n", path);
		uart = "UART unusable";
	}
	if (try_ring(&why))
		return;
	current = &xen_io;
	pr_info("console: console_io (%s; %s)\n", uart, why);
}
