/*
 * Test fixture: dom0's stand-in for the toolstack and xenstored in role pair, so that the
 * domU's xenstore client (xen/xenstore.c) is tested against a real ring on real Xen. It does
 * for one domain what init-dom0less and xenstored do in a real system, with the same
 * hypercalls, and then answers from tests/kernel/xenstore_tree.c:
 *
 *   1. Find the domain: the first one (id >= 1) whose HVM_PARAM_STORE_EVTCHN is set and
 *      whose HVM_PARAM_STORE_PFN is not (Xen 4.17 allocates the channel of a xen,enhanced
 *      domU at boot with dom0 as the remote end, and leaves the page at ~0).
 *   2. EVTCHNOP_bind_interdomain to that port.
 *   3. A page in the domain's physmap: XEN_DOMCTL_max_mem one page up (Xen gives a dom0less
 *      domU exactly its memory, so it has no room for another page), then
 *      XENMEM_populate_physmap of one page at a free frame. Which frame: init-dom0less uses
 *      a fixed frame of Xen's guest layout, which Arbor does not name. Here
 *      it is derived from what Xen reports of the domain: XENMEM_maximum_gpfn, the highest
 *      frame the domain has mapped, plus STORE_GAP (2 MiB). Nothing is mapped there, and the
 *      gap keeps the page away from what a domain maps right above its RAM: the unmapped
 *      page that must follow the RAM (tests/kernel/boot.c), Arbor's grant-map slots low in
 *      its first extended region (xen/gnttab.c). Seen on Xen 4.17 with a 128 MiB domU
 *      (RAM frames 0x40000-0x47fff): an arm32 domU maps nothing above its RAM and gets
 *      0x481ff, 2 MiB past its RAM (in the space an arm64 domU's DT lists as its first
 *      extended region; Xen gives 32-bit domUs none); an arm64 domU has usually put its
 *      shared-info page near the top of that region already (0xffffe, xen/shared_info.c)
 *      and gets 0x1001fe, in the guest-physical hole above 4 GiB that its DT describes as
 *      nothing, as it does init-dom0less's page. Either way the domain finds the page
 *      through HVM_PARAM_STORE_PFN and maps it wherever it is. What the frame is next to
 *      depends on what the domain has mapped when dom0 asks; both outcomes are seen.
 *   4. Map that page here: a page of dom0's own .bss is handed back to Xen
 *      (XENMEM_decrease_reservation, as Linux's balloon driver does) and the domain's frame
 *      is mapped into the hole (XENMEM_add_to_physmap_batch, XENMAPSPACE_gmfn_foreign). No
 *      guest-physical address has to be found in dom0, and nothing else uses the page.
 *   5. Zero it, set up the ring (xs_server_init), set HVM_PARAM_STORE_PFN for the domain
 *      (HVMOP_set_param), and signal the channel: the domain's client is waiting for that.
 *   6. Serve until the domain shuts down, stays silent for IDLE_S after its last request,
 *      or SERVE_MAX_S seconds pass; sleeping in WFI between requests, since the domain needs the
 *      (single, on this test ground) physical CPU to make them. dom0's side of the
 *      interdomain test (tests/kernel/interdomain_dom0.c) runs in this loop: started with
 *      the ring, polled on every turn, stopped with the server.
 *   7. Undo 4 (XENMEM_remove_from_physmap, then XENMEM_populate_physmap gives the .bss page
 *      its RAM back) and close the channel: the domain's end is unbound again, so its
 *      requests from then on time out in its client.
 *
 * Every failing hypercall is reported with its name and Xen's error name.
 */
/* domctl.h is only visible to "tools", which set the interface version themselves. */
#define __XEN_TOOLS__ 1
#undef __XEN_INTERFACE_VERSION__

#include <errno.h>
#include <string.h>

#include <arbor/evtchn.h>
#include <arbor/irq.h>
#include <arbor/selftest.h>
#include <arbor/printk.h>
#include <arbor/time.h>
#include <arbor/xen.h>
#include <arbor/xenstore.h>

#include <xen/domctl.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>

#include "interdomain.h"
#include "xenstore_tree.h"

#define PAGE_SHIFT    12
#define SERVE_MAX_S   30	/* 900 with selftest.soak, whose domU runs for minutes */
#define IDLE_S        10	/* 600 with selftest.soak: a phase of 100,000 round trips is quiet here */
#define POLL_NS       (100 * 1000000ull)	/* how often the domain's state is checked */
#define STORE_GAP     (2 * MiB >> PAGE_SHIFT)	/* from the domain's highest frame to its page */

static struct xs_server server;
/* dom0's window onto the domain's store page: its RAM frame is given back while mapped. */
static uint8_t window[PAGE_SIZE] __aligned(PAGE_SIZE);
static struct xenstore_server_report report;

void xenstore_test_server_report(struct xenstore_server_report *out)
{
	*out = report;
}

/* A failed hypercall: "xenstore-server: <call>(<what>): <Xen error>". Returns err. */
static long failed(const char *call, const char *what, long err)
{
	pr_err("xenstore-server: %s(%s): %s\n", call, what, xen_strerror(err));
	return err;
}

static long hvm_param(unsigned op, domid_t dom, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = dom, .index = index, .value = *value };
	long err = xen_hypercall(__HYPERVISOR_hvm_op, op, (unsigned long)&p, 0, 0, 0);

	*value = p.value;
	return err;
}

/* XEN_DOMCTL_getdomaininfo for the first domain with an id >= dom. */
static long domain_info(domid_t dom, struct xen_domctl_getdomaininfo *info)
{
	struct xen_domctl op = { .cmd = XEN_DOMCTL_getdomaininfo,
				 .interface_version = XEN_DOMCTL_INTERFACE_VERSION, .domain = dom };
	long err = xen_hypercall(__HYPERVISOR_domctl, (unsigned long)&op, 0, 0, 0, 0);

	*info = op.u.getdomaininfo;
	return err;
}

/* Step 1: 1 and *dom, *port for a domain waiting for its store page; 0 when none. */
static long find_waiting_domain(domid_t *dom, uint64_t *port)
{
	struct xen_domctl_getdomaininfo info;
	uint64_t pfn = 0;

	for (domid_t id = 1; id < DOMID_FIRST_RESERVED; id = info.domain + 1) {
		long err = domain_info(id, &info);
		if (err == -ESRCH)
			return 0;
		if (err)
			return failed("XEN_DOMCTL_getdomaininfo", "next domain", err);
		if (info.domain < id)
			return 0;
		*port = 0;
		if (hvm_param(HVMOP_get_param, info.domain, HVM_PARAM_STORE_EVTCHN, port) ||
		    hvm_param(HVMOP_get_param, info.domain, HVM_PARAM_STORE_PFN, &pfn))
			continue;
		if (*port && (pfn == 0 || pfn == ~0ull)) {
			*dom = info.domain;
			return 1;
		}
	}
	return 0;
}

static long memory_op(unsigned cmd, domid_t dom, xen_pfn_t *gfn)
{
	struct xen_memory_reservation r = { .nr_extents = 1, .extent_order = 0, .domid = dom };

	set_xen_guest_handle(r.extent_start, gfn);
	long done = xen_hypercall(__HYPERVISOR_memory_op, cmd, (unsigned long)&r, 0, 0, 0);
	return done == 1 ? 0 : done < 0 ? done : -ENOMEM;
}

/* Step 3: one more page of memory for dom, STORE_GAP frames above its highest; *gfn. */
static long give_page(domid_t dom, xen_pfn_t *gfn)
{
	struct xen_memory_domain md = { .domid = dom };
	struct xen_domctl_getdomaininfo info;
	char what[48];
	long err;

	long max = xen_hypercall(__HYPERVISOR_memory_op, XENMEM_maximum_gpfn, (unsigned long)&md,
				  0, 0, 0);
	format_buf(what, sizeof(what), "dom %u", (unsigned)dom);
	if (max < 0)
		return failed("XENMEM_maximum_gpfn", what, max);
	if ((err = domain_info(dom, &info)) || info.domain != dom)
		return failed("XEN_DOMCTL_getdomaininfo", what, err ? err : -ESRCH);

	struct xen_domctl op = { .cmd = XEN_DOMCTL_max_mem,
				 .interface_version = XEN_DOMCTL_INTERFACE_VERSION, .domain = dom,
				 .u.max_mem.max_memkb = (info.max_pages + 1) * (PAGE_SIZE / 1024) };
	format_buf(what, sizeof(what), "dom %u, %llu KiB", (unsigned)dom,
		   (unsigned long long)op.u.max_mem.max_memkb);
	if ((err = xen_hypercall(__HYPERVISOR_domctl, (unsigned long)&op, 0, 0, 0, 0)))
		return failed("XEN_DOMCTL_max_mem", what, err);

	*gfn = (xen_pfn_t)max + STORE_GAP;
	format_buf(what, sizeof(what), "dom %u, gfn 0x%llx", (unsigned)dom,
		   (unsigned long long)*gfn);
	xen_pfn_t extent = *gfn;
	if ((err = memory_op(XENMEM_populate_physmap, dom, &extent)))
		return failed("XENMEM_populate_physmap", what, err);
	return 0;
}

/* Step 4: map dom's frame gfn at window. */
static long map_page(domid_t dom, xen_pfn_t gfn)
{
	xen_pfn_t here = (uintptr_t)window >> PAGE_SHIFT;
	xen_ulong_t idx = gfn;
	int map_err = 0;
	char what[64];
	long err;

	format_buf(what, sizeof(what), "self, gfn 0x%llx", (unsigned long long)here);
	if ((err = memory_op(XENMEM_decrease_reservation, DOMID_SELF, &here)))
		return failed("XENMEM_decrease_reservation", what, err);
	here = (uintptr_t)window >> PAGE_SHIFT;

	struct xen_add_to_physmap_batch b = { .domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign,
					      .size = 1, .u.foreign_domid = dom };
	set_xen_guest_handle(b.idxs, &idx);
	set_xen_guest_handle(b.gpfns, &here);
	set_xen_guest_handle(b.errs, &map_err);
	err = xen_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, (unsigned long)&b,
			     0, 0, 0);
	format_buf(what, sizeof(what), "gmfn_foreign, dom %u gfn 0x%llx at 0x%llx", (unsigned)dom,
		   (unsigned long long)gfn, (unsigned long long)here);
	if (err || map_err) {
		memory_op(XENMEM_populate_physmap, DOMID_SELF, &here);
		return failed("XENMEM_add_to_physmap_batch", what, err ? err : map_err);
	}
	return 0;
}

/* Step 7's unmapping: the window gets a RAM frame of dom0's again. */
static void unmap_page(void)
{
	struct xen_remove_from_physmap r = { .domid = DOMID_SELF,
					     .gpfn = (uintptr_t)window >> PAGE_SHIFT };
	xen_pfn_t here = r.gpfn;
	long err = xen_hypercall(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap,
				  (unsigned long)&r, 0, 0, 0);

	if (err)
		failed("XENMEM_remove_from_physmap", "self, the store page's window", err);
	else if ((err = memory_op(XENMEM_populate_physmap, DOMID_SELF, &here)))
		failed("XENMEM_populate_physmap", "self, the store page's window", err);
}

/* Whether dom has shut down, is dying, or is gone. */
static bool domain_done(domid_t dom)
{
	struct xen_domctl_getdomaininfo info;

	return domain_info(dom, &info) || info.domain != dom ||
	       (info.flags & (XEN_DOMINF_shutdown | XEN_DOMINF_dying));
}

/* The domain's signals only need to end sleep_for(); the ring says what happened. */
static void notified(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
}

static void wake(struct timer_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

/* Sleep until the domain signals or ns pass (see xen/xenstore.c on sleeping). */
static void sleep_for(uint64_t ns)
{
	struct timer_event timer = { 0 };
	unsigned long flags = irq_save();

	timer_event_arm(&timer, time_now_ns() + ns, wake, NULL);
	irq_wait();
	irq_local_enable();
	irq_local_disable();
	timer_event_cancel(&timer);
	irq_restore(flags);
}

/* Step 6; returns why it stopped. */
static const char *serve(evtchn_port_t port)
{
	uint64_t start = time_now_ns(), last = start;

	for (;;) {
		int r = xs_server_step(&server);
		uint64_t now = time_now_ns();
		if (r < 0) {
			report.result = r;
			return "the client broke the protocol";
		}
		if (r) {
			last = now;
			if (evtchn_send(port))
				return "signalling the domain failed";
		}
		interdomain_dom0_poll(&server);
		if (domain_done(report.domid))
			return "the domain shut down";
		if (now - last > selftest_count(IDLE_S, 600) * NSEC_PER_SEC)
			return "no request for the limit's seconds (10, or 600 when soaking)";
		if (now - start > selftest_count(SERVE_MAX_S, 900) * NSEC_PER_SEC)
			return "served for the limit's seconds (30, or 900 when soaking)";
		sleep_for(POLL_NS);
	}
}

int xenstore_test_server(void)
{
	uint64_t store_port = 0, value;
	evtchn_port_t port;
	xen_pfn_t gfn;
	domid_t dom = 0;
	long err = find_waiting_domain(&dom, &store_port);

	if (err <= 0) {
		if (!err)
			pr_info("xenstore-server: no domain is waiting for a store page\n");
		return (int)err;
	}
	report = (struct xenstore_server_report){ .ran = true, .domid = dom };
	err = evtchn_bind_interdomain(dom, (evtchn_port_t)store_port, notified, NULL, &port);
	if (err)
		goto out;
	if ((err = give_page(dom, &gfn)) || (err = map_page(dom, gfn)))
		goto close;
	report.gfn = gfn;

	memset(window, 0, sizeof(window));
	xs_server_init(&server, (struct xenstore_domain_interface *)window, dom);
	interdomain_dom0_start(&server, dom);
	value = gfn;
	if ((err = hvm_param(HVMOP_set_param, dom, HVM_PARAM_STORE_PFN, &value))) {
		failed("HVMOP_set_param", "HVM_PARAM_STORE_PFN", err);
		goto unmap;
	}
	/* Under 128 bytes: Xen passes dom0's console writes on in pieces of that size. */
	pr_info("xenstore-server: serving domain %u: store page gfn 0x%llx (2 MiB above its "
		"highest), its port %u <-> dom0 port %u\n", (unsigned)dom, (unsigned long long)gfn,
		(unsigned)store_port, (unsigned)port);
	if ((err = evtchn_send(port)))
		goto unmap;

	const char *why = serve(port);
	pr_info("xenstore-server: stopped (%s): %u requests, %u watch events%s\n", why,
		server.requests, server.events, server.dropped_events ? ", some dropped" : "");
	err = report.result;
unmap:
	interdomain_dom0_stop();
	unmap_page();
close:
	evtchn_close(port);
out:
	report.requests = server.requests;
	report.events = server.events;
	report.result = (int)err;
	return (int)err;
}
