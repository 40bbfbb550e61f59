/*
 * Unit tests for irq/gic.c (the GIC register arithmetic) and irq/irq.c (dispatch), on the
 * host.
 *
 * The expected values are written out from the specifications, not computed the way gic.c
 * computes them:
 *   GICD_ISENABLER<n> etc.  INTID m is bit m % 32 of word m / 32      (IHI 0048B 4.3.5)
 *   GICD_ICFGR<n>           INTID m is bits [2(m % 16)+1 : 2(m % 16)] of word m / 16,
 *                           the upper bit 1 for edge-triggered          (4.3.13)
 *   GICD_IPRIORITYR<n>      INTID m is byte m % 4 of word m / 4         (4.3.11)
 *   GICD_SGIR               TargetListFilter [25:24], SGIINTID [3:0]    (4.3.15)
 *   GICR_TYPER[63:32]       Aff3 [63:56] Aff2 [55:48] Aff1 [47:40] Aff0 [39:32]
 *   GICD_IROUTER<n>         Aff3 [39:32] IRM [31] Aff2 [23:16] Aff1 [15:8] Aff0 [7:0]
 *   ICC_SGI1R               Aff3 [55:48] RS [47:44] IRM [40] Aff2 [39:32] INTID [27:24]
 *                           Aff1 [23:16] TargetList [15:0]               (IHI 0069H)
 *
 * irq.c runs against a fake GIC (gicv2_ops below, standing in for irq/gicv2.c) that replays
 * a script of acknowledge values and records what irq.c asks of it, and a fake architecture
 * (tests/host/fake/arch/irq.h) whose IRQ mask is a variable.
 */
#include "host.h"

#include <errno.h>
#include <string.h>

#include <arbor/gic.h>
#include <arbor/irq.h>
#include <arbor/printk.h>

#include "host_printk.h"

bool fake_irq_masked = true;

/* ---- register arithmetic ---- */

struct field_case {
	unsigned intid, bits;
	unsigned offset, shift;
};

static void test_reg_offset_shift(void **state)
{
	static const struct field_case cases[] = {
		/* one bit per INTID: GICD_ISENABLER, ICENABLER, ISPENDR, ISACTIVER, IGROUPR */
		{ 0, 1, 0x00, 0 }, { 31, 1, 0x00, 31 }, { 32, 1, 0x04, 0 }, { 63, 1, 0x04, 31 },
		{ 1019, 1, 0x7c, 27 },
		/* two bits: GICD_ICFGR (PPIs in word 1, i.e. GICR_ICFGR1) */
		{ 0, 2, 0x00, 0 }, { 15, 2, 0x00, 30 }, { 16, 2, 0x04, 0 }, { 27, 2, 0x04, 22 },
		{ 31, 2, 0x04, 30 }, { 32, 2, 0x08, 0 }, { 1019, 2, 0xfc, 22 },
		/* eight bits: GICD_IPRIORITYR, GICD_ITARGETSR (the seed indexed these by INTID) */
		{ 0, 8, 0x00, 0 }, { 3, 8, 0x00, 24 }, { 4, 8, 0x04, 0 }, { 9, 8, 0x08, 8 },
		{ 27, 8, 0x18, 24 }, { 33, 8, 0x20, 8 }, { 1019, 8, 0x3f8, 24 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct field_case *c = &cases[i];
		if (gic_reg_offset(c->intid, c->bits) != c->offset ||
		    gic_reg_shift(c->intid, c->bits) != c->shift)
			print_error("INTID %u, %u bits: offset 0x%x shift %u, want 0x%x %u\n", c->intid,
				    c->bits, gic_reg_offset(c->intid, c->bits),
				    gic_reg_shift(c->intid, c->bits), c->offset, c->shift);
		assert_int_equal(gic_reg_offset(c->intid, c->bits), c->offset);
		assert_int_equal(gic_reg_shift(c->intid, c->bits), c->shift);
	}
}

static void test_reg_field_set(void **state)
{
	(void)state;
	/* GICD_IPRIORITYR2 holds INTIDs 8-11; INTID 9 is byte 1. */
	assert_int_equal(gic_reg_field_set(0xa0a0a0a0, 9, 8, 0x40), 0xa0a040a0);
	assert_int_equal(gic_reg_field_set(0x00000000, 11, 8, 0x1ff), 0xff000000);
	assert_int_equal(gic_reg_field_set(0xffffffff, 32, 8, 0), 0xffffff00);
	/* GICD_ITARGETSR: CPU interface 0 for INTID 34 (word 8, byte 2). */
	assert_int_equal(gic_reg_field_set(0x01010101, 34, 8, 0x02), 0x01020101);
	assert_int_equal(gic_reg_field_set(0x12345678, 5, 32, 0xcafef00d), 0xcafef00d);
}

static void test_icfgr(void **state)
{
	(void)state;
	/* INTID 27 (PPI 11, the virtual timer): bits [23:22] of GICR_ICFGR1. */
	assert_int_equal(gic_icfgr_set(0x00000000, 27, true), 0x00800000);
	assert_int_equal(gic_icfgr_set(0xffffffff, 27, false), 0xff7fffff);
	/* The reserved lower bit of the field and the neighbours stay as they were. */
	assert_int_equal(gic_icfgr_set(0x00400000, 27, true), 0x00c00000);
	assert_int_equal(gic_icfgr_set(0x55555555, 32, true), 0x55555557);
	assert_int_equal(gic_icfgr_set(0xaaaaaaaa, 47, false), 0x2aaaaaaa);
}

static void test_trigger_from_dt(void **state)
{
	(void)state;
	assert_int_equal(gic_trigger_from_dt(0), GIC_TRIGGER_KEEP);
	assert_int_equal(gic_trigger_from_dt(IRQ_TYPE_EDGE_RISING), GIC_TRIGGER_EDGE);
	assert_int_equal(gic_trigger_from_dt(IRQ_TYPE_EDGE_FALLING), GIC_TRIGGER_EDGE);
	assert_int_equal(gic_trigger_from_dt(IRQ_TYPE_LEVEL_HIGH), GIC_TRIGGER_LEVEL);
	assert_int_equal(gic_trigger_from_dt(IRQ_TYPE_LEVEL_LOW), GIC_TRIGGER_LEVEL);
	/* The timer's <... 0xf08>: CPU mask 0xf in bits [15:8], level-low. */
	assert_int_equal(gic_trigger_from_dt(0xf08), GIC_TRIGGER_LEVEL);
	assert_int_equal(gic_trigger_from_dt(0xf00), GIC_TRIGGER_KEEP);
}

static void test_special_intids(void **state)
{
	(void)state;
	for (unsigned intid = 0; intid < 8192; intid++)
		assert_int_equal(gic_intid_is_special(intid), intid >= 1020 && intid <= 1023);
}

static void test_sgir(void **state)
{
	(void)state;
	assert_int_equal(gic_sgir_self(0), 0x02000000);
	assert_int_equal(gic_sgir_self(15), 0x0200000f);
	/* TargetListFilter 0b00, CPUTargetList [23:16]: CPU interface 1 is bit 17. */
	assert_int_equal(gic_sgir_targets(15, 0x02), 0x0002000f);
	assert_int_equal(gic_sgir_targets(1, 0x81), 0x00810001);
}

static void test_affinity(void **state)
{
	(void)state;
	/* Xen's vCPU 0: U = 0, the RES1 bit 31 set, all affinity fields 0. */
	assert_int_equal(gic_mpidr_affinity(0x80000000), 0);
	assert_int_equal(gic_mpidr_affinity(0x80000003), 3);
	/* Aff3 0xab (bits [39:32]), bit 31, MT (bit 24), Aff2 0x12, Aff1 0x34, Aff0 0x56. */
	assert_int_equal(gic_mpidr_affinity(0xab81123456ull), 0xab123456);
	/* Bits [63:40] and [31:24] are not affinity. */
	assert_int_equal(gic_mpidr_affinity(0xffffff00ff000000ull), 0);
}

static void test_irouter(void **state)
{
	(void)state;
	/* MPIDR bit 31 (RES1) must not become Interrupt_Routing_Mode (1-of-N). */
	assert_true(gic_irouter(0x80000000) == 0);
	assert_true(gic_irouter(0xab81123456ull) == 0xab00123456ull);
	assert_true(gic_irouter(0x80000102) == 0x102);
}

static void test_sgi1r(void **state)
{
	(void)state;
	/* SGI 3 to Aff 0.0.0.0: INTID 3, TargetList bit 0. */
	assert_true(gic_sgi1r_self(3, 0x80000000) == 0x0000000003000001ull);
	/* Aff0 5 in cluster 0.0.1: TargetList bit 5, Aff1 1. */
	assert_true(gic_sgi1r_self(15, 0x80000105) == 0x000000000f010020ull);
	/* Aff3 0x78, Aff2 0x56, Aff1 0x34, Aff0 0x12: RS 1, TargetList bit 2. */
	assert_true(gic_sgi1r_self(7, 0x7881563412ull) == 0x0078105607340004ull);
}

/* ---- the redistributor walk ---- */

struct fake_rd {
	paddr_t base;
	uint64_t typer;
};

struct fake_rds {
	const struct fake_rd *rd;
	size_t n;
	unsigned reads;
	paddr_t fail_at;	/* a reader error there, 0 for none */
};

static int fake_read_typer(void *ctx, paddr_t rd_base, uint64_t *typer)
{
	struct fake_rds *f = ctx;

	f->reads++;
	if (f->fail_at && rd_base == f->fail_at)
		return -ENOMEM;
	for (size_t i = 0; i < f->n; i++)
		if (f->rd[i].base == rd_base) {
			*typer = f->rd[i].typer;
			return 0;
		}
	fail_msg("GICR_TYPER read at 0x%llx, which is not a redistributor", (unsigned long long)rd_base);
	return -EIO;
}

#define AFF(a3, a2, a1, a0)  ((uint64_t)((a3) << 24 | (a2) << 16 | (a1) << 8 | (a0)) << 32)
#define K128  0x20000ull
#define K256  0x40000ull

static void test_redist_walk(void **state)
{
	(void)state;
	/* Two regions; the first holds three 128 KiB redistributors, the last flagged Last. */
	static const struct fake_rd rd[] = {
		{ 0x80a0000, AFF(0, 0, 0, 0) },
		{ 0x80a0000 + K128, AFF(0, 0, 0, 1) },
		{ 0x80a0000 + 2 * K128, AFF(0, 0, 0, 2) | GICR_TYPER_LAST },
		{ 0x9000000, AFF(0, 0, 1, 0) | GICR_TYPER_VLPIS },
		{ 0x9000000 + K256, AFF(0, 0, 1, 1) | GICR_TYPER_VLPIS | GICR_TYPER_LAST },
	};
	/* The first region is larger than its three redistributors: Last must end it. */
	static const struct mem_range regions[] = { { 0x80a0000, 0xf60000 }, { 0x9000000, 0x80000 } };
	struct fake_rds f = { rd, ARRAY_SIZE(rd), 0, 0 };
	paddr_t found = 0;
	unsigned visited;

	assert_int_equal(gic_redist_find(regions, 2, 0, 0x00000002, fake_read_typer, &f, &found,
					 &visited), 0);
	assert_true(found == 0x80a0000 + 2 * K128);
	assert_int_equal(visited, 3);

	/* In the second region, after the first ends at Last; GICv4 frames: 256 KiB apart. */
	f.reads = 0;
	assert_int_equal(gic_redist_find(regions, 2, 0, 0x00000101, fake_read_typer, &f, &found,
					 &visited), 0);
	assert_true(found == 0x9000000 + K256);
	assert_int_equal(visited, 5);

	/* Nobody has affinity 0.0.2.0: every redistributor looked at once, nothing past Last. */
	f.reads = 0;
	assert_int_equal(gic_redist_find(regions, 2, 0, 0x00000200, fake_read_typer, &f, &found,
					 &visited), -ENODEV);
	assert_int_equal(visited, 5);
	assert_int_equal(f.reads, 5);

	/* A reader error stops the walk and is returned. */
	f.fail_at = 0x80a0000 + K128;
	assert_int_equal(gic_redist_find(regions, 2, 0, 0x00000101, fake_read_typer, &f, &found,
					 &visited), -ENOMEM);
}

static void test_redist_stride_and_bounds(void **state)
{
	(void)state;
	/* redistributor-stride 0x40000 on GICv3 frames (no VLPIS): it wins over the 128 KiB. */
	static const struct fake_rd rd[] = {
		{ 0x3020000, AFF(0, 0, 0, 0) },
		{ 0x3020000 + K256, AFF(0, 0, 0, 1) },
		{ 0x3020000 + 2 * K256, AFF(0, 0, 0, 2) },
	};
	/* No Last anywhere: the region's size ends the walk, and the third does not fit. */
	static const struct mem_range region = { 0x3020000, 2 * K256 + K128 - 1 };
	struct fake_rds f = { rd, ARRAY_SIZE(rd), 0, 0 };
	paddr_t found = 0;
	unsigned visited;

	assert_int_equal(gic_redist_find(&region, 1, K256, 1, fake_read_typer, &f, &found, &visited), 0);
	assert_true(found == 0x3020000 + K256);
	assert_int_equal(gic_redist_find(&region, 1, K256, 2, fake_read_typer, &f, &found, &visited),
			 -ENODEV);
	assert_int_equal(visited, 2);

	/* A region too small for one redistributor is not read at all. */
	static const struct mem_range tiny = { 0x3020000, 0x10000 };
	f.reads = 0;
	assert_int_equal(gic_redist_find(&tiny, 1, 0, 0, fake_read_typer, &f, &found, &visited),
			 -ENODEV);
	assert_int_equal(f.reads, 0);
	assert_int_equal(gic_redist_find(NULL, 0, 0, 0, fake_read_typer, &f, &found, &visited),
			 -ENODEV);
}

/* ---- irq.c against a fake GIC ---- */

#define FAKE_LINES  64

static struct {
	uint32_t script[16];	/* what successive acks return */
	unsigned nscript, next;
	uint32_t eoi[16];
	unsigned neoi;
	bool enabled[FAKE_LINES];
	uint8_t prio[FAKE_LINES];
	int edge[FAKE_LINES];	/* -1 never configured, else the last set_edge */
	bool routed[FAKE_LINES];
	unsigned sgis_sent;
} fake;

static int fake_init(const struct platform *plat, struct gic_info *out)
{
	*out = (struct gic_info){ .version = plat->gic.version, .lines = FAKE_LINES,
				  .dist = plat->gic.dist.base };
	return 0;
}

static uint32_t fake_ack(void)
{
	return fake.next < fake.nscript ? fake.script[fake.next++] : GIC_INTID_SPURIOUS;
}

static void fake_eoi(uint32_t iar) { fake.eoi[fake.neoi++] = iar; }
static void fake_enable(unsigned intid) { fake.enabled[intid] = true; }
static void fake_disable(unsigned intid) { fake.enabled[intid] = false; }
static void fake_set_priority(unsigned intid, uint8_t p) { fake.prio[intid] = p; }
static uint8_t fake_priority(unsigned intid) { return fake.prio[intid]; }
static void fake_set_edge(unsigned intid, bool edge) { fake.edge[intid] = edge; }
static bool fake_is_edge(unsigned intid) { return fake.edge[intid] == 1; }
static void fake_route_here(unsigned intid) { fake.routed[intid] = true; }
static bool fake_routed_here(unsigned intid) { return fake.routed[intid]; }
static bool fake_pending(unsigned intid) { (void)intid; return false; }
static bool fake_active(unsigned intid) { (void)intid; return false; }
static unsigned fake_rpr(void) { return GIC_PRIORITY_IDLE; }
static void fake_sgi(unsigned intid) { (void)intid; fake.sgis_sent++; }

const struct gic_ops gicv2_ops = {
	.name = "fake GICv2", .init = fake_init, .ack = fake_ack, .eoi = fake_eoi,
	.intid_mask = 0x3ff, .enable = fake_enable, .disable = fake_disable,
	.set_priority = fake_set_priority, .priority = fake_priority, .set_edge = fake_set_edge,
	.is_edge = fake_is_edge, .route_here = fake_route_here, .routed_here = fake_routed_here,
	.pending = fake_pending, .active = fake_active,
	.running_priority = fake_rpr, .send_sgi_self = fake_sgi,
};
const struct gic_ops gicv3_ops;	/* never picked: the test platform says GICv2 */

static struct {
	unsigned calls;
	unsigned intid[16];
	void *arg[16];
} seen;

static void record(unsigned intid, void *arg)
{
	seen.intid[seen.calls] = intid;
	seen.arg[seen.calls++] = arg;
}

static void script(const uint32_t *acks, unsigned n)
{
	memcpy(fake.script, acks, n * sizeof(*acks));
	fake.nscript = n;
	fake.next = 0;
	fake.neoi = 0;
	memset(&seen, 0, sizeof(seen));
}

static int setup_irq(void **state)
{
	static bool initialised;
	static struct platform plat;

	(void)state;
	host_printk_reset();
	if (!initialised) {
		memset(&fake, 0, sizeof(fake));
		for (unsigned i = 0; i < FAKE_LINES; i++)
			fake.edge[i] = -1;
		plat.gic.version = 2;
		plat.gic.dist.base = 0x8000000;
		if (irq_init(&plat))
			return -1;
		initialised = true;
	}
	return 0;
}

static void test_irq_register(void **state)
{
	static int token;

	(void)state;
	assert_int_equal(irq_lines(), FAKE_LINES);
	assert_string_equal(irq_controller_name(), "fake GICv2");
	assert_int_equal(irq_register(FAKE_LINES, 0, record, NULL), -EINVAL);
	assert_int_equal(irq_register(3, 0, NULL, NULL), -EINVAL);

	/* An SGI: never configured (always edge), default priority, left disabled. */
	fake.enabled[3] = true;
	assert_int_equal(irq_register(3, IRQ_TYPE_LEVEL_HIGH, record, &token), 0);
	assert_int_equal(fake.edge[3], -1);
	assert_false(fake.enabled[3]);
	assert_int_equal(fake.prio[3], IRQ_PRIO_DEFAULT);
	assert_int_equal(irq_register(3, 0, record, NULL), -EBUSY);

	/* A PPI with DT flags 0 keeps its configuration; one with flags gets it. */
	assert_int_equal(irq_register(26, 0, record, NULL), 0);
	assert_int_equal(fake.edge[26], -1);
	assert_int_equal(irq_register(27, IRQ_TYPE_LEVEL_LOW, record, NULL), 0);
	assert_int_equal(fake.edge[27], 0);
	assert_false(fake.routed[27]);

	/* An SPI: edge from the flags, routed to this CPU. */
	assert_int_equal(irq_register(40, IRQ_TYPE_EDGE_RISING, record, NULL), 0);
	assert_int_equal(fake.edge[40], 1);
	assert_true(fake.routed[40]);

	irq_enable(27);
	assert_true(fake.enabled[27]);
	irq_set_priority(27, IRQ_PRIO_HIGH);
	assert_int_equal(fake.prio[27], IRQ_PRIO_HIGH);
	irq_unregister(27);
	assert_false(fake.enabled[27]);
	assert_int_equal(irq_register(27, 0, record, NULL), 0);

	irq_send_sgi_self(16);		/* not an SGI: ignored */
	irq_send_sgi_self(15);
	assert_int_equal(fake.sgis_sent, 1);
	assert_true(fake_irq_masked);	/* registering left the CPU's mask as it was */
	irq_unregister(3);
	irq_unregister(26);
	irq_unregister(27);
	irq_unregister(40);
}

static void test_irq_handle_loop(void **state)
{
	static int token;

	(void)state;
	assert_int_equal(irq_register(1, 0, record, &token), 0);
	assert_int_equal(irq_register(27, 0, record, NULL), 0);

	/* SGI 1 from CPU 2 (GICC_IAR.CPUID 2), PPI 27, then nothing pending. */
	uint64_t count = irq_count(), spurious = irq_spurious_count();
	static const uint32_t acks[] = { 2 << 10 | 1, 27, 1023 };
	script(acks, 3);
	irq_handle();
	assert_int_equal(seen.calls, 2);
	assert_int_equal(seen.intid[0], 1);
	assert_ptr_equal(seen.arg[0], &token);
	assert_int_equal(seen.intid[1], 27);
	/* Each ended with its whole IAR value (the CPUID too); 1023 not ended. */
	assert_int_equal(fake.neoi, 2);
	assert_int_equal(fake.eoi[0], 2 << 10 | 1);
	assert_int_equal(fake.eoi[1], 27);
	assert_true(irq_count() == count + 2);
	assert_true(irq_spurious_count() == spurious);

	/* An exception with nothing to acknowledge: counted as spurious, nothing ended. */
	static const uint32_t none[] = { 1022 };
	script(none, 1);
	irq_handle();
	assert_int_equal(fake.neoi, 0);
	assert_int_equal(seen.calls, 0);
	assert_true(irq_spurious_count() == spurious + 1);

	/* Every special INTID ends the loop, unended. */
	for (uint32_t special = 1020; special <= 1023; special++) {
		uint32_t acks2[] = { 27, special, 1 };
		script(acks2, 3);
		irq_handle();
		assert_int_equal(seen.calls, 1);
		assert_int_equal(fake.neoi, 1);
		assert_int_equal(fake.eoi[0], 27);
	}
	irq_unregister(1);
	irq_unregister(27);
}

static void test_irq_unhandled(void **state)
{
	(void)state;
	uint64_t count = irq_count();

	/* INTID 45, nobody's: warned once, disabled, ended, each time it comes. */
	fake.enabled[45] = true;
	static const uint32_t acks[] = { 45, 45, 1023 };
	script(acks, 3);
	irq_handle();
	assert_int_equal(host_warn_count, 1);
	assert_non_null(strstr(host_last_warn, "INTID 45"));
	assert_false(fake.enabled[45]);
	assert_int_equal(fake.neoi, 2);
	assert_true(irq_count() == count);

	/* Registering it again re-arms the warning for after a later unregister. */
	assert_int_equal(irq_register(45, 0, record, NULL), 0);
	irq_unregister(45);
	script(acks, 1);
	irq_handle();
	assert_int_equal(host_warn_count, 2);

	/* An INTID past the lines (an LPI, say): warned, ended, no table access. */
	static const uint32_t past[] = { FAKE_LINES + 3, 1023 };
	script(past, 2);
	irq_handle();
	assert_int_equal(host_warn_count, 3);
	assert_int_equal(fake.neoi, 1);
}

static void test_irq_save_nesting(void **state)
{
	(void)state;
	fake_irq_masked = false;
	unsigned long outer = irq_save();
	assert_false(irq_local_enabled());
	unsigned long inner = irq_save();
	irq_restore(inner);
	assert_false(irq_local_enabled());	/* masked inside masked stays masked */
	irq_restore(outer);
	assert_true(irq_local_enabled());

	irq_local_disable();
	outer = irq_save();
	irq_restore(outer);
	assert_false(irq_local_enabled());
	irq_local_enable();
	assert_true(irq_local_enabled());
	irq_local_disable();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reg_offset_shift),
		cmocka_unit_test(test_reg_field_set),
		cmocka_unit_test(test_icfgr),
		cmocka_unit_test(test_trigger_from_dt),
		cmocka_unit_test(test_special_intids),
		cmocka_unit_test(test_sgir),
		cmocka_unit_test(test_affinity),
		cmocka_unit_test(test_irouter),
		cmocka_unit_test(test_sgi1r),
		cmocka_unit_test(test_redist_walk),
		cmocka_unit_test(test_redist_stride_and_bounds),
		cmocka_unit_test_setup(test_irq_register, setup_irq),
		cmocka_unit_test_setup(test_irq_handle_loop, setup_irq),
		cmocka_unit_test_setup(test_irq_unhandled, setup_irq),
		cmocka_unit_test_setup(test_irq_save_nesting, setup_irq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
