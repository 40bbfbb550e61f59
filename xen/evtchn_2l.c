/*
 * The 2-level event-channel bitmaps (include/arbor/evtchn_2l.h): pure memory protocol,
 * shared by the kernel and the host unit tests.
 *
 * Ordering. Every read-modify-write is a sequentially consistent atomic, a full barrier on
 * both sides, because the protocol is a pair of "store one flag, then load the other" races
 * with Xen, which does the mirror image with barriers of its own:
 *   - unmask: the guest clears MASK, then reads PENDING; Xen sets PENDING, then reads MASK.
 *     With both orders kept, at least one side sees the other's store, so an event that
 *     arrives during an unmask is delivered by Xen, or seen pending here, or both (and then
 *     handled once, since handling needs the pending bit's test-and-clear).
 *   - upcall: the guest clears evtchn_upcall_pending, then takes the selector; Xen sets the
 *     selector bit, then evtchn_upcall_pending. An event whose selector bit lands after the
 *     exchange sets evtchn_upcall_pending after it was cleared, so the loop goes round again.
 */
#include <arbor/evtchn_2l.h>

#define SC  __ATOMIC_SEQ_CST

void evtchn_2l_mask_all(const struct evtchn_2l *l)
{
	for (unsigned w = 0; w < EVTCHN_2L_WORDS; w++)
		__atomic_store_n(&l->mask[w], ~(evtchn_word_t)0, SC);
}

void evtchn_2l_mask(const struct evtchn_2l *l, uint32_t port)
{
	__atomic_fetch_or(&l->mask[evtchn_2l_word(port)], evtchn_2l_bit(port), SC);
}

bool evtchn_2l_unmask(const struct evtchn_2l *l, uint32_t port)
{
	unsigned w = evtchn_2l_word(port);
	evtchn_word_t bit = evtchn_2l_bit(port);

	__atomic_fetch_and(&l->mask[w], ~bit, SC);
	if (!(__atomic_load_n(&l->pending[w], SC) & bit))
		return false;
	__atomic_fetch_or(&l->mask[w], bit, SC);
	return true;
}

bool evtchn_2l_is_pending(const struct evtchn_2l *l, uint32_t port)
{
	return __atomic_load_n(&l->pending[evtchn_2l_word(port)], SC) & evtchn_2l_bit(port);
}

bool evtchn_2l_is_masked(const struct evtchn_2l *l, uint32_t port)
{
	return __atomic_load_n(&l->mask[evtchn_2l_word(port)], SC) & evtchn_2l_bit(port);
}

bool evtchn_2l_test_and_clear_pending(const struct evtchn_2l *l, uint32_t port)
{
	evtchn_word_t bit = evtchn_2l_bit(port);

	return __atomic_fetch_and(&l->pending[evtchn_2l_word(port)], ~bit, SC) & bit;
}

void evtchn_2l_set_pending(const struct evtchn_2l *l, uint32_t port)
{
	__atomic_fetch_or(&l->pending[evtchn_2l_word(port)], evtchn_2l_bit(port), SC);
}

/* The lowest set bit's index; x != 0. */
static unsigned lowest_bit(evtchn_word_t x)
{
	return (unsigned)__builtin_ctzll(x);
}

/* One pass over the words the selector names. */
static unsigned scan(const struct evtchn_2l *l, evtchn_2l_fn fn, void *arg)
{
	evtchn_word_t sel = __atomic_exchange_n(l->sel, 0, SC);
	unsigned handled = 0;

	while (sel) {
		unsigned w = lowest_bit(sel);
		evtchn_word_t ready;

		sel &= sel - 1;
		ready = __atomic_load_n(&l->pending[w], SC) & ~__atomic_load_n(&l->mask[w], SC);
		if (l->bound)
			ready &= __atomic_load_n(&l->bound[w], SC);
		while (ready) {
			uint32_t port = w * EVTCHN_2L_WORD_BITS + lowest_bit(ready);

			ready &= ready - 1;
			if (evtchn_2l_test_and_clear_pending(l, port)) {
				fn(port, arg);
				handled++;
			}
		}
	}
	return handled;
}

unsigned evtchn_2l_upcall(const struct evtchn_2l *l, evtchn_2l_fn fn, void *arg)
{
	unsigned handled = 0;

	do {
		__atomic_store_n(l->upcall_pending, 0, SC);
		handled += scan(l, fn, arg);
	} while (__atomic_load_n(l->upcall_pending, SC));
	return handled;
}
