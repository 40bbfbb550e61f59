/*
 * The platform description: everything Arbor learns from the DTB, gathered once at boot by
 * platform/ and read by the rest of the kernel. Nothing outside fdt/ and platform/ looks at
 * the DTB itself, and this description holds no way to: no DTB pointer, no node handle. What
 * drivers and messages need — node paths, the compatible string matched, reg and interrupts
 * decoded — is filled in here by platform/.
 *
 * Interrupts are GIC INTIDs (SGI 0-15, PPI n = 16 + n, SPI n = 32 + n) with the trigger
 * flags of the DT specifier (IRQ_TYPE_*). Every fixed-size list below says how full it is,
 * and platform/ refuses a DTB that would overflow one rather than drop entries.
 */
#ifndef ARBOR_PLATFORM_H
#define ARBOR_PLATFORM_H

#include <arbor/format.h>
#include <arbor/types.h>

#define PLATFORM_MAX_BANKS     16
#define PLATFORM_MAX_RESERVED  16
#define PLATFORM_MAX_REDIST    8
#define PLATFORM_MAX_EXTENDED  8
#define PLATFORM_MAX_CPUS      64
#define PLATFORM_MAX_UARTS     8
/*
 * Matched nodes kept (devices[]): a driver adds its node only once it has taken it, and
 * every driver takes one node (a second is ignored with a warning) but the UART's, which
 * takes PLATFORM_MAX_UARTS; platform/platform.c checks that today's drivers fit.
 */
#define PLATFORM_MAX_DEVICES   16
#define PLATFORM_DEVICE_REGS   4	/* reg entries kept per matched device */
/* Room for a node's path; a longer one is kept cut, ending in "..." (messages only). */
#define PLATFORM_PATH_MAX      128

/* DT interrupt trigger flags (the third GIC cell's low bits). */
#define IRQ_TYPE_EDGE_RISING   1
#define IRQ_TYPE_EDGE_FALLING  2
#define IRQ_TYPE_LEVEL_HIGH    4
#define IRQ_TYPE_LEVEL_LOW     8

struct mem_range {
	paddr_t base;
	uint64_t size;
};

struct mem_bank {
	paddr_t base;
	uint64_t size;
	bool usable;		/* false: beyond addr_limit (reported at boot) */
};

struct plat_irq {
	bool present;
	uint32_t intid;
	uint32_t flags;		/* IRQ_TYPE_* */
};

/*
 * The GICv3 distributor's register frame is 64 KiB (Arm IHI 0069H, 12.8: GICD_IROUTER<n>
 * reach offset 0x7fd8, the ID registers 0xffd0-0xfffc). platform/gic.c refuses a smaller
 * region (of either version) at probe time, so that dtprobe refuses it too with the same
 * message; irq/ maps this much.
 */
#define GICV3_DIST_SIZE  0x10000
/*
 * GICv2 (Arm IHI 0048B, 4.1): the distributor's registers fill 4 KiB. Of the CPU interface
 * Arbor uses GICC_CTLR to GICC_HPPIR (0x0-0x1b; EOImode 0, so never GICC_DIR at 0x1000), all
 * in its first 256 bytes, which is what Xen 4.2-4.4 gave guests (dts/samples/xen-4.2-*).
 */
#define GICV2_DIST_SIZE  0x1000
#define GICV2_CPU_SIZE   0x100

struct platform_gic {
	unsigned version;	/* 2 or 3; 0 when none was found */
	char path[PLATFORM_PATH_MAX];
	const char *compatible;	/* the string that matched */
	struct mem_range dist;	/* GICD */
	struct mem_range cpu;	/* v2: GICC */
	struct mem_range redist[PLATFORM_MAX_REDIST];	/* v3: GICR regions */
	unsigned nredist;
	uint64_t redist_stride;	/* v3: redistributor-stride, 0 when absent */
};

struct platform_timer {
	bool present;
	char path[PLATFORM_PATH_MAX];
	const char *compatible;
	struct plat_irq sec, phys, virt, hyp;	/* the binding's order; absent ones not present */
	uint32_t clock_frequency;		/* 0 when absent: use CNTFRQ */
};

struct platform_xen {
	bool present;
	char path[PLATFORM_PATH_MAX];
	const char *compatible;	/* the most specific string, e.g. "xen,xen-4.17" */
	unsigned major, minor;	/* from "xen,xen-X.Y"; 0.0 when only "xen,xen" */
	struct mem_range gnttab;	/* reg[0]: where to map the grant table */
	struct mem_range extended[PLATFORM_MAX_EXTENDED];	/* reg[1..]: free guest-physical space */
	unsigned nextended;
	struct plat_irq evtchn;	/* the event-channel upcall */
};

enum psci_method { PSCI_NONE, PSCI_HVC, PSCI_SMC };

struct platform_psci {
	bool present;
	char path[PLATFORM_PATH_MAX];
	const char *compatible;	/* the most specific string */
	enum psci_method method;
	/* Function IDs of the original arm,psci binding; 0 when absent. */
	uint32_t cpu_suspend, cpu_off, cpu_on, migrate;
};

struct platform_cpus {
	unsigned count;
	uint64_t mpidr[PLATFORM_MAX_CPUS];
	const char *enable_method[PLATFORM_MAX_CPUS];	/* NULL when absent */
};

struct platform_uart {
	char path[PLATFORM_PATH_MAX];
	bool stdout_path;	/* stdout-path names this node (newlib makes "stdout" a macro) */
	const char *compatible;	/* the string that matched */
	struct mem_range reg;
	struct plat_irq irq;
	uint32_t current_speed;	/* 0 when absent */
};

/* A real-time clock (the Arm PL031): dom0 sets Xen's wall clock from it. */
struct platform_rtc {
	bool present;
	char path[PLATFORM_PATH_MAX];
	struct mem_range reg;
};

/* A node a driver matched, for the boot summary and dtprobe's address map. */
struct platform_device {
	const char *driver;
	char path[PLATFORM_PATH_MAX];
	struct mem_range reg[PLATFORM_DEVICE_REGS];	/* translated; entries that are not, left out */
	unsigned nreg;
	unsigned reg_entries;	/* how many its reg has, kept or not */
};

struct platform {
	/* Where the DTB lies as handed over: mapped read-only, never given to the allocator. */
	struct mem_range dtb;
	/* The first address this build cannot reach; set by the caller before probing. */
	uint64_t addr_limit;

	struct mem_bank mem[PLATFORM_MAX_BANKS];
	unsigned nmem;
	struct mem_range reserved[PLATFORM_MAX_RESERVED];	/* /memreserve/ and /reserved-memory */
	unsigned nreserved;
	/*
	 * For each reserved range: the /reserved-memory child it came from (its name, in the
	 * DTB, which stays mapped), NULL for a /memreserve/ entry; and whether that node says
	 * no-map (3.5.4: the OS must not map the range at all).
	 */
	const char *reserved_name[PLATFORM_MAX_RESERVED];
	bool reserved_nomap[PLATFORM_MAX_RESERVED];

	const char *bootargs;		/* /chosen/bootargs, NULL when absent */
	/* The node /chosen/stdout-path names (aliases resolved): its path, "" when none. */
	char stdout_path[PLATFORM_PATH_MAX];
	const char *stdout_options;	/* what followed ':' in stdout-path, NULL when nothing */

	struct platform_gic gic;
	struct platform_timer timer;
	struct platform_xen xen;
	struct platform_psci psci;
	struct platform_cpus cpus;
	struct platform_rtc rtc;
	struct platform_uart uarts[PLATFORM_MAX_UARTS];
	unsigned nuarts;
	int console;			/* index into uarts: stdout-path's, else the first; -1 */

	struct platform_device devices[PLATFORM_MAX_DEVICES];
	unsigned ndevices;
};

extern struct platform platform;

struct dt;

/*
 * Describe the indexed DTB (dt_index) into plat, whose addr_limit the caller has set: memory,
 * reserved ranges, /chosen, CPUs, then every driver's nodes by probe level. Returns 0, or a
 * negative error after printing one message that names the node. Nothing in plat refers to
 * dt afterwards.
 */
int platform_probe(struct platform *plat, const struct dt *dt);

/* The parts platform_probe() runs first; exposed for tests. Same conventions. */
int platform_probe_memory(struct platform *plat, const struct dt *dt);
int platform_probe_reserved(struct platform *plat, const struct dt *dt);
int platform_probe_chosen(struct platform *plat, const struct dt *dt);
int platform_probe_cpus(struct platform *plat, const struct dt *dt);

/*
 * For a boot that must stop before it has a console (platform/rescue.c): from the blob at
 * fdt (size bytes readable), which dt_index() may have refused, fill in plat only the PSCI
 * conduit and the stdout-path UART (uarts[0], console 0) when a console driver takes it,
 * so that the panic can be printed and the machine powered off. Prints nothing.
 */
void platform_rescue(struct platform *plat, const void *fdt, size_t size);

/* Total bytes of the usable banks. */
uint64_t platform_usable_memory(const struct platform *plat);

/* The human boot summary and the probe=json object (the schema in docs/), to a sink. */
void platform_report_summary(const struct platform *plat, struct sink *out);
void platform_report_json(const struct platform *plat, struct sink *out);

/* The same object; with hex, addresses, sizes and MPIDRs as "0x..." strings (dtprobe --hex). */
void platform_report_json_opts(const struct platform *plat, struct sink *out, bool hex);

#endif
