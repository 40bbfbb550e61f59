/*
 * The producer side of Xen's PV console ring (public io/console.h), kept free of hypercalls
 * and mappings so that the host tests can drive it with a ring in ordinary memory.
 *
 * The page is shared with a backend (xenconsoled in the control domain, or Xen) that the
 * guest does not trust. The indices are free-running 32-bit counters masked into out[]:
 * out_prod belongs to the guest, out_cons to the backend. A backend may write anything into
 * either, so the producer keeps out_prod in its own memory and only ever stores it to the
 * page, and checks out_cons against that copy before using it: out_prod - out_cons must be
 * at most the ring's size, which also catches an out_cons ahead of out_prod (the unsigned
 * difference then wraps to something huge).
 *
 * Ordering (the same as Linux's hvc_xen and Mini-OS): read out_cons, then a full barrier so
 * that the slots it frees are not written before the backend is seen to have read them; fill
 * the slots; a release barrier so that the data is visible before the index that publishes
 * it; store out_prod. The C11 fences compile to DMB ISH on arm64 and ARMv7: the backend
 * runs on another CPU of the same inner-shareable domain.
 */
#include <errno.h>

#include <arbor/console.h>

#define RING_SIZE  sizeof(((struct xencons_interface *)0)->out)

_Static_assert((RING_SIZE & (RING_SIZE - 1)) == 0, "MASK_XENCONS_IDX needs a power of two");

/* The backend's out_cons, read once; false when it cannot be right. */
static bool read_cons(const struct xencons_interface *intf, XENCONS_RING_IDX prod,
		      XENCONS_RING_IDX *cons)
{
	*cons = __atomic_load_n(&intf->out_cons, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (XENCONS_RING_IDX)(prod - *cons) <= RING_SIZE;
}

long xencons_ring_put(struct xencons_interface *intf, XENCONS_RING_IDX *prod, const char *s,
		      size_t n)
{
	XENCONS_RING_IDX cons, p = *prod;
	size_t sent = 0;

	if (!read_cons(intf, p, &cons))
		return -EIO;
	while (sent < n && (XENCONS_RING_IDX)(p - cons) < RING_SIZE) {
		intf->out[MASK_XENCONS_IDX(p, intf->out)] = s[sent++];
		p++;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&intf->out_prod, p, __ATOMIC_RELAXED);
	*prod = p;
	return (long)sent;
}
