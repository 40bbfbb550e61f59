/*
 * Deliberate faults, for testing the exception report: the bootarg selftest.fault=KIND makes
 * apps/selftest take one as the first thing app_main does, with every service up (only the
 * test image has this hook: tests/kernel/ is linked into the applications that ask for it). Each must end in the decoded report and a crash
 * shutdown, never a hang. KIND is one of:
 *   data        write through a pointer to an unmapped address
 *   exec        jump into .data, which is never executable
 *   text-write  write into .text, which is read-only
 *   undef       execute an undefined/trapping instruction
 *   stack       recurse in a thread until its stack runs into the guard page under it
 */
#include <string.h>

#include <arbor/bootargs.h>
#include <arbor/kernel.h>
#include <arbor/mmu.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/sched.h>
#include <arbor/selftest.h>

static unsigned char not_code[64] __aligned(16);

/* An address no bank and no image page covers: below the first bank, or past the last. */
static uintptr_t unmapped_address(void)
{
	const struct pgtable *pt = mmu_kernel_tables();
	for (uintptr_t a = 0; a < (uintptr_t)1 << 31; a += 1u << 20)
		if (!pgtable_lookup(pt, a, NULL))
			return a + 0x10;
	return 0;
}

/*
 * Each level keeps a kilobyte frame live and adds to the result after its call, so the
 * recursion cannot become a loop; the limit, which the compiler cannot see through, is far
 * beyond any stack.
 */
static volatile unsigned recurse_limit = ~0u;

static unsigned recurse(unsigned depth)
{
	volatile unsigned char frame[1024];

	if (depth >= recurse_limit)
		return 0;
	frame[0] = (unsigned char)depth;
	return recurse(depth + 1) + frame[0];
}

static int overflow_stack(void *arg)
{
	(void)arg;
	return (int)recurse(0);
}

static void take_fault(void (*fn)(void))
{
	fn();
}

void selftest_fault(void)
{
	volatile unsigned *p;
	size_t len;
	const char *kind = bootargs_value(platform.bootargs, "selftest.fault", &len);

	if (!kind)
		return;
	printk("selftest: taking a deliberate %.*s fault\n", (int)len, kind);
	if (len == 4 && !memcmp(kind, "data", 4)) {
		p = (volatile unsigned *)unmapped_address();
		*p = 0xdead;
	} else if (len == 4 && !memcmp(kind, "exec", 4)) {
		void (*volatile fn)(void) = (void (*)(void))(uintptr_t)not_code;
		take_fault(fn);
	} else if (len == 10 && !memcmp(kind, "text-write", 10)) {
		/*
		 * A function's address has bit 0 set when it is Thumb code (arm32 is built
		 * -mthumb): clear the low bits so the write is aligned, and faults for the
		 * permission, not the alignment.
		 */
		p = (volatile unsigned *)((uintptr_t)selftest_fault & ~(uintptr_t)3);
		*p = 0;
	} else if (len == 5 && !memcmp(kind, "undef", 5)) {
		__builtin_trap();
	} else if (len == 5 && !memcmp(kind, "stack", 5)) {
		struct thread *t = thread_create("overflow", overflow_stack, NULL, 0);
		if (t)
			thread_join(t);
	} else {
		panic("selftest.fault=%.*s: unknown kind (data, exec, text-write, undef, stack)\n",
		      (int)len, kind);
	}
	panic("selftest.fault=%.*s: the fault did not happen\n", (int)len, kind);
}
