/*
 * What Arbor found, told two ways: a summary for people, and with probe=json one JSON object
 * for programs (the run harness checks it against what Xen says it built).
 *
 * The JSON is written with a line break after each element. Xen's console splits long guest
 * lines and the reader joins the lines between the markers with no separator, so a break may
 * fall only where JSON needs no whitespace — which is anywhere between tokens.
 */
#include <arbor/platform.h>

static const char *size_unit(uint64_t size, unsigned long long *value)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;

	while (u + 1 < ARRAY_SIZE(units) && size >= 1024 && size % 1024 == 0) {
		size /= 1024;
		u++;
	}
	*value = size;
	return units[u];
}

void platform_report_summary(const struct platform *plat, struct sink *out)
{
	unsigned long long v;
	const char *unit = size_unit(platform_usable_memory(plat), &v);

	format(out, "memory: %u bank%s, %llu %s usable\n", plat->nmem, plat->nmem == 1 ? "" : "s",
	       v, unit);
	for (unsigned i = 0; i < plat->nmem; i++) {
		const struct mem_bank *b = &plat->mem[i];
		unit = size_unit(b->size, &v);
		format(out, "  bank %u: 0x%llx-0x%llx (%llu %s)%s\n", i, (unsigned long long)b->base,
		       (unsigned long long)(b->base + b->size - 1), v, unit,
		       b->usable ? "" : " not addressable by this build, skipped");
	}
	format(out, "dtb: %zu bytes\n", plat->fdt_size);
	if (plat->bootargs) {
		format(out, "bootargs: ");
		format_json_string(out, plat->bootargs);
		format(out, "\n");
	} else {
		format(out, "bootargs: none\n");
	}
}

void platform_report_json(const struct platform *plat, struct sink *out)
{
	format(out, "{\"memory\":[\n");
	for (unsigned i = 0; i < plat->nmem; i++)
		format(out, "%s{\"base\":%llu,\"size\":%llu,\"usable\":%s}\n", i ? "," : "",
		       (unsigned long long)plat->mem[i].base, (unsigned long long)plat->mem[i].size,
		       plat->mem[i].usable ? "true" : "false");
	format(out, "],\n\"bootargs\":");
	if (plat->bootargs)
		format_json_string(out, plat->bootargs);
	else
		format(out, "null");
	format(out, "}\n");
}
