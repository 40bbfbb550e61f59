/*
 * The 2-level event-channel bitmaps: the memory protocol between Xen and the guest, without
 * hypercalls, so that it is unit-tested on the host (tests/host/test_evtchn.c) and used by
 * xen/evtchn.c on the real shared-info page.
 *
 * Each port has a PENDING bit (shared_info.evtchn_pending, set by Xen, cleared by the guest)
 * and a MASK bit (shared_info.evtchn_mask, written by the guest only). When Xen sets a
 * pending bit whose mask bit is clear, it sets the bit for that pending word in the vCPU's
 * selector (vcpu_info.evtchn_pending_sel) and, if that bit was clear, sets
 * evtchn_upcall_pending and raises the upcall interrupt (xen/common/event_2l.c,
 * evtchn_2l_set_pending). A port that becomes pending while masked raises nothing: its
 * "edge" is lost, and unmasking it must make up for that (public xen.h, struct shared_info).
 *
 * The words are xen_ulong_t, which Xen's public arch-arm.h makes 64 bits for arm64 AND
 * arm32, so on both a selector bit covers 64 ports and the ABI has 64 * 64 = 4096 ports
 * (EVTCHN_2L_NR_CHANNELS). (The issue text assumed 32-bit words on arm32; the header says
 * otherwise and Xen indexes the selector with BITS_PER_EVTCHN_WORD = 64 for every Arm
 * guest.) Every update is an atomic read-modify-write of the whole word, because Xen
 * changes other bits of the same words at any time from another CPU.
 */
#ifndef ARBOR_EVTCHN_2L_H
#define ARBOR_EVTCHN_2L_H

#include <arbor/types.h>

typedef uint64_t evtchn_word_t;		/* xen_ulong_t on Arm */

#define EVTCHN_2L_WORD_BITS  64u
#define EVTCHN_2L_WORDS      64u	/* the selector's bits */
#define EVTCHN_2L_PORTS      (EVTCHN_2L_WORD_BITS * EVTCHN_2L_WORDS)

/*
 * Where the bits live: the shared-info page's arrays and one vCPU's vcpu_info fields.
 *
 * The pending and mask arrays are the domain's, one for every vCPU; the selector and the
 * upcall flag are in the vcpu_info of the vCPU a port notifies (EVTCHNOP_bind_vcpu moves a
 * port). So a vCPU's upcall must handle only its own ports: with several vCPUs, bound says
 * which (EVTCHN_2L_WORDS words, a port's bit set when it notifies this vCPU), and ports of
 * other vCPUs pending in the same words are left to them. NULL: every port is this vCPU's.
 */
struct evtchn_2l {
	evtchn_word_t *pending;		/* EVTCHN_2L_WORDS words */
	evtchn_word_t *mask;		/* EVTCHN_2L_WORDS words */
	evtchn_word_t *sel;		/* evtchn_pending_sel */
	uint8_t *upcall_pending;	/* evtchn_upcall_pending */
	const evtchn_word_t *bound;	/* the ports this vCPU handles; NULL: all */
};

/* Port -> the word of pending/mask holding its bit (= its selector bit), and that bit. */
static inline unsigned evtchn_2l_word(uint32_t port)
{
	return port / EVTCHN_2L_WORD_BITS;
}

static inline evtchn_word_t evtchn_2l_bit(uint32_t port)
{
	return (evtchn_word_t)1 << (port % EVTCHN_2L_WORD_BITS);
}

/* Set every mask bit (at start: no port may raise an upcall before it has a handler). */
void evtchn_2l_mask_all(const struct evtchn_2l *l);

void evtchn_2l_mask(const struct evtchn_2l *l, uint32_t port);

/*
 * Clear port's mask bit. Returns true when the port was pending: its event arrived while it
 * was masked and raised no upcall, so it must be delivered now. On Arm the guest cannot
 * raise the upcall interrupt itself (setting evtchn_upcall_pending in memory injects
 * nothing), so in that case the mask bit is set again and the caller asks Xen with
 * EVTCHNOP_unmask, which clears the mask and, the port being pending, sets the selector
 * bit and raises the upcall (evtchn_2l_unmask in Xen) — as Linux does for HVM guests.
 */
bool evtchn_2l_unmask(const struct evtchn_2l *l, uint32_t port);

bool evtchn_2l_is_pending(const struct evtchn_2l *l, uint32_t port);
bool evtchn_2l_is_masked(const struct evtchn_2l *l, uint32_t port);

/* Atomically clear port's pending bit; returns whether it was set. */
bool evtchn_2l_test_and_clear_pending(const struct evtchn_2l *l, uint32_t port);

/*
 * Set port's pending bit again (an event taken that nobody could handle, put back for a
 * later handler). Sets nothing else: the caller has masked the port, and unmasking it
 * delivers the event.
 */
void evtchn_2l_set_pending(const struct evtchn_2l *l, uint32_t port);

typedef void (*evtchn_2l_fn)(uint32_t port, void *arg);

/*
 * The upcall: clear evtchn_upcall_pending first, then take the whole selector (atomic
 * exchange with 0) and, for each word it names, every port pending, not masked and bound
 * here (l->bound), lowest first; each port's pending bit is atomically tested and cleared,
 * and fn(port, arg) called only if this call cleared it, so an event is handled exactly
 * once however the upcall and unmask race. Repeats while Xen has set evtchn_upcall_pending
 * again meanwhile. Masked pending ports, and other vCPUs' ports, are left pending. Returns
 * how many ports fn was called for.
 */
unsigned evtchn_2l_upcall(const struct evtchn_2l *l, evtchn_2l_fn fn, void *arg);

#endif
