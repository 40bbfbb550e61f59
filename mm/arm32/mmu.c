/*
 * arm32 MMU control: TTBCR/MAIR0/TTBR0/SCTLR for the identity map mm/pgtable.c builds, in the
 * ARMv7 Long-descriptor (LPAE) translation table format.
 *
 * TTBCR.EAE selects the Long-descriptor format and T0SZ = 0 lets TTBR0 cover all 4 GiB, so
 * walks start at level 1 (Arm ARM DDI 0406C, B3.6); TTBR1 walks are disabled (EPD1): Arbor
 * has no upper half. Attribute indices match mm/pgtable.c: 0 = Device-nGnRE, 1 = Normal
 * write-back read/write-allocate. Domains and DACR play no part in this format.
 */
#include <arbor/arch.h>
#include <arbor/image.h>
#include <arbor/mmu.h>

#define MAIR_DEVICE_nGnRE   0x04u
#define MAIR_NORMAL_WB      0xffu
#define MAIR0_VALUE         (MAIR_DEVICE_nGnRE | (MAIR_NORMAL_WB << 8))

#define TTBCR_T0SZ(n)       (n)
#define TTBCR_IRGN0_WBWA    (1u << 8)
#define TTBCR_ORGN0_WBWA    (1u << 10)
#define TTBCR_SH0_INNER     (3u << 12)
#define TTBCR_EPD1          (1u << 23)
#define TTBCR_EAE           (1u << 31)

#define SCTLR_M             (1u << 0)
#define SCTLR_A             (1u << 1)
#define SCTLR_C             (1u << 2)
#define SCTLR_I             (1u << 12)

#define PAR_F               (1ull << 0)
#define PAR_PA_MASK         0x000000fffffff000ull	/* PA[39:12] */
#define PAR_ATTR_SHIFT      56

/* CP15 registers by their (CRn, CRm, opc2) with opc1 = 0, named as in the Arm ARM. */
#define SCTLR               "c1, c0, 0"
#define TTBCR               "c2, c0, 2"
#define MAIR0               "c10, c2, 0"
#define MAIR1               "c10, c2, 1"
#define CTR                 "c0, c0, 1"
#define DCIMVAC             "c7, c6, 1"
#define ICIALLU             "c7, c5, 0"
#define BPIALL              "c7, c5, 6"
#define BPIALLIS            "c7, c1, 6"
#define TLBIALL             "c8, c7, 0"
#define TLBIALLIS           "c8, c3, 0"
#define ATS1CPR             "c7, c8, 0"
#define ATS1CPW             "c7, c8, 1"

#define cp15_read(reg) \
	({ uint32_t __v; __asm__ volatile("mrc p15, 0, %0, " reg : "=r"(__v)); __v; })
#define cp15_write(reg, v) \
	__asm__ volatile("mcr p15, 0, %0, " reg : : "r"((uint32_t)(v)) : "memory")
#define isb() __asm__ volatile("isb" : : : "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt : : : "memory")

/* The 64-bit TTBR0 (ASID 0 in bits [55:48]) and PAR, through MCRR/MRRC. */
static inline void write_ttbr0(uint64_t v)
{
	__asm__ volatile("mcrr p15, 0, %Q0, %R0, c2" : : "r"(v) : "memory");
}

static inline uint64_t read_par(void)
{
	uint64_t v;
	__asm__ volatile("mrrc p15, 0, %Q0, %R0, c7" : "=r"(v));
	return v;
}

/*
 * Invalidate the data cache over [start, end) by virtual address to the point of coherency.
 * Used before the caches go on, on what boot code wrote with the MMU off (early_written:
 * relocated words, cleared .bss, the boot stack and tables): that went straight to memory,
 * and no stale line may hide it once lookups start.
 */
static void dcache_inval_range(uintptr_t start, uintptr_t end)
{
	uint32_t ctr = cp15_read(CTR);
	uintptr_t line = 4u << ((ctr >> 16) & 0xf);	/* DminLine, log2 of words */

	/* Four lines a turn: the loop's own instructions were half its cost. */
	uintptr_t a = ALIGN_DOWN(start, line);
	for (; a + 3 * line < end; a += 4 * line) {
		cp15_write(DCIMVAC, a);
		cp15_write(DCIMVAC, a + line);
		cp15_write(DCIMVAC, a + 2 * line);
		cp15_write(DCIMVAC, a + 3 * line);
	}
	for (; a < end; a += line)
		cp15_write(DCIMVAC, a);
	dsb(sy);
}

void arch_mmu_enable_boot(uintptr_t root)
{
	early_written(dcache_inval_range);
	cp15_write(MAIR0, MAIR0_VALUE);
	cp15_write(MAIR1, 0);
	cp15_write(TTBCR, TTBCR_EAE | TTBCR_T0SZ(0) | TTBCR_IRGN0_WBWA | TTBCR_ORGN0_WBWA |
				  TTBCR_SH0_INNER | TTBCR_EPD1);
	isb();
	write_ttbr0(root);
	isb();
	cp15_write(TLBIALL, 0);
	/*
	 * The instruction cache and branch predictor must hold nothing from before: the loader
	 * wrote this image through the data side, and the relocations may have patched text.
	 */
	cp15_write(ICIALLU, 0);
	cp15_write(BPIALL, 0);
	dsb(nsh);
	isb();

	uint32_t sctlr = cp15_read(SCTLR);
	sctlr = (sctlr | SCTLR_M | SCTLR_C | SCTLR_I) & ~SCTLR_A;
	cp15_write(SCTLR, sctlr);
	isb();
}

void arch_mmu_switch(uintptr_t root)
{
	/* Both maps are identity maps of the running code, so no trampoline is needed. */
	dsb(ishst);
	write_ttbr0(root);
	isb();
	cp15_write(TLBIALLIS, 0);
	cp15_write(BPIALLIS, 0);
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
	uint32_t sctlr = cp15_read(SCTLR);

	state->mmu = sctlr & SCTLR_M;
	state->dcache = sctlr & SCTLR_C;
	state->icache = sctlr & SCTLR_I;
}

bool arch_translate(vaddr_t va, bool write, paddr_t *pa, unsigned *mair_attr)
{
	uint64_t par;

	if (write)
		cp15_write(ATS1CPW, va);
	else
		cp15_write(ATS1CPR, va);
	isb();
	/* With TTBCR.EAE set, PAR has the 64-bit Long-descriptor layout (Arm ARM, PAR). */
	par = read_par();
	if (par & PAR_F)
		return false;
	*pa = (par & PAR_PA_MASK) | (va & 0xfff);
	*mair_attr = par >> PAR_ATTR_SHIFT;
	return true;
}

/*
 * The descriptor is two words. The break clears the low one, which holds the valid bit; the
 * make writes the high word first and the low one last, with a barrier between, so the
 * walker never sees a valid descriptor with half of another. TLBIMVAAIS takes the address
 * with bits [11:0] ignored.
 */
void arch_pte_write_live(pte_t *entry, pte_t val, uint64_t va)
{
	volatile uint32_t *w = (volatile uint32_t *)entry;

	__asm__ volatile("str	%3, [%0]\n\t"
			 "dsb	ishst\n\t"
			 "mcr	p15, 0, %4, c8, c3, 3\n\t"
			 "dsb	ish\n\t"
			 "str	%2, [%0, #4]\n\t"
			 "dmb	ishst\n\t"
			 "str	%1, [%0]\n\t"
			 "dsb	ishst\n\t"
			 "isb"
			 : : "r"(w), "r"((uint32_t)val), "r"((uint32_t)(val >> 32)), "r"(0),
			   "r"((uint32_t)va & ~0xfffu) : "memory");
}
