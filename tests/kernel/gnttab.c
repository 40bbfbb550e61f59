/*
 * Self-tests of grant tables (xen/gnttab.c), where the DT's hypervisor node makes them
 * available (dom0, a xen,enhanced domU); elsewhere they check that grant tables say they are
 * unavailable and refuse every call.
 *
 * The tests grant a page of Arbor's own .bss to this domain itself, by its real id
 * (xen_domid(): a grant entry cannot name DOMID_SELF), and map the grant back with
 * GNTTABOP_map_grant_ref at a page of an extended region: the same RAM then appears at two
 * guest-physical addresses, and what is written through one must be read through the
 * other. While it is mapped, Xen marks the entry GTF_reading|GTF_writing, which shows that
 * the frames Arbor mapped really are the table Xen reads, and ending the grant must be
 * refused. Xen 4.17 allows a domain to map its own grant (map_grant_ref looks the granter
 * up by id and never compares it with the caller). On arm32, which Xen 4.17 gives no
 * extended region, the mappings land in ballooned RAM pages from the page allocator instead.
 */
#include <errno.h>
#include <string.h>

#include <arbor/arch.h>
#include <arbor/gnttab.h>
#include <arbor/mmu.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>
#include <arbor/xen.h>

#define MAIR_NORMAL_WB  0xff

/* The page granted; Arbor's .bss, so inside a RAM bank. */
static uint8_t page[PAGE_SIZE] __aligned(PAGE_SIZE);

static uint64_t page_gfn(void)
{
	return (uintptr_t)page >> 12;
}

/* Whether the build can reach the region the DT gives for the table. */
static bool region_reachable(void)
{
	const struct mem_range *r = &platform.xen.gnttab;

	return r->size && r->base + r->size <= platform.addr_limit;
}

static void fill(volatile uint32_t *p, uint32_t seed)
{
	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		p[i] = seed ^ (i * 0x9e3779b9u);
}

/* Index of the first word that differs from fill(seed), or PAGE_SIZE / 4. */
static unsigned check(const volatile uint32_t *p, uint32_t seed)
{
	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		if (p[i] != (seed ^ (i * 0x9e3779b9u)))
			return i;
	return PAGE_SIZE / 4;
}

/* This domain's id, checked against what is known of it. */
static bool self_id(domid_t *id)
{
	int err = xen_domid(id);

	EXPECT(err == 0, "xen_domid: %d", err);
	if (err)
		return false;
	if (xen_is_dom0())
		EXPECT(*id == 0, "dom0 reads its id as %u", (unsigned)*id);
	else
		EXPECT(*id != 0 && *id < DOMID_FIRST_RESERVED, "a domU reads its id as %u",
		       (unsigned)*id);
	return true;
}

SELFTEST(gnttab_available_where_described)
{
	struct gnttab_mapping m;
	struct gnttab_info info;
	grant_ref_t ref = 0;

	if (platform.xen.present && region_reachable()) {
		EXPECT(gnttab_available(), "a hypervisor node with a grant-table region, but grant "
		       "tables are unavailable");
		return;
	}
	EXPECT(!gnttab_available(), "no usable grant-table region, yet grant tables say available");
	EXPECT(gnttab_grant_access(0, page_gfn(), false, &ref) == -ENODEV,
	       "gnttab_grant_access without grant tables");
	EXPECT(gnttab_end_access(GNTTAB_NR_RESERVED_ENTRIES) == -ENODEV,
	       "gnttab_end_access without grant tables");
	EXPECT(gnttab_map(0, GNTTAB_NR_RESERVED_ENTRIES, false, &m) == -ENODEV,
	       "gnttab_map without grant tables");
	gnttab_get_info(&info);
	EXPECT(info.mapped == 0 && info.nr_refs == 0, "%u frames mapped while unavailable",
	       info.mapped);
	pr_info("selftest:   gnttab: unavailable (%s); the tests below skip\n",
	       platform.xen.present ? "region beyond this build's address space" :
				      "no hypervisor node");
}

SELFTEST(gnttab_query_size_sane)
{
	struct gnttab_info info;
	uint32_t nr, max;

	SKIP_UNLESS(gnttab_available(), "grant tables unavailable");
	gnttab_get_info(&info);
	int err = gnttab_query_size(&nr, &max);
	EXPECT(err == 0, "GNTTABOP_query_size: %d", err);
	if (err)
		return;
	EXPECT(max >= 1 && info.max_nr_frames == max, "max_nr_frames %u now, %u at init",
	       (unsigned)max, (unsigned)info.max_nr_frames);
	EXPECT(info.mapped >= 1 && info.mapped <= max, "%u frames mapped, %u max", info.mapped,
	       (unsigned)max);
	/* Mapping frame i makes Xen's table at least i + 1 frames long. */
	EXPECT(nr >= info.mapped && nr <= max, "Xen's table has %u frames, Arbor mapped %u",
	       (unsigned)nr, info.mapped);
	EXPECT(info.nr_refs == info.mapped * GNTTAB_V1_PER_FRAME, "%u references in %u frames",
	       info.nr_refs, info.mapped);
	EXPECT(info.base == platform.xen.gnttab.base &&
	       info.base + info.mapped * PAGE_SIZE <=
	       platform.xen.gnttab.base + platform.xen.gnttab.size,
	       "frames at 0x%llx, outside the DT's region", (unsigned long long)info.base);
	printk("selftest:   gnttab: Xen's table %u frame(s) (%u at boot) of %u; %u mapped at 0x%llx\n",
	       (unsigned)nr, (unsigned)info.nr_frames, (unsigned)max, info.mapped,
	       (unsigned long long)info.base);
}

SELFTEST(gnttab_frames_mapped)
{
	struct gnttab_info info;
	paddr_t pa;
	unsigned attr;

	SKIP_UNLESS(gnttab_available(), "grant tables unavailable");
	gnttab_get_info(&info);
	for (unsigned i = 0; i < info.mapped; i++) {
		uintptr_t va = info.base + i * PAGE_SIZE;
		pte_t pte = pgtable_lookup(mmu_kernel_tables(), va, NULL);
		EXPECT(pte && pte_writable(pte) && !pte_executable(pte) && !pte_device(pte),
		       "frame %u at 0x%llx: descriptor 0x%llx", i, (unsigned long long)va,
		       (unsigned long long)pte);
		EXPECT(arch_translate(va, true, &pa, &attr) && pa == va && attr == MAIR_NORMAL_WB,
		       "frame %u at 0x%llx is not writable normal WB memory to the MMU (attr 0x%x)",
		       i, (unsigned long long)va, attr);
	}
	if (!info.map_slots)
		return;
	for (unsigned i = 0; i < info.map_slots; i++) {
		uintptr_t va = info.map_base + i * PAGE_SIZE;
		pte_t pte = pgtable_lookup(mmu_kernel_tables(), va, NULL);
		EXPECT(pte && pte_writable(pte) && !pte_device(pte) && !pte_executable(pte),
		       "map slot %u at 0x%llx: descriptor 0x%llx", i, (unsigned long long)va,
		       (unsigned long long)pte);
	}
	if (!info.map_ballooned)
		EXPECT(!pgtable_lookup(mmu_kernel_tables(), info.map_base - PAGE_SIZE, NULL),
		       "the guard page below the map slots is mapped");
}

/*
 * Grant the page to self, map it back, write each way, then the teardown in order: ending
 * the grant refused while mapped, unmap, end.
 */
SELFTEST(gnttab_grant_to_self_and_map)
{
	struct gnttab_mapping m;
	struct gnttab_info info;
	grant_ref_t ref;
	domid_t self;

	SKIP_UNLESS(gnttab_available(), "grant tables unavailable");
	if (!self_id(&self))
		return;
	gnttab_get_info(&info);
	int err = gnttab_grant_access(self, page_gfn(), false, &ref);
	EXPECT(err == 0, "gnttab_grant_access(dom %u, gfn 0x%llx): %d", (unsigned)self,
	       (unsigned long long)page_gfn(), err);
	if (err)
		return;
	EXPECT(ref >= GNTTAB_NR_RESERVED_ENTRIES && ref < info.nr_refs, "reference %u",
	       (unsigned)ref);
	EXPECT(gnttab_entry_flags(ref) == GTF_permit_access, "entry %u flags 0x%x", (unsigned)ref,
	       gnttab_entry_flags(ref));

	if (!info.map_slots) {
		printk("selftest:   gnttab: granted ref %u to dom %u; no map slots, so not mapped "
		       "back\n", (unsigned)ref, (unsigned)self);
		EXPECT(gnttab_map(self, ref, false, &m) == -ENODEV, "gnttab_map without map slots");
		EXPECT(gnttab_end_access(ref) == 0, "ending an unmapped grant");
		return;
	}

	err = gnttab_map(self, ref, false, &m);
	EXPECT(err == 0, "GNTTABOP_map_grant_ref of this domain's own grant: %d (%s)", err,
	       gnttab_status_name(m.status));
	if (err) {
		EXPECT(gnttab_end_access(ref) == 0, "ending a grant never mapped");
		return;
	}
	uint16_t flags = gnttab_entry_flags(ref);
	EXPECT((flags & (GTF_reading | GTF_writing)) == (GTF_reading | GTF_writing),
	       "mapped writable, yet entry %u flags 0x%x lack GTF_reading|GTF_writing",
	       (unsigned)ref, flags);
	EXPECT(m.va != (void *)page, "mapped over the page itself");

	fill((volatile uint32_t *)m.va, 0x5a5a0000u);
	unsigned bad = check((volatile uint32_t *)page, 0x5a5a0000u);
	EXPECT(bad == PAGE_SIZE / 4, "written through the mapping at 0x%llx, word %u differs "
	       "in the page", (unsigned long long)m.pa, bad);
	fill((volatile uint32_t *)page, 0xa5a50000u);
	bad = check((volatile uint32_t *)m.va, 0xa5a50000u);
	EXPECT(bad == PAGE_SIZE / 4, "written through the page, word %u differs in the mapping",
	       bad);

	err = gnttab_end_access(ref);
	EXPECT(err == -EBUSY, "ending a grant while it is mapped returned %d, not -EBUSY", err);
	EXPECT(gnttab_entry_flags(ref) == flags, "a refused end changed flags 0x%x to 0x%x",
	       flags, gnttab_entry_flags(ref));

	paddr_t pa = m.pa;
	err = gnttab_unmap(&m);
	EXPECT(err == 0, "GNTTABOP_unmap_grant_ref: %d (%s)", err, gnttab_status_name(m.status));
	EXPECT(m.va == NULL, "the mapping's va survives the unmap");
	flags = gnttab_entry_flags(ref);
	EXPECT(!(flags & (GTF_reading | GTF_writing)), "unmapped, yet entry %u flags 0x%x",
	       (unsigned)ref, flags);
	err = gnttab_end_access(ref);
	EXPECT(err == 0, "ending an unmapped grant: %d", err);
	EXPECT(gnttab_entry_flags(ref) == 0, "entry %u flags 0x%x after the end", (unsigned)ref,
	       gnttab_entry_flags(ref));
	EXPECT(gnttab_end_access(ref) == -EINVAL, "ending reference %u twice", (unsigned)ref);
	EXPECT(check((volatile uint32_t *)page, 0xa5a50000u) == PAGE_SIZE / 4,
	       "the page changed across the teardown");
	printk("selftest:   gnttab: dom %u granted itself ref %u, mapped it at 0x%llx (%s), "
	       "both ways agree\n", (unsigned)self, (unsigned)ref, (unsigned long long)pa,
	       info.map_ballooned ? "ballooned RAM" : "extended region");
}

/*
 * A read-only grant: a writable mapping refused by Xen (with GNTST_general_error, its answer
 * to "Attempt to write-pin a r/o grant entry" in _set_status_v1), a read-only one allowed.
 */
SELFTEST(gnttab_readonly_grant)
{
	struct gnttab_mapping m;
	struct gnttab_info info;
	grant_ref_t ref;
	domid_t self;

	gnttab_get_info(&info);
	SKIP_UNLESS(gnttab_available() && info.map_slots, "no foreign-map slots");
	if (!self_id(&self))
		return;
	fill((volatile uint32_t *)page, 0x0f0f0000u);
	int err = gnttab_grant_access(self, page_gfn(), true, &ref);
	EXPECT(err == 0, "gnttab_grant_access(readonly): %d", err);
	if (err)
		return;
	EXPECT(gnttab_entry_flags(ref) == (GTF_permit_access | GTF_readonly), "flags 0x%x",
	       gnttab_entry_flags(ref));

	printk("selftest:   gnttab: a deliberate failure follows\n");
	err = gnttab_map(self, ref, false, &m);
	EXPECT(err == -EIO && m.status == GNTST_general_error,
	       "a writable map of a read-only grant: %d, %s", err, gnttab_status_name(m.status));
	if (!err)
		gnttab_unmap(&m);

	err = gnttab_map(self, ref, true, &m);
	EXPECT(err == 0, "a read-only map of a read-only grant: %d (%s)", err,
	       gnttab_status_name(m.status));
	if (!err) {
		uint16_t flags = gnttab_entry_flags(ref);
		EXPECT((flags & (GTF_reading | GTF_writing)) == GTF_reading,
		       "mapped read-only, entry flags 0x%x", flags);
		EXPECT(check((volatile uint32_t *)m.va, 0x0f0f0000u) == PAGE_SIZE / 4,
		       "the read-only mapping reads other data");
		EXPECT(gnttab_end_access(ref) == -EBUSY, "ended while mapped read-only");
		EXPECT(gnttab_unmap(&m) == 0, "unmap (%s)", gnttab_status_name(m.status));
	}
	EXPECT(gnttab_end_access(ref) == 0, "ending the read-only grant");
}

SELFTEST(gnttab_errors_named)
{
	struct gnttab_mapping m;
	struct gnttab_info info;
	domid_t self;

	EXPECT(strcmp(gnttab_status_name(GNTST_bad_gntref), "GNTST_bad_gntref") == 0 &&
	       strcmp(gnttab_status_msg(GNTST_bad_gntref), "invalid grant reference") == 0,
	       "GNTST_bad_gntref is named %s (%s)", gnttab_status_name(GNTST_bad_gntref),
	       gnttab_status_msg(GNTST_bad_gntref));
	gnttab_get_info(&info);
	SKIP_UNLESS(gnttab_available() && info.map_slots, "no foreign-map slots");
	if (!self_id(&self))
		return;
	/* A grant entry cannot name DOMID_SELF: Xen compares it with the mapper's real id. */
	grant_ref_t ref;
	EXPECT(gnttab_grant_access(DOMID_SELF, page_gfn(), false, &ref) == -EINVAL,
	       "a grant to DOMID_SELF accepted");
	/* Nor does map_grant_ref take it: Xen looks the granter up by id. */
	printk("selftest:   gnttab: a deliberate failure follows\n");
	int err = gnttab_map(DOMID_SELF, GNTTAB_NR_RESERVED_ENTRIES, false, &m);
	EXPECT(err == -EIO && m.status == GNTST_bad_domain, "mapping from DOMID_SELF: %d, %s",
	       err, gnttab_status_name(m.status));
	if (!err)
		gnttab_unmap(&m);

	/* A reference past the end of Xen's table: Xen's own check, not Arbor's. */
	grant_ref_t beyond = info.max_nr_frames * GNTTAB_V1_PER_FRAME;
	printk("selftest:   gnttab: a deliberate failure follows\n");
	err = gnttab_map(self, beyond, false, &m);
	EXPECT(err == -EIO && m.status == GNTST_bad_gntref,
	       "mapping reference %u: %d, %s", (unsigned)beyond, err, gnttab_status_name(m.status));
	if (!err)
		gnttab_unmap(&m);
	gnttab_get_info(&info);
	EXPECT(info.maps_in_use == 0, "%u map slots still in use", info.maps_in_use);
}

/* Every free reference handed out once, none reserved, then -ENOSPC; all back after. */
SELFTEST(gnttab_references_exhausted)
{
	static uint64_t seen[GNTTAB_REFS_WORDS(GNTTAB_MAX_FRAMES * GNTTAB_V1_PER_FRAME)];
	static grant_ref_t held[GNTTAB_MAX_FRAMES * GNTTAB_V1_PER_FRAME];
	struct gnttab_info info;
	unsigned n = 0, dup = 0;
	grant_ref_t ref;
	domid_t self;

	SKIP_UNLESS(gnttab_available(), "grant tables unavailable");
	if (!self_id(&self))
		return;
	gnttab_get_info(&info);
	memset(seen, 0, sizeof(seen));
	unsigned before = info.free_refs;
	int err;
	while (n < ARRAY_SIZE(held) &&
	       (err = gnttab_grant_access(self, page_gfn(), true, &ref)) == 0) {
		dup += (seen[ref / 64] >> (ref % 64)) & 1;
		seen[ref / 64] |= 1ull << (ref % 64);
		EXPECT(ref >= GNTTAB_NR_RESERVED_ENTRIES, "reserved reference %u handed out",
		       (unsigned)ref);
		held[n++] = ref;
	}
	EXPECT(err == -ENOSPC, "after %u grants: %d, not -ENOSPC", n, err);
	EXPECT(n == before, "%u references granted, %u were free", n, before);
	EXPECT(dup == 0, "%u references handed out twice", dup);
	for (unsigned i = 0; i < n; i++)
		EXPECT(gnttab_end_access(held[i]) == 0, "ending reference %u", (unsigned)held[i]);
	gnttab_get_info(&info);
	EXPECT(info.free_refs == before, "%u references free after, %u before", info.free_refs,
	       before);
}
