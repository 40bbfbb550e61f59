/*
 * Grant tables, version 1 (xen/gnttab.c): sharing pages between domains.
 *
 * Granting: this domain writes an entry in its own grant table, which lives in frames Xen
 * owns and the guest maps (XENMEM_add_to_physmap, XENMAPSPACE_grant_table) into the
 * guest-physical region the DT's hypervisor node names (reg[0]). The entry's index, a grant
 * reference, is what the grantee is told; with it the grantee asks Xen to map the page.
 *
 * Mapping: this domain maps a page another domain granted it with GNTTABOP_map_grant_ref.
 * On Arm the mapping is made by Xen in the stage-2 tables at a guest-physical address the
 * guest chooses (host_addr), which must be free guest-physical space: Arbor takes pages of
 * an extended region (the hypervisor node's reg[1..]), and maps them in its own tables as
 * normal memory.
 *
 * Everything needs the hypervisor node. Without it gnttab_init() says so in one line,
 * gnttab_available() is false and every call returns -ENODEV without a hypercall. Errors are
 * negative <errno.h> values (include/arbor/xen.h): a failed hypercall's, translated from Xen's
 * number and printed with the call and the error's name,
 * -EIO for an operation Xen refused with a GNTST_* status (printed by name, and left in the
 * mapping's status field), -ENODEV, -EINVAL, -ENOSPC, -EBUSY as each function says.
 *
 * Where the DT lists no extended region (Xen 4.17 gives 32-bit guests none), the pages for
 * foreign mappings are a few pages of Arbor's .bss whose RAM was given back to Xen
 * (XENMEM_decrease_reservation), leaving guest-physical holes.
 */
#ifndef ARBOR_GNTTAB_H
#define ARBOR_GNTTAB_H

#include <arbor/gnttab_v1.h>
#include <arbor/types.h>
#include <arbor/xen.h>

struct platform;

/* The most frames Arbor maps: 2048 entries, plenty for it, and a small bitmap. */
#define GNTTAB_MAX_FRAMES  4

/*
 * Size the table (GNTTABOP_query_size), map its current frames into the DT's grant-table
 * region, start the reference allocator, and set aside pages for foreign mappings (of an
 * extended region, else ballooned .bss). Prints one line: what was mapped, or why grant tables are unavailable.
 * Called by the boot's thread main (boot/main.c) after xen_init(), in the images that link
 * grant tables (its service entry: include/arbor/service.h). 0, or a negative error.
 */
int gnttab_init(const struct platform *plat);
bool gnttab_available(void);

struct gnttab_info {
	uint32_t nr_frames;	/* Xen's table size at init (GNTTABOP_query_size) */
	uint32_t max_nr_frames;	/* the most Xen lets this domain have */
	unsigned mapped;	/* frames mapped at base */
	paddr_t base;		/* where the table is, in guest-physical (= virtual) space */
	unsigned nr_refs;	/* entries in the mapped frames, reserved ones included */
	unsigned free_refs;
	paddr_t map_base;	/* the first page for foreign mappings; 0 when there are none */
	unsigned map_slots;	/* how many such pages */
	bool map_ballooned;	/* they are .bss pages given back to Xen, not an extended region */
	unsigned maps_in_use;
};

/* The figures above; all zero while unavailable. */
void gnttab_get_info(struct gnttab_info *info);

/* GNTTABOP_query_size for this domain, now (the table grows when Xen maps more frames). */
int gnttab_query_size(uint32_t *nr_frames, uint32_t *max_nr_frames);

/*
 * Let domain domid (a real id, not DOMID_SELF: see xen_domid()) map or copy the page at
 * guest-physical frame gfn, read-only when readonly. *ref is the grant reference to give it.
 * -ENOSPC when every reference is in use; -EINVAL for a frame v1 cannot name (> 32 bits)
 * or a reserved domid (DOMID_SELF and the others from DOMID_FIRST_RESERVED up).
 */
int gnttab_grant_access(domid_t domid, uint64_t gfn, bool readonly, grant_ref_t *ref);

/*
 * End the grant ref and free the reference. -EBUSY, changing nothing, while the grantee
 * still has the page mapped (GTF_reading/GTF_writing): the caller tries again after the
 * grantee has unmapped it. -EINVAL for a reference that is not granted.
 */
int gnttab_end_access(grant_ref_t ref);

/* The flags of this domain's entry ref (GTF_*, as Xen last wrote them); 0 out of range. */
uint16_t gnttab_entry_flags(grant_ref_t ref);

/* A foreign page mapped by gnttab_map(). */
struct gnttab_mapping {
	void *va;		/* where to read and write it */
	paddr_t pa;		/* the guest-physical page Xen mapped it at */
	grant_handle_t handle;	/* Xen's, for the unmap */
	domid_t dom;
	grant_ref_t ref;
	int16_t status;		/* the last operation's GNTST_* */
	unsigned slot;
};

/*
 * Map the page domain dom granted with ref (GNTTABOP_map_grant_ref, GNTMAP_host_map, plus
 * GNTMAP_readonly when readonly) at a free page of those set aside at init. -ENOSPC when
 * every such page is in use, -ENODEV when there are none, -EIO when Xen refuses (m->status
 * says why).
 *
 * A read-only mapping is still writable in Arbor's own tables; Xen's stage-2 mapping is
 * read-only, so a write would be reported as a data abort.
 */
int gnttab_map(domid_t dom, grant_ref_t ref, bool readonly, struct gnttab_mapping *m);

/*
 * Unmap it (GNTTABOP_unmap_grant_ref) and free its page. After this m->va must not be used:
 * the page stays mapped in Arbor's tables, but Xen has removed what was behind it, so an
 * access is a data abort, reported, rather than a silent read of something else.
 */
int gnttab_unmap(struct gnttab_mapping *m);

#endif
