/*
 * Self-tests of smp/: that every CPU /cpus lists was brought up, each running with the MPIDR
 * the DT gives it, its struct cpu reached through the per-CPU pointer, and that an SGI from
 * the boot CPU reaches each secondary and its handler's answering SGI reaches the boot CPU.
 *
 * Every configuration of the boot matrix gives the guest PSCI and CPUs that all start, so
 * "online" is asserted for every listed CPU: a CPU left out fails the test, with the reason
 * smp/ printed at boot.
 */
#include <errno.h>

#include <arbor/gic.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>
#include <arbor/smp.h>
#include <arch/gic.h>

/* A round trip: two SGIs, each a few vGIC traps under Xen; generous for a loaded host. */
#define PING_MS  1000

SELFTEST(smp_all_cpus_online)
{
	const struct platform_cpus *dt = &platform.cpus;

	EXPECT(smp_cpus_listed() == dt->count, "smp lists %u CPUs, /cpus %u", smp_cpus_listed(),
	       dt->count);
	SKIP_UNLESS(dt->count > 1, "/cpus lists %u CPU", dt->count);
	EXPECT(smp_cpus_online() == dt->count, "%u of %u CPUs online", smp_cpus_online(),
	       dt->count);
	for (unsigned i = 0; i < dt->count; i++) {
		const struct cpu *c = smp_cpu(i);

		EXPECT(c, "CPU %u (MPIDR 0x%llx) was not started", i,
		       (unsigned long long)dt->mpidr[i]);
		if (!c)
			continue;
		EXPECT(c->index == i, "CPU %u's struct says index %u", i, c->index);
		EXPECT(c->state == CPU_ONLINE, "CPU %u is in state %d, not online", i, c->state);
		EXPECT((c->mpidr & MPIDR_AFFINITY_MASK) == dt->mpidr[i],
		       "CPU %u read MPIDR 0x%llx, the DT lists 0x%llx", i,
		       (unsigned long long)c->mpidr, (unsigned long long)dt->mpidr[i]);
	}
}

SELFTEST(smp_boot_cpu_per_cpu_pointer)
{
	int boot = smp_boot_cpu();

	EXPECT(boot >= 0, "the boot CPU's MPIDR 0x%llx is not in /cpus",
	       (unsigned long long)arch_mpidr());
	if (boot < 0)
		return;
	EXPECT((arch_mpidr() & MPIDR_AFFINITY_MASK) == platform.cpus.mpidr[boot],
	       "boot CPU MPIDR 0x%llx, /cpus entry %d says 0x%llx", (unsigned long long)arch_mpidr(),
	       boot, (unsigned long long)platform.cpus.mpidr[boot]);
	EXPECT(arch_this_cpu() == smp_cpu((unsigned)boot),
	       "the per-CPU pointer is %p, the boot CPU's struct %p", arch_this_cpu(),
	       (const void *)smp_cpu((unsigned)boot));
}

SELFTEST(smp_ping_each_secondary)
{
	const struct platform_cpus *dt = &platform.cpus;
	int boot = smp_boot_cpu();

	SKIP_UNLESS(dt->count > 1, "/cpus lists %u CPU", dt->count);
	for (unsigned i = 0; i < dt->count; i++) {
		const struct cpu *c = smp_cpu(i);

		if ((int)i == boot)
			continue;
		EXPECT(c && c->state == CPU_ONLINE, "CPU %u is not online", i);
		if (!c || c->state != CPU_ONLINE)
			continue;
		unsigned before = c->pings;
		for (unsigned round = 0; round < 3; round++) {
			int err = smp_ping(i, PING_MS);
			EXPECT(!err, "ping %u of CPU %u (MPIDR 0x%llx): %s (%u taken)", round + 1, i, (unsigned long long)dt->mpidr[i],
			       err == -ETIMEDOUT ? "no answer within the time" : "refused",
			       c->pings - before);
		}
		EXPECT(c->pings == before + 3, "CPU %u took %u pings, 3 sent", i, c->pings - before);
		EXPECT(c->unexpected == 0, "CPU %u took %u interrupts other than its pings", i,
		       c->unexpected);
	}
}
