/*
 * UARTs Arbor can use as a console: the Arm PL011 and the SBSA generic UART, a PL011 subset
 * that Xen emulates for domUs given vpl011 (bindings serial/pl011.yaml, arm_sbsa_uart.txt).
 * Only where they are is recorded here; the console driver comes later. The one /chosen's
 * stdout-path names becomes the console (platform.c).
 */
#include <errno.h>
#include <string.h>

#include <arbor/driver.h>
#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/printk.h>

#define PATH_MAX_LEN  128

static int uart_probe(struct platform *plat, const struct dt *dt, int node, const char *compatible)
{
	char path[PATH_MAX_LEN];
	struct platform_uart uart = { .compatible = compatible };
	int err;

	dt_path(dt, node, path, sizeof(path));
	dt_path(dt, node, uart.path, sizeof(uart.path));
	uart.stdout_path = plat->stdout_path[0] && !strcmp(uart.path, plat->stdout_path);
	if (plat->nuarts == PLATFORM_MAX_UARTS) {
		pr_warn("%s: more than %u UARTs; this one is not recorded\n", path, PLATFORM_MAX_UARTS);
		return 0;
	}
	if ((err = dt_reg(dt, node, 0, &uart.reg.base, &uart.reg.size)))
		return platform_reg_error(dt, node, 0, NULL);
	int count = dt_irq_count(dt, node);
	if (count < 0) {
		return platform_irq_count_error(dt, node, count);
	}
	if (count > 0 && (err = platform_irq(plat, dt, node, 0, &uart.irq))) {
		if (err != -ENXIO)
			return err;
		/* Behind another interrupt controller: usable for output, without an interrupt. */
		pr_warn("%s: its interrupt is not routed to the GIC; recorded without it\n", path);
	}
	err = dt_u32(dt, node, "current-speed", &uart.current_speed);
	if (err && err != DT_ERR_NOTFOUND) {
		pr_err("%s: current-speed: %s\n", path, dt_strerror(err));
		return -EINVAL;
	}
	if (err)
		uart.current_speed = 0;
	plat->uarts[plat->nuarts++] = uart;
	return platform_add_device(plat, dt, "uart", node);
}

PLATFORM_DRIVER(uart, PROBE_CONSOLE, uart_probe, "arm,pl011", "arm,sbsa-uart");
