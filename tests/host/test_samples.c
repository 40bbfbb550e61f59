/*
 * The device-tree catalogue (dts/) against the whole platform probe: every sample must pass
 * dt_check() and platform_probe() silently and yield exactly the description written into
 * its .dts; every malformed tree must be refused, with exactly one message saying what is
 * wrong and where.
 *
 * The expected values below are literals read off the .dts sources by hand (and off the
 * Devicetree bindings for their meaning: a PPI n is INTID 16 + n, an SPI n is INTID 32 + n,
 * the trigger flags are the low nibble of a GIC specifier's third cell). They are never
 * produced by running the code under test, so a wrong decode cannot confirm itself.
 *
 * `make host` compiles every dts/ source into HOST_DTB_DIR and makes the byte-level corruptions
 * (tools/dts-corrupt.py) into HOST_DTB_DIR/malformed; a final test checks that every DTB
 * found there has an entry here, so a new sample cannot go untested.
 */
#include "host.h"
#include "dtb_builder.h"
#include "host_printk.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/platform.h>

/* Every bank in the catalogue lies below 2^48, so each is usable with this limit. */
#define ADDR_LIMIT  (1ull << 48)

/* ---- what a sample must yield ---- */

struct range_want {
	uint64_t base, size;
};

/* An interrupt as INTID and IRQ_TYPE_* flags; intid 0 (an SGI, never in a DT) is "absent". */
struct irq_want {
	uint32_t intid, flags;
};

struct gic_want {
	const char *path;
	unsigned version;
	const char *compatible;
	struct range_want dist;
	struct range_want cpu;				/* v2 */
	struct range_want redist[PLATFORM_MAX_REDIST];	/* v3; the list ends at a size of 0 */
	uint64_t stride;				/* v3; 0 when absent */
};

struct timer_want {
	const char *path;
	const char *compatible;
	struct irq_want sec, phys, virt, hyp;
	uint32_t clock_frequency;
};

struct xen_want {
	const char *path;		/* NULL: no hypervisor node */
	const char *compatible;
	unsigned major, minor;
	struct range_want gnttab;
	struct range_want extended[PLATFORM_MAX_EXTENDED];	/* ends at a size of 0 */
	struct irq_want evtchn;
};

struct psci_want {
	const char *path;		/* NULL: no PSCI node */
	const char *compatible;
	enum psci_method method;
	uint32_t cpu_suspend, cpu_off, cpu_on, migrate;
};

struct cpus_want {
	unsigned count;
	uint64_t mpidr[8];
	const char *enable_method;	/* the same for every CPU of a sample; NULL when absent */
};

struct uart_want {
	const char *path;		/* NULL: no console */
	const char *compatible;
	struct range_want reg;
	struct irq_want irq;
	uint32_t current_speed;
};

struct sample {
	const char *dtb;			/* under HOST_DTB_DIR */
	struct range_want mem[8];		/* in DTB order, every one usable; ends at size 0 */
	struct range_want reserved[8];		/* ends at size 0 */
	const char *bootargs;			/* NULL: none */
	const char *stdout_path;		/* the node stdout-path resolves to; NULL: none */
	const char *stdout_options;
	struct gic_want gic;
	struct timer_want timer;
	struct xen_want xen;
	struct psci_want psci;
	struct cpus_want cpus;
	unsigned nuarts;
	struct uart_want console;
};

/*
 * Facts of Xen's guest map (public/arch-arm.h) that recur in the samples, spelled out once:
 * the vGIC at GUEST_GICD_BASE, the timer PPIs 13/14/11 (INTIDs 29/30/27, level low 0xf08),
 * the vpl011 at GUEST_PL011_BASE on SPI 0 (INTID 32, level high 0xf04), and the PSCI node
 * Xen and libxl write.
 */
#define GUEST_GICV2(path_, compat_) \
	{ path_, 2, compat_, { 0x3001000, 0x1000 }, { 0x3002000, 0x2000 }, { { 0 } }, 0 }
#define GUEST_GICV3(path_) \
	{ path_, 3, "arm,gic-v3", { 0x3001000, 0x10000 }, { 0 }, { { 0x3020000, 0x1000000 } }, 0 }
#define XEN_TIMER(path_) \
	{ path_, "arm,armv8-timer", { 29, 8 }, { 30, 8 }, { 27, 8 }, { 0, 0 }, 0 }
#define XEN_PSCI  { "/psci", "arm,psci-1.0", PSCI_HVC, 0, 1, 2, 0 }
#define VPL011(path_) \
	{ path_, "arm,sbsa-uart", { 0x22000000, 0x1000 }, { 32, 4 }, 115200 }
#define NO_XEN    { NULL, NULL, 0, 0, { 0, 0 }, { { 0 } }, { 0, 0 } }
#define NO_PSCI   { NULL, NULL, PSCI_NONE, 0, 0, 0, 0 }
#define NO_UART   { NULL, NULL, { 0, 0 }, { 0, 0 }, 0 }

static const struct sample samples[] = {
	/* ---- the real captures of Xen 4.17 (dts/xen/) ---- */
	{
		.dtb = "xen/dom0-gicv3-qemu-virt.dtb",
		.mem = { { 0x44000000, 0x4000000 } },
		.bootargs = "dom0 args",
		.gic = { "/interrupt-controller", 3, "arm,gic-v3", { 0x8000000, 0x10000 }, { 0 },
			 { { 0x80a0000, 0xf60000 } }, 0 },
		.timer = XEN_TIMER("/timer"),
		.xen = { "/hypervisor", "xen,xen-4.17", 4, 17, { 0x40200000, 0x40000 },
			 { { 0x48000000, 0x78000000 } }, { 16, 8 } },
		.psci = XEN_PSCI,
		.cpus = { 2, { 0, 1 }, "psci" },
		.console = NO_UART,
	},
	{
		.dtb = "xen/domU-dom0less-gicv2.dtb",
		.mem = { { 0x40000000, 0x8000000 } },
		.bootargs = "console=hvc0 foo=bar",
		.gic = GUEST_GICV2("/interrupt-controller@3001000", "arm,gic-400"),
		.timer = XEN_TIMER("/timer"),
		.xen = NO_XEN,
		.psci = XEN_PSCI,
		.cpus = { 1, { 0 }, "psci" },
		.nuarts = 1,
		.console = VPL011("/sbsa-uart@22000000"),
	},
	{
		.dtb = "xen/domU-dom0less-gicv3.dtb",
		.mem = { { 0x40000000, 0x8000000 } },
		.bootargs = "console=hvc0 foo=bar",
		.gic = GUEST_GICV3("/interrupt-controller@3001000"),
		.timer = XEN_TIMER("/timer"),
		.xen = NO_XEN,
		.psci = XEN_PSCI,
		.cpus = { 1, { 0 }, "psci" },
		.nuarts = 1,
		.console = VPL011("/sbsa-uart@22000000"),
	},
	{
		.dtb = "xen/domU-enhanced-gicv3.dtb",
		.mem = { { 0x40000000, 0x8000000 } },
		.gic = GUEST_GICV3("/interrupt-controller@3001000"),
		.timer = XEN_TIMER("/timer"),
		.xen = { "/hypervisor", "xen,xen-4.17", 4, 17, { 0x38000000, 0x1000000 },
			 { { 0x48000000, 0xb8000000 }, { 0x200000000, 0xfe00000000 } }, { 31, 8 } },
		.psci = XEN_PSCI,
		.cpus = { 1, { 0 }, "psci" },
		.console = NO_UART,
	},

	/* ---- written samples (dts/samples/) ---- */
	{
		.dtb = "samples/board-arm32-armv7-timer.dtb",
		.mem = { { 0x80000000, 0x40000000 } },
		.bootargs = "console=ttyAMA0,38400n8 root=/dev/mmcblk0",
		.gic = { "/interrupt-controller@2c001000", 2, "arm,cortex-a15-gic",
			 { 0x2c001000, 0x1000 }, { 0x2c002000, 0x2000 }, { { 0 } }, 0 },
		.timer = { "/timer", "arm,armv7-timer", { 29, 8 }, { 30, 8 }, { 27, 8 }, { 26, 8 },
			   24000000 },
		.xen = NO_XEN,
		.psci = { "/psci", "arm,psci-0.2", PSCI_SMC, 0, 0, 0, 0 },
		.cpus = { 2, { 0, 1 }, NULL },
		.nuarts = 1,
		.console = { "/uart@1c090000", "arm,pl011", { 0x1c090000, 0x1000 }, { 37, 4 }, 0 },
	},
	{
		.dtb = "samples/cells1-domU-gicv3.dtb",
		.mem = { { 0x40000000, 0x8000000 } },
		.bootargs = "cells=1",
		.gic = GUEST_GICV3("/interrupt-controller@3001000"),
		.timer = XEN_TIMER("/timer"),
		.xen = { "/hypervisor", "xen,xen-4.17", 4, 17, { 0x38000000, 0x1000000 },
			 { { 0x48000000, 0xb8000000 } }, { 31, 8 } },
		.psci = XEN_PSCI,
		.cpus = { 1, { 0 }, "psci" },
		.nuarts = 1,
		.console = VPL011("/sbsa-uart@22000000"),
	},
	{
		.dtb = "samples/dom0-qemu-virt-gicv2-1bank.dtb",
		.mem = { { 0x60000000, 0x8000000 } },
		.bootargs = "console=hvc0 earlycon=xen",
		.gic = { "/intc@8000000", 2, "arm,cortex-a15-gic", { 0x8000000, 0x10000 },
			 { 0x8010000, 0x10000 }, { { 0 } }, 0 },
		.timer = XEN_TIMER("/timer"),
		.xen = { "/hypervisor", "xen,xen-4.17", 4, 17, { 0x40200000, 0x40000 },
			 { { 0x48000000, 0x18000000 }, { 0x68000000, 0x58000000 } }, { 16, 8 } },
		.psci = XEN_PSCI,
		.cpus = { 2, { 0, 1 }, "psci" },
		.console = NO_UART,
	},
	{
		.dtb = "samples/dom0-qemu-virt-gicv3-2banks.dtb",
		.mem = { { 0x58000000, 0x8000000 }, { 0xb8000000, 0x4000000 } },
		.bootargs = "dom0 two banks",
		.gic = { "/interrupt-controller", 3, "arm,gic-v3", { 0x8000000, 0x10000 }, { 0 },
			 { { 0x80a0000, 0xf60000 } }, 0 },
		.timer = XEN_TIMER("/timer"),
		.xen = { "/hypervisor", "xen,xen-4.17", 4, 17, { 0x40200000, 0x40000 },
			 { { 0x60000000, 0x58000000 }, { 0xbc000000, 0x4000000 } }, { 16, 8 } },
		.psci = XEN_PSCI,
		.cpus = { 2, { 0, 1 }, "psci" },
		.console = NO_UART,
	},
	{
		.dtb = "samples/domU-dom0less-gicv2-1bank.dtb",
		.mem = { { 0x40000000, 0x2800000 } },
		.bootargs = "console=hvc0 quiet",
		.gic = GUEST_GICV2("/interrupt-controller@3001000", "arm,gic-400"),
		.timer = XEN_TIMER("/timer"),
		.xen = NO_XEN,
		.psci = XEN_PSCI,
		.cpus = { 2, { 0, 1 }, "psci" },
		.console = NO_UART,
	},
	{
		.dtb = "samples/domU-dom0less-gicv2-4g.dtb",
		.mem = { { 0x40000000, 0xc0000000 }, { 0x200000000, 0x40000000 } },
		.bootargs = "console=hvc0 mem=4G",
		.gic = GUEST_GICV2("/interrupt-controller@3001000", "arm,gic-400"),
		.timer = XEN_TIMER("/timer"),
		.xen = NO_XEN,
		.psci = XEN_PSCI,
		.cpus = { 1, { 0 }, "psci" },
		.nuarts = 1,
		.console = VPL011("/sbsa-uart@22000000"),
	},
	{
		.dtb = "samples/domU-dom0less-gicv3-1bank.dtb",
		.mem = { { 0x40000000, 0x10000000 } },
		.bootargs = "console=ttyAMA0",
		.gic = GUEST_GICV3("/interrupt-controller@3001000"),
		.timer = XEN_TIMER("/timer"),
		.xen = NO_XEN,
		.psci = XEN_PSCI,
		.cpus = { 4, { 0, 1, 2, 3 }, "psci" },
		.nuarts = 1,
		.console = VPL011("/sbsa-uart@22000000"),
	},
	{
		.dtb = "samples/domU-dom0less-gicv3-4g.dtb",
		.mem = { { 0x40000000, 0xc0000000 }, { 0x200000000, 0x40000000 } },
		.bootargs = "console=hvc0",
		.gic = GUEST_GICV3("/interrupt-controller@3001000"),
		.timer = XEN_TIMER("/timer"),
		.xen = NO_XEN,
		.psci = XEN_PSCI,
		.cpus = { 2, { 0, 1 }, "psci" },
		.console = NO_UART,
	},
	{
		.dtb = "samples/domU-enhanced-gicv2.dtb",
		.mem = { { 0x40000000, 0x20000000 } },
		.gic = GUEST_GICV2("/interrupt-controller@3001000", "arm,gic-400"),
		.timer = XEN_TIMER("/timer"),
		.xen = { "/hypervisor", "xen,xen-4.17", 4, 17, { 0x38000000, 0x1000000 },
			 { { 0x60000000, 0xa0000000 }, { 0x200000000, 0xfe00000000 } }, { 31, 8 } },
		.psci = XEN_PSCI,
		.cpus = { 1, { 0 }, "psci" },
		.nuarts = 1,
		.console = VPL011("/sbsa-uart@22000000"),
	},
	{
		/* The second memory node (0x200000000, size 0) gives no bank. */
		.dtb = "samples/domU-xl-toolstack.dtb",
		.mem = { { 0x40000000, 0x20000000 } },
		.bootargs = "console=ttyAMA0 root=/dev/xvda ro",
		.gic = GUEST_GICV2("/interrupt-controller@3001000", "arm,cortex-a15-gic"),
		.timer = XEN_TIMER("/timer"),
		.xen = { "/hypervisor", "xen,xen-4.17", 4, 17, { 0x38000000, 0x1000000 },
			 { { 0x60000000, 0xa0000000 }, { 0x200000000, 0xfe00000000 } }, { 31, 8 } },
		.psci = XEN_PSCI,
		.cpus = { 2, { 0, 1 }, "psci" },
		.nuarts = 1,
		.console = VPL011("/sbsa-pl011"),
	},
	{
		.dtb = "samples/gicv3-two-redist-regions.dtb",
		.mem = { { 0x40000000, 0x40000000 } },
		.bootargs = "gicv3 two regions",
		.gic = { "/interrupt-controller@8000000", 3, "arm,gic-v3", { 0x8000000, 0x10000 }, { 0 },
			 { { 0x80a0000, 0xf60000 }, { 0x4000000000, 0x4000000 } }, 0x40000 },
		.timer = { "/timer", "arm,armv8-timer", { 29, 4 }, { 30, 4 }, { 27, 4 }, { 26, 4 }, 0 },
		.xen = NO_XEN,
		.psci = { "/psci", "arm,psci-1.0", PSCI_HVC, 0, 0, 0, 0 },
		.cpus = { 4, { 0x0, 0x1, 0x100, 0x100000000 }, "psci" },
		.console = NO_UART,
	},
	{
		.dtb = "samples/irq-parent-inherited.dtb",
		.mem = { { 0x40000000, 0x8000000 } },
		.bootargs = "inherit",
		.gic = GUEST_GICV3("/interrupt-controller@3001000"),
		.timer = XEN_TIMER("/soc/timer"),
		.xen = NO_XEN,
		.psci = NO_PSCI,
		.cpus = { 1, { 0 }, NULL },
		.nuarts = 1,
		.console = { "/soc/apb/serial@9000000", "arm,pl011", { 0x9000000, 0x1000 }, { 33, 4 }, 0 },
	},
	{
		/* DTB order, not sorted; the disabled node at 0xc0000000 gives nothing. */
		.dtb = "samples/memory-several-nodes.dtb",
		.mem = { { 0x80000000, 0x8000000 }, { 0x90000000, 0x1000000 },
			 { 0x40000000, 0x10000000 }, { 0x100000000, 0x40000000 } },
		.gic = GUEST_GICV2("/interrupt-controller@3001000", "arm,gic-400"),
		.timer = XEN_TIMER("/timer"),
		.xen = NO_XEN,
		.psci = NO_PSCI,
		.cpus = { 1, { 0 }, NULL },
		.console = NO_UART,
	},
	{
		/* /memreserve/ first, then each reg entry of each child; linux,cma has no reg. */
		.dtb = "samples/reserved-memory.dtb",
		.mem = { { 0x40000000, 0x20000000 } },
		.reserved = { { 0x48000000, 0x100000 }, { 0x50000000, 0x200000 },
			      { 0x5e000000, 0x1000000 }, { 0x5f800000, 0x800000 } },
		.bootargs = "console=hvc0",
		.gic = GUEST_GICV2("/interrupt-controller@3001000", "arm,gic-400"),
		.timer = XEN_TIMER("/timer"),
		.xen = NO_XEN,
		.psci = NO_PSCI,
		.cpus = { 1, { 0 }, NULL },
		.console = NO_UART,
	},
	{
		/* Bus address 0x0 -> 0x8000000, 0x10000 -> 0x8010000, 0x1000000 -> 0x9000000. */
		.dtb = "samples/simple-bus-ranges.dtb",
		.mem = { { 0x40000000, 0x10000000 } },
		.stdout_path = "/soc@8000000/serial@1000000",
		.gic = { "/soc@8000000/interrupt-controller@0", 2, "arm,gic-400", { 0x8000000, 0x1000 },
			 { 0x8010000, 0x2000 }, { { 0 } }, 0 },
		.timer = XEN_TIMER("/timer"),
		.xen = NO_XEN,
		.psci = NO_PSCI,
		.cpus = { 1, { 0 }, NULL },
		.nuarts = 1,
		.console = { "/soc@8000000/serial@1000000", "arm,pl011", { 0x9000000, 0x1000 },
			     { 33, 4 }, 0 },
	},
	{
		/* serial0 is the second PL011; it, not the first found, is the console. */
		.dtb = "samples/stdout-path-alias.dtb",
		.mem = { { 0x40000000, 0x8000000 } },
		.bootargs = "earlycon",
		.stdout_path = "/pl011@9040000",
		.stdout_options = "115200n8",
		.gic = { "/interrupt-controller@8000000", 2, "arm,gic-400", { 0x8000000, 0x1000 },
			 { 0x8010000, 0x2000 }, { { 0 } }, 0 },
		.timer = XEN_TIMER("/timer"),
		.xen = NO_XEN,
		.psci = NO_PSCI,
		.cpus = { 1, { 0 }, NULL },
		.nuarts = 2,
		.console = { "/pl011@9040000", "arm,pl011", { 0x9040000, 0x1000 }, { 40, 4 }, 115200 },
	},
	{
		.dtb = "samples/xen-4.2-historic-guest.dtb",
		.mem = { { 0x80000000, 0x8000000 } },
		.bootargs = "console=hvc0 root=/dev/xvda1",
		.gic = { "/interrupt-controller", 2, "arm,cortex-a15-gic", { 0x2c001000, 0x1000 },
			 { 0x2c002000, 0x100 }, { { 0 } }, 0 },
		.timer = { "/timer", "arm,armv7-timer", { 29, 8 }, { 30, 8 }, { 27, 8 }, { 0, 0 }, 0 },
		.xen = { "/hypervisor", "xen,xen-4.2", 4, 2, { 0xb0000000, 0x20000 }, { { 0 } },
			 { 31, 8 } },
		.psci = { "/psci", "arm,psci", PSCI_HVC, 0, 1, 2, 0 },
		.cpus = { 1, { 0 }, NULL },
		.console = NO_UART,
	},
};

/* ---- what a malformed tree must give ---- */

/*
 * Where an expected message's words come from, printed when it does not match:
 *   GIVEN  the wording the platform's author specified for this case;
 *   READ   read off the platform/ and fdt/ sources as they were when this was written (the
 *          path and values are from the .dts);
 *   MINE   this test's expectation where the sources, when written, said something else.
 *          RECONCILE: each MINE entry says why in its comment.
 * For trees dt_check() refuses there is no message (fdt/ never prints): the entry gives the
 * error code, and the message is dt_strerror()'s words for it (libfdt's name in parentheses).
 */
enum wording { GIVEN, READ, MINE };

static const char *const wording_names[] = { "given by the platform's author",
	"read off the platform/ sources", "this test's own expectation (RECONCILE)" };

struct malformed {
	const char *dtb;
	int check_err;		/* what dt_check() returns; 0: it passes, platform_probe() fails */
	const char *message;	/* platform_probe()'s one pr_err, or dt_strerror(check_err) */
	enum wording wording;
};

static const struct malformed malformed[] = {
	/* ---- structurally valid trees that platform_probe() refuses ---- */
	{ "malformed/address-cells-1.dtb", 0,
	  "/memory@40000000: reg is 16 bytes (4 cells), not a whole number of 12-byte entries "
	  "(#address-cells = 1 from /, #size-cells = 2 from /; the same cells break the reg of "
	  "/interrupt-controller@3001000) (FDT_ERR_BADVALUE)\n", GIVEN },
	{ "malformed/address-cells-3.dtb", 0,
	  "/memory@40000000: reg cannot be read with #address-cells = 3 from /, #size-cells = 2 "
	  "from /: Arbor reads 1 or 2 address cells and 0 to 2 size cells (FDT_ERR_BADNCELLS)\n",
	  GIVEN },
	{ "malformed/bootargs-unterminated.dtb", 0,
	  "/chosen: bootargs is not a NUL-terminated string: bad property value "
	  "(FDT_ERR_BADVALUE)\n", READ },
	{ "malformed/compatible-unterminated.dtb", 0,
	  "/interrupt-controller@3001000: compatible is not a list of strings\n", READ },
	{ "malformed/gic-disabled.dtb", 0,
	  "no interrupt controller: /interrupt-controller@3001000 (arm,gic-v3) is present but "
	  "disabled (status = \"disabled\")\n", GIVEN },
	{ "malformed/gic-reg-partial.dtb", 0,
	  "/interrupt-controller@3001000: reg is 28 bytes (7 cells), not a whole number of 16-byte "
	  "entries (#address-cells = 2 from /, #size-cells = 2 from /) (FDT_ERR_BADVALUE)\n",
	  GIVEN },
	{ "malformed/gic-unknown-compatible.dtb", 0,
	  "no interrupt controller: /interrupt-controller@3001000's compatible \"arm,gic-v5\" "
	  "matches no driver (drivers know: arm,gic-v3, arm,gic-400, arm,cortex-a15-gic, "
	  "arm,cortex-a9-gic, arm,cortex-a7-gic, arm,gic-v2, arm,arm11mp-gic, "
	  "arm,arm1176jzf-devchip-gic, arm,cortex-a5-gic, arm,eb11mp-gic, arm,pl390, "
	  "arm,tc11mp-gic, brcm,brahma-b15-gic, nvidia,tegra210-agic, qcom,msm-8660-qgic, "
	  "qcom,msm-qgic2)\n", GIVEN },
	/* The kernel's gicv3_init() refused this after dtprobe had accepted it: now the probe does. */
	{ "malformed/gicv3-dist-4k.dtb", 0,
	  "/interrupt-controller@3001000: the GICv3 distributor region is 0x1000 bytes, its "
	  "registers need 0x10000\n", GIVEN },
	{ "malformed/gicv2-one-reg.dtb", 0,
	  "/interrupt-controller@3001000: reg has 1 entry, GICv2 needs 2\n", READ },
	{ "malformed/gicv3-redist-missing.dtb", 0,
	  "/interrupt-controller@3001000: reg has 2 entries, GICv3 needs 3\n", READ },
	{ "malformed/irq-parent-loop.dtb", 0,
	  "/timer: interrupts: interrupt-parent <0x2>: interrupt-parent or interrupt-map links "
	  "form a loop (DT_ERR_IRQLOOP)\n", READ },
	{ "malformed/irq-parent-missing.dtb", 0,
	  "/timer: interrupts: interrupt-parent <0x1234>: phandle names no node "
	  "(FDT_ERR_BADPHANDLE)\n", READ },
	{ "malformed/memory-17-banks.dtb", 0,
	  "/memory@50000000: more than 16 memory banks in the device tree; raise "
	  "PLATFORM_MAX_BANKS\n", READ },
	{ "malformed/memory-overlap.dtb", 0,
	  "memory: banks 0x40000000-0x47ffffff and 0x44000000-0x4bffffff overlap\n", GIVEN },
	{ "malformed/memory-reg-partial.dtb", 0,
	  "/memory@40000000: reg is 20 bytes (5 cells), not a whole number of 16-byte entries "
	  "(#address-cells = 2 from /, #size-cells = 2 from /) (FDT_ERR_BADVALUE)\n", GIVEN },
	/*
	 * MINE: add_bank()'s own message, which test_memory.c's test_bank_wraps also expects.
	 * When written, dt_reg() refused the entry first (fdt/reg.c: "the range must end at or
	 * below 2^64"), so platform/memory.c printed
	 * "/memory@fffffffff0000000: reg entry 0: FDT_ERR_BADVALUE" and add_bank()'s check
	 * could not be reached.
	 */
	{ "malformed/memory-wraps.dtb", 0,
	  "/memory@fffffffff0000000: reg bank at 0xfffffffff0000000 of size 0x20000000 wraps "
	  "around the address space\n", MINE },
	{ "malformed/memory-zero-size.dtb", 0, "memory: no usable bank in the device tree\n", GIVEN },
	/*
	 * GIVEN, but when written the check came after every probe level, so the timer's probe
	 * failed first: "/timer: interrupts: no interrupt-parent on the node or any ancestor".
	 * RECONCILE: check for the GIC right after the PROBE_IRQCHIP level.
	 */
	{ "malformed/no-interrupt-controller.dtb", 0,
	  "no interrupt controller in the device tree\n", GIVEN },
	{ "malformed/no-memory.dtb", 0, "memory: no usable bank in the device tree\n", GIVEN },
	{ "malformed/no-timer.dtb", 0, "no timer in the device tree\n", GIVEN },
	{ "malformed/simple-bus-no-ranges.dtb", 0,
	  "/soc/interrupt-controller@3001000: reg entry 0 (distributor): bus address 0x3001000 "
	  "cannot be translated: bus /soc has no ranges, so its children are not memory mapped "
	  "(DT_ERR_UNTRANSLATABLE)\n", GIVEN },
	/* Bus address 0x2000000 against the one window, bus 0x0-0xfffff. */
	{ "malformed/simple-bus-outside-ranges.dtb", 0,
	  "/soc/interrupt-controller@2000000: reg entry 0 (distributor): bus address 0x2000000 lies "
	  "outside every window of /soc's ranges (0x0-0xfffff -> 0x3000000) "
	  "(DT_ERR_UNTRANSLATABLE)\n", GIVEN },
	/* 5 cells against entries of 1 (the bus's) + 2 (the root's) + 1 (the bus's) = 4 cells. */
	{ "malformed/simple-bus-ranges-partial.dtb", 0,
	  "/soc/interrupt-controller@1000: reg entry 0 (distributor): the fault is bus /soc's "
	  "ranges: 20 bytes, not a whole number of 16-byte entries (child #address-cells = 1 from "
	  "/soc, parent #address-cells = 2 from /, #size-cells = 1 from /soc) (FDT_ERR_BADVALUE)\n",
	  GIVEN },
	{ "malformed/timer-interrupts-short.dtb", 0,
	  "/timer: interrupts is 8 bytes, not a whole number of 12-byte specifiers "
	  "(#interrupt-cells = 3 from /interrupt-controller@3001000): bad property value "
	  "(FDT_ERR_BADVALUE)\n", READ },

	/* ---- byte-level damage (tools/dts-corrupt.py) that dt_check() refuses ---- */
	{ "malformed/bad-magic.dtb", -FDT_ERR_BADMAGIC,
	  "not a device tree blob: bad magic number (FDT_ERR_BADMAGIC)", READ },
	{ "malformed/truncated.dtb", -FDT_ERR_TRUNCATED,
	  "blob truncated: something ends past its block (FDT_ERR_TRUNCATED)", READ },
	{ "malformed/truncated-header.dtb", -FDT_ERR_TRUNCATED,
	  "blob truncated: something ends past its block (FDT_ERR_TRUNCATED)", READ },
	{ "malformed/totalsize-beyond-file.dtb", -FDT_ERR_TRUNCATED,
	  "blob truncated: something ends past its block (FDT_ERR_TRUNCATED)", READ },
	{ "malformed/version-1.dtb", -FDT_ERR_BADVERSION,
	  "unsupported device tree version (FDT_ERR_BADVERSION)", READ },
	{ "malformed/version-99.dtb", -FDT_ERR_BADVERSION,
	  "unsupported device tree version (FDT_ERR_BADVERSION)", READ },
	{ "malformed/struct-bad-token.dtb", -FDT_ERR_BADSTRUCTURE,
	  "malformed structure block (FDT_ERR_BADSTRUCTURE)", READ },
	{ "malformed/struct-prop-overrun.dtb", -FDT_ERR_BADSTRUCTURE,
	  "malformed structure block (FDT_ERR_BADSTRUCTURE)", READ },
	{ "malformed/struct-bad-nameoff.dtb", -FDT_ERR_BADOFFSET,
	  "offset out of bounds or at the wrong kind of tag (FDT_ERR_BADOFFSET)", READ },
	{ "malformed/struct-unbalanced.dtb", -FDT_ERR_BADSTRUCTURE,
	  "malformed structure block (FDT_ERR_BADSTRUCTURE)", READ },
};

/* ---- helpers ---- */

static struct platform plat;
static void *loaded;	/* the DTB a test loaded, freed after it even when it fails */

static int reset(void **state)
{
	(void)state;
	memset(&plat, 0, sizeof(plat));
	host_printk_reset();
	return 0;
}

static int unload(void **state)
{
	(void)state;
	free(loaded);
	loaded = NULL;
	return 0;
}

/*
 * Read a compiled fixture into a buffer of exactly its size (so ASan sees any overread); the
 * teardown frees it.
 */
static void *load_dtb(const char *name, size_t *size)
{
	loaded = fixture_load(name, size);
	return loaded;
}

static void assert_range(const char *what, struct mem_range got, struct range_want want)
{
	if (got.base != want.base || got.size != want.size)
		fail_msg("%s: got 0x%llx size 0x%llx, want 0x%llx size 0x%llx", what,
			 (unsigned long long)got.base, (unsigned long long)got.size,
			 (unsigned long long)want.base, (unsigned long long)want.size);
}

static void assert_irq(const char *what, struct plat_irq got, struct irq_want want)
{
	if (!want.intid) {
		if (got.present)
			fail_msg("%s: got INTID %u, want none", what, got.intid);
		return;
	}
	if (!got.present || got.intid != want.intid || got.flags != want.flags)
		fail_msg("%s: got %s INTID %u flags %u, want INTID %u flags %u", what,
			 got.present ? "present" : "absent", got.intid, got.flags, want.intid,
			 want.flags);
}

static void assert_str(const char *what, const char *got, const char *want)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(got, want))
		fail_msg("%s: got %s%s%s, want %s%s%s", what, got ? "\"" : "", got ? got : "NULL",
			 got ? "\"" : "", want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
}

/* Entries of a list that ends at the first size of 0. */
static unsigned count_ranges(const struct range_want *r, unsigned max)
{
	unsigned n = 0;

	while (n < max && r[n].size)
		n++;
	return n;
}

/* ---- the samples ---- */

static void check_memory(const struct sample *s)
{
	unsigned n = count_ranges(s->mem, ARRAY_SIZE(s->mem));
	char what[32];

	assert_int_equal(plat.nmem, n);
	for (unsigned i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "memory bank %u", i);
		assert_range(what, (struct mem_range){ plat.mem[i].base, plat.mem[i].size }, s->mem[i]);
		assert_true(plat.mem[i].usable);
	}
	n = count_ranges(s->reserved, ARRAY_SIZE(s->reserved));
	assert_int_equal(plat.nreserved, n);
	for (unsigned i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "reserved range %u", i);
		assert_range(what, plat.reserved[i], s->reserved[i]);
	}
}

static void check_chosen(const struct sample *s)
{
	assert_str("bootargs", plat.bootargs, s->bootargs);
	if (s->stdout_path)
		assert_string_equal(plat.stdout_path, s->stdout_path);
	else
		assert_string_equal(plat.stdout_path, "");
	assert_str("stdout-path options", plat.stdout_options, s->stdout_options);
}

static void check_gic(const struct gic_want *w)
{
	const struct platform_gic *gic = &plat.gic;

	assert_int_equal(gic->version, w->version);
	assert_string_equal(gic->path, w->path);
	assert_str("gic compatible", gic->compatible, w->compatible);
	assert_range("GICD", gic->dist, w->dist);
	if (w->version == 2) {
		assert_range("GICC", gic->cpu, w->cpu);
		assert_int_equal(gic->nredist, 0);
		return;
	}
	unsigned n = count_ranges(w->redist, ARRAY_SIZE(w->redist));
	assert_int_equal(gic->nredist, n);
	for (unsigned i = 0; i < n; i++)
		assert_range("GICR region", gic->redist[i], w->redist[i]);
	assert_int_equal(gic->redist_stride, w->stride);
}

static void check_timer(const struct timer_want *w)
{
	const struct platform_timer *t = &plat.timer;

	assert_true(t->present);
	assert_string_equal(t->path, w->path);
	assert_str("timer compatible", t->compatible, w->compatible);
	assert_irq("timer secure phys", t->sec, w->sec);
	assert_irq("timer non-secure phys", t->phys, w->phys);
	assert_irq("timer virt", t->virt, w->virt);
	assert_irq("timer hyp", t->hyp, w->hyp);
	assert_int_equal(t->clock_frequency, w->clock_frequency);
}

static void check_xen(const struct xen_want *w)
{
	const struct platform_xen *x = &plat.xen;

	if (!w->path) {
		assert_false(x->present);
		return;
	}
	assert_true(x->present);
	assert_string_equal(x->path, w->path);
	assert_str("hypervisor compatible", x->compatible, w->compatible);
	assert_int_equal(x->major, w->major);
	assert_int_equal(x->minor, w->minor);
	assert_range("grant table", x->gnttab, w->gnttab);
	unsigned n = count_ranges(w->extended, ARRAY_SIZE(w->extended));
	assert_int_equal(x->nextended, n);
	for (unsigned i = 0; i < n; i++)
		assert_range("extended region", x->extended[i], w->extended[i]);
	assert_irq("event channel", x->evtchn, w->evtchn);
}

static void check_psci(const struct psci_want *w)
{
	const struct platform_psci *p = &plat.psci;

	if (!w->path) {
		assert_false(p->present);
		return;
	}
	assert_true(p->present);
	assert_string_equal(p->path, w->path);
	assert_str("psci compatible", p->compatible, w->compatible);
	assert_int_equal(p->method, w->method);
	assert_int_equal(p->cpu_suspend, w->cpu_suspend);
	assert_int_equal(p->cpu_off, w->cpu_off);
	assert_int_equal(p->cpu_on, w->cpu_on);
	assert_int_equal(p->migrate, w->migrate);
}

static void check_cpus(const struct cpus_want *w)
{
	assert_int_equal(plat.cpus.count, w->count);
	for (unsigned i = 0; i < w->count; i++) {
		assert_int_equal(plat.cpus.mpidr[i], w->mpidr[i]);
		assert_str("enable-method", plat.cpus.enable_method[i], w->enable_method);
	}
}

static void check_console(const struct sample *s)
{
	const struct uart_want *w = &s->console;

	assert_int_equal(plat.nuarts, s->nuarts);
	if (!w->path) {
		assert_int_equal(plat.console, -1);
		return;
	}
	assert_true(plat.console >= 0 && (unsigned)plat.console < plat.nuarts);
	const struct platform_uart *u = &plat.uarts[plat.console];
	assert_string_equal(u->path, w->path);
	assert_str("console compatible", u->compatible, w->compatible);
	assert_range("console reg", u->reg, w->reg);
	assert_irq("console irq", u->irq, w->irq);
	assert_int_equal(u->current_speed, w->current_speed);
}

static void test_sample(void **state)
{
	const struct sample *s = *state;
	size_t size;
	void *fdt = load_dtb(s->dtb, &size);

	assert_int_equal(dt_check(fdt, size), 0);
	plat.addr_limit = ADDR_LIMIT;
	int err = platform_probe(&plat, tree_index(fdt));
	if (err)
		fail_msg("platform_probe: %d, \"%s\"", err, host_last_err);
	/* A good tree is described without a word. */
	assert_string_equal(host_last_err, "");
	assert_string_equal(host_last_warn, "");
	assert_int_equal(host_err_count + host_warn_count, 0);

	assert_int_equal(plat.dtb.base, (uintptr_t)fdt);
	assert_int_equal(plat.dtb.size, size);
	assert_int_equal(plat.addr_limit, ADDR_LIMIT);
	check_memory(s);
	check_chosen(s);
	check_gic(&s->gic);
	check_timer(&s->timer);
	check_xen(&s->xen);
	check_psci(&s->psci);
	check_cpus(&s->cpus);
	check_console(s);
}

/* ---- the malformed trees ---- */

static void test_malformed(void **state)
{
	const struct malformed *m = *state;
	size_t size;
	void *fdt = load_dtb(m->dtb, &size);
	int err = dt_check(fdt, size);
	const char *got;

	if (m->check_err) {
		if (err != m->check_err)
			fail_msg("dt_check: %d (%s), want %d (%s)", err, dt_strerror(err), m->check_err,
				 m->message);
		got = dt_strerror(err);
		assert_int_equal(host_err_count, 0);	/* fdt/ never prints */
	} else {
		if (err)
			fail_msg("dt_check: %d (%s), want 0: the defect is for platform_probe", err,
				 dt_strerror(err));
		plat.addr_limit = ADDR_LIMIT;
		err = platform_probe(&plat, tree_index(fdt));
		if (err >= 0)
			fail_msg("platform_probe: %d, want an error \"%s\"", err, m->message);
		got = host_last_err;
	}
	if (strcmp(got, m->message))
		fail_msg("message:\n  got  \"%s\"\n  want \"%s\" (wording %s)", got, m->message,
			 wording_names[m->wording]);
	if (!m->check_err && host_err_count != 1)
		fail_msg("%u errors, want exactly one", host_err_count);
}

/* ---- a bus that is an interrupt nexus ---- */

/*
 * The shape of vexpress-v2p-ca15-tc1 and the Arm FVP, as build/findings/interrupt-map-nexus.dts
 * reduced it: the UART sits on a bus whose interrupt-map turns its 1-cell interrupt 5 into the
 * GIC's SPI 5 (INTID 37), level high (4). The timer's interrupts go to the GIC through the
 * root's interrupt-parent. Built here rather than in dts/ because it came from a finding, not
 * from Xen.
 */
static void test_interrupt_map_bus(void **state)
{
	(void)state;
	void *fdt = tree_begin(2, 2);
	prop_u32(fdt, "interrupt-parent", 1);
	node_begin(fdt, "memory@80000000");
	prop_str(fdt, "device_type", "memory");
	prop_cells(fdt, "reg", CELLS(0, 0x80000000, 0, 0x40000000));
	node_end(fdt);
	node_begin(fdt, "interrupt-controller@2c001000");
	prop_str(fdt, "compatible", "arm,cortex-a15-gic");
	prop_u32(fdt, "#interrupt-cells", 3);
	prop_u32(fdt, "#address-cells", 0);
	prop_bytes(fdt, "interrupt-controller", NULL, 0);
	prop_cells(fdt, "reg", CELLS(0, 0x2c001000, 0, 0x1000, 0, 0x2c002000, 0, 0x2000));
	prop_u32(fdt, "phandle", 1);
	node_end(fdt);
	node_begin(fdt, "timer");
	prop_str(fdt, "compatible", "arm,armv7-timer");
	prop_cells(fdt, "interrupts", CELLS(1, 13, 0xf08, 1, 14, 0xf08,
					    1, 11, 0xf08, 1, 10, 0xf08));
	node_end(fdt);
	node_begin(fdt, "bus@8000000");
	prop_str(fdt, "compatible", "simple-bus");
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 1);
	prop_cells(fdt, "ranges", CELLS(0, 0, 0x1c000000, 0x100000));
	prop_u32(fdt, "#interrupt-cells", 1);
	prop_cells(fdt, "interrupt-map-mask", CELLS(0, 63));
	prop_cells(fdt, "interrupt-map", CELLS(0, 5, 1, 0, 5, 4));
	node_begin(fdt, "serial@90000");
	static const char compatible[] = "arm,pl011\0arm,primecell";
	prop_bytes(fdt, "compatible", compatible, sizeof(compatible));
	prop_cells(fdt, "reg", CELLS(0x90000, 0x1000));
	prop_cells(fdt, "interrupts", CELLS(5));
	node_end(fdt);
	node_end(fdt);
	tree_end(fdt);

	plat.addr_limit = ADDR_LIMIT;
	int err = platform_probe(&plat, tree_index(fdt));
	if (err)
		fail_msg("platform_probe: %d, \"%s\"", err, host_last_err);
	assert_int_equal(host_err_count, 0);
	assert_int_equal(plat.gic.version, 2);
	assert_irq("timer secure phys", plat.timer.sec, (struct irq_want){ 29, 8 });
	assert_irq("timer hyp", plat.timer.hyp, (struct irq_want){ 26, 8 });
	assert_int_equal(plat.nuarts, 1);
	assert_int_equal(plat.console, 0);
	assert_string_equal(plat.uarts[0].path, "/bus@8000000/serial@90000");
	/* 0x90000 on the bus is 0x1c090000 to the CPU, through the bus's ranges. */
	assert_range("uart reg", plat.uarts[0].reg, (struct range_want){ 0x1c090000, 0x1000 });
	assert_irq("uart irq", plat.uarts[0].irq, (struct irq_want){ 37, 4 });
}

/* ---- the catalogue is covered ---- */

static bool listed(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(samples); i++)
		if (!strcmp(samples[i].dtb, name))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(malformed); i++)
		if (!strcmp(malformed[i].dtb, name))
			return true;
	return false;
}

/* ---- explaining a tree Arbor could not boot from ---- */

struct text_sink {
	struct sink sink;
	char buf[8192];
	size_t len;
};

static void text_put(struct sink *sink, const char *s, size_t n)
{
	struct text_sink *t = (struct text_sink *)sink;

	assert_true(t->len + n < sizeof(t->buf));
	memcpy(t->buf + t->len, s, n);
	t->buf[t->len += n] = '\0';
}

static void assert_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("explanation lacks \"%s\":\n%s", want, text);
}

/*
 * A fragment with no interrupt controller is explained all the same, its reg decoded and its
 * missing interrupt parent said, without a probe error (explaining never probes); a disabled
 * GIC is skipped.
 */
static void test_explain_fragment(void **state)
{
	static struct text_sink out = { .sink = { text_put } };
	size_t size;

	(void)state;
	platform_explain_all(tree_index(load_dtb("malformed/no-interrupt-controller.dtb", &size)),
			     &out.sink);
	assert_has(out.buf, "/memory@40000000\n  a RAM bank (device_type = \"memory\"): read by "
		   "platform_probe_memory()\n");
	assert_has(out.buf, "  reg entries: (2 + 2 cells) x 4 = 16 bytes each; 16 / 16 = 1 entry\n"
		   "  reg[0]: bus address 0x40000000, size 0x8000000\n");
	assert_has(out.buf, "  interrupt parent: none found: no interrupt parent on the node or any "
		   "ancestor (DT_ERR_NOIRQPARENT)\n");
	assert_has(out.buf, "  driver: \"arm,armv8-timer\" -> timer, probe level 1 (timer)\n");
	assert_int_equal(host_err_count, 0);

	out.len = 0;
	unload(state);
	platform_explain_all(tree_index(load_dtb("malformed/gic-disabled.dtb", &size)), &out.sink);
	assert_has(out.buf, "/interrupt-controller@3001000\n  skipped: status = \"disabled\"\n");
	/* The timer's parent is found all the same (the index does not care about status). */
	assert_has(out.buf, "  interrupts[0]: /interrupt-controller@3001000 <0x1 0xd 0xf08>: GIC PPI 13 "
		   "= INTID 29 (16 + 13), flags 0xf08: level low, CPU mask 0xf\n");
}

/* Every DTB `make host` built has an entry above: a new sample needs its expectations. */
static void test_every_dtb_listed(void **state)
{
	static const char *const dirs[] = { "xen", "samples", "malformed" };
	char dir[1024], name[512];
	unsigned found = 0;

	(void)state;
	for (size_t d = 0; d < ARRAY_SIZE(dirs); d++) {
		snprintf(dir, sizeof(dir), "%s/%s", HOST_DTB_DIR, dirs[d]);
		DIR *dp = opendir(dir);
		if (!dp)
			fail_msg("cannot open %s: run make host", dir);
		for (struct dirent *e; (e = readdir(dp));) {
			size_t len = strlen(e->d_name);
			if (len < 4 || strcmp(e->d_name + len - 4, ".dtb"))
				continue;
			snprintf(name, sizeof(name), "%s/%s", dirs[d], e->d_name);
			if (!listed(name))
				fail_msg("%s has no entry in tests/host/test_samples.c", name);
			found++;
		}
		closedir(dp);
	}
	assert_int_equal(found, ARRAY_SIZE(samples) + ARRAY_SIZE(malformed));
}

int main(void)
{
	struct CMUnitTest tests[ARRAY_SIZE(samples) + ARRAY_SIZE(malformed) + 3];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(samples); i++)
		tests[n++] = (struct CMUnitTest){ samples[i].dtb, test_sample, reset, unload,
						  (void *)&samples[i] };
	for (size_t i = 0; i < ARRAY_SIZE(malformed); i++)
		tests[n++] = (struct CMUnitTest){ malformed[i].dtb, test_malformed, reset, unload,
						  (void *)&malformed[i] };
	tests[n++] = (struct CMUnitTest){ "interrupt-map nexus bus", test_interrupt_map_bus, reset,
					  NULL, NULL };
	tests[n++] = (struct CMUnitTest){ "explain a fragment", test_explain_fragment, reset, unload,
					  NULL };
	tests[n++] = (struct CMUnitTest){ "every DTB has an entry", test_every_dtb_listed, NULL,
					  NULL, NULL };
	return _cmocka_run_group_tests("samples", tests, n, NULL, NULL);
}
