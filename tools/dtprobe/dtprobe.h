/*
 * What the files of dtprobe share: the host console that stands in for the kernel's printk,
 * and the address map that the SVG drawing is made from.
 *
 * dtprobe runs the kernel's own fdt/ and platform/ code on the build machine. That code
 * talks through printk.h, so the console here decides where its words end up: held back
 * while a probe runs, so that a DTB that fails leaves one error line and nothing else.
 */
#ifndef DTPROBE_H
#define DTPROBE_H

#include <stdio.h>

#include <arbor/platform.h>
#include <arbor/types.h>

/* ---- host_console.c ---- */

/*
 * Hold back console output: from now on pr_info()/printk() text and pr_warn() lines are kept
 * in memory, and the first pr_err() message is kept as the error to report.
 */
void console_hold(void);

/* Send what was held (console text to out, warnings to stderr) and stop holding. */
void console_release(FILE *out);

/* Forget what was held (the probe failed) and stop holding. */
void console_discard(void);

/* The first pr_err() message since console_hold(), as one line; NULL when there was none. */
const char *console_error(void);

/* ---- addrmap.c ---- */

/* What a region of the physical address map is; each kind has its own colour. */
enum region_kind {
	REGION_RAM,
	REGION_RAM_UNUSABLE,	/* a bank beyond what the build addresses */
	REGION_RESERVED,
	REGION_GIC,
	REGION_UART,
	REGION_GNTTAB,
	REGION_EXTENDED,
	REGION_DEVICE,		/* MMIO of any other node a driver matched */
	REGION_KINDS
};

/*
 * One region. The end is one past the last byte and can be 2^64, so it is kept in 128 bits;
 * regions are never empty.
 */
struct region {
	enum region_kind kind;
	uint64_t base;
	unsigned __int128 end;
	char name[112];
	char path[PLATFORM_PATH_MAX];	/* the node it comes from, "" when none (/memreserve/) */
	bool translated;		/* a bus's ranges moved it: bus is the address on that bus */
	uint64_t bus;
};

struct addrmap {
	struct region *regions;	/* sorted by base, larger first where bases are equal */
	size_t count;
	size_t capacity;
};

struct dt;

/*
 * Fill map (zeroed by the caller) from a probed platform and the tree it came from (for
 * each region's node and, when a bus translated it, its bus address); 0, or -1 when out of
 * memory.
 */
int addrmap_build(struct addrmap *map, const struct platform *plat, const struct dt *dt);
void addrmap_free(struct addrmap *map);

/* "RAM", "reserved", ...: the legend's words for a kind. */
const char *region_kind_name(enum region_kind kind);

/* ---- svg.c ---- */

/*
 * Draw map as an SVG document to out. title names the DTB, arch the build whose reach
 * addr_limit is (drawn as a line). Returns 0, or -1 when writing failed (errno set).
 */
int svg_write(FILE *out, const struct addrmap *map, const char *title, const char *arch,
	      uint64_t addr_limit);

#endif
