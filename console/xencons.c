/*
 * Console output on the Xen PV console ring: the page and event channel whose numbers the
 * toolstack puts in HVM_PARAM_CONSOLE_PFN and HVM_PARAM_CONSOLE_EVTCHN, read by a backend
 * (xenconsoled) in another domain.
 *
 * The bytes go into the ring (xencons_ring.c, which treats the backend's index as untrusted),
 * then EVTCHNOP_send tells the backend there is something to read. The send is a direct
 * hypercall: it needs no upcall or port handlers. A full ring is waited on, a bounded time,
 * for the backend to drain it; a backend that never does fails the write, and the console
 * falls back to console_io.
 *
 * Xen's public arch-arm.h asks for every shared page to be normal write-back memory, so the
 * page is mapped with mmu_map_shared() (it usually lies outside the RAM banks, among the
 * toolstack's "magic" pages).
 */
#include <errno.h>

#include <arbor/arch.h>
#include <arbor/console.h>
#include <arbor/mmu.h>
#include <arbor/xen.h>

#include <xen/event_channel.h>

/* How long a full ring is waited on before the backend is given up. */
#define DRAIN_WAIT_MS  1000

static struct xencons_interface *ring;
static XENCONS_RING_IDX prod;	/* ours; the shared out_prod is only written */
static evtchn_port_t port;

static struct console_backend ring_console = {
	.kind = CONSOLE_XEN_RING,
	.name = "xen-ring",
};

static long notify(void)
{
	struct evtchn_send send = { .port = port };

	return xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_send, (unsigned long)&send,
			      0, 0, 0);
}

static long ring_write(const char *s, size_t n)
{
	size_t done = 0;
	uint64_t deadline = 0;

	while (done < n) {
		long put = xencons_ring_put(ring, &prod, s + done, n - done);
		if (put < 0)
			return put;
		if (put > 0) {
			done += (size_t)put;
			deadline = 0;
			if (notify())
				return -EPIPE;
			continue;
		}
		uint64_t now = arch_counter();
		if (!deadline)
			deadline = now + arch_counter_freq() * DRAIN_WAIT_MS / 1000;
		else if (now > deadline)
			return -ETIMEDOUT;
	}
	return (long)n;
}

const struct console_backend *xencons_init(paddr_t page, uint32_t evtchn)
{
	ring = mmu_map_shared(page, PAGE_SIZE);
	if (!ring)
		return NULL;
	/* Carry on from wherever an earlier user of the ring (a boot loader) left it. */
	prod = __atomic_load_n(&ring->out_prod, __ATOMIC_RELAXED);
	port = evtchn;
	ring_console.base = page;
	ring_console.write = ring_write;
	return &ring_console;
}
