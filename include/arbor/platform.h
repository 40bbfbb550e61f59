/*
 * The platform description: everything Arbor learns from the DTB, gathered once at boot by
 * platform/ and read by the rest of the kernel. Nothing outside fdt/ and platform/ looks at
 * the DTB itself.
 */
#ifndef ARBOR_PLATFORM_H
#define ARBOR_PLATFORM_H

#include <arbor/format.h>
#include <arbor/types.h>

#define PLATFORM_MAX_BANKS  16

struct mem_bank {
	paddr_t base;
	uint64_t size;
	bool usable;		/* false: this build cannot address it (reported at boot) */
};

struct platform {
	const void *fdt;	/* the DTB Xen handed over, validated */
	size_t fdt_size;

	struct mem_bank mem[PLATFORM_MAX_BANKS];
	unsigned nmem;

	const char *bootargs;	/* /chosen/bootargs, NULL when absent */
};

extern struct platform platform;

/* Read /memory nodes into plat->mem; 0, or a negative error after printing why. */
int platform_probe_memory(struct platform *plat, const void *fdt);

/* Read /chosen; 0, or a negative error after printing why. */
int platform_probe_chosen(struct platform *plat, const void *fdt);

/* Total bytes of the usable banks. */
uint64_t platform_usable_memory(const struct platform *plat);

/* The human boot summary and the probe=json object, written to a sink. */
void platform_report_summary(const struct platform *plat, struct sink *out);
void platform_report_json(const struct platform *plat, struct sink *out);

#endif
