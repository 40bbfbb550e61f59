/*
 * Unit tests for console/console.c: which backend console_select() chooses for a platform,
 * what it says about it, and the fall-back to console_io when a backend fails.
 *
 * The platforms are real descriptions, probed from the DT fixtures (dts/), some then edited
 * the way another DT would differ (a UART or the PSCI node taken away). The backends and
 * Xen are fakes defined here: the UART driver and the ring record what they were asked to
 * drive, HVMOP_get_param answers from a table and counts its calls, console_io collects its
 * bytes. Expected choices come from the rules in include/arbor/console.h:
 *   stdout-path's UART > the first UART found > the PV ring (params set) > console_io,
 * no hypercall at all where Xen detection (faked here) found no Xen, and, without Xen,
 * stdout-path's UART as the early console (console_early()) through the boot map.
 */
#include "host.h"
#include "dtb_builder.h"
#include "host_printk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arbor/console.h>
#include <arbor/dt.h>
#include <arbor/platform.h>
#include <arbor/xen.h>

#include <xen/hvm/params.h>

static struct platform plat;
static void *fdt;

/* ---- fakes ---- */

/* Xen detection (xen/detect.c): what xen_detect() would have found. */
static enum xen_detection detection;
static bool detection_done;

enum xen_detection xen_detected(void)
{
	return detection;
}

bool xen_detection_done(void)
{
	return detection_done;
}

/* The two ways of mapping a UART: the kernel's map, and the boot map's (early). */
void *mmu_map_device(paddr_t pa, uint64_t size)
{
	(void)size;
	return (void *)(uintptr_t)pa;
}

void *early_map_device(paddr_t pa, uint64_t size)
{
	(void)size;
	return (void *)(uintptr_t)pa;
}

/* console/printk.c's replay of the lines kept from before detection: counted. */
static unsigned replays;

void console_replay_early(void)
{
	replays++;
}

/* The UART driver. */
static struct {
	bool refuse;		/* pl011_console_init fails */
	void *(*map)(paddr_t, uint64_t);	/* how it was told to map the registers */
	long write_result;	/* 0: succeed */
	paddr_t base;
	const char *compatible;
	char out[256];
	size_t len;
} uart;

static long uart_write(const char *s, size_t n)
{
	if (uart.write_result)
		return uart.write_result;
	memcpy(uart.out + uart.len, s, n);
	uart.len += n;
	return (long)n;
}

static const struct console_backend uart_backend = {
	.kind = CONSOLE_UART, .name = "fake-uart", .write = uart_write,
};

const struct console_backend *pl011_console_init(paddr_t base, uint64_t size,
						 const char *compatible, void *(*map)(paddr_t, uint64_t))
{
	(void)size;
	uart.map = map;
	uart.base = base;
	uart.compatible = compatible;
	return uart.refuse ? NULL : &uart_backend;
}

/* HVMOP_get_param and the ring. */
static struct {
	uint64_t pfn, evtchn;
	unsigned calls;
	paddr_t ring_page;
	uint32_t ring_port;
} xen;

long xen_hvm_get_param(uint32_t index, uint64_t *value)
{
	xen.calls++;
	*value = index == HVM_PARAM_CONSOLE_PFN ? xen.pfn :
		 index == HVM_PARAM_CONSOLE_EVTCHN ? xen.evtchn : 0;
	return 0;
}

static long ring_write(const char *s, size_t n)
{
	(void)s;
	return (long)n;
}

static struct console_backend ring_backend = {
	.kind = CONSOLE_XEN_RING, .name = "fake-ring", .write = ring_write,
};

const struct console_backend *xencons_init(paddr_t page, uint32_t port)
{
	xen.ring_page = page;
	xen.ring_port = port;
	ring_backend.base = page;
	return &ring_backend;
}

/* console_io. */
static char io_out[512];
static size_t io_len;

long xen_console_write(const char *s, size_t n)
{
	memcpy(io_out + io_len, s, n);
	io_len += n;
	return 0;
}

/* ---- helpers ---- */

static void probe(const char *name)
{
	size_t size;

	free(fdt);
	fdt = fixture_load(name, &size);
	assert_int_equal(dt_check(fdt, size), 0);
	memset(&plat, 0, sizeof(plat));
	plat.addr_limit = 1ull << 48;
	assert_int_equal(platform_probe(&plat, tree_index(fdt)), 0);
}

static int setup(void **state)
{
	(void)state;
	memset(&uart, 0, sizeof(uart));
	memset(&xen, 0, sizeof(xen));
	/* Most platforms here are Xen's: detected, as by the hypervisor node or Call UID. */
	detection = XEN_BY_SMCCC_UID;
	detection_done = true;
	io_len = 0;
	host_printk_reset();
	return 0;
}

/* ---- the rules ---- */

/* Two PL011s; stdout-path names the second through an alias: that one, not the first. */
static void test_stdout_path_uart(void **state)
{
	(void)state;
	probe("samples/stdout-path-alias.dtb");
	console_select(&plat);
	assert_ptr_equal(console_current(), &uart_backend);
	assert_int_equal(uart.base, 0x9040000);
	assert_string_equal(uart.compatible, "arm,pl011");
	assert_string_equal(host_text, "console: fake-uart at 0x9040000 (stdout-path /pl011@9040000)\n");
	assert_int_equal(xen.calls, 0);
}

/* A dom0less domU with vpl011: no stdout-path, the discovered SBSA UART. */
static void test_discovered_uart(void **state)
{
	(void)state;
	probe("xen/domU-dom0less-gicv3.dtb");
	console_select(&plat);
	assert_ptr_equal(console_current(), &uart_backend);
	assert_int_equal(uart.base, 0x22000000);
	assert_string_equal(uart.compatible, "arm,sbsa-uart");
	assert_string_equal(host_text,
			    "console: fake-uart at 0x22000000 (discovered /sbsa-uart@22000000)\n");
}

/* dom0 on QEMU: no UART (Xen keeps the PL011), a hypervisor node, no PV console. */
static void test_dom0_console_io(void **state)
{
	(void)state;
	probe("xen/dom0-gicv3-qemu-virt.dtb");
	assert_true(plat.xen.present);
	console_select(&plat);
	assert_ptr_equal(console_current(), console_xen_io());
	assert_int_equal(xen.calls, 2);
	assert_string_equal(host_text, "console: console_io (no UART; no PV console: "
			    "HVM_PARAM_CONSOLE_PFN/_EVTCHN not set)\n");
}

/* No UART, and Xen has set up a PV console: the ring, with the page and port given. */
static void test_pv_ring(void **state)
{
	(void)state;
	probe("xen/dom0-gicv3-qemu-virt.dtb");
	xen.pfn = 0x39001;
	xen.evtchn = 3;
	console_select(&plat);
	assert_ptr_equal(console_current(), &ring_backend);
	assert_int_equal(xen.ring_page, 0x39001000);
	assert_int_equal(xen.ring_port, 3);
	assert_string_equal(host_text, "console: xen-ring, page 0x39001000, event channel 3 "
			    "(HVM_PARAM_CONSOLE_PFN/_EVTCHN)\n");
}

/* Only one of the two parameters set is no PV console. */
static void test_pv_ring_half_set(void **state)
{
	(void)state;
	probe("xen/dom0-gicv3-qemu-virt.dtb");
	xen.pfn = 0x39001;
	console_select(&plat);
	assert_ptr_equal(console_current(), console_xen_io());
}

/* A domU without vpl011: no UART, PSCI over HVC only; Xen is asked. */
static void test_domU_without_uart_asks_xen(void **state)
{
	(void)state;
	probe("xen/domU-dom0less-gicv3.dtb");
	plat.nuarts = 0;
	plat.console = -1;
	assert_false(plat.xen.present);
	assert_true(plat.psci.present && plat.psci.method == PSCI_HVC);
	console_select(&plat);
	assert_ptr_equal(console_current(), console_xen_io());
	assert_int_equal(xen.calls, 2);
}

/* Detection found no Xen (neither a hypervisor node nor PSCI): never a hypercall. */
static void test_no_xen_no_psci_never_asks(void **state)
{
	(void)state;
	probe("xen/domU-dom0less-gicv3.dtb");
	detection = XEN_ABSENT;
	plat.nuarts = 0;
	plat.console = -1;
	plat.psci.present = false;
	plat.psci.method = PSCI_NONE;
	xen.pfn = 0x39001;
	xen.evtchn = 3;
	console_select(&plat);
	assert_ptr_equal(console_current(), console_xen_io());
	assert_int_equal(xen.calls, 0);
	assert_string_equal(host_text, "console: console_io (no UART; PV console not asked for: "
			    "not on Xen)\n");
}

/* PSCI over SMC is firmware at EL3, and Call UID over it found no Xen: not asked either. */
static void test_psci_smc_never_asks(void **state)
{
	(void)state;
	probe("xen/domU-dom0less-gicv3.dtb");
	detection = XEN_ABSENT;
	plat.nuarts = 0;
	plat.console = -1;
	plat.psci.method = PSCI_SMC;
	console_select(&plat);
	assert_int_equal(xen.calls, 0);
}

/* A UART that cannot be set up: a warning naming it, then the next rule. */
static void test_unusable_uart_falls_through(void **state)
{
	(void)state;
	probe("samples/stdout-path-alias.dtb");
	detection = XEN_ABSENT;
	uart.refuse = true;
	console_select(&plat);
	assert_ptr_equal(console_current(), console_xen_io());
	assert_string_equal(host_last_warn, "console: /pl011@9040000 cannot be used; "
			    "trying the next console\n");
	/* That tree has no hypervisor node and no PSCI. */
	assert_int_equal(xen.calls, 0);
	assert_string_equal(host_text, "console: console_io (UART unusable; PV console not asked "
			    "for: not on Xen)\n");
}

/* ---- the early console ---- */

/* No Xen: stdout-path's UART (the second PL011, by alias) at once, through the boot map. */
static void test_early_uart_without_xen(void **state)
{
	(void)state;
	probe("samples/stdout-path-alias.dtb");
	detection = XEN_ABSENT;
	replays = 0;
	console_early(&plat);
	assert_ptr_equal(console_current(), &uart_backend);
	assert_int_equal(uart.base, 0x9040000);
	assert_ptr_equal(uart.map, early_map_device);
	assert_int_equal(replays, 1);	/* what printk kept from before detection, once */
	assert_string_equal(host_text, "");	/* console_select() is the one that says */
	/* Later, console_select() maps it through the kernel's tables. */
	console_select(&plat);
	assert_ptr_equal(uart.map, mmu_map_device);
}

/* On Xen, or before detection has run, the early console stays console_io. */
static void test_early_uart_not_on_xen(void **state)
{
	(void)state;
	probe("samples/stdout-path-alias.dtb");
	replays = 0;
	console_early(&plat);
	assert_null(uart.map);
	detection = XEN_ABSENT;
	detection_done = false;
	console_early(&plat);
	assert_null(uart.map);
	assert_int_equal(replays, 0);
}

/* A UART only discovered, not named by stdout-path, is not taken early. */
static void test_early_needs_stdout_path(void **state)
{
	(void)state;
	probe("xen/domU-dom0less-gicv3.dtb");
	detection = XEN_ABSENT;
	console_early(&plat);
	assert_null(uart.map);
}

/* Known not to be on Xen, console_io fails at once, without the hypercall. */
static void test_console_io_without_xen(void **state)
{
	(void)state;
	probe("xen/domU-dom0less-gicv3.dtb");
	plat.nuarts = 0;
	plat.console = -1;
	detection = XEN_ABSENT;
	console_select(&plat);
	assert_ptr_equal(console_current(), console_xen_io());
	assert_int_equal(console_write("x\n", 2), -ENODEV);
	assert_int_equal(io_len, 0);
}

/* ---- writing ---- */

static void test_write_goes_to_backend(void **state)
{
	(void)state;
	probe("xen/domU-dom0less-gicv3.dtb");
	console_select(&plat);
	assert_int_equal(console_write("hello\n", 6), 6);
	assert_int_equal(uart.len, 6);
	assert_memory_equal(uart.out, "hello\n", 6);
	assert_int_equal(io_len, 0);
}

/* A backend that fails: one warning on console_io, the bytes again there, console_io kept. */
static void test_failing_backend_falls_back(void **state)
{
	static const char want[] = "warning: console: fake-uart: the device stopped taking output "
				   "(-%d); back to console_io\nhello\n";
	char expect[256];

	(void)state;
	probe("xen/domU-dom0less-gicv3.dtb");
	console_select(&plat);
	uart.write_result = -ETIMEDOUT;
	assert_int_equal(console_write("hello\n", 6), 6);
	snprintf(expect, sizeof(expect), want, ETIMEDOUT);
	assert_int_equal(io_len, strlen(expect));
	assert_memory_equal(io_out, expect, io_len);
	assert_ptr_equal(console_current(), console_xen_io());
	/* Later writes go straight to console_io. */
	uart.write_result = 0;
	assert_int_equal(console_write("x\n", 2), 2);
	assert_int_equal(uart.len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_stdout_path_uart, setup),
		cmocka_unit_test_setup(test_discovered_uart, setup),
		cmocka_unit_test_setup(test_dom0_console_io, setup),
		cmocka_unit_test_setup(test_pv_ring, setup),
		cmocka_unit_test_setup(test_pv_ring_half_set, setup),
		cmocka_unit_test_setup(test_domU_without_uart_asks_xen, setup),
		cmocka_unit_test_setup(test_no_xen_no_psci_never_asks, setup),
		cmocka_unit_test_setup(test_psci_smc_never_asks, setup),
		cmocka_unit_test_setup(test_unusable_uart_falls_through, setup),
		cmocka_unit_test_setup(test_early_uart_without_xen, setup),
		cmocka_unit_test_setup(test_early_uart_not_on_xen, setup),
		cmocka_unit_test_setup(test_early_needs_stdout_path, setup),
		cmocka_unit_test_setup(test_console_io_without_xen, setup),
		cmocka_unit_test_setup(test_write_goes_to_backend, setup),
		cmocka_unit_test_setup(test_failing_backend_falls_back, setup),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	free(fdt);
	return failed;
}
