/*
 * The Arm generic timer (Documentation/devicetree/bindings/timer/arm,arch_timer.yaml).
 *
 * Its interrupts come in a fixed order: secure physical, non-secure physical, virtual,
 * hypervisor physical (and a fifth, hypervisor virtual, on ARMv8.1 hardware). Hardware DTBs
 * give four; a Xen domU gets three (no hypervisor timer), in the same order. clock-frequency
 * is there only when firmware failed to program CNTFRQ, and then overrides it.
 */
#include <errno.h>

#include <arbor/driver.h>
#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/printk.h>

#define PATH_MAX_LEN  128

static int timer_probe(struct platform *plat, const struct dt *dt, int node, const char *compatible)
{
	char path[PATH_MAX_LEN];
	struct plat_irq *slots[] = { &plat->timer.sec, &plat->timer.phys, &plat->timer.virt,
				     &plat->timer.hyp };
	int count = dt_irq_count(dt, node), err;

	dt_path(dt, node, path, sizeof(path));
	if (plat->timer.present) {
		pr_warn("%s: a second timer node; Arbor uses only the first\n", path);
		return 0;
	}
	if (count < 0) {
		return platform_irq_count_error(dt, node, count);
	}
	if (count < 3) {
		pr_err("%s: %d interrupt%s; the timer binding needs at least 3\n", path, count,
		       count == 1 ? "" : "s");
		return -EINVAL;
	}
	for (int i = 0; i < count && i < (int)ARRAY_SIZE(slots); i++) {
		err = platform_irq(plat, dt, node, i, slots[i]);
		if (err == -ENXIO)
			pr_err("%s: interrupt %d is not routed to the GIC\n", path, i);
		if (err)
			return err;
	}

	err = dt_u32(dt, node, "clock-frequency", &plat->timer.clock_frequency);
	if (err == DT_ERR_NOTFOUND) {
		plat->timer.clock_frequency = 0;
	} else if (err) {
		pr_err("%s: clock-frequency: %s\n", path, dt_strerror(err));
		return -EINVAL;
	}
	plat->timer.present = true;
	dt_path(dt, node, plat->timer.path, sizeof(plat->timer.path));
	plat->timer.compatible = compatible;
	return platform_add_device(plat, dt, "timer", node);
}

PLATFORM_DRIVER(timer, PROBE_TIMER, timer_probe, "arm,armv8-timer", "arm,armv7-timer");
