/*
 * arm32 exception reports.
 *
 * The one exception Arbor takes on purpose, IRQ, goes from vectors.S straight to
 * irq_handle() (irq/); every exception that reaches trap_entry() is reported and the domain
 * is crashed: the exception in words, what the fault status register says about an abort,
 * the fault and return addresses (also as offsets into arbor.elf, for addr2line), the
 * program status registers and r0-r15.
 *
 * TTBCR.EAE is set (mm/arm32/mmu.c), so DFSR and IFSR use the Long-descriptor format: LPAE
 * (bit 9) set, the status in bits [5:0], DFSR.WnR (bit 11) telling a write from a read
 * (Arm ARM DDI 0406C, B3.13.3, Fault Status Register encodings). A fault taken before the MMU
 * setup may still report the Short-descriptor format; that is shown raw.
 */
#include <arbor/arch.h>
#include <arbor/image.h>
#include <arbor/printk.h>
#include <arbor/sched.h>
#include <arbor/kernel.h>
#include <arbor/xen.h>
#include <arch/asm.h>
#include <arch/trap.h>

#define FSR_LPAE        (1u << 9)
#define FSR_WNR         (1u << 11)
#define FSR_CM          (1u << 13)
#define FSR_STATUS(fsr) ((fsr) & 0x3f)

#define PSR_T           (1u << 5)
#define PSR_F           (1u << 6)
#define PSR_I           (1u << 7)
#define PSR_A           (1u << 8)

static const char *const vector_names[8] = {
	[VECTOR_RESET] = "reset vector (never taken through VBAR)",
	[VECTOR_UNDEF] = "undefined instruction",
	[VECTOR_SVC] = "supervisor call (SVC)",
	[VECTOR_PABT] = "prefetch abort",
	[VECTOR_DABT] = "data abort",
	[VECTOR_UNUSED] = "unused vector 0x14",
	[VECTOR_IRQ] = "IRQ",
	[VECTOR_FIQ] = "FIQ",
};

static const char *mode_name(uint32_t psr)
{
	switch (psr & MODE_MASK) {
	case MODE_USR: return "USR";
	case MODE_FIQ: return "FIQ";
	case MODE_IRQ: return "IRQ";
	case MODE_SVC: return "SVC";
	case MODE_ABT: return "ABT";
	case MODE_UND: return "UND";
	case MODE_SYS: return "SYS";
	default: return "unexpected mode";
	}
}

/* A Long-descriptor fault status (FSR[5:0]) in words; *level is ~0u when none applies. */
static const char *fsr_name(unsigned status, unsigned *level)
{
	*level = status & 3;
	switch (status & 0x3c) {
	case 0x00: return "address size fault";
	case 0x04: return "translation fault";
	case 0x08: return "access flag fault";
	case 0x0c: return "permission fault";
	case 0x14: return "synchronous external abort on a table walk";
	case 0x1c: return "synchronous parity error on a table walk";
	}
	*level = ~0u;
	switch (status) {
	case 0x10: return "synchronous external abort";
	case 0x11: return "asynchronous external abort";
	case 0x18: return "synchronous parity error";
	case 0x19: return "asynchronous parity error";
	case 0x21: return "alignment fault";
	case 0x22: return "debug event";
	case 0x30: return "TLB conflict abort";
	default: return "other fault";
	}
}

/* "SVC mode, ARM state, masked: A I": the interrupted state an SPSR holds. */
static void describe_psr(char *buf, size_t size, uint32_t psr)
{
	bool none = !(psr & (PSR_A | PSR_I | PSR_F));

	format_buf(buf, size, "%s mode, %s state, masked:%s%s%s%s", mode_name(psr),
		   psr & PSR_T ? "Thumb" : "ARM", psr & PSR_A ? " A" : "", psr & PSR_I ? " I" : "",
		   psr & PSR_F ? " F" : "", none ? " none" : "");
}

static void report_abort(uint32_t fsr, uint32_t far, bool data)
{
	const char *access = !data ? ", on a fetch" : (fsr & FSR_WNR) ? ", on a write" : ", on a read";
	const char *reg = data ? "DFSR" : "IFSR";

	if (fsr & FSR_LPAE) {
		unsigned level;
		const char *what = fsr_name(FSR_STATUS(fsr), &level);
		if (level != ~0u)
			printk("  cause: %s at level %u%s%s\n", what, level, access,
			       data && (fsr & FSR_CM) ? " (cache maintenance)" : "");
		else
			printk("  cause: %s%s\n", what, access);
	} else {
		printk("  cause: %s 0x%08lx in the Short-descriptor format (status 0x%02lx)%s\n", reg,
		       (unsigned long)fsr, (unsigned long)((fsr & 0xf) | ((fsr >> 6) & 0x10)), access);
	}
	printk("  fault address  %s 0x%08lx  %s 0x%08lx\n", data ? "DFAR" : "IFAR",
	       (unsigned long)far, reg, (unsigned long)fsr);
	if (data && sched_guard_page_owner(far))
		printk("  stack overflow: the fault address is in the guard page of thread '%s'\n",
		       sched_guard_page_owner(far));
}

static void report(const struct trap_frame *f, unsigned vector)
{
	uintptr_t base = (uintptr_t)_start_image;
	uint32_t cpsr;
	char spsr[48];

	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	printk_flush();
	printk("arbor: unhandled exception: %s (vector 0x%02x)\n", vector_names[vector & 7],
	       (vector & 7) * 4);
	if (vector == VECTOR_DABT)
		report_abort(f->dfsr, f->dfar, true);
	else if (vector == VECTOR_PABT)
		report_abort(f->ifsr, f->ifar, false);
	printk("  return address 0x%08lx (arbor.elf + 0x%lx)\n", (unsigned long)f->pc,
	       (unsigned long)(f->pc - base));
	if (vector == VECTOR_UNDEF || vector == VECTOR_SVC) {
		/*
		 * Arm ARM B1.8.3: lr is the instruction plus 4 in ARM state, plus 2 in Thumb state
		 * whatever the instruction's size; a first halfword of 0xe800 or more starts a
		 * 32-bit Thumb instruction (A6.1).
		 */
		bool thumb = f->cpsr & PSR_T;
		uintptr_t insn = f->pc - (thumb ? 2 : 4);
		unsigned long word = thumb ? *(const uint16_t *)insn : *(const uint32_t *)insn;
		int digits = thumb ? 4 : 8;
		if (thumb && word >= 0xe800) {
			word = word << 16 | *(const uint16_t *)(insn + 2);
			digits = 8;
		}
		printk("  instruction    0x%08lx (arbor.elf + 0x%lx): 0x%0*lx\n", (unsigned long)insn,
		       (unsigned long)(insn - base), digits, word);
	}
	describe_psr(spsr, sizeof(spsr), f->cpsr);
	printk("  SPSR 0x%08lx (%s)  CPSR 0x%08lx (%s mode)\n", (unsigned long)f->cpsr, spsr,
	       (unsigned long)cpsr, mode_name(cpsr));
	for (unsigned i = 0; i < 12; i += 4)
		printk("  r%-2u 0x%08lx  r%-2u 0x%08lx  r%-2u 0x%08lx  r%-2u 0x%08lx\n", i,
		       (unsigned long)f->r[i], i + 1, (unsigned long)f->r[i + 1], i + 2,
		       (unsigned long)f->r[i + 2], i + 3, (unsigned long)f->r[i + 3]);
	printk("  r12 0x%08lx  sp  0x%08lx  lr  0x%08lx  pc  0x%08lx\n", (unsigned long)f->r[12],
	       (unsigned long)f->sp, (unsigned long)f->lr, (unsigned long)f->pc);
}

void trap_entry(struct trap_frame *frame, unsigned vector);

void trap_entry(struct trap_frame *frame, unsigned vector)
{
	report(frame, vector);
	kernel_halt(HALT_CRASH);
}

void arch_describe_cpu(char *buf, size_t size)
{
	uint32_t mpidr, cpsr;

	__asm__ volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));	/* MPIDR */
	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	format_buf(buf, size, "arm32 %s, MPIDR 0x%lx", mode_name(cpsr), (unsigned long)mpidr);
}
