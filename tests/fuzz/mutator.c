/*
 * The structure-aware mutator of the index and probe fuzz targets.
 *
 * Random bytes rarely survive dt_check(), so half the time this edits a valid blob with
 * libfdt (set, copy or delete a property, add or delete a node) using the names and values
 * platform/ looks for, and re-packs it. The other half libFuzzer's own byte-level mutations
 * run, which is what tests the checks themselves. tests/fuzz/fuzz_check.c does without it:
 * the validator is fuzzed on raw bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <arbor/dt.h>
#include <arbor/format.h>
#include <arbor/platform.h>
#include <arbor/printk.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/* A small generator of its own, seeded by libFuzzer, so runs repeat. */
static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return n ? (uint32_t)(rng_state >> 33) % n : 0;
}

static const char *const prop_names[] = {
	"compatible", "reg", "ranges", "#address-cells", "#size-cells", "interrupts",
	"interrupts-extended", "interrupt-parent", "interrupt-controller", "#interrupt-cells",
	"phandle", "status", "device_type", "method", "cpu_on", "cpu_off", "cpu_suspend",
	"migrate", "clock-frequency", "current-speed", "stdout-path", "linux,stdout-path",
	"bootargs", "#redistributor-regions", "redistributor-stride", "enable-method",
	"dma-ranges", "serial0",
};

static const char *const strings[] = {
	"arm,gic-400", "arm,cortex-a15-gic", "arm,gic-v3", "arm,armv8-timer", "arm,armv7-timer",
	"xen,xen-4.17", "xen,xen", "xen,xen-4.", "xen,xen-99999.1", "arm,psci-1.0", "arm,psci",
	"arm,pl011", "arm,sbsa-uart", "simple-bus", "okay", "disabled", "ok", "memory", "cpu",
	"hvc", "smc", "psci", "serial0", "serial0:115200n8", "/", "/chosen", ":", "",
};

static const char *const node_names[] = {
	"memory@40000000", "timer", "hypervisor", "psci", "interrupt-controller@8000000",
	"serial@9000000", "soc", "reserved-memory", "chosen", "cpus", "cpu@1", "aliases", "bus@0",
};

static const uint32_t cells[] = {
	0, 1, 2, 3, 4, 8, 0xf08, 0xf04, 13, 14, 11, 10, 31, 1019, 0x7fffffff, 0x80000000,
	0xfffffffe, 0xffffffff, 0x1000, 0x40000000, 0x8000000, 0x20000,
};

/* Offsets of up to max nodes, in tree order. */
static int collect_nodes(const void *fdt, int *nodes, int max)
{
	int n = 0, depth = 0;

	for (int node = 0; node >= 0 && n < max; node = fdt_next_node(fdt, node, &depth))
		nodes[n++] = node;
	return n;
}

/*
 * A random property value into buf: cells (now and then a phandle of one of the n nodes), a
 * string list, or raw bytes. Returns its length.
 */
static int make_value(const void *fdt, const int *nodes, int n, uint8_t *buf, int max)
{
	int len = 0;

	switch (rnd(3)) {
	case 0: {
		int count = (int)rnd(9);
		for (int i = 0; i < count && len + 4 <= max; i++) {
			uint32_t v = rnd(4) ? cells[rnd(ARRAY_SIZE(cells))] : rnd(0xffffffffu);
			if (rnd(6) == 0)	/* a phandle that exists, or 0 */
				v = fdt_get_phandle(fdt, nodes[rnd((uint32_t)n)]);
			fdt32_st(buf + len, v);
			len += 4;
		}
		break;
	}
	case 1: {
		int count = 1 + (int)rnd(3);
		for (int i = 0; i < count; i++) {
			const char *s = strings[rnd(ARRAY_SIZE(strings))];
			int l = (int)strlen(s) + 1;
			if (len + l > max)
				break;
			memcpy(buf + len, s, (size_t)l);
			len += l;
		}
		break;
	}
	default:
		len = (int)rnd(17);
		for (int i = 0; i < len; i++)
			buf[i] = (uint8_t)rnd(256);
		break;
	}
	return len;
}

/* One structural edit of the (opened, writable) tree; a libfdt error just means no edit. */
static void edit(void *fdt)
{
	int nodes[256], n = collect_nodes(fdt, nodes, 256);
	int node = nodes[rnd((uint32_t)n)], other = nodes[rnd((uint32_t)n)];
	uint8_t value[128];
	const char *name;
	int len, props[64], np = 0, prop;

	fdt_for_each_property_offset(prop, fdt, node)
		if (np < 64)
			props[np++] = prop;

	switch (rnd(7)) {
	case 0:	/* set a property platform/ reads to a new value */
		len = make_value(fdt, nodes, n, value, sizeof(value));
		fdt_setprop(fdt, node, prop_names[rnd(ARRAY_SIZE(prop_names))], value, len);
		break;
	case 1:	/* change an existing property's bytes, byte-wise */
		if (np) {
			const void *v = fdt_getprop_by_offset(fdt, props[rnd((uint32_t)np)], &name, &len);
			if (v && len >= 0 && len <= (int)sizeof(value) / 2) {
				char copy[64];
				snprintf(copy, sizeof(copy), "%s", name);
				memcpy(value, v, (size_t)len);
				len = (int)LLVMFuzzerMutate(value, (size_t)len, sizeof(value));
				fdt_setprop(fdt, node, copy, value, len);
			}
		}
		break;
	case 2:	/* delete a property */
		if (np && fdt_getprop_by_offset(fdt, props[rnd((uint32_t)np)], &name, &len)) {
			char copy[64];
			snprintf(copy, sizeof(copy), "%s", name);
			fdt_delprop(fdt, node, copy);
		}
		break;
	case 3:	/* copy a property to another node */
		if (np) {
			const void *v = fdt_getprop_by_offset(fdt, props[rnd((uint32_t)np)], &name, &len);
			if (v && len >= 0 && len <= (int)sizeof(value)) {
				char copy[64];
				snprintf(copy, sizeof(copy), "%s", name);
				memcpy(value, v, (size_t)len);
				fdt_setprop(fdt, other, copy, value, len);
			}
		}
		break;
	case 4:	/* delete a node */
		if (node > 0)
			fdt_del_node(fdt, node);
		break;
	case 5: {	/* add a node with a compatible and a reg */
		int child = fdt_add_subnode(fdt, node, node_names[rnd(ARRAY_SIZE(node_names))]);
		if (child >= 0) {
			len = make_value(fdt, nodes, n, value, sizeof(value));
			fdt_setprop(fdt, child, rnd(2) ? "compatible" : "reg", value, len);
		}
		break;
	}
	default: {	/* give the node a compatible platform/ has a driver for (up to simple-bus) */
		const char *compat = strings[rnd(14)];	/* once: fdt_setprop_string reads it twice */
		fdt_setprop_string(fdt, node, "compatible", compat);
		break;
	}
	}
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static uint8_t work[1 << 18];	/* twice make fuzz's -max_len */

	rng_state = seed;
	if (rnd(2) || dt_check(data, size) || max_size > sizeof(work) / 2)
		return LLVMFuzzerMutate(data, size, max_size);
	if (fdt_open_into(data, work, (int)MIN(sizeof(work), size + 4096)))
		return LLVMFuzzerMutate(data, size, max_size);
	for (uint32_t i = 0, n = 1 + rnd(3); i < n; i++)
		edit(work);
	if (fdt_pack(work) || fdt_totalsize(work) > max_size)
		return LLVMFuzzerMutate(data, size, max_size);
	memcpy(data, work, fdt_totalsize(work));
	return fdt_totalsize(work);
}
