/*
 * Self-tests of what boot set up: relocation, .bss, the MMU and its attributes, exclusive
 * accesses, and the description of the DTB.
 */
#include <errno.h>
#include <string.h>

#include <libfdt.h>

#include <arbor/arch.h>
#include <arbor/image.h>
#include <arbor/mmu.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>
#include <arbor/xen.h>

#define MAIR_NORMAL_WB  0xff

static int twice(int x)
{
	return 2 * x;
}

static const char *const words[] = { "alpha", "beta" };
static int (*const doubler)(int) = twice;
static char untouched[8192];

static bool in_image(const void *p, const char *start, const char *end)
{
	return (const char *)p >= start && (const char *)p < end;
}

SELFTEST(relocations)
{
	EXPECT(strcmp(words[1], "beta") == 0, "words[1] is \"%.8s\"", words[1]);
	EXPECT(in_image(words[0], _etext, _erodata), "string pointer %p outside rodata", words[0]);
	EXPECT(doubler(21) == 42, "function pointer through data gave %d", doubler(21));
	EXPECT((uintptr_t)_start_image != 0, "image claims to run at its link address 0");
}

SELFTEST(bss_cleared)
{
	unsigned nonzero = 0;
	for (size_t i = 0; i < sizeof(untouched); i++)
		nonzero += untouched[i] != 0;
	EXPECT(nonzero == 0, "%u bytes of a never-written .bss array are not zero", nonzero);
}

SELFTEST(mmu_and_caches_on)
{
	struct arch_mmu_state s;
	arch_mmu_state(&s);
	EXPECT(s.mmu, "MMU is off");
	EXPECT(s.dcache, "data cache is off");
	EXPECT(s.icache, "instruction cache is off");
}

static void expect_attrs(const char *what, const void *p, bool writable, bool executable)
{
	const struct pgtable *pt = mmu_kernel_tables();
	pte_t pte = pgtable_lookup(pt, (uintptr_t)p, NULL);
	paddr_t pa;
	unsigned attr;

	EXPECT(pte != 0, "%s at %p is not mapped", what, p);
	EXPECT(pte_writable(pte) == writable, "%s at %p: writable is %d", what, p, pte_writable(pte));
	EXPECT(pte_executable(pte) == executable, "%s at %p: executable is %d", what, p,
	       pte_executable(pte));
	/* Ask the MMU itself, not only our tables. */
	EXPECT(arch_translate((uintptr_t)p, false, &pa, &attr), "MMU cannot read %s at %p", what, p);
	EXPECT(pa == (uintptr_t)p, "%s at %p translates to 0x%llx, not one to one", what, p,
	       (unsigned long long)pa);
	EXPECT(attr == MAIR_NORMAL_WB, "%s at %p has memory attribute 0x%x, not normal WB", what,
	       p, attr);
	EXPECT(arch_translate((uintptr_t)p, true, &pa, &attr) == writable,
	       "MMU write permission of %s at %p is not %d", what, p, writable);
}

SELFTEST(image_permissions)
{
	int local = 0;
	static int data_var = 1;

	expect_attrs("text", (const void *)twice, false, true);
	expect_attrs("rodata", words[0], false, false);
	expect_attrs("data", &data_var, true, false);
	expect_attrs("bss", untouched, true, false);
	expect_attrs("stack", &local, true, false);
}

SELFTEST(ram_mapped_and_nothing_else)
{
	const struct pgtable *pt = mmu_kernel_tables();

	for (unsigned i = 0; i < platform.nmem; i++) {
		const struct mem_bank *b = &platform.mem[i];
		if (!b->usable)
			continue;
		uint64_t last = b->base + b->size - PAGE_SIZE;
		EXPECT(pgtable_lookup(pt, b->base, NULL) != 0, "bank %u start not mapped", i);
		EXPECT(pgtable_lookup(pt, last, NULL) != 0, "bank %u last page not mapped", i);
		uint64_t past = b->base + b->size;
		bool in_other = false;
		for (unsigned j = 0; j < platform.nmem; j++)
			in_other |= platform.mem[j].usable && past >= platform.mem[j].base &&
				    past < platform.mem[j].base + platform.mem[j].size;
		if (!in_other && past < (1ull << 32))
			EXPECT(pgtable_lookup(pt, past, NULL) == 0,
			       "0x%llx past bank %u is mapped", (unsigned long long)past, i);
	}
}

SELFTEST(image_inside_a_bank)
{
	bool found = false;
	for (unsigned i = 0; i < platform.nmem; i++) {
		const struct mem_bank *b = &platform.mem[i];
		found |= b->usable && (uintptr_t)_start_image >= b->base &&
			 (uintptr_t)_end <= b->base + b->size;
	}
	EXPECT(found, "image 0x%llx-0x%llx lies outside every usable bank",
	       (unsigned long long)(uintptr_t)_start_image, (unsigned long long)(uintptr_t)_end);
}

SELFTEST(exclusive_access)
{
	static unsigned long counter;
	unsigned long expected = 0;

	for (int i = 0; i < 1000; i++)
		__atomic_fetch_add(&counter, 3, __ATOMIC_SEQ_CST);
	EXPECT(counter == 3000, "atomic adds gave %lu", counter);
	EXPECT(__atomic_compare_exchange_n(&counter, &(unsigned long){ 3000 }, 7, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST),
	       "compare-exchange with the right value failed");
	EXPECT(!__atomic_compare_exchange_n(&counter, &expected, 9, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST) && expected == 7,
	       "compare-exchange with a wrong value succeeded or lost the current value");
}

SELFTEST(dtb_described)
{
	int len;
	/* libfdt read directly: a reader independent of the index platform/ used. */
	const void *fdt = (const void *)(uintptr_t)platform.dtb.base;
	EXPECT(fdt_check_header(fdt) == 0, "DTB header no longer valid");
	EXPECT(platform.dtb.size == fdt_totalsize(fdt), "DTB size %llu vs header %u",
	       (unsigned long long)platform.dtb.size, (unsigned)fdt_totalsize(fdt));
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;
	EXPECT((args == NULL) == (platform.bootargs == NULL), "bootargs presence differs");
	if (args && platform.bootargs)
		EXPECT(strcmp(args, platform.bootargs) == 0, "bootargs differ");
}

SELFTEST(hypercall_errors_named)
{
	SKIP_UNLESS(xen_detected() != XEN_ABSENT, "not on Xen");
	/* CONSOLEIO command 0x7fff does not exist: Xen answers -ENOSYS. */
	long rc = xen_hypercall(__HYPERVISOR_console_io, 0x7fff, 0, 0, 0, 0);
	EXPECT(rc < 0, "an unknown console_io command returned %ld", rc);
	/* Xen said 38; the C library's ENOSYS is another number (88 in picolibc and newlib). */
	EXPECT(rc == -ENOSYS, "got %ld, expected <errno.h>'s -ENOSYS (%d)", rc, -ENOSYS);
	EXPECT(strcmp(xen_strerror(rc), "ENOSYS") == 0, "error %ld named %s", rc, xen_strerror(rc));
}

/* Xen's numbers (public xen/errno.h) to the C library's, by name, whatever the libc. */
SELFTEST(xen_errors_translated)
{
	static const struct { long xen; long want; } cases[] = {
		{ -1, -EPERM }, { -11, -EAGAIN }, { -12, -ENOMEM }, { -16, -EBUSY },
		{ -22, -EINVAL }, { -28, -ENOSPC }, { -38, -ENOSYS }, { -61, -ENODATA },
		{ -95, -EOPNOTSUPP }, { -110, -ETIMEDOUT },
		{ -4, -EIO },		/* EINTR is Xen-internal, not in the guest's list */
		{ -3000, -EIO },	/* no such number */
		{ 0, 0 }, { 7, 7 },	/* results, not errors, pass through */
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		EXPECT(xen_errno(cases[i].xen) == cases[i].want, "Xen's %ld became %ld, expected %ld",
		       cases[i].xen, xen_errno(cases[i].xen), cases[i].want);
}

SELFTEST(format_64bit)
{
	char buf[64];
	format_buf(buf, sizeof(buf), "%llu %llx %lld", 18446744073709551615ull,
		   0x123456789abcdef0ull, -9223372036854775807ll - 1);
	EXPECT(strcmp(buf, "18446744073709551615 123456789abcdef0 -9223372036854775808") == 0,
	       "got \"%s\"", buf);
}

SELFTEST(zero_page_unmapped)
{
	paddr_t pa;
	unsigned attr;

	EXPECT(pgtable_lookup(mmu_kernel_tables(), 0, NULL) == 0, "page 0 is in Arbor's tables");
	EXPECT(!arch_translate(0, false, &pa, &attr), "the MMU maps page 0: NULL would not fault");
}

/*
 * How deep the boot stack has been used so far: head.S clears .bss before it takes the stack,
 * so the words below the deepest use are still zero (a frame whose lowest words were only ever
 * written with zeros makes this an underestimate by those words). It is kernel_main's, then
 * the idle thread's: named to run after most other self-tests (they run in name order, in
 * the thread main), during whose sleeps idle takes interrupts on it. Past half of
 * BOOT_STACK_SIZE (include/<arch>/arch/image.h), the margin documented there is gone.
 */
SELFTEST(stack_boot_margin)
{
	const volatile uint32_t *w = (const volatile uint32_t *)(uintptr_t)boot_stack;
	size_t n = 0;

	while (n < BOOT_STACK_SIZE / sizeof(*w) && !w[n])
		n++;
	size_t used = BOOT_STACK_SIZE - n * sizeof(*w);
	printk("selftest:   boot stack: %zu of %u bytes used so far\n", used, BOOT_STACK_SIZE);
	EXPECT(used <= BOOT_STACK_SIZE / 2, "the boot stack was used %zu bytes deep, over half of %u",
	       used, BOOT_STACK_SIZE);
}
