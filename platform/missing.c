/*
 * A piece Arbor cannot run without (the interrupt controller, the timer) that no driver took,
 * told precisely: present but disabled, or there with a compatible no driver knows (naming
 * the strings the drivers of that level do know), rather than "missing" when it is not.
 * The drivers' own table answers both, so the words follow the drivers as they change.
 */
#include <string.h>

#include <arbor/driver.h>
#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/printk.h>

#include "why.h"

const char *probe_level_name(enum probe_level level)
{
	static const char *const names[PROBE_LEVELS] = {
		[PROBE_IRQCHIP] = "irqchip", [PROBE_TIMER] = "timer",
		[PROBE_HYPERVISOR] = "hypervisor", [PROBE_CONSOLE] = "console",
		[PROBE_OTHER] = "other",
	};
	return level < PROBE_LEVELS ? names[level] : "?";
}

/* ---- a missing piece, told precisely ---- */

/* Whether node looks like what level's drivers take, whatever its compatible says. */
static bool looks_like(const struct dt *dt, int node, enum probe_level level)
{
	const char *name = dt_name(dt, node);

	if (level == PROBE_IRQCHIP)
		return dt_has(dt, node, "interrupt-controller") && dt_parent(dt, node) >= 0;
	return level == PROBE_TIMER && !strncmp(name, "timer", 5) &&
	       (name[5] == '\0' || name[5] == '@');
}

static const struct platform_driver *level_driver(const struct dt *dt, int node,
						  enum probe_level level)
{
	for (const struct platform_driver *d = __start_arbor_drivers; d < __stop_arbor_drivers; d++)
		if (d->level == level && platform_driver_matches(d, dt, node))
			return d;
	return NULL;
}

void platform_explain_missing(const struct dt *dt, enum probe_level level, const char *what)
{
	static char known[512];
	struct buf_sink b = { { why_buf_put }, known, sizeof(known), 0 };
	char path[PATH_MAX_LEN];
	int len;

	/* A node a driver would take, switched off. */
	for (int node = 0; node < (int)dt->nnodes; node++) {
		if (dt_enabled(dt, node) || !level_driver(dt, node, level))
			continue;
		const char *status = dt_string(dt, node, "status", NULL);
		pr_err("no %s: %s (%s) is present but disabled (status = \"%s\")\n", what,
		       dt_path(dt, node, path, sizeof(path)), dt_string_index(dt, node, "compatible", 0, NULL),
		       status ? status : "?");
		return;
	}
	/* A node that looks like one, which no driver knows. */
	known[0] = '\0';
	for (const struct platform_driver *d = __start_arbor_drivers; d < __stop_arbor_drivers; d++)
		for (const char *c = d->compatible; d->level == level && *c; c += strlen(c) + 1)
			format(&b.sink, "%s%s", b.len ? ", " : "", c);
	for (int node = 0; node < (int)dt->nnodes; node++) {
		const char *list = dt_compatible_list(dt, node, &len);
		if (!looks_like(dt, node, level) || level_driver(dt, node, level))
			continue;
		pr_err("no %s: %s's compatible \"%s\" matches no driver (drivers know: %s)\n", what,
		       dt_path(dt, node, path, sizeof(path)), list ? list : "", known);
		return;
	}
	pr_err("no %s in the device tree\n", what);
}
