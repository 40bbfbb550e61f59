/*
 * /cpus: how many CPUs the DTB describes, their MPIDRs and how to start them.
 *
 * Each child with device_type = "cpu" is one CPU (Devicetree Specification v0.4, 3.7); its
 * reg is the MPIDR affinity value in /cpus' #address-cells (1 or 2). Disabled ones are not
 * counted. cpu-map and other children are not CPUs.
 */
#include <errno.h>
#include <string.h>

#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/platform.h>
#include <arbor/printk.h>

#define PATH_MAX_LEN  128

int platform_probe_cpus(struct platform *plat, const struct dt *dt)
{
	char path[PATH_MAX_LEN];
	int parent = dt_find_node(dt, "/cpus", 5), node;

	plat->cpus.count = 0;
	if (parent == DT_ERR_NOTFOUND) {
		pr_warn("/cpus: not in the device tree\n");
		return 0;
	}
	if (parent < 0) {
		pr_err("/cpus: %s\n", dt_strerror(parent));
		return -EINVAL;
	}
	dt_for_each_child(dt, parent, node) {
		int err;
		const char *type = dt_string(dt, node, "device_type", &err);
		if (!type || strcmp(type, "cpu") != 0 || !dt_enabled(dt, node))
			continue;

		paddr_t mpidr;
		uint64_t size;
		if ((err = dt_reg_raw(dt, node, 0, &mpidr, &size)))
			return platform_reg_error(dt, node, 0, "MPIDR");
		if (plat->cpus.count == PLATFORM_MAX_CPUS) {
			pr_err("%s: more than %u CPUs; raise PLATFORM_MAX_CPUS\n",
			       dt_path(dt, node, path, sizeof(path)), PLATFORM_MAX_CPUS);
			return -ENOSPC;
		}
		unsigned i = plat->cpus.count++;
		plat->cpus.mpidr[i] = mpidr;
		plat->cpus.enable_method[i] = dt_string(dt, node, "enable-method", NULL);
	}
	return 0;
}
