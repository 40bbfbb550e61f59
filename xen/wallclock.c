/*
 * dom0 gives Xen the date. Xen on Arm reads no clock of its own: its wall clock counts from
 * 1970 at its boot until dom0 sets it with XENPF_settime64, and every domain's wall clock
 * (shared info's wc_sec/wc_nsec) follows from it. On QEMU's virt machine dom0 is handed the
 * PL031 RTC, which QEMU runs on the host's clock, so that is what dom0 passes on.
 *
 * XENPF_settime64 says "the wall clock read secs.nsecs when Xen's system time was
 * system_time". The PL031 counts whole seconds, so dom0 waits (at most a little over a
 * second) for its data register to tick and takes that instant as secs.000000000. Xen's
 * system time counts from Xen's boot; dom0 knows only its own uptime (its virtual counter
 * starts when Xen creates it, a fraction of a second after boot), so it passes that, which
 * makes the clock late by the time Xen took to create dom0.
 */
#include <arbor/arch.h>
#include <arbor/mmu.h>
#include <arbor/printk.h>
#include <arbor/time.h>
#include <arbor/xen.h>
#include <arch/io.h>
#include <xen/platform.h>

#define RTCDR  0x000	/* PL031 data register: seconds since the epoch */

static uint32_t rtc_read(uintptr_t regs)
{
	return mmio_read32(regs + RTCDR);
}

void xen_set_wallclock_from_rtc(const struct platform *plat)
{
	if (!plat->rtc.present || !xen_is_dom0())
		return;
	uintptr_t regs = (uintptr_t)mmu_map_device(plat->rtc.reg.base, plat->rtc.reg.size);
	if (!regs)
		return;

	uint64_t freq = arch_counter_freq();
	uint32_t first = rtc_read(regs), now = first;
	uint64_t limit = arch_counter() + freq + freq / 4;
	while (now == first && arch_counter() < limit)
		now = rtc_read(regs);
	uint64_t up = time_ticks_to_ns(arch_counter(), freq);
	if (now == first) {
		pr_warn("xen: the RTC at 0x%llx did not tick within 1.25 s; Xen's clock left unset\n",
			(unsigned long long)plat->rtc.reg.base);
		return;
	}

	struct xen_platform_op op = {
		.cmd = XENPF_settime64,
		.interface_version = XENPF_INTERFACE_VERSION,
		.u.settime64 = { .secs = now, .nsecs = 0, .mbz = 0, .system_time = up },
	};
	long err = xen_hypercall(__HYPERVISOR_platform_op, (unsigned long)&op, 0, 0, 0, 0);
	if (err) {
		pr_err("xen: XENPF_settime64: %s\n", xen_strerror(err));
		return;
	}
	pr_info("xen: set Xen's wall clock from the RTC at 0x%llx: %u s since the epoch\n",
		(unsigned long long)plat->rtc.reg.base, (unsigned)now);
}
