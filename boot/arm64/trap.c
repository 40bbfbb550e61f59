/*
 * arm64 exception reports.
 *
 * The one exception Arbor takes on purpose, an IRQ at EL1, goes from vectors.S straight to
 * irq_handle() (irq/); every exception that reaches trap_entry() is reported and the domain
 * is crashed: the exception class in words, what the syndrome says about a data or
 * instruction abort, the fault and return addresses (also as offsets into arbor.elf, for
 * addr2line), and the registers.
 * ESR_EL1 layout: Arm ARM D17.2.37; exception classes: table D17-1.
 */
#include <arbor/arch.h>
#include <arbor/image.h>
#include <arbor/printk.h>
#include <arbor/sched.h>
#include <arbor/kernel.h>
#include <arbor/xen.h>
#include <arch/trap.h>

/* The vector's name, kind then origin: arrays of characters, which need no relocation. */
static const char vector_kinds[4][12] = { "synchronous", "IRQ", "FIQ", "SError" };
static const char vector_origins[4][22] = {
	" (EL1, SP0)", "", " from EL0", " from AArch32 EL0",
};

static const char *ec_name(unsigned ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (undefined instruction)";
	case 0x01: return "trapped WFI/WFE";
	case 0x07: return "FP/SIMD access trapped";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC instruction";
	case 0x16: return "HVC instruction";
	case 0x17: return "SMC instruction";
	case 0x18: return "trapped MSR/MRS/system instruction";
	case 0x20: return "instruction abort from EL0";
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from EL0";
	case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2c: return "floating-point exception";
	case 0x2f: return "SError interrupt";
	case 0x30: case 0x31: return "breakpoint";
	case 0x32: case 0x33: return "software step";
	case 0x34: case 0x35: return "watchpoint";
	case 0x3c: return "BRK instruction";
	default: return "unrecognised exception class";
	}
}

/* The fault status code of an abort (ISS[5:0]), in words. */
static const char *fsc_name(unsigned fsc, unsigned *level)
{
	*level = fsc & 3;
	switch (fsc & 0x3c) {
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	}
	*level = ~0u;
	switch (fsc) {
	case 0x00: case 0x01: case 0x02: case 0x03: return "address size fault";
	case 0x10: return "synchronous external abort";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	default: return "other fault";
	}
}

static void report(const struct trap_frame *f, unsigned vector)
{
	unsigned ec = (f->esr >> 26) & 0x3f;
	uintptr_t base = (uintptr_t)_start_image;

	printk_flush();
	printk("arbor: unhandled exception: %s%s, %s (EC 0x%02x)\n", vector_kinds[vector & 3],
	       vector_origins[(vector >> 2) & 3], ec_name(ec), ec);
	if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25) {
		unsigned level, fsc = f->esr & 0x3f;
		const char *what = fsc_name(fsc, &level);
		bool write = ec >= 0x24 && (f->esr & (1u << 6));
		if (level != ~0u)
			printk("  cause: %s at level %u%s\n", what, level,
			       ec >= 0x24 ? (write ? ", on a write" : ", on a read") : ", on a fetch");
		else
			printk("  cause: %s%s\n", what,
			       ec >= 0x24 ? (write ? ", on a write" : ", on a read") : ", on a fetch");
		printk("  fault address  FAR  0x%016llx\n", (unsigned long long)f->far);
		if (ec >= 0x24 && sched_guard_page_owner(f->far))
			printk("  stack overflow: the fault address is in the guard page of thread '%s'\n",
			       sched_guard_page_owner(f->far));
	}
	printk("  return address ELR  0x%016llx (arbor.elf + 0x%llx)\n", (unsigned long long)f->elr,
	       (unsigned long long)(f->elr - base));
	printk("  ESR 0x%08llx  SPSR 0x%08llx  SP 0x%016llx\n", (unsigned long long)f->esr,
	       (unsigned long long)f->spsr, (unsigned long long)f->sp);
	for (unsigned i = 0; i < 31; i += 2) {
		if (i == 30)
			printk("  x30 0x%016llx\n", (unsigned long long)f->x[30]);
		else
			printk("  x%-2u 0x%016llx  x%-2u 0x%016llx\n", i, (unsigned long long)f->x[i],
			       i + 1, (unsigned long long)f->x[i + 1]);
	}
}

void trap_entry(struct trap_frame *frame, unsigned vector);

void trap_entry(struct trap_frame *frame, unsigned vector)
{
	report(frame, vector);
	kernel_halt(HALT_CRASH);
}

void arch_describe_cpu(char *buf, size_t size)
{
	uint64_t mpidr, el;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	__asm__ volatile("mrs %0, currentel" : "=r"(el));
	format_buf(buf, size, "arm64 EL%u, MPIDR 0x%llx", (unsigned)(el >> 2) & 3,
		   (unsigned long long)mpidr);
}
