/*
 * The rescue reader: what a boot that has to stop before its console exists needs in order
 * to say why and to power off, read straight from a blob that dt_index() refused or that
 * platform_probe() could not describe.
 *
 * Until the console is chosen, printk can only try HYPERVISOR_console_io, which reaches
 * nobody without Xen (QEMU's virt run bare answers every HVC with NOT_SUPPORTED), and the
 * halt can only try SCHEDOP_shutdown, then PSCI if the platform was described that far. So a
 * broken tree used to end in silence and a WFI for ever. This reads three things and no
 * more: the node /chosen/stdout-path names (its reg, its compatible list), the first PSCI
 * node's method and whether a hypervisor node is there. It uses libfdt's own bounded readers
 * (every offset checked against the blob, no recursion), after the header checks, since the
 * blob may be exactly what dt_index() refused: too deep, too many nodes, a property name
 * outside the strings block. Nothing here prints.
 */
#include <string.h>

#include "internal.h"

/* A cell count libfdt gives for node's children, within 1..2 (0 for size is allowed). */
static int cells(const void *fdt, int node, const char *name, int dflt)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return dflt;
	return len == 4 ? (int)dt_cell(p) : -1;
}

/* The node a stdout-path value names: a full path or an alias, options after ':' cut. */
static int stdout_node(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len;

	if (chosen < 0)
		return chosen;
	const char *p = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!p)
		p = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!p || len < 2 || p[len - 1] != '\0')
		return -FDT_ERR_NOTFOUND;
	const char *colon = memchr(p, ':', (size_t)len);
	int n = colon ? (int)(colon - p) : len - 1;
	return fdt_path_offset_namelen(fdt, p, n);
}

int dt_rescue(const void *fdt, size_t buf_size, struct dt_rescue *r)
{
	*r = (struct dt_rescue){ 0 };
	if (!fdt || buf_size < sizeof(struct fdt_header) || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) > buf_size)
		return DT_ERR_BADSTRUCTURE;

	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
	if (node >= 0) {
		int len;
		const char *m = fdt_getprop(fdt, node, "method", &len);
		if (m && len == 4 && (!strcmp(m, "hvc") || !strcmp(m, "smc")))
			r->psci_method = m;
	}
	r->hypervisor = fdt_node_offset_by_compatible(fdt, -1, "xen,xen") >= 0;

	/* The stdout-path UART, when it sits directly under the root (no bus to translate). */
	node = stdout_node(fdt);
	if (node < 0 || fdt_parent_offset(fdt, node) != 0)
		return 0;
	int ac = cells(fdt, 0, "#address-cells", 2), sc = cells(fdt, 0, "#size-cells", 1), len;
	const uint8_t *reg = fdt_getprop(fdt, node, "reg", &len);
	/* A reg that is not whole entries under these cells locates nothing: stay silent. */
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || !reg || len < 4 * (ac + sc) ||
	    len % (4 * (ac + sc)))
		return 0;
	r->uart_base = ac == 2 ? (uint64_t)dt_cell(reg) << 32 | dt_cell(reg + 4) : dt_cell(reg);
	reg += 4 * ac;
	r->uart_size = sc == 2 ? (uint64_t)dt_cell(reg) << 32 | dt_cell(reg + 4) : dt_cell(reg);
	const char *compat = fdt_getprop(fdt, node, "compatible", &len);
	if (!compat || len < 1 || compat[len - 1] != '\0')
		return 0;
	r->uart_compatible = compat;
	r->uart_compatible_len = (size_t)len;
	return 0;
}
