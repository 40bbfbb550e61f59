/*
 * The physical address map that dtprobe draws: every range the platform description knows
 * of, as a flat list of named regions sorted by address.
 *
 * The description keeps ranges by what they are for (memory banks, the GIC's frames, the
 * UARTs, Xen's grant table and extended regions); the drawing wants them by where they are.
 * Nodes that other drivers matched contribute their reg entries too, read through fdt/ so
 * that they are translated to CPU addresses the same way the kernel would. Every region
 * names the node it comes from, and one that a bus's ranges moved keeps its address on that
 * bus too, so the drawing shows both sides of a translation.
 */
#include <stdlib.h>
#include <string.h>

#include <arbor/dt.h>
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
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->base = base;
	r->end = (unsigned __int128)base + size;
	va_start(ap, fmt);
	vformat_buf(r->name, sizeof(r->name), fmt, ap);
	va_end(ap);
	return 0;
}

/*
 * The region just added (when add() added one: count moved past before) comes from reg entry
 * index of the node at path: name it, and keep its bus address when that differs.
 */
static void from_node(struct addrmap *map, size_t before, const struct dt *dt, const char *path,
		      int index)
{
	if (map->count == before || !path || !path[0])
		return;
	struct region *r = &map->regions[map->count - 1];
	uint64_t bus, size;
	int node = dt_find_node(dt, path, strlen(path));

	format_buf(r->path, sizeof(r->path), "%s", path);
	if (node >= 0 && index >= 0 && dt_reg_raw(dt, node, index, &bus, &size) == 0 && bus != r->base) {
		r->translated = true;
		r->bus = bus;
	}
}

/* The memory or /reserved-memory node whose reg has an entry at base, and that entry. */
static const char *node_with_entry(const struct dt *dt, int parent, uint64_t base, int *index,
				   char *path, size_t size)
{
	int node;

	dt_for_each_child(dt, parent, node) {
		int n = dt_reg_count(dt, node);
		for (int i = 0; i < n; i++) {
			paddr_t b;
			uint64_t s;
			if (dt_reg(dt, node, i, &b, &s) == 0 && b == base) {
				*index = i;
				return dt_path(dt, node, path, size);
			}
		}
	}
	return NULL;
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

static int add_devices(struct addrmap *map, const struct platform *plat, const struct dt *dt)
{
	for (unsigned i = 0; i < plat->ndevices; i++) {
		const struct platform_device *d = &plat->devices[i];
		if (drawn_elsewhere(plat, d->path))
			continue;
		/* platform/ kept the entries that translate; the driver accepted the node. */
		for (unsigned j = 0; j < d->nreg; j++) {
			size_t before = map->count;
			if (add(map, REGION_DEVICE, d->reg[j].base, d->reg[j].size, "driver %s%s",
				d->driver ? d->driver : "?",
				d->reg_entries > 1 ? " (one of its reg)" : "") < 0)
				return -1;
			/* Entries that did not translate were left out: the j-th kept is found by base. */
			for (int k = 0; k < (int)d->reg_entries; k++) {
				paddr_t b;
				uint64_t s;
				int node = dt_find_node(dt, d->path, strlen(d->path));
				if (node >= 0 && dt_reg(dt, node, k, &b, &s) == 0 && b == d->reg[j].base) {
					from_node(map, before, dt, d->path, k);
					break;
				}
			}
		}
	}
	return 0;
}

int addrmap_build(struct addrmap *map, const struct platform *plat, const struct dt *dt)
{
	const struct platform_gic *gic = &plat->gic;
	const struct platform_xen *xen = &plat->xen;
	char path[PLATFORM_PATH_MAX];
	size_t before;
	int err = 0, index;

	for (unsigned i = 0; i < plat->nmem && !err; i++) {
		before = map->count;
		const char *p = node_with_entry(dt, 0, plat->mem[i].base, &index, path, sizeof(path));
		err = add(map, plat->mem[i].usable ? REGION_RAM : REGION_RAM_UNUSABLE,
			  plat->mem[i].base, plat->mem[i].size, "RAM bank %u%s", i,
			  plat->mem[i].usable ? "" : " (not addressable by this build)");
		from_node(map, before, dt, p, index);
	}
	int reserved = dt_find_node(dt, "/reserved-memory", 16);
	for (unsigned i = 0; i < plat->nreserved && !err; i++) {
		before = map->count;
		const char *p = reserved >= 0 ? node_with_entry(dt, reserved, plat->reserved[i].base,
								&index, path, sizeof(path)) : NULL;
		err = add(map, REGION_RESERVED, plat->reserved[i].base, plat->reserved[i].size,
			  "reserved range %u%s", i, p ? "" : " (/memreserve/)");
		from_node(map, before, dt, p, index);
	}

	if (gic->version && !err) {
		const char *compat = gic->compatible ? gic->compatible : "?";
		before = map->count;
		err = add(map, REGION_GIC, gic->dist.base, gic->dist.size,
			  "GICD: distributor (%s)", compat);
		from_node(map, before, dt, gic->path, 0);
		if (gic->version == 2 && !err) {
			before = map->count;
			err = add(map, REGION_GIC, gic->cpu.base, gic->cpu.size,
				  "GICC: CPU interface (%s)", compat);
			from_node(map, before, dt, gic->path, 1);
		}
		for (unsigned i = 0; gic->version == 3 && i < gic->nredist && !err; i++) {
			before = map->count;
			err = add(map, REGION_GIC, gic->redist[i].base, gic->redist[i].size,
				  "GICR: redistributors, region %u", i);
			from_node(map, before, dt, gic->path, 1 + (int)i);
		}
	}

	for (unsigned i = 0; i < plat->nuarts && !err; i++) {
		before = map->count;
		err = add(map, REGION_UART, plat->uarts[i].reg.base, plat->uarts[i].reg.size,
			  "UART (%s)%s", plat->uarts[i].compatible ? plat->uarts[i].compatible : "?",
			  plat->console == (int)i ? ", the console" : "");
		from_node(map, before, dt, plat->uarts[i].path, 0);
	}

	if (xen->present && !err) {
		before = map->count;
		err = add(map, REGION_GNTTAB, xen->gnttab.base, xen->gnttab.size,
			  "Xen grant table (%s)", xen->compatible ? xen->compatible : "?");
		from_node(map, before, dt, xen->path, 0);
		for (unsigned i = 0; i < xen->nextended && !err; i++) {
			before = map->count;
			err = add(map, REGION_EXTENDED, xen->extended[i].base, xen->extended[i].size,
				  "Xen extended region %u", i);
			from_node(map, before, dt, xen->path, 1 + (int)i);
		}
	}

	if (!err)
		err = add_devices(map, plat, dt);
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
