/*
 * Secondary CPUs (include/arbor/smp.h): every CPU /cpus lists, brought up with PSCI CPU_ON
 * and left idling in WFI, answering SGIs. docs/smp.md follows the whole path.
 *
 * The boot CPU does everything that needs a lock, the allocator, the page tables or the
 * console: for each other CPU it allocates a block (struct cpu, guard page, stack), finds and
 * maps its GICv3 redistributor, copies its own MMU registers into the block, cleans the block
 * to the point of coherency (the new CPU reads it with its MMU off), and calls CPU_ON with
 * the physical address of secondary_entry (smp/<arch>/secondary.S) and, as context_id, of
 * the block's struct arch_secondary_boot. It then waits, bounded, for the CPU to check in.
 *
 * A secondary prints nothing: printk's line buffer is the boot CPU's. It records what it
 * found (its MPIDR, an error and what failed) in its struct cpu, which the boot CPU reports.
 * Its interrupts never reach irq/'s handler table (the boot CPU's handlers, the timer's
 * deadline list): irq_handle() hands them to secondary_irq() through the per-CPU pointer.
 *
 * Event channels, under Xen with a hypervisor node: Xen's vCPU id of the CPU at /cpus index
 * i is i (Xen writes one node per vCPU, in vCPU order, vCPU 0 being the one it starts: the
 * boot CPU, which must be index 0 for this to hold). Before CPU_ON, while the vCPU is still
 * down, the boot CPU registers a vcpu_info for it (evtchn_vcpu_register: Xen accepts that for
 * another vCPU only while it is down); the CPU then enables the upcall PPI in its own GIC
 * interface, clears what registration marked (evtchn_vcpu_start), and hands every upcall to
 * xen/evtchn.c (evtchn_vcpu_upcall), which runs the handlers of the ports bound to it.
 * docs/smp.md, "Event channels on every vCPU", says more.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <arbor/arch.h>
#include <arbor/evtchn.h>
#include <arbor/irq.h>
#include <arbor/mmu.h>
#include <arbor/page_alloc.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/service.h>
#include <arbor/smccc.h>
#include <arbor/smp.h>
#include <arch/gic.h>
#include <arch/irq.h>
#include <arch/timer.h>

/* PSCI 0.2+ CPU_OFF (Arm DEN 0022, 5.1.3), SMC32 on both architectures. */
#define PSCI_0_2_CPU_OFF   0x84000002u

/* How long a started CPU has to check in. */
#define CHECKIN_MS         1000

/*
 * A secondary's block: struct cpu's page, the guard page, then the stack (two pages: an IRQ
 * frame with the FP/SIMD state is 800 bytes on arm64, and the handler is shallow).
 */
#define BLOCK_ORDER        2
#define BLOCK_SIZE         ((size_t)PAGE_SIZE << BLOCK_ORDER)
_Static_assert(sizeof(struct cpu) <= PAGE_SIZE, "struct cpu fits its page");
_Static_assert(offsetof(struct cpu, irq) == 0, "irq_handle() finds struct irq_percpu first");

extern char secondary_entry[];

static struct cpu boot_cpu;
static struct cpu **cpus;	/* by /cpus index; NULL for a CPU never started */
static unsigned listed, online;
static int boot_index = -1;
static const struct gic_cpu_ops *gic_cpu;
static volatile unsigned pongs;	/* SMP_SGI_PING taken on the boot CPU */
static bool vcpu_events;		/* secondaries get a vcpu_info (set before any starts) */
static unsigned upcall_intid;		/* the event-channel upcall PPI, when vcpu_events */

/* Arm DEN 0022D, 5.2.2 Return error codes. */
const char *psci_strerror(int err)
{
	switch (err) {
	case 0: return "SUCCESS";
	case -1: return "NOT_SUPPORTED";
	case -2: return "INVALID_PARAMETERS";
	case -3: return "DENIED";
	case -4: return "ALREADY_ON";
	case -5: return "ON_PENDING";
	case -6: return "INTERNAL_FAILURE";
	case -7: return "NOT_PRESENT";
	case -8: return "DISABLED";
	case -9: return "INVALID_ADDRESS";
	default: return "an unknown PSCI error";
	}
}

static uint64_t affinity(uint64_t mpidr)
{
	return mpidr & MPIDR_AFFINITY_MASK;
}

/*
 * PSCI 0.2 and later fix the function IDs; the original "arm,psci" binding gives them as
 * properties (platform/psci.c reads cpu_on and cpu_off). Which applies is what the node's
 * most specific compatible string declares.
 */
static bool psci_original_binding(const struct platform_psci *psci)
{
	return psci->compatible && !strcmp(psci->compatible, "arm,psci");
}

static uint32_t cpu_on_id(const struct platform_psci *psci)
{
	return psci_original_binding(psci) ? psci->cpu_on : PSCI_CPU_ON_NATIVE;
}

static void store_state(struct cpu *c, enum cpu_state state)
{
	__atomic_store_n(&c->state, state, __ATOMIC_RELEASE);
}

static enum cpu_state load_state(const struct cpu *c)
{
	return __atomic_load_n(&c->state, __ATOMIC_ACQUIRE);
}

/* ---- On the secondary ---- */

/*
 * Every SGI it may be sent, its virtual timer's PPI (masked at the timer itself), and the
 * event-channel upcall PPI when it has a vcpu_info (evtchn_vcpu_register checked it is a PPI).
 */
static uint32_t secondary_enable_mask(const struct cpu *c)
{
	uint32_t mask = (1u << IRQ_SGI_COUNT) - 1;
	const struct plat_irq *virt = &platform.timer.virt;

	if (virt->present && virt->intid >= IRQ_PPI_BASE && virt->intid < IRQ_SPI_BASE)
		mask |= 1u << virt->intid;
	if (c->evtchn)
		mask |= 1u << upcall_intid;
	return mask;
}

/*
 * The IRQ path of a secondary (irq_handle() calls it through struct irq_percpu): answer
 * pings, hand the event-channel upcall to xen/evtchn.c (the handlers of the ports bound to
 * this vCPU), count the rest. Never the handler table: its handlers are the boot CPU's.
 */
static void secondary_irq(struct irq_percpu *self)
{
	struct cpu *c = (struct cpu *)self;
	const struct gic_ops *gic = gic_driver();

	for (;;) {
		uint32_t iar = gic->ack();
		unsigned intid = iar & gic->intid_mask;

		if (gic_intid_is_special(intid))
			return;
		if (intid == SMP_SGI_PING) {
			c->pings++;
			gic_cpu->send_sgi(SMP_SGI_PING, &c->boot_gic);
		} else if (c->evtchn && intid == upcall_intid) {
			evtchn_vcpu_upcall(c->evtchn);
		} else {
			c->unexpected++;
		}
		gic->eoi(iar);
	}
}

/* Give the CPU back to PSCI; if that returns, wait masked for ever. */
static void __noreturn secondary_stop(void)
{
	const struct platform_psci *psci = &platform.psci;
	uint32_t id = psci_original_binding(psci) ? psci->cpu_off : PSCI_0_2_CPU_OFF;
	struct smccc_res res;

	if (id)
		smccc_call(psci->method, id, &res);
	arch_halt_wfi();
}

void secondary_main(struct cpu *c)
{
	const char *what = "";
	int err;

	c->mpidr = arch_mpidr();
	/* Nothing is scheduled here: its virtual timer must not fire. */
	arch_cntv_ctl_write(CNTV_CTL_IMASK);
	if (affinity(c->mpidr) != affinity(c->dt_mpidr)) {
		err = -ENXIO;
		what = "the CPU that started has another MPIDR than the DT lists";
	} else {
		err = gic_cpu->init(&c->gic, secondary_enable_mask(c), &what);
	}
	if (err) {
		c->error = err;
		c->error_what = what;
		store_state(c, CPU_FAILED);
		secondary_stop();
	}
	if (c->evtchn)
		evtchn_vcpu_start(c->evtchn);	/* IRQs still masked */
	c->irq.handle = secondary_irq;
	store_state(c, CPU_ONLINE);
	/* Idle: WFI with interrupts unmasked, so an idle CPU costs the host nothing. */
	arch_irq_enable();
	for (;;)
		arch_wait_for_interrupt();
}

/* ---- On the boot CPU ---- */

static void boot_pong(unsigned intid, void *arg)
{
	(void)intid;
	(void)arg;
	pongs++;
}

static void __printf(2, 3) left_out(const struct cpu *c, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	vformat_buf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	pr_warn("smp: CPU %u (MPIDR 0x%llx): %s; left out\n", c->index,
		(unsigned long long)c->dt_mpidr, reason);
}

/* Give back a block whose CPU never ran (its guard page mapped again if it was unmapped). */
static void release(struct cpu *c, bool guarded)
{
	void *block = c->block;

	cpus[c->index] = NULL;
	if (guarded && mmu_remap_page((uintptr_t)block + PAGE_SIZE))
		return;		/* it said why; the block stays out of the allocator */
	page_free(block, BLOCK_ORDER);
}

static void start_cpu(const struct platform *plat, unsigned i)
{
	const struct platform_psci *psci = &plat->psci;
	const char *method = plat->cpus.enable_method[i];
	char *block = page_alloc(BLOCK_ORDER);
	struct smccc_res res = { .a0 = SMCCC_NOT_SUPPORTED };	/* should no call be made */

	if (!block) {
		pr_warn("smp: CPU %u (MPIDR 0x%llx): no memory for its stack; left out\n", i,
			(unsigned long long)plat->cpus.mpidr[i]);
		return;
	}
	struct cpu *c = (struct cpu *)block;
	memset(c, 0, sizeof(*c));
	c->index = i;
	c->dt_mpidr = plat->cpus.mpidr[i];
	c->block = block;
	c->gic.mpidr = c->dt_mpidr;
	c->boot_gic = boot_cpu.gic;
	c->vcpu = -1;
	cpus[i] = c;

	/*
	 * No enable-method: Xen writes none for a 32-bit guest's CPUs, and Linux's arm32 port
	 * then starts them with PSCI when there is a /psci node (arch/arm/kernel/psci_smp.c).
	 */
	if (method && strcmp(method, "psci")) {
		left_out(c, "enable-method \"%s\" is not \"psci\"", method);
		return release(c, false);
	}
	if (!psci->present || psci->method == PSCI_NONE || !cpu_on_id(psci)) {
		left_out(c, "%s", psci->present ? "the original arm,psci binding's node has no "
			 "cpu_on" : method ? "enable-method \"psci\" but no /psci node" :
			 "no enable-method and no /psci node");
		return release(c, false);
	}
	if (gic_cpu->prepare(plat, &c->gic))
		return release(c, false);	/* it said why, naming the MPIDR */
	/*
	 * The guard page: a stack overflow faults instead of overwriting struct cpu. Unmapping
	 * it also splits this block's 2 MiB into pages, so no later split of that block (the
	 * boot CPU's, with break-before-make) can unmap what this CPU is using.
	 */
	bool guarded = !mmu_unmap_page((uintptr_t)block + PAGE_SIZE);
	if (!guarded)
		pr_warn("smp: CPU %u runs without a guard page under its stack\n", i);

	/*
	 * Its vcpu_info, now that it is sure to be started and still down. Its page is never
	 * given back (Xen keeps it), whatever happens to the CPU; refused, the CPU starts
	 * without event channels (evtchn_vcpu_register said why).
	 */
	if (vcpu_events && (c->evtchn = evtchn_vcpu_register(i)))
		c->vcpu = (int)i;

	arch_secondary_boot_fill(&c->boot);
	c->boot.stack_top = (uintptr_t)block + BLOCK_SIZE;
	c->boot.cpu = (uintptr_t)c;
	c->state = CPU_STARTING;
	arch_dcache_clean_range((uintptr_t)c, (uintptr_t)(c + 1));

	/* CPU_ON(target_cpu, entry_point_address, context_id): DEN 0022, 5.1.4. */
	smccc_call3(psci->method, cpu_on_id(psci), (unsigned long)c->dt_mpidr,
		    (unsigned long)(uintptr_t)secondary_entry, (unsigned long)(uintptr_t)&c->boot,
		    &res);
	int rc = (int32_t)res.a0;
	if (rc) {
		c->psci_error = rc;
		c->state = CPU_FAILED;
		left_out(c, "PSCI CPU_ON: %s (%d)", psci_strerror(rc), rc);
		return release(c, guarded);
	}

	uint64_t end = arch_counter() + arch_counter_freq() * CHECKIN_MS / 1000;
	while (load_state(c) == CPU_STARTING && arch_counter() < end)
		;
	switch (load_state(c)) {
	case CPU_ONLINE:
		online++;
		/* Is it the vCPU it was registered as? An event bound to that vCPU says. */
		if (c->evtchn && evtchn_vcpu_check(c->evtchn, c->dt_mpidr)) {
			c->vcpu = -1;
			pr_warn("smp: CPU %u (MPIDR 0x%llx) runs without event channels\n", i,
				(unsigned long long)c->dt_mpidr);
		}
		break;
	case CPU_FAILED:
		left_out(c, "%s (error %d)", c->error_what, c->error);
		break;
	default:
		/* Its block stays allocated: the CPU may yet run on that stack. */
		left_out(c, "CPU_ON returned SUCCESS but it did not check in within %d ms",
			 CHECKIN_MS);
		break;
	}
}

/*
 * Whether the secondaries get event channels: under Xen with them, and with the boot CPU
 * first in /cpus, so that /cpus index = Xen's vCPU id holds (Xen starts vCPU 0 only).
 */
static bool events_on_secondaries(void)
{
	int intid = evtchn_upcall_intid();

	if (intid < 0)
		return false;
	if (boot_index != 0) {
		pr_warn("smp: the boot CPU is /cpus entry %d, not 0: Xen's vCPU ids follow /cpus "
			"order from its boot vCPU 0, so they are not known here; the other CPUs "
			"get no event channels\n", boot_index);
		return false;
	}
	upcall_intid = (unsigned)intid;
	return true;
}

/* One line: which vCPUs take events, on the boot CPU's summary's heels. */
static void report_events(void)
{
	unsigned with = 1;

	for (unsigned i = 0; i < listed; i++)
		if ((int)i != boot_index && cpus[i] && cpus[i]->vcpu >= 0 &&
		    load_state(cpus[i]) == CPU_ONLINE)
			with++;
	pr_info("smp: event channels on %u of %u online vCPUs (vCPU 0 in the shared-info page; "
		"the others each with its own vcpu_info, and an IPI event seen on its CPU)\n", with,
		online);
}

static int smp_init(const struct platform *plat)
{
	uint64_t me = affinity(arch_mpidr());

	listed = plat->cpus.count;
	online = 1;
	for (unsigned i = 0; i < listed; i++)
		if (affinity(plat->cpus.mpidr[i]) == me)
			boot_index = (int)i;

	boot_cpu.state = CPU_ONLINE;
	boot_cpu.mpidr = arch_mpidr();
	boot_cpu.index = boot_index < 0 ? 0 : (unsigned)boot_index;
	boot_cpu.dt_mpidr = boot_index < 0 ? 0 : plat->cpus.mpidr[boot_index];
	boot_cpu.vcpu = evtchn_available() ? 0 : -1;	/* Xen's boot vCPU is vCPU 0 */
	arch_set_this_cpu(&boot_cpu);

	if (!listed) {
		pr_info("smp: /cpus lists no CPU; running on the boot CPU only\n");
		return 0;
	}
	if (boot_index < 0) {
		pr_warn("smp: the boot CPU's MPIDR 0x%llx is not in /cpus; starting no other CPU\n",
			(unsigned long long)arch_mpidr());
		pr_info("smp: %u of %u CPUs online\n", online, listed);
		return -ENODEV;
	}
	cpus = page_alloc_table(listed * sizeof(*cpus), "the CPU table");
	cpus[boot_index] = &boot_cpu;

	if (listed > 1) {
		gic_cpu = plat->gic.version == 3 ? &gicv3_cpu_ops : &gicv2_cpu_ops;
		gic_cpu->boot_cpu(&boot_cpu.gic);
		int err = irq_register(SMP_SGI_PING, 0, boot_pong, NULL);
		if (err) {
			pr_err("smp: irq_register(%u) for the ping SGI: error %d; starting no other "
			       "CPU\n", SMP_SGI_PING, err);
			pr_info("smp: %u of %u CPUs online\n", online, listed);
			return err;
		}
		irq_enable(SMP_SGI_PING);
		vcpu_events = events_on_secondaries();
		for (unsigned i = 0; i < listed; i++)
			if ((int)i != boot_index)
				start_cpu(plat, i);
	}
	pr_info("smp: %u of %u CPUs online\n", online, listed);
	if (vcpu_events)
		report_events();
	return 0;
}

ARBOR_SERVICE(smp, SERVICE_SMP, smp_init);

unsigned smp_cpus_listed(void)
{
	return listed;
}

unsigned smp_cpus_online(void)
{
	return online;
}

int smp_boot_cpu(void)
{
	return boot_index;
}

const struct cpu *smp_cpu(unsigned index)
{
	return cpus && index < listed ? cpus[index] : NULL;
}

int smp_ping(unsigned index, unsigned ms)
{
	const struct cpu *c = smp_cpu(index);

	if (!c || c == &boot_cpu || load_state(c) != CPU_ONLINE)
		return -EINVAL;
	unsigned pings = c->pings, before = pongs;
	uint64_t end = arch_counter() + arch_counter_freq() * ms / 1000;

	/* Threads run with IRQs masked (sched/): the answer is taken here, then as before. */
	unsigned long flags = irq_save();
	irq_local_enable();
	gic_cpu->send_sgi(SMP_SGI_PING, &c->gic);
	while ((c->pings == pings || pongs == before) && arch_counter() < end)
		;
	irq_restore(flags);
	return c->pings != pings && pongs != before ? 0 : -ETIMEDOUT;
}
