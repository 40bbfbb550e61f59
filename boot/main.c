/*
 * kernel_main: from a running MMU to the application.
 *
 * The order matters. The DTB is validated before anything reads it; the memory banks come
 * next, because the real page tables are built from them; only then is the rest of the
 * platform described and reported, and the application run. Any failure on the way is
 * printed with what was being read and ends the domain with SHUTDOWN_crash.
 */
#include <arbor/arch.h>
#include <arbor/bootargs.h>
#include <arbor/console.h>
#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/image.h>
#include <arbor/irq.h>
#include <arbor/kernel.h>
#include <arbor/mmu.h>
#include <arbor/page_alloc.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/sched.h>
#include <arbor/service.h>
#include <arbor/time.h>
#include <arbor/xen.h>
#include <arch/pte.h>

/*
 * In the cleared .bss, although platform_probe() clears it again: the boot rescue
 * (platform_rescue) may read it before any probe, when the DTB is refused.
 */
struct platform platform;

uint64_t boot_phase_end[BOOT_PHASES];
const char *const boot_phase_name[BOOT_PHASES] = {
	[BOOT_HEAD] = "head", [BOOT_DTB] = "dtb", [BOOT_PROBE] = "probe",
	[BOOT_DETECT] = "detect", [BOOT_PAGE_TABLES] = "page_tables", [BOOT_ALLOCATOR] = "allocator",
	[BOOT_CONSOLE] = "console", [BOOT_GIC] = "gic", [BOOT_TIMER] = "timer",
	[BOOT_SCHED] = "sched", [BOOT_XEN] = "xen",
};

static void phase_done(enum boot_phase phase)
{
	boot_phase_end[phase] = arch_counter();
}

/* The boot map covers 2 MiB from the DTB pointer (mm/early.c); never read past it. */
#define DTB_MAPPED  (2 * MiB)

/*
 * The DTB's index (fdt/index.c). Nothing can allocate yet when the DTB is read, and the index
 * is needed only until platform_probe() has described the platform (nothing after it reads
 * the index; apps/dtexplorer reads the blob itself, at platform.dtb). So it lives first in
 * the boot scratch (mmu_boot_scratch): the pages of the boot map's pool that the map left,
 * which become the early UART's and mmu_init()'s tables right after and which head.S does
 * not clear; no .bss of its own. In every boot seen that is 3 pages on arm32 and 6 on arm64,
 * 384 and 768 nodes: every Xen guest's tree, a dom0's on QEMU. A bigger tree, up to
 * DT_MAX_NODES, is indexed again in free RAM (index_room), as is any tree when the boot map
 * took the whole pool.
 */
static struct dt dt;

/*
 * Free RAM for a big tree's index, inside the boot map's windows around the image and the
 * DTB (mm/early.c), which are mapped read-write: found as Linux's early scan finds it, from
 * the banks and reserved ranges read straight from the blob (dt_raw_memory), less the image
 * and the DTB. Used only until the probe is done; the page allocator, later, sees it as free
 * RAM like any other. NULL when there is no such room, or more ranges than kept here (a
 * reserved range left out could be where the index would go).
 */
#define ROOM_RANGES  32

struct room {
	struct range {
		uint64_t base, end;
	} bank[ROOM_RANGES], busy[ROOM_RANGES];
	unsigned nbank, nbusy;
	bool overflow;
};

static void room_add(void *ctx, bool reserved, uint64_t base, uint64_t size)
{
	struct room *r = ctx;
	unsigned *n = reserved ? &r->nbusy : &r->nbank;

	if (!size)
		return;
	if (*n == ROOM_RANGES) {
		r->overflow = true;
		return;
	}
	(reserved ? r->busy : r->bank)[(*n)++] = (struct range){
		base, base + size < base ? UINT64_MAX : base + size };
}

/* Not inlined, so that its 1 KiB of stack is taken only for a big tree, not by every boot. */
static __noinline void *index_room(const void *fdt, size_t need)
{
	struct room r = { 0 };	/* 1 KiB of stack, only for a big tree: no .bss for it */

	room_add(&r, true, (uintptr_t)_start_image, (uintptr_t)_end - (uintptr_t)_start_image);
	room_add(&r, true, (uintptr_t)fdt, dt_size(&dt));
	dt_raw_memory(fdt, room_add, &r);
	if (r.overflow)
		return NULL;
	for (unsigned w = 0; w < 2; w++) {
		uint64_t ws, we;
		early_map_window(w, &ws, &we);
		for (unsigned b = 0; b < r.nbank; b++) {
			uint64_t lo = ALIGN_UP(MAX(ws, r.bank[b].base), PAGE_SIZE);
			uint64_t hi = MIN(we, r.bank[b].end);
			/* Past every busy range that overlaps the candidate; each step moves up. */
			for (unsigned i = 0; lo < hi && hi - lo >= need && i < r.nbusy; i++) {
				if (r.busy[i].base < lo + need && lo < r.busy[i].end) {
					/* Busy to the end of the bank: no room in it. */
					lo = r.busy[i].end >= hi ? hi : ALIGN_UP(r.busy[i].end, PAGE_SIZE);
					i = -1u;	/* look at every range again */
				}
			}
			if (lo < hi && hi - lo >= need)
				return (void *)(uintptr_t)lo;
		}
	}
	return NULL;
}

/*
 * Before a panic that comes ahead of the console: without Xen, console_io reaches nobody and
 * the PSCI node may not have been probed, so the reason would go unheard and the halt would
 * wait for ever. Take the stdout-path UART and the PSCI conduit straight from the blob
 * (platform/rescue.c), decide Xen or not, and start the early console; the lines printed so
 * far are replayed on it (console/printk.c).
 */
static void rescue(uintptr_t dtb)
{
	if (xen_detection_done())
		return;
	platform_rescue(&platform, (const void *)dtb, DTB_MAPPED);
	xen_detect(&platform);
	console_early(&platform);
}

static const struct dt *check_dtb(uintptr_t dtb)
{
	const void *fdt = (const void *)dtb;
	paddr_t pa;
	unsigned attr;

	if (!dtb)
		panic("boot: no device tree (the DTB pointer register was 0)\n");
	if (!arch_translate(dtb, false, &pa, &attr))
		panic("boot: the DTB pointer 0x%llx is not in mapped memory\n", (unsigned long long)dtb);
	size_t scratch_bytes;
	void *scratch_start = mmu_boot_scratch(&scratch_bytes);
	int err = dt_index(&dt, fdt, DTB_MAPPED, scratch_start, scratch_bytes);
	/* No scratch (the boot map took its whole pool) is DT_ERR_NOSPACE, the header checked. */
	bool no_scratch = err == DT_ERR_NOSPACE && !scratch_bytes;
	if ((err == DT_ERR_NODES && dt.nnodes <= DT_MAX_NODES) || no_scratch) {
		/* Checked whole, too big for the scratch or none: again, with room for all of it. */
		unsigned nodes = dt.nnodes, scratch = dt.max_nodes;
		size_t need = dt_index_size(fdt, DTB_MAPPED);
		void *room = index_room(fdt, need);
		if (!room) {
			rescue(dtb);
			if (no_scratch)
				panic("boot: the boot map took every page of its pool, leaving no boot "
				      "scratch, and no free RAM beside the image or the DTB at 0x%llx "
				      "holds the DTB's index (%zu bytes)\n", (unsigned long long)dtb, need);
			panic("boot: the DTB at 0x%llx has %u nodes, more than the %u of Arbor's boot "
			      "scratch, and no free RAM beside the image or the DTB holds their index "
			      "(%zu bytes)\n", (unsigned long long)dtb, nodes, scratch, need);
		}
		err = dt_index(&dt, fdt, DTB_MAPPED, room, need);
	}
	/*
	 * The node an error is in is named before rescue(): the early UART it maps takes its
	 * page tables from the boot scratch, where the index is (mm/early.c).
	 */
	char path[128];
	if (err && dt.err_node >= 0)
		dt_path(&dt, dt.err_node, path, sizeof(path));
	if (err)
		rescue(dtb);
	if (err == DT_ERR_NODES)
		panic("boot: the DTB at 0x%llx has %u nodes; Arbor's boot index holds at most %u "
		      "(DT_MAX_NODES)\n", (unsigned long long)dtb, dt.nnodes, DT_MAX_NODES);
	if (err == DT_ERR_TOODEEP)
		panic("boot: the DTB at 0x%llx is not usable: %s; it has %u nodes, %u properties, "
		      "depth %u\n", (unsigned long long)dtb, dt_strerror(err), dt.nnodes, dt.nprops,
		      dt.depth);
	if (err && dt.err_node >= 0)
		panic("boot: the DTB at 0x%llx is not usable: %s, at structure block offset 0x%x "
		      "in node %s\n", (unsigned long long)dtb, dt_strerror(err), dt.err_offset, path);
	if (err)
		panic("boot: the DTB at 0x%llx is not usable: %s\n", (unsigned long long)dtb,
		      dt_strerror(err));
	return &dt;
}

/*
 * probe=dtb: the DTB itself, in hex, so that a harness can run the host's dtprobe on exactly
 * what this guest was given and compare the two descriptions. Lines stay under 128 bytes:
 * Xen copies dom0's console writes in 128-byte pieces, and another domain's line can land
 * between two pieces of a longer one.
 */
#define DUMP_BYTES_PER_LINE  48

static void dump_dtb(const void *fdt, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = fdt;
	char line[2 * DUMP_BYTES_PER_LINE + 2];

	printk("dtb: begin\n");
	for (size_t off = 0; off < size; off += DUMP_BYTES_PER_LINE) {
		size_t n = 0;
		for (size_t i = off; i < size && i < off + DUMP_BYTES_PER_LINE; i++) {
			line[n++] = hex[p[i] >> 4];
			line[n++] = hex[p[i] & 15];
		}
		line[n++] = '\n';
		line[n] = '\0';
		printk("%s", line);
	}
	printk("dtb: end\n");
}

static void report(void)
{
	char cpu[64];

	if (!printk_quiet()) {
		arch_describe_cpu(cpu, sizeof(cpu));
		pr_info("arbor: %s, image 0x%llx-0x%llx\n", cpu,
			(unsigned long long)(uintptr_t)_start_image, (unsigned long long)(uintptr_t)_end);
		char mm[256];
		platform_report_summary(&platform, &printk_sink);
		page_alloc_summary(&platform, mm, sizeof(mm));
		printk("%s\n", mm);
	}
	if (bootargs_list_has(platform.bootargs, "probe", "json")) {
		printk("probe: begin\n");
		platform_report_json(&platform, &printk_sink);
		printk("probe: end\n");
	}
	if (bootargs_list_has(platform.bootargs, "probe", "dtb"))
		dump_dtb((const void *)(uintptr_t)platform.dtb.base, platform.dtb.size);
}

/*
 * The optional services this image links (grant tables, xenstore: include/arbor/service.h),
 * level by level. An image whose application uses neither has an empty table.
 */
static void services_init(const struct platform *plat)
{
	for (int level = 0; level < SERVICE_LEVELS; level++)
		for (const struct arbor_service *s = __start_arbor_services;
		     s < __stop_arbor_services; s++)
			if (s->level == (enum service_level)level)
				s->init(plat);
}

/*
 * The rest of the boot and the application, in the thread main: on a stack from the page
 * allocator with a guard page under it, so that the boot stack (.bss, which the arm32 zImage
 * carries in its file) stays small. The boot context goes on as the idle thread.
 */
static int main_thread(void *arg)
{
	(void)arg;
	phase_done(BOOT_SCHED);
	xen_init(&platform);
	services_init(&platform);
	phase_done(BOOT_XEN);

	int rc = app_main();
	if (rc)
		pr_warn("app_main returned %d\n", rc);
	if (xen_is_dom0())
		xen_wait_other_domains(XEN_WAIT_OTHERS_S);
	kernel_halt(HALT_POWEROFF);
}

void kernel_main(uintptr_t dtb)
{
	phase_done(BOOT_HEAD);
	const struct dt *tree = check_dtb(dtb);
	phase_done(BOOT_DTB);

	platform.addr_limit = 1ull << PT_VA_BITS;
	platform_explain_if_asked(tree);	/* probe=explain: before a probe that may refuse */
	if (platform_probe(&platform, tree)) {
		rescue(dtb);
		panic("boot: the device tree does not describe a platform Arbor can run on\n");
	}
	printk_set_quiet(bootargs_has(platform.bootargs, "quiet"));
	phase_done(BOOT_PROBE);
	/*
	 * Xen or not, decided now: until then printk can only try console_io, which needs Xen.
	 * Without it, stdout-path's UART takes over at once, and the end is PSCI's
	 * (xen/halt.c).
	 */
	xen_detect(&platform);
	console_early(&platform);
	phase_done(BOOT_DETECT);
	/* The free ranges first: mmu_init() takes its table pages from them (mm/mmu.c). */
	page_alloc_find_free(&platform, (uintptr_t)_start_image, (uintptr_t)_end);
	mmu_init(&platform);
	phase_done(BOOT_PAGE_TABLES);
	page_alloc_start();
	phase_done(BOOT_ALLOCATOR);
	console_select(&platform);
	report();
	phase_done(BOOT_CONSOLE);
	if (irq_init(&platform))
		panic("boot: the interrupt controller cannot be set up\n");
	phase_done(BOOT_GIC);
	if (time_init(&platform))
		panic("boot: the timer cannot be set up\n");
	phase_done(BOOT_TIMER);
	sched_init(main_thread);
}
