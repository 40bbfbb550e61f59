/*
 * arm64 MMU control: MAIR/TCR/TTBR0/SCTLR at EL1 for the identity map mm/pgtable.c builds.
 *
 * Attribute indices match mm/pgtable.c: 0 = Device-nGnRE, 1 = Normal write-back
 * read/write-allocate. TTBR1 walks are disabled (EPD1): Arbor has no upper half.
 */
#include <arbor/arch.h>
#include <arbor/image.h>
#include <arbor/mmu.h>

#define MAIR_DEVICE_nGnRE   0x04ull
#define MAIR_NORMAL_WB      0xffull
#define MAIR_VALUE          (MAIR_DEVICE_nGnRE | (MAIR_NORMAL_WB << 8))

#define TCR_T0SZ(bits)      (64ull - (bits))
#define TCR_IRGN0_WBWA      (1ull << 8)
#define TCR_ORGN0_WBWA      (1ull << 10)
#define TCR_SH0_INNER       (3ull << 12)
#define TCR_TG0_4K          (0ull << 14)
#define TCR_EPD1            (1ull << 23)
#define TCR_IPS_SHIFT       32

#define SCTLR_M             (1ull << 0)
#define SCTLR_A             (1ull << 1)
#define SCTLR_C             (1ull << 2)
#define SCTLR_I             (1ull << 12)

#define sysreg_read(r) ({ uint64_t __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

/*
 * Invalidate the data cache over [start, end) by virtual address to the point of coherency.
 * Used before the caches go on, on what boot code wrote with the MMU off (early_written):
 * that went straight to memory, and no stale line may hide it once lookups start.
 */
static void dcache_inval_range(uintptr_t start, uintptr_t end)
{
	uint64_t ctr = sysreg_read(ctr_el0);
	uintptr_t line = 4u << ((ctr >> 16) & 0xf);	/* DminLine, log2 of words */

	/* Four lines a turn: the loop's own instructions were half its cost. */
	uintptr_t a = ALIGN_DOWN(start, line);
	for (; a + 3 * line < end; a += 4 * line)
		__asm__ volatile("dc ivac, %0\n\tdc ivac, %1\n\tdc ivac, %2\n\tdc ivac, %3"
				 : : "r"(a), "r"(a + line), "r"(a + 2 * line), "r"(a + 3 * line)
				 : "memory");
	for (; a < end; a += line)
		__asm__ volatile("dc ivac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

void arch_mmu_enable_boot(uintptr_t root)
{
	uint64_t parange = sysreg_read(id_aa64mmfr0_el1) & 0xf;

	early_written(dcache_inval_range);
	sysreg_write(mair_el1, MAIR_VALUE);
	sysreg_write(tcr_el1, TCR_T0SZ(48) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
				      TCR_TG0_4K | TCR_EPD1 | (parange << TCR_IPS_SHIFT));
	sysreg_write(ttbr0_el1, root);
	isb();
	__asm__ volatile("tlbi vmalle1" : : : "memory");
	dsb(nsh);
	isb();

	uint64_t sctlr = sysreg_read(sctlr_el1);
	sctlr = (sctlr | SCTLR_M | SCTLR_C | SCTLR_I) & ~SCTLR_A;
	sysreg_write(sctlr_el1, sctlr);
	isb();
}

void arch_mmu_switch(uintptr_t root)
{
	/* Both maps are identity maps of the running code, so no trampoline is needed. */
	dsb(ishst);
	sysreg_write(ttbr0_el1, root);
	isb();
	__asm__ volatile("tlbi vmalle1is" : : : "memory");
	dsb(ish);
	isb();
}

void arch_mmu_sync(void)
{
	dsb(ishst);
	isb();
}

void arch_mmu_state(struct arch_mmu_state *state)
{
	uint64_t sctlr = sysreg_read(sctlr_el1);

	state->mmu = sctlr & SCTLR_M;
	state->dcache = sctlr & SCTLR_C;
	state->icache = sctlr & SCTLR_I;
}

bool arch_translate(vaddr_t va, bool write, paddr_t *pa, unsigned *mair_attr)
{
	uint64_t par;

	if (write)
		__asm__ volatile("at s1e1w, %0" : : "r"(va));
	else
		__asm__ volatile("at s1e1r, %0" : : "r"(va));
	isb();
	par = sysreg_read(par_el1);
	if (par & 1)		/* PAR_EL1.F: the walk faulted */
		return false;
	*pa = (par & 0x0000fffffffff000ull) | (va & 0xfff);
	*mair_attr = par >> 56;
	return true;
}

void arch_pte_write_live(pte_t *entry, pte_t val, uint64_t va)
{
	__asm__ volatile("str	xzr, [%0]\n\t"
			 "dsb	ishst\n\t"
			 "tlbi	vaae1is, %2\n\t"
			 "dsb	ish\n\t"
			 "str	%1, [%0]\n\t"
			 "dsb	ishst\n\t"
			 "isb"
			 : : "r"(entry), "r"(val), "r"(va >> 12) : "memory");
}
