/*
 * The boot map, built with the MMU off before Arbor knows the memory map.
 *
 * Only two things must be reachable before the DTB is read: the image itself (code, data,
 * stack, page tables, all in .bss) and the DTB. Both are identity-mapped with 2 MiB blocks
 * as normal cacheable memory: the image read-write-execute for now, the DTB's 2 MiB (the
 * boot protocol's maximum size) read-write. mmu_init() replaces this map with the real one
 * once the memory banks are known.
 *
 * Without Xen there is no console_io to speak through before the kernel's map exists, so
 * early_map_device() adds the early console's UART (the one /chosen/stdout-path names, its
 * address from the DT) to this map once the DT is read, and mmu_init() carries it over.
 */
#include <arbor/arch.h>
#include <arbor/image.h>
#include <arbor/mmu.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arch/pte.h>

/*
 * The most tables this map can need below its root (a static one of PT_ROOT_ENTRIES, 32
 * bytes on arm32): down to the 2 MiB blocks of level 2, two tables per level for the image
 * and two for the DTB (each may straddle one boundary of the level above): 8 pages on arm64
 * (root at level 0), 4 on arm32 (level 1). pgtable_map() fails with -ENOMEM past it, and
 * the boot stops with the panic below.
 *
 * The image and the DTB usually share their tables (2 pages on arm64, 1 on arm32, in every
 * boot seen), and the pages the map leaves are the boot scratch (mmu_boot_scratch): the
 * DTB's index (boot/main.c) until platform_probe() is done, or until the rescue of a
 * refused DTB, which names the bad node first. Then the early UART's page
 * (early_map_device), which needs at most one table per level below the root, and after it
 * mmu_init()'s first tables (early_pool_rest) take them. The pool is not grown for either:
 * it is .bss, which the arm32 zImage carries in its file, and apps/hello's size has a
 * ceiling (make check-size). When the map takes the whole pool, the DTB's index goes to free
 * RAM beside the image or the DTB, as a big tree's does; should the UART find no page left,
 * early_map_device() says so and the early console stays console_io until console_select()
 * maps the UART in the kernel's tables.
 */
#define EARLY_POOL_PAGES  (4 * (2 - PT_START_LEVEL))
#define BLOCK             (2 * MiB)
#define DTB_MAX           (2 * MiB)

/* Not cleared by head.S: pgtable_init() and pgtable_map() zero each table as they take it. */
static pte_t early_root[PT_ROOT_ENTRIES] __aligned(PT_ROOT_ALIGN) __noclear(early_root);
static pte_t early_pool[EARLY_POOL_PAGES][PTES_PER_TABLE] __aligned(PAGE_SIZE)
	__noclear(early_pool);
static struct pgtable pt;		/* the boot map, live from arch_mmu_enable_boot() on */
static struct mem_range early_device;	/* what early_map_device() added, for mmu_init() */
/* What the map covers, for early_map_window(). Written with the MMU off: .bss is cleared
 * and early_written() names it for arch_mmu_enable_boot()'s cache invalidation. */
static uint64_t window[2][2];

/*
 * Everything written while the MMU was off, which went straight to memory past any line the
 * caches hold for it: the relocated words (head.S patches only data and read-only data: a
 * PIE has no relocation in .text, which ld would flag as DT_TEXTREL), the cleared .bss (the
 * boot stack is in it) and the boot map's tables. The rest of the image is as the loader
 * left it, cleaned to the point of coherency (the boot protocol asks that of it), so no line
 * of it can be stale; invalidating only these ranges, not the whole image, saves ~7,000
 * instructions on arm64.
 */
void early_written(void (*each)(uintptr_t start, uintptr_t end))
{
	each((uintptr_t)_etext, (uintptr_t)_edata);
	each((uintptr_t)__bss_start, (uintptr_t)__bss_end);
	each((uintptr_t)early_root, (uintptr_t)(early_root + PT_ROOT_ENTRIES));
	each((uintptr_t)early_pool, (uintptr_t)early_pool[pt.pool_used]);
}

uintptr_t early_map(uintptr_t dtb)
{
	uint64_t start = ALIGN_DOWN((uint64_t)(uintptr_t)_start_image, BLOCK);
	uint64_t end = ALIGN_UP((uint64_t)(uintptr_t)_end, BLOCK);
	int err = pgtable_init(&pt, early_root, early_pool, EARLY_POOL_PAGES);

	/* The DTB first, so that the image's own attributes win where the two share a block. */
	if (!err && dtb) {
		uint64_t d = ALIGN_DOWN((uint64_t)dtb, BLOCK);
		uint64_t dend = ALIGN_UP((uint64_t)dtb + DTB_MAX, BLOCK);
		if (pgtable_map(&pt, d, d, dend - d, MAP_RAM) != 0)
			pr_warn("boot: the DTB pointer 0x%llx cannot be mapped\n", (unsigned long long)dtb);
		else {
			window[1][0] = d;
			window[1][1] = dend;
		}
	}
	if (!err)
		err = pgtable_map(&pt, start, start, end - start, MAP_BOOT);
	if (err)
		panic("boot: cannot map the image at 0x%llx-0x%llx (error %d)\n",
		      (unsigned long long)start, (unsigned long long)end, err);
	window[0][0] = start;
	window[0][1] = end;
	return (uintptr_t)pt.root;
}

void *early_map_device(paddr_t pa, uint64_t size)
{
	uint64_t start = ALIGN_DOWN((uint64_t)pa, PAGE_SIZE);
	uint64_t end = ALIGN_UP((uint64_t)pa + size, PAGE_SIZE);

	if (early_device.size || end <= start || pgtable_lookup(&pt, start, NULL))
		return NULL;	/* a second device, an empty range, or one inside the image/DTB */
	/* New entries in empty slots of the live map: no break-before-make needed. */
	if (pgtable_map(&pt, start, start, end - start, MAP_DEVICE)) {
		pr_err("boot: cannot map the early UART 0x%llx-0x%llx: boot page-table pool "
		       "exhausted\n", (unsigned long long)start, (unsigned long long)end);
		return NULL;
	}
	arch_mmu_sync();
	early_device.base = start;
	early_device.size = end - start;
	return (void *)(uintptr_t)pa;
}

const struct mem_range *early_mapped_device(void)
{
	return early_device.size ? &early_device : NULL;
}

void early_map_window(unsigned i, uint64_t *start, uint64_t *end)
{
	*start = window[i][0];
	*end = window[i][1];
}

pte_t (*early_pool_rest(unsigned *npages))[PTES_PER_TABLE]
{
	*npages = EARLY_POOL_PAGES - pt.pool_used;
	return &early_pool[pt.pool_used];
}

void *mmu_boot_scratch(size_t *bytes)
{
	unsigned npages;
	void *rest = early_pool_rest(&npages);

	*bytes = (size_t)npages * PAGE_SIZE;
	return rest;
}
