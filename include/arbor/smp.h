/*
 * Secondary CPUs (smp/smp.c): every CPU the device tree's /cpus lists, started with PSCI
 * CPU_ON, given the kernel's page tables, vectors, a stack and a struct cpu, its GIC CPU
 * interface set up, and then idling in WFI, answering SGIs and, under Xen with event
 * channels, handling the ports bound to its vCPU (evtchn_bind_vcpu). Threads run on the boot
 * CPU only: the scheduler does not know the other CPUs yet.
 *
 * The bring-up is an optional service (include/arbor/service.h): an image has it when its
 * application (or the self-tests) uses this interface. docs/smp.md follows the path from
 * /cpus and /psci to a CPU idling in WFI.
 */
#ifndef ARBOR_SMP_H
#define ARBOR_SMP_H

#include <arbor/gic.h>
#include <arbor/irq.h>
#include <arbor/types.h>
#include <arch/smp.h>

struct evtchn_vcpu;

/* The SGI the CPUs ping each other with; tests/kernel/ uses 1-12. */
#define SMP_SGI_PING  15

enum cpu_state {
	CPU_OFF,	/* not started (or being the boot CPU, started by the loader) */
	CPU_STARTING,	/* CPU_ON succeeded; not checked in yet */
	CPU_ONLINE,	/* running secondary_main's idle loop */
	CPU_FAILED,	/* refused, CPU_ON failed, or it failed its own set-up */
};

/*
 * One CPU, reached through the per-CPU pointer (TPIDR_EL1 / TPIDRPRW) on that CPU. A
 * secondary's sits in the first page of a block of its own, under the guard page and the
 * stack (like a thread's struct thread), so that the pages it reads stay mapped whatever the
 * boot CPU later splits. Fields the secondary writes are volatile: the boot CPU polls them.
 */
struct cpu {
	struct irq_percpu irq;		/* first: irq_handle() reads it through the pointer */
	unsigned index;			/* its position in /cpus (platform.cpus) */
	uint64_t dt_mpidr;		/* the DT's reg for it */
	volatile enum cpu_state state;
	volatile uint64_t mpidr;	/* MPIDR as the CPU itself read it, once started */
	int psci_error;			/* CPU_ON's result when it failed */
	volatile int error;		/* the secondary's own failure (negative errno) ... */
	const char *volatile error_what;	/* ... and in words */
	struct gic_cpu gic;		/* what the GIC knows it by */
	struct gic_cpu boot_gic;	/* the boot CPU's, to answer a ping */
	volatile unsigned pings;	/* SMP_SGI_PING taken on this CPU */
	volatile unsigned unexpected;	/* other INTIDs taken here (acknowledged and ended) */
	int vcpu;			/* Xen's vCPU id when it takes event channels, else -1 */
	struct evtchn_vcpu *evtchn;	/* its event delivery (xen/evtchn.c), NULL: none */
	void *block;			/* its page_alloc block, NULL for the boot CPU */
	struct arch_secondary_boot boot;	/* read by secondary_entry, MMU off */
};

/* How many CPUs /cpus lists, and how many of them run (the boot CPU included). */
unsigned smp_cpus_listed(void);
unsigned smp_cpus_online(void);

/* The index in /cpus of the CPU Arbor booted on, or -1 when /cpus does not list it. */
int smp_boot_cpu(void);

/* CPU index's struct, or NULL when it was never started (or index is out of range). */
const struct cpu *smp_cpu(unsigned index);

/*
 * Send SMP_SGI_PING from the boot CPU to the online secondary index and wait up to ms
 * milliseconds for it to answer with an SGI back. 0, -EINVAL for a CPU that is not an online
 * secondary, -ETIMEDOUT when the round trip did not complete.
 */
int smp_ping(unsigned index, unsigned ms);

/* PSCI return codes in words (Arm DEN 0022, 5.2.2): "DENIED", ... */
const char *psci_strerror(int err);

/* The C side of a secondary's entry (smp/<arch>/secondary.S); never returns. */
void secondary_main(struct cpu *cpu) __noreturn;

#endif
