/*
 * What Arbor found, told two ways: a summary for people, and one JSON object for programs
 * (docs/platform-json.md): the kernel prints it with probe=json, dtprobe with --json, and the
 * run harness and tests compare it with what Xen built and what the DTB says.
 *
 * The JSON is written with a line break after each element. Xen's console splits long guest
 * lines and the reader joins the lines between the markers with no separator, so a break may
 * fall only where JSON needs no whitespace — which is anywhere between tokens.
 */
#include <arbor/platform.h>

static const char *size_unit(uint64_t size, unsigned long long *value)
{
	static const char units[][6] = { "bytes", "KiB", "MiB", "GiB", "TiB" };	/* no relocations */
	unsigned u = 0;

	while (u + 1 < ARRAY_SIZE(units) && size >= 1024 && size % 1024 == 0) {
		size /= 1024;
		u++;
	}
	*value = size;
	return units[u];
}

static void put_range(struct sink *out, const char *label, const struct mem_range *r)
{
	unsigned long long v;
	const char *unit = size_unit(r->size, &v);

	format(out, "%s0x%llx-0x%llx (%llu %s)", label, (unsigned long long)r->base,
	       (unsigned long long)(r->base + r->size - 1), v, unit);
}

static void put_irq(struct sink *out, const char *label, const struct plat_irq *irq)
{
	if (irq->present)
		format(out, "%s%u", label, (unsigned)irq->intid);
}

static const char *psci_method_name(enum psci_method m)
{
	return m == PSCI_HVC ? "hvc" : m == PSCI_SMC ? "smc" : "none";
}

static void summary_memory(const struct platform *plat, struct sink *out)
{
	unsigned long long v;
	const char *unit = size_unit(platform_usable_memory(plat), &v);

	format(out, "memory: %u bank%s, %llu %s usable\n", plat->nmem, plat->nmem == 1 ? "" : "s",
	       v, unit);
	for (unsigned i = 0; i < plat->nmem; i++) {
		const struct mem_bank *b = &plat->mem[i];
		struct mem_range r = { b->base, b->size };
		format(out, "  bank %u: ", i);
		put_range(out, "", &r);
		format(out, "%s\n", b->usable ? "" : " not addressable by this build, skipped");
	}
	for (unsigned i = 0; i < plat->nreserved; i++) {
		put_range(out, "  reserved: ", &plat->reserved[i]);
		format(out, "\n");
	}
}

static void summary_devices(const struct platform *plat, struct sink *out)
{
	if (plat->gic.version) {
		format(out, "gic: GICv%u (%s), ", plat->gic.version, plat->gic.compatible);
		put_range(out, "distributor ", &plat->gic.dist);
		if (plat->gic.version == 2)
			put_range(out, ", CPU interface ", &plat->gic.cpu);
		for (unsigned i = 0; i < plat->gic.nredist; i++)
			put_range(out, ", redistributors ", &plat->gic.redist[i]);
		if (plat->gic.redist_stride)
			format(out, ", stride 0x%llx", (unsigned long long)plat->gic.redist_stride);
		format(out, "\n");
	}
	if (plat->timer.present) {
		format(out, "timer: %s, INTIDs", plat->timer.compatible);
		put_irq(out, " secure ", &plat->timer.sec);
		put_irq(out, " phys ", &plat->timer.phys);
		put_irq(out, " virt ", &plat->timer.virt);
		put_irq(out, " hyp ", &plat->timer.hyp);
		if (plat->timer.clock_frequency)
			format(out, ", clock-frequency %u Hz", (unsigned)plat->timer.clock_frequency);
		format(out, "\n");
	}
	if (plat->xen.present) {
		format(out, "hypervisor: %s", plat->xen.compatible);
		put_range(out, ", grant table ", &plat->xen.gnttab);
		put_irq(out, ", event channel INTID ", &plat->xen.evtchn);
		format(out, "\n");
		for (unsigned i = 0; i < plat->xen.nextended; i++) {
			put_range(out, "  extended region: ", &plat->xen.extended[i]);
			format(out, "\n");
		}
	} else {
		format(out, "hypervisor: no hypervisor node\n");
	}
	if (plat->psci.present)
		format(out, "psci: %s via %s\n", plat->psci.compatible,
		       psci_method_name(plat->psci.method));
	format(out, "cpus: %u", plat->cpus.count);
	for (unsigned i = 0; i < plat->cpus.count; i++)
		format(out, "%s0x%llx", i ? ", " : " (MPIDR ", (unsigned long long)plat->cpus.mpidr[i]);
	format(out, "%s\n", plat->cpus.count ? ")" : "");
	if (plat->rtc.present) {
		format(out, "rtc: %s (arm,pl031), ", plat->rtc.path);
		put_range(out, "", &plat->rtc.reg);
		format(out, "\n");
	}
	for (unsigned i = 0; i < plat->nuarts; i++) {
		const struct platform_uart *u = &plat->uarts[i];
		format(out, "uart: %s (%s), ", u->path, u->compatible);
		put_range(out, "", &u->reg);
		put_irq(out, ", INTID ", &u->irq);
		format(out, "%s\n", (int)i == plat->console ? ", console" : "");
	}
}

void platform_report_summary(const struct platform *plat, struct sink *out)
{
	summary_memory(plat, out);
	summary_devices(plat, out);
	format(out, "matched:%s", plat->ndevices ? "" : " nothing");
	for (unsigned i = 0; i < plat->ndevices; i++)
		format(out, " %s=%s", plat->devices[i].driver, plat->devices[i].path);
	format(out, "\ndtb: %zu bytes\n", (size_t)plat->dtb.size);
	if (plat->bootargs) {
		format(out, "bootargs: ");
		format_json_string(out, plat->bootargs);
		format(out, "\n");
	} else {
		format(out, "bootargs: none\n");
	}
}

/* ---- JSON ---- */

/*
 * Addresses, sizes and MPIDRs: JSON integers for programs (the default, which the boot
 * harness compares with dtprobe's), or with --hex "0x..." strings for people, in Arbor's one
 * spelling of a number in hex (unpadded, lowercase).
 */
static bool json_hex;

static void json_num(struct sink *out, uint64_t v)
{
	format(out, json_hex ? "\"0x%llx\"" : "%llu", (unsigned long long)v);
}

static void json_range(struct sink *out, const struct mem_range *r)
{
	format(out, "{\"base\":");
	json_num(out, r->base);
	format(out, ",\"size\":");
	json_num(out, r->size);
	format(out, "}");
}

static void json_ranges(struct sink *out, const struct mem_range *r, unsigned n)
{
	format(out, "[");
	for (unsigned i = 0; i < n; i++) {
		format(out, "%s\n", i ? "," : "");
		json_range(out, &r[i]);
	}
	format(out, "]");
}

static void json_irq(struct sink *out, const char *key, const struct plat_irq *irq)
{
	if (irq->present)
		format(out, ",\n\"%s\":%u", key, (unsigned)irq->intid);
	else
		format(out, ",\n\"%s\":null", key);
}

static void json_string_or_null(struct sink *out, const char *s)
{
	if (s)
		format_json_string(out, s);
	else
		format(out, "null");
}

static void json_gic(const struct platform *plat, struct sink *out)
{
	const struct platform_gic *gic = &plat->gic;

	if (!gic->version) {
		format(out, "null");
		return;
	}
	format(out, "{\"version\":%u,\n\"compatible\":", gic->version);
	format_json_string(out, gic->compatible);
	format(out, ",\n\"dist\":");
	json_range(out, &gic->dist);
	format(out, ",\n\"cpu\":");
	if (gic->version == 2)
		json_range(out, &gic->cpu);
	else
		format(out, "null");
	format(out, ",\n\"redist\":");
	json_ranges(out, gic->redist, gic->nredist);
	if (gic->redist_stride) {
		format(out, ",\n\"redist_stride\":");
		json_num(out, gic->redist_stride);
		format(out, "}");
	} else
		format(out, ",\n\"redist_stride\":null}");
}

static void json_timer(const struct platform *plat, struct sink *out)
{
	const struct platform_timer *t = &plat->timer;

	if (!t->present) {
		format(out, "null");
		return;
	}
	format(out, "{\"compatible\":");
	format_json_string(out, t->compatible);
	json_irq(out, "sec_irq", &t->sec);
	json_irq(out, "phys_irq", &t->phys);
	json_irq(out, "virt_irq", &t->virt);
	json_irq(out, "hyp_irq", &t->hyp);
	if (t->clock_frequency)
		format(out, ",\n\"clock_frequency\":%u}", (unsigned)t->clock_frequency);
	else
		format(out, ",\n\"clock_frequency\":null}");
}

static void json_xen(const struct platform *plat, struct sink *out)
{
	const struct platform_xen *x = &plat->xen;

	if (!x->present) {
		format(out, "null");
		return;
	}
	format(out, "{\"compatible\":");
	format_json_string(out, x->compatible);
	if (x->major || x->minor)
		format(out, ",\n\"version\":\"%u.%u\"", x->major, x->minor);
	else
		format(out, ",\n\"version\":null");
	format(out, ",\n\"gnttab\":");
	if (x->gnttab.size)
		json_range(out, &x->gnttab);
	else
		format(out, "null");
	format(out, ",\n\"extended\":");
	json_ranges(out, x->extended, x->nextended);
	json_irq(out, "evtchn_irq", &x->evtchn);
	format(out, "}");
}

static void json_console(const struct platform *plat, struct sink *out)
{
	if (plat->console < 0 || (unsigned)plat->console >= plat->nuarts) {
		format(out, "null");
		return;
	}
	const struct platform_uart *u = &plat->uarts[plat->console];
	format(out, "{\"compatible\":");
	format_json_string(out, u->compatible);
	format(out, ",\n\"path\":");
	format_json_string(out, u->path);
	format(out, ",\n\"base\":");
	json_num(out, u->reg.base);
	format(out, ",\n\"size\":");
	json_num(out, u->reg.size);
	json_irq(out, "irq", &u->irq);
	format(out, "}");
}

void platform_report_json(const struct platform *plat, struct sink *out)
{
	platform_report_json_opts(plat, out, false);
}

void platform_report_json_opts(const struct platform *plat, struct sink *out, bool hex)
{
	json_hex = hex;
	format(out, "{\"memory\":[");
	for (unsigned i = 0; i < plat->nmem; i++) {
		format(out, "%s\n{\"base\":", i ? "," : "");
		json_num(out, plat->mem[i].base);
		format(out, ",\"size\":");
		json_num(out, plat->mem[i].size);
		format(out, ",\"usable\":%s}", plat->mem[i].usable ? "true" : "false");
	}
	format(out, "],\n\"reserved\":");
	json_ranges(out, plat->reserved, plat->nreserved);
	format(out, ",\n\"gic\":");
	json_gic(plat, out);
	format(out, ",\n\"timer\":");
	json_timer(plat, out);
	format(out, ",\n\"hypervisor\":");
	json_xen(plat, out);
	format(out, ",\n\"psci\":");
	if (plat->psci.present) {
		format(out, "{\"compatible\":");
		json_string_or_null(out, plat->psci.compatible);
		format(out, ",\n\"method\":\"%s\"}", psci_method_name(plat->psci.method));
	} else {
		format(out, "null");
	}
	format(out, ",\n\"cpus\":%u,\n\"mpidrs\":[", plat->cpus.count);
	for (unsigned i = 0; i < plat->cpus.count; i++) {
		format(out, "%s", i ? ",\n" : "");
		json_num(out, plat->cpus.mpidr[i]);
	}
	format(out, "],\n\"console\":");
	json_console(plat, out);
	format(out, ",\n\"bootargs\":");
	json_string_or_null(out, plat->bootargs);
	format(out, "}\n");
}
