/*
 * PSCI, the firmware (here: Xen) interface for CPU power
 * (Documentation/devicetree/bindings/arm/psci.yaml).
 *
 * method says which conduit carries the calls, "hvc" for a Xen guest. The original binding,
 * "arm,psci", had no standard function IDs and gave them as properties (cpu_suspend,
 * cpu_off, cpu_on, migrate); PSCI 0.2 and later fix them, but Xen still writes cpu_on and
 * cpu_off next to "arm,psci-1.0", so they are read whenever present.
 */
#include <errno.h>
#include <string.h>

#include <arbor/driver.h>
#include <arbor/dt.h>
#include <arbor/printk.h>

#define PATH_MAX_LEN  128

static int psci_probe(struct platform *plat, const struct dt *dt, int node, const char *compatible)
{
	char path[PATH_MAX_LEN];
	struct platform_psci *psci = &plat->psci;
	int err;

	(void)compatible;
	dt_path(dt, node, path, sizeof(path));
	if (psci->present) {
		pr_warn("%s: a second PSCI node; Arbor uses only the first\n", path);
		return 0;
	}
	const char *method = dt_string(dt, node, "method", &err);
	if (!method) {
		pr_err("%s: method: %s\n", path, dt_strerror(err));
		return -EINVAL;
	}
	if (!strcmp(method, "hvc")) {
		psci->method = PSCI_HVC;
	} else if (!strcmp(method, "smc")) {
		psci->method = PSCI_SMC;
	} else {
		pr_err("%s: method \"%s\" is neither \"hvc\" nor \"smc\"\n", path, method);
		return -EINVAL;
	}

	struct { const char *name; uint32_t *id; } ids[] = {
		{ "cpu_suspend", &psci->cpu_suspend }, { "cpu_off", &psci->cpu_off },
		{ "cpu_on", &psci->cpu_on }, { "migrate", &psci->migrate },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		err = dt_u32(dt, node, ids[i].name, ids[i].id);
		if (err == DT_ERR_NOTFOUND) {
			*ids[i].id = 0;
		} else if (err) {
			pr_err("%s: %s: %s\n", path, ids[i].name, dt_strerror(err));
			return -EINVAL;
		}
	}
	psci->compatible = dt_string_index(dt, node, "compatible", 0, NULL);
	psci->present = true;
	dt_path(dt, node, psci->path, sizeof(psci->path));
	return platform_add_device(plat, dt, "psci", node);
}

PLATFORM_DRIVER(psci, PROBE_OTHER, psci_probe, "arm,psci", "arm,psci-0.2", "arm,psci-1.0");
