/*
 * Self-tests of event channels on every vCPU (xen/evtchn.c, smp/smp.c): each online
 * secondary has a vcpu_info of its own that Xen took and was checked at bring-up to be the
 * vCPU its /cpus index says; a port moved with evtchn_bind_vcpu() to the last online vCPU
 * has its handler run on that CPU, once per event, then on the boot CPU again once moved
 * back; and a move Xen refuses is reported by name.
 *
 * They need Xen with event channels (dom0, a xen,enhanced domU) and, but for the error test,
 * a second CPU online; elsewhere (a dom0less domU without a hypervisor node, bare QEMU, one
 * vCPU) they skip, saying why.
 *
 * The ports are a loopback pair, as in tests/kernel/evtchn.c: a allocated for DOMID_SELF, b
 * bound to it; b takes the events. Waits spin on the handler's counter for a bounded time
 * with IRQs unmasked (the boot CPU's own deliveries need them), then masked again.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <arbor/arch.h>
#include <arbor/evtchn.h>
#include <arbor/irq.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>
#include <arbor/smp.h>
#include <arbor/xen.h>
#include <arch/gic.h>

/* A delivery to another vCPU is a few traps into Xen; generous for a loaded host. */
#define WAIT_MS    1000
#define SETTLE_MS  10

/* Where the handler ran: the CPU's /cpus index (its struct cpu) and MPIDR, per event. */
struct where {
	unsigned hits;			/* atomic: written on whichever CPU runs the handler */
	volatile unsigned cpu;		/* written before hits goes up */
	volatile uint64_t mpidr;
};

/* The handler: runs on the CPU of the vCPU the port notifies, IRQs masked; only records. */
static void record(evtchn_port_t port, void *arg)
{
	struct where *w = arg;
	const struct cpu *c = arch_this_cpu();

	(void)port;
	w->cpu = c ? c->index : UINT_MAX;
	w->mpidr = arch_mpidr();
	__atomic_fetch_add(&w->hits, 1, __ATOMIC_RELEASE);
}

static unsigned hits(struct where *w)
{
	return __atomic_load_n(&w->hits, __ATOMIC_ACQUIRE);
}

/* Spin with IRQs unmasked until w has n hits or ms pass; IRQs masked again after. */
static bool wait_hits(struct where *w, unsigned n, unsigned ms)
{
	uint64_t end = arch_counter() + arch_counter_freq() * ms / 1000;

	irq_local_enable();
	while (hits(w) < n && arch_counter() < end)
		;
	irq_local_disable();
	return hits(w) >= n;
}

/* The last online secondary, or NULL when only the boot CPU runs. */
static const struct cpu *last_secondary(void)
{
	for (unsigned i = smp_cpus_listed(); i-- > 0;) {
		const struct cpu *c = smp_cpu(i);

		if (c && (int)i != smp_boot_cpu() && c->state == CPU_ONLINE)
			return c;
	}
	return NULL;
}

/* Why there are no event channels here, for a skip. */
static const char *no_events(void)
{
	if (xen_detected() == XEN_ABSENT)
		return "not on Xen";
	return platform.xen.present ? "event channels unavailable"
				    : "no hypervisor node, so no event channels";
}

/* Skip (returning) unless event channels run and, when secondaries are needed, one is online. */
#define SKIP_UNLESS_EVENTS(need_secondary)                                                  \
	do {                                                                                \
		SKIP_UNLESS(evtchn_available(), "%s", no_events());                         \
		SKIP_UNLESS(!(need_secondary) || smp_cpus_listed() > 1,                     \
			    "/cpus lists %u CPU", smp_cpus_listed());                       \
		SKIP_UNLESS(!(need_secondary) || smp_cpus_online() > 1,                     \
			    "no CPU but the boot CPU is online");                           \
	} while (0)

static void close_port(evtchn_port_t port)
{
	int err = evtchn_close(port);
	EXPECT(err == 0, "evtchn_close(%u): %d", (unsigned)port, err);
}

SELFTEST(evtchn_vcpu_info_each_secondary)
{
	struct evtchn_vcpu_stats st;

	SKIP_UNLESS_EVENTS(true);
	EXPECT(evtchn_vcpu_stats(0, &st) == 0 && st.started, "vCPU 0 takes no events");
	EXPECT(smp_boot_cpu() == 0 && smp_cpu(0)->vcpu == 0,
	       "the boot CPU is /cpus entry %d with vCPU id %d, expected 0 and 0", smp_boot_cpu(),
	       smp_boot_cpu() >= 0 ? smp_cpu((unsigned)smp_boot_cpu())->vcpu : -1);
	for (unsigned i = 1; i < smp_cpus_listed(); i++) {
		const struct cpu *c = smp_cpu(i);

		if (!c || c->state != CPU_ONLINE)
			continue;	/* smp_all_cpus_online reports it */
		EXPECT(c->evtchn && c->vcpu == (int)i,
		       "online CPU %u has %s, vCPU id %d (expected its index, %u)", i,
		       c->evtchn ? "event delivery" : "no event delivery", c->vcpu, i);
		if (!c->evtchn)
			continue;
		int err = evtchn_vcpu_stats(i, &st);
		EXPECT(err == 0 && st.started, "vCPU %u: stats %d, started %d", i, err, st.started);
		/* Xen's registration sets every selector bit and the upcall flag (map_vcpu_info). */
		EXPECT(st.marked, "vCPU %u's vcpu_info was not marked pending by Xen when it was "
		       "registered: Xen does not write where it was registered", i);
		/* smp/ checked it at bring-up: an IPI port bound to the vCPU fired on this CPU. */
		EXPECT(st.checked, "no event bound to vCPU %u was seen on CPU %u at bring-up", i, i);
		EXPECT(st.unhandled == 0, "vCPU %u took %u events on ports without a handler", i,
		       st.unhandled);
	}
}

SELFTEST(evtchn_bind_vcpu_delivers_there)
{
	struct where wa = { 0 }, wb = { 0 };
	struct evtchn_vcpu_stats before, after;
	struct evtchn_status status;
	evtchn_port_t a, b;

	SKIP_UNLESS_EVENTS(true);
	const struct cpu *last = last_secondary();
	int boot = smp_boot_cpu();
	EXPECT(last && last->vcpu >= 0 && boot >= 0, "the last online CPU, %d, takes no events",
	       last ? (int)last->index : -1);
	if (!last || last->vcpu < 0 || boot < 0)
		return;
	unsigned vcpu = (unsigned)last->vcpu;

	int err = evtchn_alloc_unbound(DOMID_SELF, record, &wa, &a);
	EXPECT(err == 0, "evtchn_alloc_unbound(self): %d", err);
	if (err)
		return;
	err = evtchn_bind_interdomain(DOMID_SELF, a, record, &wb, &b);
	EXPECT(err == 0, "evtchn_bind_interdomain(self, %u): %d", (unsigned)a, err);
	if (err) {
		close_port(a);
		return;
	}
	/* Binding marks b pending at once: that first event is vCPU 0's, as every new port. */
	EXPECT(wait_hits(&wb, 1, WAIT_MS) && wb.cpu == (unsigned)boot,
	       "port %u's first event: %u hits, on CPU %u (expected 1, on the boot CPU %d)",
	       (unsigned)b, hits(&wb), wb.cpu, boot);

	/* Moved to the last vCPU: one send, one event, there. */
	err = evtchn_bind_vcpu(b, vcpu);
	EXPECT(err == 0, "evtchn_bind_vcpu(%u, %u): %d", (unsigned)b, vcpu, err);
	EXPECT(evtchn_status(b, &status) == 0 && status.vcpu == vcpu,
	       "Xen says port %u notifies vCPU %u, not %u", (unsigned)b, (unsigned)status.vcpu,
	       vcpu);
	evtchn_vcpu_stats(vcpu, &before);
	EXPECT(evtchn_send(a) == 0, "evtchn_send(%u)", (unsigned)a);
	EXPECT(wait_hits(&wb, 2, WAIT_MS), "a send on %u did not reach port %u on vCPU %u "
	       "within %u ms", (unsigned)a, (unsigned)b, vcpu, WAIT_MS);
	wait_hits(&wb, 3, SETTLE_MS);
	evtchn_vcpu_stats(vcpu, &after);
	EXPECT(hits(&wb) == 2 && hits(&wa) == 0, "one send: %u events on port %u (expected 2 in "
	       "all), %u on port %u", hits(&wb), (unsigned)b, hits(&wa), (unsigned)a);
	EXPECT(wb.cpu == last->index, "port %u's handler ran on CPU %u, not on CPU %u (vCPU %u)",
	       (unsigned)b, wb.cpu, last->index, vcpu);
	EXPECT((wb.mpidr & MPIDR_AFFINITY_MASK) == last->dt_mpidr,
	       "port %u's handler ran with MPIDR 0x%llx, vCPU %u's is 0x%llx", (unsigned)b,
	       (unsigned long long)wb.mpidr, vcpu, (unsigned long long)last->dt_mpidr);
	EXPECT(after.upcalls > before.upcalls, "vCPU %u took no upcall for it", vcpu);
	unsigned there = wb.cpu;
	uint64_t there_mpidr = wb.mpidr;

	/* Sent while masked, then moved: still one event, delivered by the unmask, there. */
	EXPECT(evtchn_mask(b) == 0, "evtchn_mask(%u)", (unsigned)b);
	err = evtchn_bind_vcpu(b, 0);
	EXPECT(err == 0, "evtchn_bind_vcpu(%u, 0): %d", (unsigned)b, err);
	EXPECT(evtchn_send(a) == 0 && evtchn_send(a) == 0, "evtchn_send(%u)", (unsigned)a);
	wait_hits(&wb, 3, SETTLE_MS);
	EXPECT(hits(&wb) == 2 && evtchn_is_pending(b), "masked port %u: %u events (2 expected), "
	       "pending %d", (unsigned)b, hits(&wb), evtchn_is_pending(b));
	err = evtchn_bind_vcpu(b, vcpu);
	EXPECT(err == 0, "evtchn_bind_vcpu(%u, %u) while masked: %d", (unsigned)b, vcpu, err);
	EXPECT(evtchn_is_masked(b), "moving masked port %u unmasked it", (unsigned)b);
	EXPECT(evtchn_unmask(b) == 0, "evtchn_unmask(%u)", (unsigned)b);
	EXPECT(wait_hits(&wb, 3, WAIT_MS), "unmasking port %u on vCPU %u did not deliver the "
	       "event it held", (unsigned)b, vcpu);
	wait_hits(&wb, 4, SETTLE_MS);
	EXPECT(hits(&wb) == 3 && wb.cpu == last->index, "after the unmask: %u events (3 "
	       "expected), the last on CPU %u (expected %u)", hits(&wb), wb.cpu, last->index);

	/* Back to vCPU 0: one send, one event, on the boot CPU. */
	err = evtchn_bind_vcpu(b, 0);
	EXPECT(err == 0, "evtchn_bind_vcpu(%u, 0): %d", (unsigned)b, err);
	EXPECT(evtchn_status(b, &status) == 0 && status.vcpu == 0,
	       "Xen says port %u notifies vCPU %u, not 0", (unsigned)b, (unsigned)status.vcpu);
	EXPECT(evtchn_send(a) == 0, "evtchn_send(%u)", (unsigned)a);
	EXPECT(wait_hits(&wb, 4, WAIT_MS), "a send on %u did not reach port %u back on vCPU 0",
	       (unsigned)a, (unsigned)b);
	wait_hits(&wb, 5, SETTLE_MS);
	EXPECT(hits(&wb) == 4 && hits(&wa) == 0, "back on vCPU 0: %u events on port %u (4 "
	       "expected in all), %u on port %u", hits(&wb), (unsigned)b, hits(&wa), (unsigned)a);
	EXPECT(wb.cpu == (unsigned)boot, "back on vCPU 0, port %u's handler ran on CPU %u, not "
	       "the boot CPU %d", (unsigned)b, wb.cpu, boot);
	printk("selftest:   evtchn: port %u delivered on vCPU %u (CPU %u, MPIDR 0x%llx), then "
	       "back on vCPU 0 (CPU %u)\n", (unsigned)b, vcpu, there,
	       (unsigned long long)(there_mpidr & MPIDR_AFFINITY_MASK), wb.cpu);
	close_port(b);
	close_port(a);
}

SELFTEST(evtchn_bind_vcpu_errors_named)
{
	evtchn_port_t port;

	SKIP_UNLESS_EVENTS(false);
	int err = evtchn_bind_virq(VIRQ_TIMER, NULL, NULL, &port);
	EXPECT(err == 0, "evtchn_bind_virq(VIRQ_TIMER): %d", err);
	if (err)
		return;
	printk("selftest:   evtchn: two deliberate failures follow\n");
	/* A vCPU /cpus does not list: refused before any hypercall. */
	err = evtchn_bind_vcpu(port, platform.cpus.count ? platform.cpus.count : 1);
	EXPECT(err == -EINVAL, "binding port %u to a vCPU beyond /cpus returned %d, expected "
	       "-EINVAL", (unsigned)port, err);
	/* A per-vCPU VIRQ keeps its vCPU (public event_channel.h): Xen refuses, by name. */
	err = evtchn_bind_vcpu(port, 0);
	EXPECT(err < 0 && strcmp(xen_strerror(err), "EINVAL") == 0,
	       "moving VIRQ_TIMER's port %u returned %d (%s), expected EINVAL", (unsigned)port,
	       err, xen_strerror(err));
	close_port(port);
}
