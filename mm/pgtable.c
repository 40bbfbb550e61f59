/*
 * Building translation tables in the format include/arbor/mmu.h describes.
 *
 * This code runs twice at boot: first with the MMU off (early_map), where memory is
 * Device-nGnRnE, so it stores only aligned 64-bit words and calls no library routine; then
 * with the MMU on, for the kernel's real map. The tables it edits are not live in either case
 * (mmu_map_device is the exception and only fills empty entries), so entries can be replaced
 * without the break-before-make sequence a live table needs (Arm ARM D8.14.1).
 */
#include <errno.h>

#include <arbor/mmu.h>
#include <arch/pte.h>

/* Descriptor fields common to VMSAv8-64 and ARMv7 LPAE. */
#define PTE_VALID        (1ull << 0)
#define PTE_NONBLOCK     (1ull << 1)	/* table (levels 0-2) or page (level 3) */
#define PTE_ATTRINDX(n)  ((uint64_t)(n) << 2)
#define PTE_AP_RO        (1ull << 7)	/* AP[2]: read-only */
#define PTE_SH_INNER     (3ull << 8)
#define PTE_AF           (1ull << 10)	/* access flag: set, so no access-flag faults */
#define PTE_PXN          (1ull << 53)
#define PTE_XN           (1ull << 54)	/* UXN on arm64, XN on arm32 */

/* MAIR indices; the arch code programs MAIR with these two attributes. */
#define MAIR_IDX_DEVICE  0
#define MAIR_IDX_NORMAL  1

#define LEAF_LEVEL       3

static unsigned level_shift(unsigned level)
{
	return 12 + 9 * (LEAF_LEVEL - level);
}

static uint64_t kind_attrs(enum map_kind kind)
{
	const uint64_t normal = PTE_ATTRINDX(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF;

	switch (kind) {
	case MAP_RAM:
		return normal | PTE_PXN | PTE_XN;
	case MAP_TEXT:
		return normal | PTE_AP_RO | PTE_TEXT_EXTRA;
	case MAP_RODATA:
		return normal | PTE_AP_RO | PTE_PXN | PTE_XN;
	case MAP_DEVICE:
		return PTE_ATTRINDX(MAIR_IDX_DEVICE) | PTE_AF | PTE_PXN | PTE_XN;
	case MAP_BOOT:
		return normal;
	}
	return 0;
}

bool pte_writable(pte_t pte)
{
	return (pte & PTE_VALID) && !(pte & PTE_AP_RO);
}

bool pte_executable(pte_t pte)
{
	return (pte & PTE_VALID) && !(pte & PTE_PXN) && !((pte & PTE_XN) && PTE_TEXT_EXTRA == 0);
}

bool pte_device(pte_t pte)
{
	return (pte & PTE_VALID) && (pte & PTE_ATTRINDX(7)) == PTE_ATTRINDX(MAIR_IDX_DEVICE);
}

static pte_t *alloc_table(struct pgtable *pt)
{
	pte_t *table;

	if (pt->pool_used < pt->pool_pages)
		table = pt->pool[pt->pool_used++];
	else if (!pt->more || !(table = pt->more()))
		return NULL;
	/*
	 * Eight descriptors a turn: no memset, as the boot map is built with the MMU off, where
	 * a library memset's cache-zeroing instructions would fault on Device memory.
	 */
	for (unsigned i = 0; i < PTES_PER_TABLE; i += 8)
		table[i] = table[i + 1] = table[i + 2] = table[i + 3] = table[i + 4] =
			table[i + 5] = table[i + 6] = table[i + 7] = 0;
	return table;
}

int pgtable_init(struct pgtable *pt, pte_t *root, pte_t (*pool)[PTES_PER_TABLE], unsigned npages)
{
	pt->pool = pool;
	pt->pool_pages = npages;
	pt->pool_used = 0;
	pt->more = NULL;
	if (!root) {
		pt->root = alloc_table(pt);
		return pt->root ? 0 : -ENOMEM;
	}
	/* A word at a time, as alloc_table() does: this too runs with the MMU off. */
	for (unsigned i = 0; i < PT_ROOT_ENTRIES; i++)
		root[i] = 0;
	pt->root = root;
	return 0;
}

static pte_t *table_of(pte_t pte)
{
	return (pte_t *)(uintptr_t)(pte & PT_OA_MASK);
}

/*
 * Build a table of next-level descriptors that map the same range as the block descriptor
 * *entry (at level) with the same attributes, so part of it can be changed; *table_entry is
 * the descriptor that replaces *entry, left for the caller to write.
 */
static int split_block(struct pgtable *pt, const pte_t *entry, unsigned level,
		       pte_t *table_entry)
{
	pte_t *table = alloc_table(pt);
	if (!table)
		return -ENOMEM;
	uint64_t attrs = *entry & ~(PT_OA_MASK | PTE_VALID | PTE_NONBLOCK);
	uint64_t pa = *entry & PT_OA_MASK;
	uint64_t step = 1ull << level_shift(level + 1);
	uint64_t type = level + 1 == LEAF_LEVEL ? PTE_VALID | PTE_NONBLOCK : PTE_VALID;
	pte_t pte = pa | attrs | type;

	/* One addition a descriptor: on arm32 every 64-bit multiply here costs several. */
	for (unsigned i = 0; i < PTES_PER_TABLE; i++, pte += step)
		table[i] = pte;
	*table_entry = (uint64_t)(uintptr_t)table | PTE_VALID | PTE_NONBLOCK;
	return 0;
}

static int map_level(struct pgtable *pt, pte_t *table, unsigned level, uint64_t va,
		     uint64_t pa, uint64_t size, uint64_t attrs)
{
	unsigned shift = level_shift(level);
	uint64_t block = 1ull << shift;

	if (level == LEAF_LEVEL) {
		/* The range is inside this table (the level above cut it so): a run of pages. */
		pte_t *entry = &table[(va >> shift) & (PTES_PER_TABLE - 1)];
		pte_t pte = pa | attrs | PTE_VALID | PTE_NONBLOCK;
		for (uint64_t n = size >> shift; n; n--, pte += block)
			*entry++ = pte;
		return 0;
	}
	while (size > 0) {
		unsigned index = (va >> shift) & (PTES_PER_TABLE - 1);
		pte_t *entry = &table[index];
		uint64_t next = ALIGN_DOWN(va, block) + block;
		uint64_t chunk = MIN(size, next - va);

		if (level >= 1 && chunk == block && IS_ALIGNED(pa, block)) {
			/*
			 * A run of whole aligned blocks (a RAM bank): one loop for every entry
			 * of it in this table (any tables under them are dropped).
			 */
			uint64_t n = MIN(size >> shift, (uint64_t)(PTES_PER_TABLE - index));
			pte_t pte = pa | attrs | PTE_VALID;
			for (uint64_t i = 0; i < n; i++, pte += block)
				entry[i] = pte;
			va += n << shift;
			pa += n << shift;
			size -= n << shift;
			continue;
		}
		if (!(*entry & PTE_VALID)) {
			pte_t *sub = alloc_table(pt);
			if (!sub)
				return -ENOMEM;
			*entry = (uint64_t)(uintptr_t)sub | PTE_VALID | PTE_NONBLOCK;
		} else if (!(*entry & PTE_NONBLOCK)) {
			pte_t split;
			int err = split_block(pt, entry, level, &split);
			if (err)
				return err;
			*entry = split;
		}
		int err = map_level(pt, table_of(*entry), level + 1, va, pa, chunk, attrs);
		if (err)
			return err;
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return 0;
}

int pgtable_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, enum map_kind kind)
{
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) || size == 0 || kind > MAP_BOOT)
		return -EINVAL;
	if (va + size < va || pa + size < pa ||
	    (PT_VA_BITS < 64 && va + size > (1ull << PT_VA_BITS)))
		return -EINVAL;
	if ((pa + size - 1) & ~(PT_OA_MASK | (PAGE_SIZE - 1)))
		return -EINVAL;
	return map_level(pt, pt->root, PT_START_LEVEL, va, pa, size, kind_attrs(kind));
}

pte_t pgtable_lookup(const struct pgtable *pt, uint64_t va, unsigned *level)
{
	pte_t *table = pt->root;

	if (PT_VA_BITS < 64 && va >= (1ull << PT_VA_BITS))
		return 0;
	for (unsigned l = PT_START_LEVEL; l <= LEAF_LEVEL; l++) {
		pte_t pte = table[(va >> level_shift(l)) & (PTES_PER_TABLE - 1)];
		if (!(pte & PTE_VALID))
			return 0;
		if (l == LEAF_LEVEL || !(pte & PTE_NONBLOCK)) {
			if (level)
				*level = l;
			return pte;
		}
		table = table_of(pte);
	}
	return 0;
}

/*
 * The level-3 descriptor for the page at va in a live table, splitting the blocks above it
 * into tables on the way. Each block is replaced through write_live, which must follow the
 * break-before-make sequence (Arm ARM D8.14.1): the new table maps the same range with the
 * same attributes, but the TLB may hold the block. NULL when va is not mapped or the pool
 * is exhausted.
 */
pte_t *pgtable_page_entry(struct pgtable *pt, uint64_t va, pgtable_write_fn write_live)
{
	pte_t *table = pt->root;

	if (PT_VA_BITS < 64 && va >= (1ull << PT_VA_BITS))
		return NULL;
	for (unsigned l = PT_START_LEVEL; l < LEAF_LEVEL; l++) {
		pte_t *entry = &table[(va >> level_shift(l)) & (PTES_PER_TABLE - 1)];

		if (!(*entry & PTE_VALID))
			return NULL;
		if (!(*entry & PTE_NONBLOCK)) {
			pte_t split;
			if (split_block(pt, entry, l, &split))
				return NULL;
			write_live(entry, split, va);
		}
		table = table_of(*entry);
	}
	return &table[(va >> level_shift(LEAF_LEVEL)) & (PTES_PER_TABLE - 1)];
}

pte_t pgtable_page_pte(uint64_t pa, enum map_kind kind)
{
	return pa | kind_attrs(kind) | PTE_VALID | PTE_NONBLOCK;
}
