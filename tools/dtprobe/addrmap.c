/*
 * The physical address map that dtprobe draws: every range the platform description knows
 * of, as a flat list of named regions sorted by address.
 *
 * The description keeps ranges by what they are for (memory banks, the GIC's frames, the
 * UARTs, Xen's grant table and extended regions); the drawing wants them by where they are.
 * Nodes that other drivers matched contribute their reg entries too, read through fdt/ so
 * that they are translated to CPU addresses the same way the kernel would.
 */
#include <stdlib.h>
#include <string.h>

#include <arbor/format.h>

#include "dtprobe.h"

const char *region_kind_name(enum region_kind kind)
{
	static const char *const names[REGION_KINDS] = {
		[REGION_RAM] = "RAM",
		[REGION_RAM_UNUSABLE] = "RAM beyond this build's reach",
		[REGION_RESERVED] = "reserved memory",
		[REGION_GIC] = "GIC (interrupt controller)",
		[REGION_UART] = "UART",
		[REGION_GNTTAB] = "Xen grant table",
		[REGION_EXTENDED] = "Xen extended region (free)",
		[REGION_DEVICE] = "other device MMIO",
	};
	return kind < REGION_KINDS ? names[kind] : "?";
}

static int add(struct addrmap *map, enum region_kind kind, uint64_t base, uint64_t size,
	       const char *fmt, ...) __printf(5, 6);

static int add(struct addrmap *map, enum region_kind kind, uint64_t base, uint64_t size,
	       const char *fmt, ...)
{
	va_list ap;

	if (size == 0)
		return 0;
	if (map->count == map->capacity) {
		size_t cap = map->capacity ? 2 * map->capacity : 32;
		struct region *r = realloc(map->regions, cap * sizeof(*r));
		if (!r)
			return -1;
		map->regions = r;
		map->capacity = cap;
	}
	struct region *r = &map->regions[map->count++];
	r->kind = kind;
	r->base = base;
	r->end = (unsigned __int128)base + size;
	va_start(ap, fmt);
	vformat_buf(r->name, sizeof(r->name), fmt, ap);
	va_end(ap);
	return 0;
}

static int by_address(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;	/* the container before what it contains */
	return (int)x->kind - (int)y->kind;
}

/* Whether the node at path is already drawn as something more specific than "a device". */
static bool drawn_elsewhere(const struct platform *plat, const char *path)
{
	if (plat->gic.version && !strcmp(path, plat->gic.path))
		return true;
	if (plat->xen.present && !strcmp(path, plat->xen.path))
		return true;
	for (unsigned i = 0; i < plat->nuarts; i++)
		if (!strcmp(path, plat->uarts[i].path))
			return true;
	return false;
}

static int add_devices(struct addrmap *map, const struct platform *plat)
{
	for (unsigned i = 0; i < plat->ndevices; i++) {
		const struct platform_device *d = &plat->devices[i];
		if (drawn_elsewhere(plat, d->path))
			continue;
		/* platform/ kept the entries that translate; the driver accepted the node. */
		for (unsigned j = 0; j < d->nreg; j++)
			if (add(map, REGION_DEVICE, d->reg[j].base, d->reg[j].size, "%s %.95s%s",
				d->driver ? d->driver : "?", d->path,
				d->reg_entries > 1 ? " (one of its reg)" : "") < 0)
				return -1;
	}
	return 0;
}

int addrmap_build(struct addrmap *map, const struct platform *plat)
{
	const struct platform_gic *gic = &plat->gic;
	const struct platform_xen *xen = &plat->xen;
	int err = 0;

	for (unsigned i = 0; i < plat->nmem && !err; i++)
		err = add(map, plat->mem[i].usable ? REGION_RAM : REGION_RAM_UNUSABLE,
			  plat->mem[i].base, plat->mem[i].size, "RAM bank %u%s", i,
			  plat->mem[i].usable ? "" : " (not addressable by this build)");
	for (unsigned i = 0; i < plat->nreserved && !err; i++)
		err = add(map, REGION_RESERVED, plat->reserved[i].base, plat->reserved[i].size,
			  "reserved range %u", i);

	if (gic->version && !err) {
		const char *compat = gic->compatible ? gic->compatible : "?";
		err = add(map, REGION_GIC, gic->dist.base, gic->dist.size,
			  "GICD: distributor (%s)", compat);
		if (gic->version == 2 && !err)
			err = add(map, REGION_GIC, gic->cpu.base, gic->cpu.size,
				  "GICC: CPU interface (%s)", compat);
		for (unsigned i = 0; gic->version == 3 && i < gic->nredist && !err; i++)
			err = add(map, REGION_GIC, gic->redist[i].base, gic->redist[i].size,
				  "GICR: redistributors, region %u", i);
	}

	for (unsigned i = 0; i < plat->nuarts && !err; i++) {
		err = add(map, REGION_UART, plat->uarts[i].reg.base, plat->uarts[i].reg.size,
			  "UART %.63s (%s)%s", plat->uarts[i].path,
			  plat->uarts[i].compatible ? plat->uarts[i].compatible : "?",
			  plat->console == (int)i ? ", the console" : "");
	}

	if (xen->present && !err) {
		err = add(map, REGION_GNTTAB, xen->gnttab.base, xen->gnttab.size,
			  "Xen grant table (%s)", xen->compatible ? xen->compatible : "?");
		for (unsigned i = 0; i < xen->nextended && !err; i++)
			err = add(map, REGION_EXTENDED, xen->extended[i].base, xen->extended[i].size,
				  "Xen extended region %u", i);
	}

	if (!err)
		err = add_devices(map, plat);
	if (err)
		return -1;
	qsort(map->regions, map->count, sizeof(*map->regions), by_address);
	return 0;
}

void addrmap_free(struct addrmap *map)
{
	free(map->regions);
	memset(map, 0, sizeof(*map));
}
