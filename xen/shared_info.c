/*
 * The shared-info page and the wall clock.
 *
 * Xen keeps one page per domain that it and the guest both write: the event-channel bitmaps
 * (xen/evtchn.c), vCPU 0's vcpu_info (upcall flag and selector), and the wall clock. An Arm
 * guest has no start_info to find it through; it asks Xen to put the page into its
 * guest-physical space with XENMEM_add_to_physmap (XENMAPSPACE_shared_info, index 0) at a
 * page frame of its choosing, and maps that page as normal write-back memory.
 *
 * Which page. Never a constant: Xen's public headers say the guest memory map is not an ABI.
 *   - With a hypervisor node that lists extended regions (reg[1..]): the second page from
 *     the top of the first one (below the build's address limit). Extended regions are
 *     guest-physical space Xen guarantees is neither RAM nor MMIO in this domain, meant for
 *     pages mapped in from elsewhere, so nothing of Arbor's is displaced. Not an edge page:
 *     Xen starts and ends regions right against RAM (seen: a domU's region begins where its
 *     RAM ends, a dom0's ends where its RAM begins), and with an unmapped page of the
 *     region on each side, running off either end of RAM still faults instead of
 *     scribbling on the shared page. The region's low end stays whole for later users,
 *     who must skip this page (xen_shared_info_pa()). The grant-table region (reg[0]) is
 *     left to the grant table's frames. Xen 4.17 gives 32-bit guests no extended regions.
 *   - Otherwise (a dom0less domU without xen,enhanced has no node; an old Xen lists no
 *     extended region): a page-aligned page of Arbor's own .bss, which lies in a RAM bank the
 *     DT described. Xen replaces the RAM frame behind that guest-physical page with the
 *     shared-info frame (the RAM frame is no longer reachable by the guest), as Linux does
 *     with a page it allocates. The page is Arbor's, so nothing else was using it.
 *
 * The wall clock. wc_sec/wc_sec_hi/wc_nsec hold Xen's wall clock as it was when the domain's
 * clock started, under a version counter that is odd while Xen rewrites them. On Arm, Xen
 * sets a domain's time offset to the whole seconds between Xen's boot and the domain's
 * creation, and starts the domain's virtual counter (CNTVCT, through CNTVOFF) at zero at
 * that creation (xen/arch/arm/vtimer.c, domain_vtimer_init). So the time now is wc plus the
 * virtual counter converted to nanoseconds, as Linux computes it (arch/arm/xen/enlighten.c,
 * xen_read_wallclock). Xen's own wall clock is whatever dom0 last set with XENPF_settime64;
 * until then it starts at the epoch, and the domain sees 1970 plus Xen's uptime.
 */
#include <errno.h>

#include <arbor/arch.h>
#include <arbor/image.h>
#include <arbor/mmu.h>
#include <arbor/page_alloc.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/time.h>
#include <arbor/xen.h>

#include <xen/memory.h>

#define PAGE_SHIFT  12
_Static_assert(PAGE_SIZE == 1u << PAGE_SHIFT, "Xen's frames are 4 KiB, as are Arbor's pages");
_Static_assert(sizeof(struct shared_info) <= PAGE_SIZE, "shared_info fits a page");

static struct shared_info *shared;
static paddr_t shared_pa;

struct shared_info *xen_shared_info(void)
{
	return shared;
}

paddr_t xen_shared_info_pa(void)
{
	return shared_pa;
}

/* The page to use, and a phrase for the boot line saying why; 0 when there is none. */
static paddr_t choose_page(const struct platform *plat, const char **why)
{
	for (unsigned i = 0; i < plat->xen.nextended; i++) {
		const struct mem_range *r = &plat->xen.extended[i];
		uint64_t end = ALIGN_DOWN(MIN(r->base + r->size, plat->addr_limit), PAGE_SIZE);

		if (end >= ALIGN_UP(r->base, PAGE_SIZE) + 3 * PAGE_SIZE) {
			*why = "the second page from the top of an extended region";
			return end - 2 * PAGE_SIZE;
		}
	}

	/* Else a RAM page given up to Xen for good: the allocator's, so a usable bank's. */
	void *page = page_alloc(0);
	if (!page) {
		pr_err("xen: shared info: no free page to give Xen\n");
		return 0;
	}
	*why = plat->xen.present ? "a page of RAM from the page allocator (no extended region)"
				 : "a page of RAM from the page allocator (no hypervisor node)";
	return (uintptr_t)page;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's civil_from_days). */
static void civil_from_days(uint64_t days, unsigned long long *year, unsigned *month,
			    unsigned *day)
{
	uint64_t z = days + 719468;		/* days since 0000-03-01 */
	uint64_t era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*day = doy - (153 * mp + 2) / 5 + 1;
	*month = mp < 10 ? mp + 3 : mp - 9;
	*year = era * 400 + yoe + (*month <= 2);
}

int xen_wallclock(uint64_t *sec, uint32_t *nsec)
{
	const volatile struct shared_info *s = shared;
	uint32_t version, base_nsec;
	uint64_t base_sec;

	if (!s)
		return -ENODEV;
	/*
	 * The version protocol (public xen.h, vcpu_time_info): Xen makes the version odd,
	 * writes, makes it even again; a read is good when it saw the same even version before
	 * and after. The acquire fences keep the field reads between the two version reads.
	 */
	do {
		version = s->wc_version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		base_sec = (uint64_t)s->wc_sec_hi << 32 | s->wc_sec;
		base_nsec = s->wc_nsec;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != s->wc_version);

	uint64_t freq = time_frequency() ? time_frequency() : arch_counter_freq();
	uint64_t up = time_ticks_to_ns(arch_counter(), freq);
	uint64_t ns = base_nsec + up % NSEC_PER_SEC;

	*sec = base_sec + up / NSEC_PER_SEC + ns / NSEC_PER_SEC;
	*nsec = (uint32_t)(ns % NSEC_PER_SEC);
	return 0;
}

int xen_shared_info_init(const struct platform *plat)
{
	const char *why = NULL;
	paddr_t pa = choose_page(plat, &why);

	if (!pa)
		return -ENOMEM;
	/* Mapped before Xen puts the page there; nothing reads it until Xen has. */
	void *va = mmu_map_shared(pa, PAGE_SIZE);
	if (!va)
		return -ENOMEM;

	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = pa >> PAGE_SHIFT,
	};
	long err = xen_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				  (unsigned long)&xatp, 0, 0, 0);
	if (err) {
		pr_err("xen: XENMEM_add_to_physmap(XENMAPSPACE_shared_info, gpfn 0x%llx): %s\n",
		       (unsigned long long)xatp.gpfn, xen_strerror(err));
		return (int)err;
	}
	shared = va;
	shared_pa = pa;

	uint64_t sec;
	uint32_t nsec;
	unsigned long long year;
	unsigned month, day;

	/* Only said, so not worked out when quiet: on arm32 each division is a libgcc call. */
	if (printk_quiet())
		return 0;
	xen_wallclock(&sec, &nsec);
	civil_from_days(sec / 86400, &year, &month, &day);
	pr_info("xen: shared info at 0x%llx, %s\n", (unsigned long long)pa, why);
	pr_info("xen: wall clock %04llu-%02u-%02u %02u:%02u:%02u.%03u UTC%s\n", year, month, day,
		(unsigned)(sec % 86400 / 3600), (unsigned)(sec % 3600 / 60), (unsigned)(sec % 60),
		(unsigned)(nsec / 1000000),
		year < 2000 ? " (Xen's clock was apparently never set)" : "");
	return 0;
}
