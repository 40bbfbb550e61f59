/*
 * Self-tests of the platform description the kernel booted with, and of mapping a
 * discovered device as MMIO.
 */
#include <arbor/arch.h>
#include <arbor/mmu.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>

#define MAIR_DEVICE_nGnRE  0x04

SELFTEST(gic_described)
{
	const struct platform_gic *gic = &platform.gic;

	EXPECT(gic->version == 2 || gic->version == 3, "GIC version %u", gic->version);
	EXPECT(gic->dist.size >= 0x1000, "distributor size 0x%llx", (unsigned long long)gic->dist.size);
	if (gic->version == 2)
		EXPECT(gic->cpu.size >= 0x1000, "GICv2 CPU interface size 0x%llx",
		       (unsigned long long)gic->cpu.size);
	else
		EXPECT(gic->nredist >= 1, "GICv3 without redistributor regions");
}

SELFTEST(timer_described)
{
	const struct platform_timer *t = &platform.timer;

	EXPECT(t->present, "no timer");
	EXPECT(t->virt.present && t->virt.intid >= 16 && t->virt.intid < 32,
	       "virtual timer INTID %u is not a PPI", (unsigned)t->virt.intid);
	EXPECT(t->phys.present && t->phys.intid >= 16 && t->phys.intid < 32,
	       "physical timer INTID %u is not a PPI", (unsigned)t->phys.intid);
}

SELFTEST(cpus_described)
{
	EXPECT(platform.cpus.count >= 1, "no CPU in /cpus");
}

SELFTEST(mmio_mapped_as_device)
{
	const struct platform_gic *gic = &platform.gic;
	paddr_t pa;
	unsigned attr;
	void *regs = mmu_map_device(gic->dist.base, gic->dist.size);

	EXPECT(regs == (void *)(uintptr_t)gic->dist.base, "mapping the distributor gave %p", regs);
	if (!regs)
		return;
	pte_t pte = pgtable_lookup(mmu_kernel_tables(), gic->dist.base, NULL);
	EXPECT(pte_writable(pte) && !pte_executable(pte), "distributor mapping is not RW/NX");
	EXPECT(arch_translate(gic->dist.base, true, &pa, &attr) && pa == gic->dist.base,
	       "the MMU does not map the distributor one to one for writing");
	EXPECT(attr == MAIR_DEVICE_nGnRE, "distributor memory attribute 0x%x, not Device-nGnRE", attr);
	EXPECT(pte_device(pte), "distributor not mapped as a device in Arbor's tables");
	/* A driver mapping its registers again gets the same address back. */
	EXPECT(mmu_map_device(gic->dist.base, gic->dist.size) == regs, "a second mapping failed");
}
