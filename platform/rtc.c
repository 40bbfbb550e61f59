/*
 * The Arm PL031 real-time clock (bindings rtc/arm,pl031.yaml). Only dom0 sees one on QEMU's
 * virt machine, passed through from the host; it is the one source of the date Arbor has,
 * and dom0 hands it to Xen (xen/wallclock.c) so that every domain's wall clock is right.
 */
#include <errno.h>

#include <arbor/driver.h>
#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/printk.h>

#define PATH_MAX_LEN  128

static int rtc_probe(struct platform *plat, const struct dt *dt, int node, const char *compatible)
{
	char path[PATH_MAX_LEN];
	int err;

	(void)compatible;
	dt_path(dt, node, path, sizeof(path));
	if (plat->rtc.present) {
		pr_warn("%s: a second RTC; Arbor uses only the first\n", path);
		return 0;
	}
	if ((err = dt_reg(dt, node, 0, &plat->rtc.reg.base, &plat->rtc.reg.size)))
		return platform_reg_error(dt, node, 0, NULL);
	if (plat->rtc.reg.size < 4) {
		pr_err("%s: reg is %llu bytes, too small for the data register\n", path,
		       (unsigned long long)plat->rtc.reg.size);
		return -EINVAL;
	}
	plat->rtc.present = true;
	dt_path(dt, node, plat->rtc.path, sizeof(plat->rtc.path));
	return platform_add_device(plat, dt, "rtc", node);
}

PLATFORM_DRIVER(rtc, PROBE_OTHER, rtc_probe, "arm,pl031");
