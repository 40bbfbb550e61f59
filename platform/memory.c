/*
 * Memory: the RAM banks and the ranges within them that are not Arbor's to use.
 *
 * Every node with device_type = "memory" contributes every entry of its reg, in DTB order;
 * a DTB may have several such nodes and several entries per node (Devicetree Specification
 * v0.4, 3.4). Banks the kernel cannot address (at or beyond plat->addr_limit: an arm32 build
 * and a bank above 4 GiB) are kept in the list, marked unusable, and reported: the
 * description always says what the DTB said. Overlapping banks are refused, since whatever
 * allocates from them would hand the same page out twice.
 *
 * Reserved ranges are the /memreserve/ entries of the header block and the children of
 * /reserved-memory that have a reg (3.5.4; children with only a size are allocation requests
 * for an OS that honours them, which Arbor does not).
 */
#include <errno.h>
#include <string.h>

#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/platform.h>
#include <arbor/printk.h>

#define PATH_MAX_LEN  128

static int add_bank(struct platform *plat, const char *path, paddr_t base, uint64_t size)
{
	if (size == 0)
		return 0;
	if (base + size < base) {
		pr_err("%s: reg bank at 0x%llx of size 0x%llx wraps around the address space\n",
		       path, (unsigned long long)base, (unsigned long long)size);
		return -EINVAL;
	}
	for (unsigned i = 0; i < plat->nmem; i++) {
		const struct mem_bank *b = &plat->mem[i];
		if (base < b->base + b->size && b->base < base + size) {
			pr_err("memory: banks 0x%llx-0x%llx and 0x%llx-0x%llx overlap\n",
			       (unsigned long long)b->base, (unsigned long long)(b->base + b->size - 1),
			       (unsigned long long)base, (unsigned long long)(base + size - 1));
			return -EINVAL;
		}
	}
	if (plat->nmem == PLATFORM_MAX_BANKS) {
		pr_err("%s: more than %u memory banks in the device tree; raise PLATFORM_MAX_BANKS\n",
		       path, PLATFORM_MAX_BANKS);
		return -ENOSPC;
	}
	struct mem_bank *bank = &plat->mem[plat->nmem++];
	bank->base = base;
	bank->size = size;
	bank->usable = base + size <= plat->addr_limit;
	if (!bank->usable)
		pr_warn("memory: bank 0x%llx-0x%llx lies beyond the %llu GiB this build addresses; skipped\n",
			(unsigned long long)base, (unsigned long long)(base + size - 1),
			(unsigned long long)(plat->addr_limit >> 30));
	return 0;
}

int platform_probe_memory(struct platform *plat, const struct dt *dt)
{
	char path[PATH_MAX_LEN];
	int node;

	plat->nmem = 0;
	dt_for_each_child(dt, 0, node) {
		int err;
		const char *type = dt_string(dt, node, "device_type", &err);
		if (!type || strcmp(type, "memory") != 0 || !dt_enabled(dt, node))
			continue;

		dt_path(dt, node, path, sizeof(path));
		int count = dt_reg_count(dt, node);
		if (count < 0)
			return platform_reg_error(dt, node, -1, NULL);
		for (int i = 0; i < count; i++) {
			paddr_t base;
			uint64_t size;
			/* Memory nodes sit under the root: no bus to translate through. */
			err = dt_reg_raw(dt, node, i, &base, &size);
			if (err)
				return platform_reg_error(dt, node, i, NULL);
			if ((err = add_bank(plat, path, base, size)))
				return err;
		}
	}
	/*
	 * Banks of size 0 are not kept, so with banks but nothing usable every bank lies beyond
	 * what this build addresses (an arm32 build given only high memory): say so, rather
	 * than that the device tree has none.
	 */
	if (platform_usable_memory(plat) == 0 && plat->nmem) {
		pr_err("memory: no usable bank: the %u bank%s in the device tree lie%s beyond the "
		       "%llu GiB this build addresses\n", plat->nmem, plat->nmem == 1 ? "" : "s",
		       plat->nmem == 1 ? "s" : "", (unsigned long long)(plat->addr_limit >> 30));
		return -ENOENT;
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

static int add_reserved(struct platform *plat, const char *what, uint64_t base, uint64_t size,
			const char *name, bool nomap)
{
	if (size == 0)
		return 0;
	if (base + size < base) {
		pr_err("%s: reserved range at 0x%llx of size 0x%llx wraps around the address space\n",
		       what, (unsigned long long)base, (unsigned long long)size);
		return -EINVAL;
	}
	if (plat->nreserved == PLATFORM_MAX_RESERVED) {
		pr_err("%s: more than %u reserved ranges; raise PLATFORM_MAX_RESERVED\n", what,
		       PLATFORM_MAX_RESERVED);
		return -ENOSPC;
	}
	plat->reserved_name[plat->nreserved] = name;
	plat->reserved_nomap[plat->nreserved] = nomap;
	plat->reserved[plat->nreserved++] = (struct mem_range){ .base = base, .size = size };
	return 0;
}

int platform_probe_reserved(struct platform *plat, const struct dt *dt)
{
	char path[PATH_MAX_LEN];
	int n = dt_num_mem_rsv(dt), node, err;

	plat->nreserved = 0;
	if (n < 0) {
		pr_err("/memreserve/: %s\n", dt_strerror(n));
		return -EINVAL;
	}
	for (int i = 0; i < n; i++) {
		uint64_t base, size;
		if ((err = dt_mem_rsv(dt, i, &base, &size))) {
			pr_err("/memreserve/ entry %d: %s\n", i, dt_strerror(err));
			return -EINVAL;
		}
		if ((err = add_reserved(plat, "/memreserve/", base, size, NULL, false)))
			return err;
	}

	int parent = dt_find_node(dt, "/reserved-memory", 16);
	if (parent == DT_ERR_NOTFOUND)
		return 0;
	if (parent < 0) {
		pr_err("/reserved-memory: %s\n", dt_strerror(parent));
		return -EINVAL;
	}
	dt_for_each_child(dt, parent, node) {
		if (!dt_enabled(dt, node))
			continue;
		dt_path(dt, node, path, sizeof(path));
		int count = dt_reg_count(dt, node);
		if (count < 0)
			return platform_reg_error(dt, node, -1, NULL);
		bool nomap = dt_has(dt, node, "no-map");
		for (int i = 0; i < count; i++) {
			paddr_t base;
			uint64_t size;
			if ((err = dt_reg(dt, node, i, &base, &size)))
				return platform_reg_error(dt, node, i, NULL);
			if ((err = add_reserved(plat, path, base, size, dt_name(dt, node), nomap)))
				return err;
		}
	}
	return 0;
}
