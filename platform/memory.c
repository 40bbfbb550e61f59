/*
 * Memory banks and the command line, as the DTB gives them.
 *
 * Every node with device_type = "memory" contributes every entry of its reg, in DTB order;
 * a DTB may have several such nodes and several entries per node (Devicetree Specification
 * v0.4, 3.4). Banks the kernel cannot address with its identity map (an arm32 build and a
 * bank above 4 GiB) are kept in the list, marked unusable, and reported: the description
 * always says what the DTB said.
 */
#include <errno.h>
#include <string.h>

#include <arbor/dt.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arch/pte.h>

/* The first address past what this build's identity map can reach. */
#define ADDR_LIMIT  (1ull << PT_VA_BITS)

static int add_bank(struct platform *plat, const char *path, paddr_t base, uint64_t size)
{
	if (size == 0)
		return 0;
	if (base + size < base) {
		pr_err("%s: reg bank at 0x%llx of size 0x%llx wraps around the address space\n",
		       path, (unsigned long long)base, (unsigned long long)size);
		return -EINVAL;
	}
	if (plat->nmem == PLATFORM_MAX_BANKS) {
		pr_err("%s: more than %u memory banks in the device tree; raise PLATFORM_MAX_BANKS\n",
		       path, PLATFORM_MAX_BANKS);
		return -ENOSPC;
	}
	struct mem_bank *bank = &plat->mem[plat->nmem++];
	bank->base = base;
	bank->size = size;
	bank->usable = base + size <= ADDR_LIMIT;
	if (!bank->usable)
		pr_warn("memory: bank 0x%llx-0x%llx lies beyond the %llu GiB this build addresses; skipped\n",
			(unsigned long long)base, (unsigned long long)(base + size - 1),
			(unsigned long long)(ADDR_LIMIT >> 30));
	return 0;
}

int platform_probe_memory(struct platform *plat, const void *fdt)
{
	char path[128];
	int node;

	plat->nmem = 0;
	fdt_for_each_subnode(node, fdt, 0) {
		int err;
		const char *type = dt_string(fdt, node, "device_type", &err);
		if (!type || strcmp(type, "memory") != 0 || !dt_enabled(fdt, node))
			continue;

		dt_path(fdt, node, path, sizeof(path));
		int count = dt_reg_count(fdt, node);
		if (count < 0) {
			pr_err("%s: malformed reg: %s\n", path, fdt_strerror(count));
			return -EINVAL;
		}
		for (int i = 0; i < count; i++) {
			paddr_t base;
			uint64_t size;
			dt_reg(fdt, node, i, &base, &size);
			err = add_bank(plat, path, base, size);
			if (err)
				return err;
		}
	}
	if (node != -FDT_ERR_NOTFOUND) {
		pr_err("device tree: cannot walk the root node's children: %s\n", fdt_strerror(node));
		return -EINVAL;
	}
	if (platform_usable_memory(plat) == 0) {
		pr_err("memory: no usable bank in the device tree\n");
		return -ENOENT;
	}
	return 0;
}

uint64_t platform_usable_memory(const struct platform *plat)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < plat->nmem; i++)
		if (plat->mem[i].usable)
			total += plat->mem[i].size;
	return total;
}

int platform_probe_chosen(struct platform *plat, const void *fdt)
{
	int err, node = fdt_path_offset(fdt, "/chosen");

	plat->bootargs = NULL;
	if (node == -FDT_ERR_NOTFOUND)
		return 0;
	if (node < 0) {
		pr_err("/chosen: %s\n", fdt_strerror(node));
		return -EINVAL;
	}
	plat->bootargs = dt_string(fdt, node, "bootargs", &err);
	int len;
	if (!plat->bootargs && fdt_getprop(fdt, node, "bootargs", &len) && len == 0)
		plat->bootargs = "";	/* an empty property: no arguments, as Linux reads it */
	else if (!plat->bootargs && err != -FDT_ERR_NOTFOUND) {
		pr_err("/chosen: bootargs is not a NUL-terminated string: %s\n", fdt_strerror(err));
		return -EINVAL;
	}
	return 0;
}
