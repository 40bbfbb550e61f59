/*
 * A bounded layer over libfdt (see include/arbor/dt.h).
 *
 * libfdt already refuses to read outside the blob once fdt_check_header() has passed; what it
 * leaves to callers is the meaning of property lengths. Here every property is checked
 * against the size its cells say it must have before a cell is read.
 */
#include <arbor/dt.h>

/* The largest DTB Arbor accepts; arm64's boot protocol caps it at 2 MiB. */
#define DT_MAX_SIZE  (2u * 1024 * 1024)

int dt_check(const void *fdt, size_t max_size)
{
	int err = fdt_check_header(fdt);
	if (err)
		return err;
	if (fdt_totalsize(fdt) > MIN(max_size, (size_t)DT_MAX_SIZE))
		return -FDT_ERR_TRUNCATED;
	return 0;
}

const char *dt_path(const void *fdt, int node, char *buf, size_t size)
{
	if (fdt_get_path(fdt, node, buf, size) < 0) {
		const char bad[] = "<bad node>";
		size_t i;
		for (i = 0; i + 1 < size && i < sizeof(bad) - 1; i++)
			buf[i] = bad[i];
		if (size)
			buf[i] = '\0';
	}
	return buf;
}

const char *dt_string(const void *fdt, int node, const char *name, int *err)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	if (!s) {
		if (err)
			*err = len;
		return NULL;
	}
	if (len < 1 || s[len - 1] != '\0') {
		if (err)
			*err = -FDT_ERR_BADVALUE;
		return NULL;
	}
	if (err)
		*err = 0;
	return s;
}

bool dt_enabled(const void *fdt, int node)
{
	int err;
	const char *status = dt_string(fdt, node, "status", &err);

	if (!status)
		return err == -FDT_ERR_NOTFOUND;
	return !strcmp(status, "okay") || !strcmp(status, "ok");
}

static int cells_prop(const void *fdt, int node, const char *name, int dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p)
		return len == -FDT_ERR_NOTFOUND ? dflt : len;
	if (len != sizeof(*p))
		return -FDT_ERR_BADNCELLS;
	return (int)fdt32_to_cpu(*p);
}

int dt_reg_cells(const void *fdt, int node, int *addr_cells, int *size_cells)
{
	int parent = fdt_parent_offset(fdt, node);
	if (parent < 0)
		return parent;

	int ac = cells_prop(fdt, parent, "#address-cells", 2);
	int sc = cells_prop(fdt, parent, "#size-cells", 1);
	if (ac < 0)
		return ac;
	if (sc < 0)
		return sc;
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -FDT_ERR_BADNCELLS;
	*addr_cells = ac;
	*size_cells = sc;
	return 0;
}

static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/* The reg property and its entry size in cells, checked to hold whole entries. */
static const fdt32_t *reg_prop(const void *fdt, int node, int *count, int *ac, int *sc)
{
	int len, err = dt_reg_cells(fdt, node, ac, sc);

	if (err) {
		*count = err;
		return NULL;
	}
	const fdt32_t *p = fdt_getprop(fdt, node, "reg", &len);
	if (!p) {
		*count = len == -FDT_ERR_NOTFOUND ? 0 : len;
		return NULL;
	}
	int entry = (*ac + *sc) * (int)sizeof(fdt32_t);
	if (len % entry) {
		*count = -FDT_ERR_BADVALUE;
		return NULL;
	}
	*count = len / entry;
	return p;
}

int dt_reg_count(const void *fdt, int node)
{
	int count, ac, sc;
	reg_prop(fdt, node, &count, &ac, &sc);
	return count;
}

int dt_reg(const void *fdt, int node, int index, paddr_t *base, uint64_t *size)
{
	int count, ac, sc;
	const fdt32_t *p = reg_prop(fdt, node, &count, &ac, &sc);

	if (!p)
		return count < 0 ? count : -FDT_ERR_NOTFOUND;
	if (index < 0 || index >= count)
		return -FDT_ERR_NOTFOUND;
	p += index * (ac + sc);
	*base = read_cells(p, ac);
	*size = read_cells(p + ac, sc);
	return 0;
}
