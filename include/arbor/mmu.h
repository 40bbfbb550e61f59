/*
 * Translation tables: an identity map (virtual address == physical address) built from the
 * memory banks the DTB describes.
 *
 * The descriptor format is shared: arm64 uses VMSAv8-64 with a 4 KiB granule and 48-bit
 * addresses (levels 0-3), arm32 the ARMv7 Long-descriptor (LPAE) format with 32-bit addresses
 * (levels 1-3); both put the same attribute fields in the same bits (Arm ARM D8.3 and
 * B3.6.1). include/<arch>/arch/pte.h supplies the few facts that differ.
 */
#ifndef ARBOR_MMU_H
#define ARBOR_MMU_H

#include <arbor/types.h>
#include <arch/pte.h>

#define PTES_PER_TABLE  512
/*
 * The root table's entries: what is left of the virtual address above the start level's
 * index, 2^(PT_VA_BITS - level shift). 512 on arm64 (48 bits from level 0), a whole page;
 * 4 on arm32 (32 bits from level 1, four 1 GiB entries), 32 bytes. A root is aligned to its
 * size, which is what TTBR0 needs of it (Arm ARM D8.2.2, and B4.1.154 for LPAE's TTBR0).
 */
#define PT_ROOT_ENTRIES  (1u << (PT_VA_BITS - 12 - 9 * (3 - PT_START_LEVEL)))
#define PT_ROOT_ALIGN    (PT_ROOT_ENTRIES * sizeof(pte_t))

/* What a range is used for; each maps to one set of descriptor attributes. */
enum map_kind {
	MAP_RAM,	/* normal write-back memory, read-write, never executable */
	MAP_TEXT,	/* kernel text: read-only, executable */
	MAP_RODATA,	/* read-only, never executable */
	MAP_DEVICE,	/* Device-nGnRE, read-write, never executable */
	MAP_BOOT,	/* early boot only: normal memory, read-write-execute */
};

/* One set of translation tables and the pool of pages the tables below the root come from. */
struct pgtable {
	pte_t *root;
	pte_t (*pool)[PTES_PER_TABLE];
	unsigned pool_pages;
	unsigned pool_used;	/* pages of the pool taken, the root's included when it is one */
	/* Where tables come from once the pool is used up; NULL (pgtable_init's) for none. */
	void *(*more)(void);
};

/*
 * Start an empty table set with no more pages than pool's npages (page aligned). Its root is
 * root, PT_ROOT_ENTRIES descriptors aligned to PT_ROOT_ALIGN, which this clears; or, when
 * root is NULL, the pool's first page. 0, or -ENOMEM when the pool has no page for the root.
 */
int pgtable_init(struct pgtable *pt, pte_t *root, pte_t (*pool)[PTES_PER_TABLE], unsigned npages);

/*
 * Map [va, va + size) to [pa, pa + size) with the attributes of kind, replacing whatever was
 * mapped there. All three must be page aligned. Returns 0, -EINVAL for a misaligned or
 * out-of-range request, or -ENOMEM when the pool is exhausted. Uses 2 MiB and 1 GiB blocks
 * where alignment allows, and splits blocks when a smaller range gets other attributes.
 */
int pgtable_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, enum map_kind kind);

/* The leaf descriptor mapping va, and its level; 0 when va is not mapped. */
pte_t pgtable_lookup(const struct pgtable *pt, uint64_t va, unsigned *level);

/* Writes a descriptor of a live table (break-before-make); va is an address it maps. */
typedef void (*pgtable_write_fn)(pte_t *entry, pte_t val, uint64_t va);

/*
 * The level-3 (page) descriptor for va, splitting any block that maps it into a table of
 * the same mappings, each replaced through write_live; NULL when va is not mapped or the
 * pool is exhausted. pgtable_page_pte() is the page descriptor mapping pa as kind.
 */
pte_t *pgtable_page_entry(struct pgtable *pt, uint64_t va, pgtable_write_fn write_live);
pte_t pgtable_page_pte(uint64_t pa, enum map_kind kind);

/* Whether a leaf descriptor allows writes / execution at the kernel's level. */
bool pte_writable(pte_t pte);
bool pte_executable(pte_t pte);

/* Whether a leaf descriptor maps device memory (MAP_DEVICE). */
bool pte_device(pte_t pte);

/* Build the boot map of the image and the DTB (MMU off); returns its root. */
uintptr_t early_map(uintptr_t dtb);

/*

 * Call each(start, end) for every range boot code wrote with the MMU off (mm/early.c): what
 * arch_mmu_enable_boot() must invalidate in the data cache before turning it on.
 */
void early_written(void (*each)(uintptr_t start, uintptr_t end));

/*
 * Add a device's registers, [pa, pa + size) in whole pages, to the live boot map as
 * Device-nGnRE: the early console's UART, before the kernel's map exists. mmu_init() maps
 * the same range in the kernel's map, so the device stays reachable across the switch.
 * Returns the (identity) address, or NULL after a message. At most one range.
 */
void *early_map_device(paddr_t pa, uint64_t size);

/* The range early_map_device() mapped, or NULL. */
struct mem_range;
const struct mem_range *early_mapped_device(void);

/*
 * The boot map's windows: i = 0 the 2 MiB blocks around the image, 1 those around the DTB
 * (empty when it could not be mapped). mmu_init() takes its first table pages from the free
 * RAM in them, which the boot map already lets it write.
 */
void early_map_window(unsigned i, uint64_t *start, uint64_t *end);

struct platform;

/* Build the kernel's map from the platform's memory banks and switch to it. */
void mmu_init(const struct platform *plat);

/*
 * The boot scratch: the pages of the boot map's pool (mm/early.c) that early_map() left
 * unused, *bytes of them (page aligned, contents undefined; 0 when it took them all). Boot
 * code may use them for anything it is done with before the first early_map_device() or
 * mmu_init(), which take them for tables (boot/main.c: the DTB's index, until
 * platform_probe() is done).
 */
void *mmu_boot_scratch(size_t *bytes);

/*
 * The pages of the boot map's pool not taken yet, *npages of them (possibly 0): mmu_init()'s
 * first tables, before it turns to free RAM in the boot map's windows.
 */
pte_t (*early_pool_rest(unsigned *npages))[PTES_PER_TABLE];

/* The kernel's tables, for inspection by tests and reports. */
const struct pgtable *mmu_kernel_tables(void);

/*
 * Map an MMIO range discovered in the DTB as device memory; returns its address, or NULL
 * (after a message) when it overlaps memory or the page-table pool is exhausted. Mapping a
 * range that is already device memory again is harmless.
 */
void *mmu_map_device(paddr_t pa, uint64_t size);

/*
 * Map guest-physical memory that Xen or another domain shares with this one (a PV ring, the
 * shared-info page) as normal write-back memory, which Xen's public arch-arm.h requires of
 * every shared page; returns its address, or NULL (after a message) when the range is
 * already mapped otherwise or the pool is exhausted. A range inside a RAM bank is already
 * mapped so and is returned as it is.
 */
void *mmu_map_shared(paddr_t pa, uint64_t size);

/*
 * Unmap the RAM page at va from the running kernel map (a thread stack's guard page), with
 * break-before-make, splitting a block into pages first if needed; mmu_remap_page() maps it
 * again as RAM. 0, or -ENOMEM after a message when the page-table pool is exhausted, or
 * -EINVAL when va is not a mapped RAM page.
 */
int mmu_unmap_page(uintptr_t va);
int mmu_remap_page(uintptr_t va);

#endif
