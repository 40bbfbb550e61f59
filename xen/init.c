/*
 * Bringing up the Xen services, in dependency order: detection (xen/detect.c, run earlier by
 * kernel_main; reported here), Xen's wall
 * clock set from the RTC by dom0 (xen/wallclock.c), the shared-info page and wall clock
 * (xen/shared_info.c), event channels (xen/evtchn.c). Each
 * prints one line saying what it found or why it is unavailable; a service that cannot
 * start leaves the others, and the boot, to go on.
 */
#include <arbor/evtchn.h>
#include <arbor/printk.h>
#include <arbor/xen.h>

void xen_init(const struct platform *plat)
{
	xen_report_detection();
	if (xen_detected() == XEN_ABSENT) {
		pr_info("xen: shared info: unavailable, not running on Xen\n");
		pr_info("evtchn: unavailable: not running on Xen\n");
		return;
	}
	xen_set_wallclock_from_rtc(plat);
	if (xen_shared_info_init(plat))
		pr_warn("xen: no shared-info page: no wall clock, no event channels\n");
	evtchn_init(plat);
}
