/*
 * The kernel's identity map, built from the platform description.
 *
 * Usable RAM banks are mapped read-write and never executable; the image is then mapped over
 * them section by section: text read-only and executable, rodata read-only, data and bss
 * (which hold the stacks) read-write and never executable. Anything not in a bank or the image
 * stays unmapped, so a stray pointer faults instead of reading whatever is there. MMIO is
 * added later, one discovered device at a time, by mmu_map_device().
 */
#include <errno.h>

#include <arbor/arch.h>
#include <arbor/image.h>
#include <arbor/irqflags.h>
#include <arbor/mmu.h>
#include <arbor/page_alloc.h>
#include <arbor/platform.h>
#include <arbor/printk.h>

/*
 * The tables mmu_init() needs before the page allocator runs: 3 to 5 pages in every boot
 * seen (banks at 1 GiB and 8 GiB, two banks of dom0, the image in pages). The root is static
 * (PT_ROOT_ENTRIES: a page on arm64, 32 bytes on arm32); below it, tables are first the boot
 * map's pool pages that it and the early UART left (early_pool_rest, mm/early.c), then free
 * RAM pages inside the boot map's windows (the 2 MiB blocks around the image and the DTB),
 * which the boot map already lets mmu_init write: page_alloc_find_free() has worked out what
 * is free from the platform description, and page_alloc_early_page() takes a page off it for
 * good. Running out there (no free page left around the image or the DTB) stops the boot
 * with "boot page-table pages exhausted". Later tables (MMIO, blocks split around thread
 * stacks' guard pages, grant mappings) come from the page allocator (table_page).
 */
static pte_t kernel_root[PT_ROOT_ENTRIES] __aligned(PT_ROOT_ALIGN) __noclear(kernel_root);
static struct pgtable kernel_pt;

/*
 * Every table page taken for mmu_init(), so that each can be mapped page by page before the
 * switch (below). 3 to 5 in every boot seen, plus one per 2 MiB block split for them.
 */
#define EARLY_TABLES_MAX  16

static uintptr_t early_tables[EARLY_TABLES_MAX];
static unsigned nearly_tables;

static void *early_table_page(void)
{
	if (nearly_tables == EARLY_TABLES_MAX)
		return NULL;	/* reported as the boot pages being exhausted */
	for (unsigned i = 0; i < 2; i++) {
		uint64_t start, end;
		early_map_window(i, &start, &end);
		void *page = start < end ? page_alloc_early_page(start, end) : NULL;
		if (page) {
			early_tables[nearly_tables++] = (uintptr_t)page;
			return page;
		}
	}
	return NULL;
}

static void *table_page(void)
{
	return page_alloc(0);
}

static void map_or_panic(uint64_t start, uint64_t end, enum map_kind kind, const char *what)
{
	int err = pgtable_map(&kernel_pt, start, start, end - start, kind);
	if (err)
		panic("mmu: cannot map %s 0x%llx-0x%llx: %s\n", what, (unsigned long long)start,
		      (unsigned long long)end, err == -ENOMEM ?
		      "boot page-table pages exhausted (no free RAM left in the boot map's 2 MiB "
		      "blocks around the image and the DTB)" : "bad range");
}

void mmu_init(const struct platform *plat)
{
	unsigned npages;
	pte_t (*pool)[PTES_PER_TABLE] = early_pool_rest(&npages);

	pgtable_init(&kernel_pt, kernel_root, pool, npages);	/* cannot fail: a static root */
	kernel_pt.more = early_table_page;

	for (unsigned i = 0; i < plat->nmem; i++) {
		const struct mem_bank *b = &plat->mem[i];
		/* Page 0 is never mapped, even where RAM starts at 0: a NULL access must fault. */
		uint64_t start = MAX(ALIGN_UP(b->base, PAGE_SIZE), (uint64_t)PAGE_SIZE);
		uint64_t end = ALIGN_DOWN(b->base + b->size, PAGE_SIZE);

		if (!b->usable || end <= start)
			continue;
		if (start != b->base || end != b->base + b->size)
			pr_warn("memory: bank 0x%llx-0x%llx is not page aligned; using whole pages only\n",
				(unsigned long long)b->base, (unsigned long long)(b->base + b->size));
		map_or_panic(start, end, MAP_RAM, "RAM bank");
	}

	/* The DTB stays where Xen put it; make sure it is mapped even outside every bank. */
	uint64_t dtb = plat->dtb.base;
	if (!pgtable_lookup(&kernel_pt, dtb, NULL))
		map_or_panic(ALIGN_DOWN(dtb, PAGE_SIZE), ALIGN_UP(dtb + plat->dtb.size, PAGE_SIZE),
			     MAP_RODATA, "DTB");

	/* The early console's UART, which printk may be using right now (mm/early.c). */
	const struct mem_range *dev = early_mapped_device();
	if (dev)
		map_or_panic(dev->base, dev->base + dev->size, MAP_DEVICE, "early UART");

	map_or_panic((uintptr_t)_start_image, (uintptr_t)_etext, MAP_TEXT, "text");
	map_or_panic((uintptr_t)_etext, (uintptr_t)_erodata, MAP_RODATA, "rodata");
	map_or_panic((uintptr_t)_erodata, (uintptr_t)_end, MAP_RAM, "data and bss");

	/*
	 * No table may sit inside a block it maps. Splitting a live block later (a thread
	 * stack's guard page) is break-before-make: the block's descriptor is cleared, then the
	 * table descriptor written, and if the table holding that descriptor lies in the block,
	 * the second write faults (translation fault, level 2). The tables' pages are usually in
	 * the image's 2 MiB window, which the image's own mappings already split into pages; a
	 * reserved range over the image sends them to the DTB's window, in a RAM block. So
	 * each table page is mapped page by page now, while these tables are not yet live;
	 * a split here may take one more table page, which the loop then covers too.
	 */
	for (unsigned i = 0; i < nearly_tables; i++)
		map_or_panic(early_tables[i], early_tables[i] + PAGE_SIZE, MAP_RAM, "page table");

	arch_mmu_switch((uintptr_t)kernel_pt.root);
	kernel_pt.more = table_page;
}

const struct pgtable *mmu_kernel_tables(void)
{
	return &kernel_pt;
}

/*
 * Map [pa, pa + size) one to one with the attributes of kind, filling only empty entries:
 * pages already mapped with those attributes are left as they are (a driver mapping its
 * registers twice, a shared page inside a RAM bank), and anything mapped otherwise (RAM or
 * the image as a device, a device as memory) is refused.
 */
static void *map_extra(paddr_t pa, uint64_t size, enum map_kind kind, const char *what)
{
	uint64_t start = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	if (end <= start)
		return NULL;
	for (uint64_t a = start; a < end; a += PAGE_SIZE) {
		pte_t pte = pgtable_lookup(&kernel_pt, a, NULL);
		bool same = kind == MAP_DEVICE ? pte_device(pte) :
			    pte_writable(pte) && !pte_executable(pte) && !pte_device(pte);
		if (pte && !same) {
			pr_err("mmu: %s range 0x%llx-0x%llx overlaps another mapping at 0x%llx\n", what,
			       (unsigned long long)start, (unsigned long long)end, (unsigned long long)a);
			return NULL;
		}
	}
	/* Each run of unmapped pages in one call: one walk down the tables, not one a page. */
	for (uint64_t a = start, run = start; a <= end; a += PAGE_SIZE) {
		if (a < end && !pgtable_lookup(&kernel_pt, a, NULL))
			continue;
		if (run < a && pgtable_map(&kernel_pt, run, run, a - run, kind)) {
			pr_err("mmu: cannot map %s range 0x%llx-0x%llx: page-table pool exhausted\n",
			       what, (unsigned long long)start, (unsigned long long)end);
			return NULL;
		}
		run = a + PAGE_SIZE;
	}
	arch_mmu_sync();
	return (void *)(uintptr_t)pa;
}

void *mmu_map_device(paddr_t pa, uint64_t size)
{
	return map_extra(pa, size, MAP_DEVICE, "device");
}

void *mmu_map_shared(paddr_t pa, uint64_t size)
{
	return map_extra(pa, size, MAP_RAM, "shared memory");
}

/*
 * Replace the page descriptor for va in the live map. Interrupts stay masked throughout: while
 * a block is broken, its whole 2 MiB (or 1 GiB) is unmapped, and that may be where the
 * running thread's stack is, onto which an interrupt would push its frame.
 */
static int set_page(uintptr_t va, pte_t pte)
{
	unsigned long flags = irq_save();
	bool mapped = pgtable_lookup(&kernel_pt, va, NULL) != 0 || pte != 0;
	pte_t *entry = pgtable_page_entry(&kernel_pt, va, arch_pte_write_live);

	if (entry)
		arch_pte_write_live(entry, pte, va);
	irq_restore(flags);
	if (entry)
		return 0;
	pr_err("mmu: cannot %s the page at 0x%llx: %s\n", pte ? "map" : "unmap",
	       (unsigned long long)va, mapped ? "page-table pool exhausted" : "not mapped");
	return mapped ? -ENOMEM : -EINVAL;
}

int mmu_unmap_page(uintptr_t va)
{
	return set_page(va, 0);
}

int mmu_remap_page(uintptr_t va)
{
	return set_page(va, pgtable_page_pte(va, MAP_RAM));
}
