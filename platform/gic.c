/*
 * GIC drivers: where the interrupt controller's register frames are.
 *
 * GICv2 (Documentation/devicetree/bindings/interrupt-controller/arm,gic.yaml): reg[0] is the
 * distributor (GICD), reg[1] the CPU interface (GICC); reg[2] and reg[3], the virtual
 * interface control and CPU interface, matter only to a hypervisor. GICv3 (arm,gic-v3.yaml):
 * reg[0] is the distributor, then #redistributor-regions (default 1) redistributor regions,
 * each holding a run of redistributors redistributor-stride apart (default: the
 * architecture's 128 KiB, or 256 KiB with GICv4 virtual LPIs), then optional CPU interface
 * frames. The first GIC found is the platform's; another is reported and left alone.
 */
#include <errno.h>

#include <arbor/driver.h>
#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/printk.h>

#define PATH_MAX_LEN  128

/*
 * Entry index of the GIC's reg, checked to hold at least need bytes of registers (0: any
 * size but 0): the driver in irq/ maps and programs that much.
 */
static int gic_reg(const struct dt *dt, int node, int index, struct mem_range *r, const char *what,
		   unsigned version, uint64_t need)
{
	char path[PATH_MAX_LEN];

	if (dt_reg(dt, node, index, &r->base, &r->size))
		return platform_reg_error(dt, node, index, what);
	if (need && r->size < need) {
		pr_err("%s: the GICv%u %s region is 0x%llx bytes, its registers need 0x%llx\n",
		       dt_path(dt, node, path, sizeof(path)), version, what,
		       (unsigned long long)r->size, (unsigned long long)need);
		return -EINVAL;
	}
	if (r->size == 0) {
		pr_err("%s: reg entry %d (%s) has size 0\n", dt_path(dt, node, path, sizeof(path)),
		       index, what);
		return -EINVAL;
	}
	return 0;
}

/* Whether a GIC was already found, which makes this one a second, ignored, controller. */
static bool gic_found(const struct platform *plat, const struct dt *dt, int node)
{
	char path[PATH_MAX_LEN];

	if (!plat->gic.version)
		return false;
	pr_warn("%s: a second interrupt controller; Arbor uses only the first\n",
		dt_path(dt, node, path, sizeof(path)));
	return true;
}

/* Checks both versions make: the controller property and the number of reg entries. */
static int gic_begin(const struct dt *dt, int node, unsigned version, int min_regs)
{
	char path[PATH_MAX_LEN];
	int count = dt_reg_count(dt, node);

	dt_path(dt, node, path, sizeof(path));
	if (!dt_has(dt, node, "interrupt-controller")) {
		pr_err("%s: a GIC without the interrupt-controller property\n", path);
		return -EINVAL;
	}
	if (count < 0)
		return platform_reg_error(dt, node, -1, NULL);
	if (count < min_regs) {
		pr_err("%s: reg has %d entr%s, GICv%u needs %d\n", path, count, count == 1 ? "y" : "ies",
		       version, min_regs);
		return -EINVAL;
	}
	return 0;
}

static int gicv2_probe(struct platform *plat, const struct dt *dt, int node, const char *compatible)
{
	int err;

	if (gic_found(plat, dt, node))
		return 0;
	if ((err = gic_begin(dt, node, 2, 2)) ||
	    (err = gic_reg(dt, node, 0, &plat->gic.dist, "distributor", 2, GICV2_DIST_SIZE)) ||
	    (err = gic_reg(dt, node, 1, &plat->gic.cpu, "CPU interface", 2, GICV2_CPU_SIZE)))
		return err;
	plat->gic.version = 2;
	dt_path(dt, node, plat->gic.path, sizeof(plat->gic.path));
	plat->gic.compatible = compatible;
	return platform_add_device(plat, dt, "gicv2", node);
}

PLATFORM_DRIVER(gicv2, PROBE_IRQCHIP, gicv2_probe, "arm,gic-400", "arm,cortex-a15-gic",
		"arm,cortex-a9-gic", "arm,cortex-a7-gic", "arm,gic-v2", "arm,arm11mp-gic",
		"arm,arm1176jzf-devchip-gic", "arm,cortex-a5-gic", "arm,eb11mp-gic", "arm,pl390",
		"arm,tc11mp-gic", "brcm,brahma-b15-gic", "nvidia,tegra210-agic", "qcom,msm-8660-qgic",
		"qcom,msm-qgic2");

static int gicv3_probe(struct platform *plat, const struct dt *dt, int node, const char *compatible)
{
	char path[PATH_MAX_LEN];
	uint32_t regions = 1;
	int err;

	if (gic_found(plat, dt, node))
		return 0;
	dt_path(dt, node, path, sizeof(path));
	err = dt_u32(dt, node, "#redistributor-regions", &regions);
	if (err && err != DT_ERR_NOTFOUND) {
		pr_err("%s: #redistributor-regions: %s\n", path, dt_strerror(err));
		return -EINVAL;
	}
	if (regions == 0 || regions > PLATFORM_MAX_REDIST) {
		pr_err("%s: #redistributor-regions is %u; Arbor handles 1 to %u\n", path, (unsigned)regions,
		       PLATFORM_MAX_REDIST);
		return -EINVAL;
	}
	if ((err = gic_begin(dt, node, 3, 1 + (int)regions)) ||
	    (err = gic_reg(dt, node, 0, &plat->gic.dist, "distributor", 3, GICV3_DIST_SIZE)))
		return err;
	for (unsigned i = 0; i < regions; i++)
		if ((err = gic_reg(dt, node, 1 + (int)i, &plat->gic.redist[i], "redistributor region", 3, 0)))
			return err;
	plat->gic.nredist = regions;

	err = dt_u64(dt, node, "redistributor-stride", &plat->gic.redist_stride);
	if (err == DT_ERR_NOTFOUND) {
		plat->gic.redist_stride = 0;
	} else if (err) {
		pr_err("%s: redistributor-stride: %s\n", path, dt_strerror(err));
		return -EINVAL;
	} else if (plat->gic.redist_stride == 0 || plat->gic.redist_stride % (64 * 1024)) {
		pr_err("%s: redistributor-stride 0x%llx is not a multiple of 64 KiB\n", path,
		       (unsigned long long)plat->gic.redist_stride);
		return -EINVAL;
	}
	plat->gic.version = 3;
	dt_path(dt, node, plat->gic.path, sizeof(plat->gic.path));
	plat->gic.compatible = compatible;
	return platform_add_device(plat, dt, "gicv3", node);
}

PLATFORM_DRIVER(gicv3, PROBE_IRQCHIP, gicv3_probe, "arm,gic-v3");

/*
 * GIC interrupt specifiers (Documentation/devicetree/bindings/interrupt-controller/
 * arm,gic.yaml and arm,gic-v3.yaml): cell 0 is the type (0 SPI, 1 PPI; GICv3 adds 2 extended
 * SPI and 3 extended PPI), cell 1 the number within the type, cell 2 the trigger flags.
 */
#define GIC_SPI       0
#define GIC_PPI       1
#define GIC_ESPI      2
#define GIC_EPPI      3

int platform_gic_intid(uint32_t type, uint32_t num, unsigned version, uint32_t *intid,
		       const char **why)
{
	uint32_t base, limit;

	switch (type) {
	case GIC_SPI:  base = 32;   limit = 988; break;	/* INTIDs 32-1019 */
	case GIC_PPI:  base = 16;   limit = 16;  break;	/* INTIDs 16-31 */
	case GIC_ESPI: base = 4096; limit = 1024; break;	/* INTIDs 4096-5119 */
	case GIC_EPPI: base = 1056; limit = 64;  break;	/* INTIDs 1056-1119 */
	default:
		*why = "unknown GIC type";
		return -EINVAL;
	}
	if (num >= limit || (type >= GIC_ESPI && version < 3)) {
		*why = "out of range";
		return -EINVAL;
	}
	*intid = base + num;
	return 0;
}
