/*
 * GIC register arithmetic shared by irq/gicv2.c and irq/gicv3.c (include/arbor/gic.h).
 *
 * Everything here is pure: which word and bits of a register array belong to an INTID, the
 * values written to the SGI and routing registers, and the walk over the redistributor
 * regions (given a function that reads GICR_TYPER). It is where the seed's mistakes were
 * (GICD_IPRIORITYR indexed by INTID instead of INTID / 4), so it is unit-tested on the host
 * against the layouts written out from the specifications (tests/host/test_gic.c).
 */
#include <errno.h>

#include <arbor/gic.h>

unsigned gic_reg_offset(unsigned intid, unsigned bits)
{
	return intid * bits / 32 * 4;
}

unsigned gic_reg_shift(unsigned intid, unsigned bits)
{
	return intid * bits % 32;
}

uint32_t gic_reg_field_set(uint32_t word, unsigned intid, unsigned bits, uint32_t value)
{
	uint32_t mask = bits == 32 ? ~0u : (1u << bits) - 1;
	unsigned shift = gic_reg_shift(intid, bits);

	return (word & ~(mask << shift)) | ((value & mask) << shift);
}

uint32_t gic_priority_word(uint32_t mask, unsigned first, uint8_t priority)
{
	uint32_t word = 0;

	for (unsigned i = first; i < first + 4; i++)
		if (mask & (1u << i))
			word = gic_reg_field_set(word, i, 8, priority);
	return word;
}

/*
 * GICD_ICFGR<n> (IHI 0048B 4.3.13, IHI 0069H GICD_ICFGR<n>): two bits per INTID, of which
 * only the upper, Int_config[1], is defined: 0 level-sensitive, 1 edge-triggered. The lower
 * bit is reserved (GICv1's N-N/1-N model) and is kept as it reads.
 */
uint32_t gic_icfgr_set(uint32_t word, unsigned intid, bool edge)
{
	uint32_t bit = 2u << gic_reg_shift(intid, 2);

	return edge ? word | bit : word & ~bit;
}

enum gic_trigger gic_trigger_from_dt(uint32_t dt_flags)
{
	if (dt_flags & (IRQ_TYPE_EDGE_RISING | IRQ_TYPE_EDGE_FALLING))
		return GIC_TRIGGER_EDGE;
	if (dt_flags & (IRQ_TYPE_LEVEL_HIGH | IRQ_TYPE_LEVEL_LOW))
		return GIC_TRIGGER_LEVEL;
	return GIC_TRIGGER_KEEP;
}

/*
 * IHI 0069H 2.2, Special INTIDs: 1020 and 1021 are only returned to EL3, 1022 is legacy
 * (or an NMI), 1023 means no pending interrupt of sufficient priority. GICv2 can return 1022
 * and 1023 (IHI 0048B, Special interrupt numbers, page 3-43). Reading one acknowledged
 * nothing, so nothing is EOId for it.
 */
bool gic_intid_is_special(unsigned intid)
{
	return intid >= GIC_INTID_SPECIAL && intid <= GIC_INTID_SPURIOUS;
}

/*
 * GICD_SGIR (IHI 0048B 4.3.15): TargetListFilter [25:24] = 0b10 forwards the SGI only to the
 * CPU interface that wrote the register, whatever CPUTargetList [23:16] says; SGIINTID [3:0].
 */
uint32_t gic_sgir_self(unsigned intid)
{
	return 2u << 24 | (intid & 0xf);
}

/*
 * GICD_SGIR (IHI 0048B 4.3.15) with TargetListFilter 0b00: the SGI goes to every CPU
 * interface whose bit is set in CPUTargetList [23:16].
 */
uint32_t gic_sgir_targets(unsigned intid, uint8_t target_mask)
{
	return (uint32_t)target_mask << 16 | (intid & 0xf);
}

/* MPIDR: Aff0 [7:0], Aff1 [15:8], Aff2 [23:16], Aff3 [39:32] (Aff3 is arm64 only). */
static uint32_t aff(uint64_t mpidr, unsigned level)
{
	return (uint32_t)(mpidr >> (level == 3 ? 32 : 8 * level)) & 0xff;
}

uint32_t gic_mpidr_affinity(uint64_t mpidr)
{
	return aff(mpidr, 3) << 24 | aff(mpidr, 2) << 16 | aff(mpidr, 1) << 8 | aff(mpidr, 0);
}

/*
 * GICD_IROUTER<n>: Aff0 [7:0], Aff1 [15:8], Aff2 [23:16], Interrupt_Routing_Mode [31] (0:
 * to the PE named by the affinity fields), Aff3 [39:32].
 */
uint64_t gic_irouter(uint64_t mpidr)
{
	return (uint64_t)aff(mpidr, 3) << 32 | aff(mpidr, 2) << 16 | aff(mpidr, 1) << 8 |
	       aff(mpidr, 0);
}

/*
 * ICC_SGI1R (IHI 0069H, ICC_SGI1R_EL1): TargetList [15:0] is a bit per Aff0 value within
 * the cluster named by Aff3 [55:48], Aff2 [39:32] and Aff1 [23:16]; INTID [27:24]; IRM [40]
 * 0 (use the target list); RS [47:44] selects which 16 Aff0 values TargetList covers
 * (Aff0 / 16; nonzero only with GICv3.1's range selector, ICC_CTLR_EL1.RSS).
 */
uint64_t gic_sgi1r_self(unsigned intid, uint64_t mpidr)
{
	uint32_t aff0 = aff(mpidr, 0);

	return (uint64_t)aff(mpidr, 3) << 48 | (uint64_t)(aff0 >> 4) << 44 |
	       (uint64_t)aff(mpidr, 2) << 32 | (uint64_t)(intid & 0xf) << 24 |
	       aff(mpidr, 1) << 16 | 1u << (aff0 & 0xf);
}

/*
 * The redistributor regions hold one redistributor per CPU, each a run of 64 KiB frames
 * (IHI 0069H, 12.10 "The GIC Redistributor register map": RD_base then SGI_base, then with
 * GICv4 VLPI_base and a reserved frame). The DT's redistributor-stride overrides the size
 * when a platform pads them.
 */
int gic_redist_find(const struct mem_range *regions, unsigned nregions, uint64_t stride,
		    uint32_t affinity, gic_typer_reader_t read_typer, void *ctx, paddr_t *rd_base,
		    unsigned *visited)
{
	*visited = 0;
	for (unsigned i = 0; i < nregions; i++) {
		uint64_t off = 0, step;

		/* A redistributor needs its RD_base and SGI_base frames inside the region. */
		for (; off + 2 * GICR_FRAME_SIZE <= regions[i].size; off += step) {
			paddr_t base = regions[i].base + off;
			uint64_t typer;
			int err = read_typer(ctx, base, &typer);

			if (err)
				return err;
			++*visited;
			if ((uint32_t)(typer >> 32) == affinity) {
				*rd_base = base;
				return 0;
			}
			if (typer & GICR_TYPER_LAST)
				break;
			step = stride ? stride : (typer & GICR_TYPER_VLPIS ? 4 : 2) * GICR_FRAME_SIZE;
		}
	}
	return -ENODEV;
}
