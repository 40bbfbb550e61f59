/*
 * Version 1 grant entries and the grant-reference allocator (include/arbor/gnttab_v1.h):
 * pure memory protocol, no hypercalls. The rules are the comments at the top of Xen's public
 * grant_table.h; Linux's drivers/xen/grant-table.c (gnttab_update_entry_v1,
 * gnttab_end_foreign_access_ref_v1) is the reference implementation they point to.
 */
#include <errno.h>

#include <arbor/gnttab_v1.h>

_Static_assert(sizeof(grant_entry_v1_t) == 8, "a v1 entry is 8 bytes, 512 to a frame");

int gnttab_v1_grant(grant_entry_v1_t *e, domid_t domid, uint64_t frame, bool readonly)
{
	uint16_t flags = GTF_permit_access | (readonly ? GTF_readonly : 0);

	if (frame > UINT32_MAX)
		return -EINVAL;
	if (gnttab_v1_flags(e) != GTF_invalid)
		return -EBUSY;
	__atomic_store_n(&e->domid, domid, __ATOMIC_RELAXED);
	__atomic_store_n(&e->frame, (uint32_t)frame, __ATOMIC_RELAXED);
	/*
	 * Steps 3 and 4: the release store orders the two stores above before flags, so Xen,
	 * which reads flags first (on another CPU, for the grantee), never sees a valid entry
	 * with an old domid or frame.
	 */
	__atomic_store_n(&e->flags, flags, __ATOMIC_RELEASE);
	return 0;
}

int gnttab_v1_end(grant_entry_v1_t *e)
{
	uint16_t flags = __atomic_load_n(&e->flags, __ATOMIC_RELAXED);

	/*
	 * A failed compare-and-swap reloads flags (Xen set or cleared GTF_reading/_writing, or
	 * rewrote flags and domid together, meanwhile) and the check is made again. Sequentially
	 * consistent, as Linux's cmpxchg is a full barrier: whatever the grantee wrote to the page
	 * before its unmap cleared GTF_writing is seen by the caller's reads after this.
	 */
	do {
		if (flags & (GTF_reading | GTF_writing))
			return -EBUSY;
	} while (!__atomic_compare_exchange_n(&e->flags, &flags, GTF_invalid, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	return 0;
}

uint16_t gnttab_v1_flags(const grant_entry_v1_t *e)
{
	return __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
}

static bool bit_get(const uint64_t *w, unsigned i)
{
	return w[i / 64] >> (i % 64) & 1;
}

void gnttab_refs_init(struct gnttab_refs *r, uint64_t *words, unsigned nr)
{
	r->used = words;
	r->nr = nr;
	for (unsigned i = 0; i < GNTTAB_REFS_WORDS(nr); i++)
		words[i] = 0;
	for (unsigned i = 0; i < GNTTAB_NR_RESERVED_ENTRIES && i < nr; i++)
		words[i / 64] |= 1ull << (i % 64);
	r->nfree = nr > GNTTAB_NR_RESERVED_ENTRIES ? nr - GNTTAB_NR_RESERVED_ENTRIES : 0;
	r->next = GNTTAB_NR_RESERVED_ENTRIES;
}

int gnttab_refs_alloc(struct gnttab_refs *r, grant_ref_t *ref)
{
	if (!r->nfree)
		return -ENOSPC;
	for (unsigned n = 0, i = r->next; n < r->nr; n++, i++) {
		if (i >= r->nr)
			i = GNTTAB_NR_RESERVED_ENTRIES;
		if (bit_get(r->used, i))
			continue;
		r->used[i / 64] |= 1ull << (i % 64);
		r->nfree--;
		r->next = i + 1;
		*ref = i;
		return 0;
	}
	return -ENOSPC;	/* not reached while nfree counts the clear bits */
}

int gnttab_refs_free(struct gnttab_refs *r, grant_ref_t ref)
{
	if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= r->nr || !bit_get(r->used, ref))
		return -EINVAL;
	r->used[ref / 64] &= ~(1ull << (ref % 64));
	r->nfree++;
	return 0;
}

bool gnttab_refs_in_use(const struct gnttab_refs *r, grant_ref_t ref)
{
	return ref >= GNTTAB_NR_RESERVED_ENTRIES && ref < r->nr && bit_get(r->used, ref);
}

/* Indexed by -status; designated by the constants themselves, so no entry can slip. */
#define GNTST_NAME(s)  [-(s)] = #s
static const char *const status_names[] = {
	GNTST_NAME(GNTST_okay),
	GNTST_NAME(GNTST_general_error),
	GNTST_NAME(GNTST_bad_domain),
	GNTST_NAME(GNTST_bad_gntref),
	GNTST_NAME(GNTST_bad_handle),
	GNTST_NAME(GNTST_bad_virt_addr),
	GNTST_NAME(GNTST_bad_dev_addr),
	GNTST_NAME(GNTST_no_device_space),
	GNTST_NAME(GNTST_permission_denied),
	GNTST_NAME(GNTST_bad_page),
	GNTST_NAME(GNTST_bad_copy_arg),
	GNTST_NAME(GNTST_address_too_big),
	GNTST_NAME(GNTST_eagain),
	GNTST_NAME(GNTST_no_space),
};
#undef GNTST_NAME
static const char *const status_msgs[] = GNTTABOP_error_msgs;
_Static_assert(ARRAY_SIZE(status_names) == ARRAY_SIZE(status_msgs),
	       "a name for every message in GNTTABOP_error_msgs");

const char *gnttab_status_name(int16_t status)
{
	if (status > 0 || (unsigned)-status >= ARRAY_SIZE(status_names))
		return "GNTST_?";
	return status_names[-status];
}

const char *gnttab_status_msg(int16_t status)
{
	if (status > 0 || (unsigned)-status >= ARRAY_SIZE(status_msgs))
		return "unknown status";
	return status_msgs[-status];
}
