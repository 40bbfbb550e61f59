/*
 * Self-tests of the Xen services' first part: detection, the shared-info page, the wall
 * clock. They run in every role: dom0 and a xen,enhanced domU find Xen by the hypervisor
 * node, a plain dom0less domU by SMCCC Call UID.
 *
 * That the shared-info page really is Xen's is shown by making Xen write to it: a loopback
 * event channel (alloc_unbound to self, then bind_interdomain to that port) leaves the new
 * port pending, since Xen marks a port pending when it is bound. This uses the event-channel
 * hypercalls directly, so it works in a domU without a hypervisor node too, where
 * event-channel delivery is unavailable (the ports stay masked, so no upcall is raised).
 */
#include <string.h>

#include <arbor/arch.h>
#include <arbor/evtchn.h>
#include <arbor/evtchn_2l.h>
#include <arbor/image.h>
#include <arbor/irq.h>
#include <arbor/page_alloc.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>
#include <arbor/smccc.h>
#include <arbor/time.h>
#include <arbor/xen.h>

#include <xen/arch-arm/smccc.h>
#include <xen/version.h>

#define MAIR_NORMAL_WB  0xff

SELFTEST(xen_detected)
{
	unsigned major, minor;
	const char *extra;

	SKIP_UNLESS(xen_detected() != XEN_ABSENT, "not on Xen");

	if (platform.xen.present)
		EXPECT(xen_detected() == XEN_BY_NODE, "a hypervisor node, but detection says %d",
		       xen_detected());
	else
		EXPECT(xen_detected() == XEN_BY_SMCCC_UID,
		       "no hypervisor node: Xen should have been found by SMCCC Call UID (%d)",
		       xen_detected());

	xen_version(&major, &minor, &extra);
	EXPECT(major >= 4, "XENVER_version says %u.%u", major, minor);
	EXPECT(extra && strlen(extra) < sizeof(xen_extraversion_t), "extraversion unterminated");
	if (platform.xen.present && platform.xen.major)
		EXPECT(major == platform.xen.major && minor == platform.xen.minor,
		       "XENVER_version %u.%u, the hypervisor node says %u.%u", major, minor,
		       platform.xen.major, platform.xen.minor);

	/* Whatever found it, the PSCI conduit (when there is one) answers with Xen's UID. */
	if (platform.psci.present) {
		const xen_uuid_t uid = XEN_SMCCC_UID;
		struct smccc_res r = { 0 };
		uint8_t got[16];

		smccc_call(platform.psci.method, SMCCC_CALL_UID(SMCCC_OWNER_STD_HYP), &r);
		const uint32_t w[4] = { r.a0, r.a1, r.a2, r.a3 };
		for (unsigned i = 0; i < 16; i++)
			got[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
		EXPECT(memcmp(got, uid.a, 16) == 0, "Call UID answered %08x %08x %08x %08x",
		       (unsigned)r.a0, (unsigned)r.a1, (unsigned)r.a2, (unsigned)r.a3);
	}
}

/*
 * Where the page should be: the second page from the top (below the address limit) of the
 * first extended region with at least three pages; else a page of the allocator's RAM.
 */
static bool page_where_expected(paddr_t pa)
{
	for (unsigned i = 0; i < platform.xen.nextended; i++) {
		const struct mem_range *r = &platform.xen.extended[i];
		uint64_t end = ALIGN_DOWN(MIN(r->base + r->size, platform.addr_limit), PAGE_SIZE);
		if (end >= ALIGN_UP(r->base, PAGE_SIZE) + 3 * PAGE_SIZE)
			return pa == end - 2 * PAGE_SIZE;
	}
	return page_alloc_manages(pa, PAGE_SIZE);
}

/* Make Xen mark a port pending (loopback bind) and look for the bit in the page. */
static void check_xen_writes_page(const struct evtchn_2l *l)
{
	struct evtchn_alloc_unbound alloc = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	long err = xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
				  (unsigned long)&alloc, 0, 0, 0);
	EXPECT(err == 0, "EVTCHNOP_alloc_unbound: %s", xen_strerror(err));
	if (err)
		return;

	struct evtchn_bind_interdomain bind = { .remote_dom = DOMID_SELF,
						.remote_port = alloc.port };
	err = xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain,
			     (unsigned long)&bind, 0, 0, 0);
	EXPECT(err == 0, "EVTCHNOP_bind_interdomain: %s", xen_strerror(err));
	if (!err) {
		uint32_t p = bind.local_port;
		EXPECT(p < EVTCHN_2L_PORTS, "port %u beyond the 2-level ABI", (unsigned)p);
		if (p < EVTCHN_2L_PORTS) {
			EXPECT(evtchn_2l_is_pending(l, p),
			       "bound port %u is not pending in the shared-info page", (unsigned)p);
			EXPECT(evtchn_2l_is_masked(l, p), "port %u is not masked", (unsigned)p);
		}
		struct evtchn_close close = { .port = p };
		err = xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_close,
				     (unsigned long)&close, 0, 0, 0);
		EXPECT(err == 0, "EVTCHNOP_close(%u): %s", (unsigned)p, xen_strerror(err));
		if (!err && p < EVTCHN_2L_PORTS)
			EXPECT(!evtchn_2l_is_pending(l, p), "closing port %u left it pending",
			       (unsigned)p);
	}
	struct evtchn_close close = { .port = alloc.port };
	err = xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_close, (unsigned long)&close,
			     0, 0, 0);
	EXPECT(err == 0, "EVTCHNOP_close(%u): %s", (unsigned)alloc.port, xen_strerror(err));
}

SELFTEST(xen_shared_info_mapped)
{
	struct shared_info *s = xen_shared_info();
	paddr_t pa = xen_shared_info_pa(), walked;
	unsigned attr;

	SKIP_UNLESS(xen_detected() != XEN_ABSENT, "not on Xen");

	EXPECT(s != NULL, "no shared-info page");
	if (!s)
		return;
	EXPECT(IS_ALIGNED(pa, PAGE_SIZE) && (uintptr_t)s == pa, "page 0x%llx at %p",
	       (unsigned long long)pa, (void *)s);
	EXPECT(page_where_expected(pa), "page 0x%llx is not where xen/shared_info.c chooses",
	       (unsigned long long)pa);
	EXPECT(arch_translate((uintptr_t)s, true, &walked, &attr) && walked == pa,
	       "the MMU does not map the page writable at 0x%llx", (unsigned long long)pa);
	EXPECT(attr == MAIR_NORMAL_WB, "the page has memory attribute 0x%x, not normal WB", attr);

	const volatile struct vcpu_info *v = &s->vcpu_info[0];
	EXPECT(v->evtchn_upcall_pending <= 1, "vcpu_info[0].evtchn_upcall_pending is %u",
	       v->evtchn_upcall_pending);
	EXPECT(s->wc_nsec < NSEC_PER_SEC, "wc_nsec %u", (unsigned)s->wc_nsec);
	EXPECT(!(s->wc_version & 1), "wc_version %u is odd (an update in progress)",
	       (unsigned)s->wc_version);

	struct evtchn_2l l = {
		.pending = (evtchn_word_t *)s->evtchn_pending,
		.mask = (evtchn_word_t *)s->evtchn_mask,
		.sel = (evtchn_word_t *)&s->vcpu_info[0].evtchn_pending_sel,
		.upcall_pending = &s->vcpu_info[0].evtchn_upcall_pending,
	};
	/* With event channels up, every unbound port is masked already. */
	if (!evtchn_available())
		evtchn_2l_mask_all(&l);
	unsigned long flags = irq_save();
	check_xen_writes_page(&l);
	irq_restore(flags);
}

static uint64_t wall_ns(void)
{
	uint64_t sec = 0;
	uint32_t nsec = 0;

	xen_wallclock(&sec, &nsec);
	return sec * NSEC_PER_SEC + nsec;
}

SELFTEST(xen_wallclock)
{
	uint64_t sec;
	uint32_t nsec;

	SKIP_UNLESS(xen_detected() != XEN_ABSENT, "not on Xen");
	/* The wall clock lives in the shared-info page: without it there is nothing to read. */
	EXPECT(xen_shared_info() != NULL, "on Xen, but no shared-info page");
	if (!xen_shared_info())
		return;

	EXPECT(xen_wallclock(&sec, &nsec) == 0, "xen_wallclock failed");
	EXPECT(nsec < NSEC_PER_SEC, "nsec %u", (unsigned)nsec);

	/*
	 * The wall clock and time_now_ns() both count the virtual counter, so over an interval
	 * they must advance alike. Each wall-clock reading is bracketed by two clock readings,
	 * so the comparison allows exactly what lay between them (an interrupt, or Xen running
	 * another vCPU) plus a nanosecond of rounding per conversion.
	 */
	unsigned long flags = irq_save();
	uint64_t t0 = time_now_ns(), w0 = wall_ns(), t1 = time_now_ns();
	uint64_t prev = w0, backwards = 0;
	while (time_now_ns() - t1 < 20 * 1000000ull) {
		uint64_t w = wall_ns();
		if (w < prev)
			backwards++;
		prev = w;
	}
	uint64_t t2 = time_now_ns(), w1 = wall_ns(), t3 = time_now_ns();
	irq_restore(flags);

	EXPECT(backwards == 0, "the wall clock went backwards %llu times",
	       (unsigned long long)backwards);
	/* w1 - w0 lies within [t2 - t1, t3 - t0], give or take the rounding. */
	uint64_t dw = w1 - w0, lo = t2 - t1, hi = t3 - t0;
	EXPECT(dw + 2 >= lo && dw <= hi + 2,
	       "the wall clock advanced %llu ns while time_now_ns advanced %llu-%llu ns",
	       (unsigned long long)dw, (unsigned long long)lo, (unsigned long long)hi);

	/* It counts from the domain's creation: never less than the counter since then. */
	uint64_t up = time_ticks_to_ns(arch_counter(), time_frequency());
	EXPECT(wall_ns() >= up, "the wall clock is behind the domain's own uptime");

	xen_wallclock(&sec, &nsec);
	printk("selftest:   xen: wall clock %llu.%09u s since the epoch (wc_sec %u, "
	       "domain up %llu ms)\n", (unsigned long long)sec, (unsigned)nsec,
	       (unsigned)xen_shared_info()->wc_sec, (unsigned long long)(up / 1000000));
}
