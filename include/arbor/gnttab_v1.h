/*
 * Version 1 grant entries and the grant-reference allocator: the memory protocol between a
 * granting guest and Xen, without hypercalls, so that it is unit-tested on the host
 * (tests/host/test_gnttab.c) and used by xen/gnttab.c on the real grant-table frames.
 *
 * A grant entry (grant_entry_v1_t, public grant_table.h) is 8 bytes: flags, domid, frame.
 * The guest writes domid and frame, then flags; Xen reads the entry when the grantee maps or
 * copies, and while the grantee has the page mapped Xen sets GTF_reading and, for a writable
 * mapping, GTF_writing in flags, clearing them when the last such mapping goes. Xen changes
 * flags (with domid, as one 32-bit word) by compare-and-swap from another CPU at any time,
 * so the guest's changes to a live entry are atomic too.
 */
#ifndef ARBOR_GNTTAB_V1_H
#define ARBOR_GNTTAB_V1_H

#include <arbor/types.h>   /* the Xen headers expect stdint types in scope */

#include <xen/grant_table.h>

#define GNTTAB_V1_PER_FRAME  (PAGE_SIZE / sizeof(grant_entry_v1_t))

/*
 * Introduce a valid entry (public grant_table.h, "Introducing a valid entry into the grant
 * table"): domid, then frame, then a write barrier, then flags = GTF_permit_access, with
 * GTF_readonly when the grantee may only read. The entry must be invalid (flags 0). Returns
 * 0, or -EINVAL for a frame beyond v1's 32-bit frame field.
 */
int gnttab_v1_grant(grant_entry_v1_t *e, domid_t domid, uint64_t frame, bool readonly);

/*
 * End a GTF_permit_access entry ("Invalidating an unused GTF_permit_access entry"): read
 * flags; if GTF_reading or GTF_writing is set the grantee still has the page mapped and the
 * entry is left as it is: -EBUSY. Otherwise compare-and-swap flags to 0, retrying when Xen
 * changed flags in between. 0 when the entry is now invalid and the grantee can no longer
 * map the page (mappings already made stay until the grantee unmaps them, hence -EBUSY).
 */
int gnttab_v1_end(grant_entry_v1_t *e);

/* The entry's flags as Xen last wrote them. */
uint16_t gnttab_v1_flags(const grant_entry_v1_t *e);

/*
 * The free-reference allocator: one bit per entry in the mapped frames, set while the
 * reference is in use. References below GNTTAB_NR_RESERVED_ENTRIES (0-7: the console and
 * xenstore pages a toolstack may pre-populate) are never handed out. The caller serialises
 * calls (Arbor runs on one vCPU and no interrupt handler grants).
 */
struct gnttab_refs {
	uint64_t *used;		/* DIV_ROUND_UP(nr, 64) words */
	unsigned nr;		/* references 0 .. nr - 1 exist */
	unsigned nfree;
	unsigned next;		/* where the next search starts */
};

/* Words of bitmap needed for nr references. */
#define GNTTAB_REFS_WORDS(nr)  (((nr) + 63) / 64)

/* Start with every reference from GNTTAB_NR_RESERVED_ENTRIES to nr - 1 free. */
void gnttab_refs_init(struct gnttab_refs *r, uint64_t *words, unsigned nr);

/*
 * A free reference, in *ref: the first free one at or after the last one handed out,
 * wrapping, so that a reference just freed is reused last (a stale use of it by a grantee
 * then finds the entry invalid for as long as possible). -ENOSPC when none is free.
 */
int gnttab_refs_alloc(struct gnttab_refs *r, grant_ref_t *ref);

/* Give ref back. -EINVAL for a reserved, out-of-range or not allocated reference. */
int gnttab_refs_free(struct gnttab_refs *r, grant_ref_t ref);

bool gnttab_refs_in_use(const struct gnttab_refs *r, grant_ref_t ref);

/*
 * The name of a per-operation status (GNTST_*, an op's status field), e.g. "GNTST_bad_gntref",
 * and Xen's description of it (GNTTABOP_error_msgs). Unknown values give "GNTST_?" and
 * "unknown status".
 */
const char *gnttab_status_name(int16_t status);
const char *gnttab_status_msg(int16_t status);

#endif
