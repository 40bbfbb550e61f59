/*
 * Grant tables, version 1 (include/arbor/gnttab.h): the hypercalls, where the table and
 * foreign mappings go, and the bookkeeping. The entry protocol and the reference allocator
 * are xen/gnttab_v1.c.
 *
 * The table. An Arm guest has no start_info and no GNTTABOP_setup_table frame list it can
 * use: it places each frame of its grant table into its own guest-physical space with
 * XENMEM_add_to_physmap (XENMAPSPACE_grant_table, idx = the frame's number), at the region
 * the hypervisor node's reg[0] names for exactly this (seen: 16 MiB for an enhanced domU;
 * 256 KiB for dom0, where Xen itself sits in host memory). Mapping
 * frame idx beyond the table's current size makes Xen grow it (up to max_nr_frames), so
 * Arbor maps what GNTTABOP_query_size says the table has now (at least one frame), bounded
 * by GNTTAB_MAX_FRAMES, and refuses to start when the region cannot hold that many. The
 * frames are normal write-back memory, as Xen's public arch-arm.h requires of every page
 * shared with it, and Xen zeroes them: every entry starts invalid. References 0-7 are never
 * used (GNTTAB_NR_RESERVED_ENTRIES: a toolstack may have put the console and xenstore pages
 * there).
 *
 * Foreign mappings. GNTTABOP_map_grant_ref on Arm treats host_addr as a guest-physical
 * address and maps the granted page there in the stage-2 tables (Xen's
 * create_grant_host_mapping); whatever was at that address is replaced, so it must be free
 * space. Extended regions are exactly that: guest-physical ranges Xen guarantees hold
 * neither RAM nor MMIO for this domain. GNTTAB_MAP_SLOTS pages are set aside at init, low
 * in the first extended region large enough (one page above its base: the region may start
 * right where RAM ends, and a run off the end of RAM should fault rather than land in a
 * foreign page; the shared-info page sits at the region's top, xen/shared_info.c), and
 * mapped in Arbor's tables once, as normal memory.
 *
 * After an unmap the page stays mapped in Arbor's tables. What changes is stage 2: Xen
 * removes the grant mapping (and flushes the TLBs that hold it), so the guest-physical page
 * is backed by nothing and any access to it is a stage-2 fault that Xen reports to the
 * guest as a data abort: Arbor's fault report, not a silent read of another page. Nothing
 * makes such accesses: gnttab_unmap() clears the caller's va, and the slot is handed out
 * again only by a later gnttab_map(), after Xen has put a new page behind it. Keeping the
 * entry avoids a page-table removal path that nothing else needs, and the TLB maintenance
 * it would bring.
 *
 * Without an extended region (Xen 4.17 gives 32-bit guests none) the map pages are
 * GNTTAB_BALLOON_SLOTS pages from the page allocator handed back to Xen for good with
 * XENMEM_decrease_reservation: Xen frees the RAM frames behind them and leaves their
 * guest-physical pages empty, ready for grant mappings, as Linux's balloon driver does for
 * the same purpose when it has no unpopulated space. The pages are Arbor's, reserved for
 * this, so nothing else was using them; they stay mapped in Arbor's tables as the RAM they
 * were, and the same rule holds: nothing touches a slot that has no grant mapped in it.
 */
#include <errno.h>

#include <arbor/gnttab.h>
#include <arbor/mmu.h>
#include <arbor/page_alloc.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/service.h>
#include <arbor/xen.h>

#include <xen/memory.h>

#define PAGE_SHIFT         12
#define GNTTAB_MAX_REFS    (GNTTAB_MAX_FRAMES * GNTTAB_V1_PER_FRAME)
#define GNTTAB_MAP_SLOTS   16	/* pages of an extended region */
#define GNTTAB_BALLOON_SLOTS  4	/* RAM pages given up when there is none */

static bool available;
static struct gnttab_info info;
static grant_entry_v1_t *table;
static uint64_t ref_words[GNTTAB_REFS_WORDS(GNTTAB_MAX_REFS)];
static struct gnttab_refs refs;
static bool slot_used[GNTTAB_MAP_SLOTS];
static uint8_t (*balloon)[PAGE_SIZE];	/* GNTTAB_BALLOON_SLOTS pages, allocated when needed */
_Static_assert(GNTTAB_BALLOON_SLOTS <= GNTTAB_MAP_SLOTS, "slot_used covers both kinds");

bool gnttab_available(void)
{
	return available;
}

void gnttab_get_info(struct gnttab_info *out)
{
	*out = info;
	out->free_refs = available ? refs.nfree : 0;
}

/*
 * HYPERVISOR_grant_table_op(cmd, op, 1). A failed hypercall is printed as
 * "gnttab: <call>(<what>): <Xen error>" and returned; a refused operation (its status field,
 * at *status) as "gnttab: <call>(<what>): GNTST_x (Xen's message)", returning -EIO.
 */
static int gnttab_op(unsigned cmd, void *op, const int16_t *status, const char *call,
		     const char *what)
{
	long err = xen_hypercall(__HYPERVISOR_grant_table_op, cmd, (unsigned long)op, 1, 0, 0);

	if (err) {
		pr_err("gnttab: %s(%s): %s\n", call, what, xen_strerror(err));
		return (int)err;
	}
	if (*status != GNTST_okay) {
		pr_err("gnttab: %s(%s): %s (%s)\n", call, what, gnttab_status_name(*status),
		       gnttab_status_msg(*status));
		return -EIO;
	}
	return 0;
}

int gnttab_query_size(uint32_t *nr_frames, uint32_t *max_nr_frames)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };

	if (xen_detected() == XEN_ABSENT)
		return -ENODEV;
	int err = gnttab_op(GNTTABOP_query_size, &q, &q.status, "GNTTABOP_query_size", "self");
	if (!err) {
		*nr_frames = q.nr_frames;
		*max_nr_frames = q.max_nr_frames;
	}
	return err;
}

/* Put frame idx of the table at guest-physical page gpfn. */
static int map_frame(unsigned idx, uint64_t gpfn)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table,
		.idx = idx,
		.gpfn = gpfn,
	};
	long err = xen_hypercall(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
				  (unsigned long)&xatp, 0, 0, 0);

	if (err)
		pr_err("gnttab: XENMEM_add_to_physmap(XENMAPSPACE_grant_table, idx %u, gpfn 0x%llx): "
		       "%s\n", idx, (unsigned long long)gpfn, xen_strerror(err));
	return (int)err;
}

/*
 * The first page of GNTTAB_MAP_SLOTS for foreign mappings: in the first extended region
 * (below the build's address limit) with room for them, a guard page below them and three
 * pages above (a guard and the shared-info page's two, xen/shared_info.c); 0 when none has.
 */
static paddr_t choose_map_slots(const struct platform *plat)
{
	for (unsigned i = 0; i < plat->xen.nextended; i++) {
		const struct mem_range *r = &plat->xen.extended[i];
		uint64_t start = ALIGN_UP(r->base, PAGE_SIZE) + PAGE_SIZE;
		uint64_t end = ALIGN_DOWN(MIN(r->base + r->size, plat->addr_limit), PAGE_SIZE);
		uint64_t slots_end = start + GNTTAB_MAP_SLOTS * PAGE_SIZE;
		paddr_t shared = xen_shared_info_pa();

		if (r->base >= plat->addr_limit || slots_end + 3 * PAGE_SIZE > end)
			continue;
		if (shared >= start && shared < slots_end)
			continue;
		return start;
	}
	return 0;
}

/*
 * Give the frames behind balloon[] back to Xen (XENMEM_decrease_reservation, one page per
 * extent); returns how many Xen took. Xen releases extents in order, so after a partial
 * success the first ones are the empty ones.
 */
static unsigned balloon_out(void)
{
	xen_pfn_t gpfns[GNTTAB_BALLOON_SLOTS];
	struct xen_memory_reservation res = {
		.nr_extents = GNTTAB_BALLOON_SLOTS,
		.extent_order = 0,
		.domid = DOMID_SELF,
	};

	_Static_assert(GNTTAB_BALLOON_SLOTS == 1u << 2, "one order-2 block");
	balloon = page_alloc(2);
	if (!balloon) {
		pr_err("gnttab: no %u free pages to give Xen for map slots\n", GNTTAB_BALLOON_SLOTS);
		return 0;
	}
	for (unsigned i = 0; i < GNTTAB_BALLOON_SLOTS; i++)
		gpfns[i] = (uintptr_t)balloon[i] >> PAGE_SHIFT;
	set_xen_guest_handle(res.extent_start, gpfns);
	long done = xen_hypercall(__HYPERVISOR_memory_op, XENMEM_decrease_reservation,
				   (unsigned long)&res, 0, 0, 0);
	if (done < 0) {
		pr_err("gnttab: XENMEM_decrease_reservation(%u pages from gpfn 0x%llx): %s\n",
		       GNTTAB_BALLOON_SLOTS, (unsigned long long)gpfns[0], xen_strerror(done));
		page_free(balloon, 2);
		balloon = NULL;
		return 0;
	}
	/* Not RAM any more: the allocator must not read headers there (page_alloc_forget). */
	page_alloc_forget(balloon, 2);
	if (done < GNTTAB_BALLOON_SLOTS)
		pr_warn("gnttab: XENMEM_decrease_reservation released %ld of %u pages\n", done,
			GNTTAB_BALLOON_SLOTS);
	return (unsigned)done;
}

/* The part of gnttab_init() after the checks that need no hypercall. */
static int setup(const struct platform *plat, uint32_t nr_frames, uint32_t max_nr_frames)
{
	const struct mem_range *region = &plat->xen.gnttab;
	uint64_t base = ALIGN_UP(region->base, PAGE_SIZE);
	uint64_t end = ALIGN_DOWN(region->base + region->size, PAGE_SIZE);
	unsigned want = MIN(MAX(nr_frames, 1u), GNTTAB_MAX_FRAMES);

	if (want > max_nr_frames) {
		pr_info("grant tables: unavailable (Xen allows this domain %u frames)\n",
			(unsigned)max_nr_frames);
		return -ENOSPC;
	}
	if (end <= base || (end - base) / PAGE_SIZE < want) {
		pr_info("grant tables: unavailable: the grant-table region 0x%llx-0x%llx holds %llu "
			"frames, %u needed\n", (unsigned long long)region->base,
			(unsigned long long)(region->base + region->size - 1),
			(unsigned long long)(end > base ? (end - base) / PAGE_SIZE : 0), want);
		return -ENOSPC;
	}

	/* Mapped before Xen puts the frames there; nothing reads them until Xen has. */
	if (!mmu_map_shared(base, (uint64_t)want * PAGE_SIZE)) {
		pr_info("grant tables: unavailable: region 0x%llx cannot be mapped\n",
			(unsigned long long)base);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < want; i++) {
		int err = map_frame(i, (base >> PAGE_SHIFT) + i);
		if (err) {
			pr_info("grant tables: unavailable (frame %u could not be mapped)\n", i);
			return err;
		}
	}

	table = (grant_entry_v1_t *)(uintptr_t)base;
	gnttab_refs_init(&refs, ref_words, want * GNTTAB_V1_PER_FRAME);
	info = (struct gnttab_info){
		.nr_frames = nr_frames,
		.max_nr_frames = max_nr_frames,
		.mapped = want,
		.base = base,
		.nr_refs = refs.nr,
		.map_base = choose_map_slots(plat),
	};
	if (info.map_base && mmu_map_shared(info.map_base, GNTTAB_MAP_SLOTS * PAGE_SIZE)) {
		info.map_slots = GNTTAB_MAP_SLOTS;
	} else {
		info.map_slots = balloon_out();
		info.map_base = info.map_slots ? (uintptr_t)balloon : 0;
		info.map_ballooned = info.map_slots != 0;
	}
	return 0;
}

int gnttab_init(const struct platform *plat)
{
	const struct mem_range *region = &plat->xen.gnttab;
	uint32_t nr_frames, max_nr_frames;

	if (!plat->xen.present) {
		pr_info("grant tables: unavailable (no hypervisor node)\n");
		return -ENODEV;
	}
	if (xen_detected() == XEN_ABSENT) {
		pr_info("grant tables: unavailable (Xen not detected)\n");
		return -ENODEV;
	}
	if (!region->size) {
		pr_info("grant tables: unavailable (the hypervisor node gives no grant-table "
			"region)\n");
		return -ENODEV;
	}
	if (region->base + region->size > plat->addr_limit) {
		pr_info("grant tables: unavailable: region 0x%llx-0x%llx beyond this build's "
			"address space\n", (unsigned long long)region->base,
			(unsigned long long)(region->base + region->size - 1));
		return -ENODEV;
	}
	int err = gnttab_query_size(&nr_frames, &max_nr_frames);
	if (err) {
		pr_info("grant tables: unavailable (GNTTABOP_query_size failed)\n");
		return err;
	}
	err = setup(plat, nr_frames, max_nr_frames);
	if (err)
		return err;
	available = true;

	char maps[64];
	if (info.map_slots)
		format_buf(maps, sizeof(maps), "%u map slots at 0x%llx%s", info.map_slots,
			   (unsigned long long)info.map_base,
			   info.map_ballooned ? " (ballooned RAM)" : "");
	else
		format_buf(maps, sizeof(maps), "no map slots");
	pr_info("gnttab: %u frames max, %u mapped at 0x%llx, %u references free, %s\n",
		(unsigned)max_nr_frames, info.mapped, (unsigned long long)info.base, refs.nfree, maps);
	return 0;
}

/* Started by kernel_main in the images that use grant tables (include/arbor/service.h). */
ARBOR_SERVICE(gnttab, SERVICE_GNTTAB, gnttab_init);

int gnttab_grant_access(domid_t domid, uint64_t gfn, bool readonly, grant_ref_t *ref)
{
	grant_ref_t r;

	if (!available)
		return -ENODEV;
	if (gfn > UINT32_MAX || domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	int err = gnttab_refs_alloc(&refs, &r);
	if (err)
		return err;
	err = gnttab_v1_grant(&table[r], domid, gfn, readonly);
	if (err) {
		/* A free reference whose entry is still valid: only Xen or a bug could do that. */
		pr_err("gnttab: free reference %u has flags 0x%x\n", (unsigned)r,
		       (unsigned)gnttab_v1_flags(&table[r]));
		return err;
	}
	*ref = r;
	return 0;
}

int gnttab_end_access(grant_ref_t ref)
{
	if (!available)
		return -ENODEV;
	if (!gnttab_refs_in_use(&refs, ref))
		return -EINVAL;
	int err = gnttab_v1_end(&table[ref]);
	if (err)
		return err;
	return gnttab_refs_free(&refs, ref);
}

uint16_t gnttab_entry_flags(grant_ref_t ref)
{
	if (!available || ref >= refs.nr)
		return 0;
	return gnttab_v1_flags(&table[ref]);
}

int gnttab_map(domid_t dom, grant_ref_t ref, bool readonly, struct gnttab_mapping *m)
{
	unsigned slot;
	char what[64];

	if (!available || !info.map_slots)
		return -ENODEV;
	for (slot = 0; slot < info.map_slots && slot_used[slot]; slot++)
		;
	if (slot == info.map_slots)
		return -ENOSPC;

	paddr_t pa = info.map_base + (paddr_t)slot * PAGE_SIZE;
	struct gnttab_map_grant_ref op = {
		.host_addr = pa,
		.flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
		.ref = ref,
		.dom = dom,
	};
	char domname[8];
	if (dom == DOMID_SELF)
		format_buf(domname, sizeof(domname), "self");
	else
		format_buf(domname, sizeof(domname), "%u", (unsigned)dom);
	format_buf(what, sizeof(what), "dom %s, ref %u, at 0x%llx%s", domname, (unsigned)ref,
		   (unsigned long long)pa, readonly ? ", readonly" : "");
	int err = gnttab_op(GNTTABOP_map_grant_ref, &op, &op.status, "GNTTABOP_map_grant_ref",
			    what);
	m->status = op.status;
	if (err)
		return err;

	slot_used[slot] = true;
	info.maps_in_use++;
	*m = (struct gnttab_mapping){
		.va = (void *)(uintptr_t)pa,
		.pa = pa,
		.handle = op.handle,
		.dom = dom,
		.ref = ref,
		.status = op.status,
		.slot = slot,
	};
	return 0;
}

int gnttab_unmap(struct gnttab_mapping *m)
{
	char what[64];

	if (!available || !info.map_slots)
		return -ENODEV;
	if (m->slot >= info.map_slots || !slot_used[m->slot] ||
	    m->pa != info.map_base + (paddr_t)m->slot * PAGE_SIZE)
		return -EINVAL;

	struct gnttab_unmap_grant_ref op = { .host_addr = m->pa, .handle = m->handle };
	format_buf(what, sizeof(what), "handle %u, at 0x%llx", (unsigned)m->handle,
		   (unsigned long long)m->pa);
	int err = gnttab_op(GNTTABOP_unmap_grant_ref, &op, &op.status, "GNTTABOP_unmap_grant_ref",
			    what);
	m->status = op.status;
	if (err)
		return err;
	slot_used[m->slot] = false;
	info.maps_in_use--;
	m->va = NULL;
	return 0;
}
