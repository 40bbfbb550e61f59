/*
 * /chosen: the command line and the console the boot loader (Xen) asks for.
 *
 * stdout-path (Devicetree Specification v0.4, 3.6) names a node by path or by alias,
 * optionally followed by ':' and options ("serial0:115200n8"); the older
 * linux,stdout-path is read when it is absent. Only the node is resolved here; which UART
 * driver owns it is decided after the drivers have probed.
 */
#include <errno.h>
#include <string.h>

#include <arbor/dt.h>
#include <arbor/platform.h>
#include <arbor/printk.h>

static int probe_stdout(struct platform *plat, const struct dt *dt, int chosen)
{
	int err;
	const char *prop = "stdout-path";
	const char *path = dt_string(dt, chosen, prop, &err);

	if (!path && err == DT_ERR_NOTFOUND) {
		prop = "linux,stdout-path";
		path = dt_string(dt, chosen, prop, &err);
	}
	if (!path) {
		if (err == DT_ERR_NOTFOUND)
			return 0;
		pr_err("/chosen: %s is not a NUL-terminated string\n", prop);
		return -EINVAL;
	}

	const char *colon = strchr(path, ':');
	int len = colon ? (int)(colon - path) : (int)strlen(path);
	plat->stdout_options = colon && colon[1] ? colon + 1 : NULL;
	/* dt_find_node resolves a leading alias through /aliases itself. */
	int node = dt_find_node(dt, path, (size_t)len);
	if (node < 0) {
		pr_warn("/chosen: %s \"%.*s\" names no node (%s); the console is chosen without it\n",
			prop, len, path, dt_strerror(node));
	} else if (!dt_enabled(dt, node)) {
		/* No driver probes a disabled node: said here, or the console just goes elsewhere. */
		const char *status = dt_string(dt, node, "status", NULL);
		char target[PLATFORM_PATH_MAX];
		pr_warn("/chosen: %s \"%.*s\" names %s, which is present but disabled (status = "
			"\"%s\"); the console is chosen without it\n", prop, len, path,
			dt_path(dt, node, target, sizeof(target)), status ? status : "?");
	} else {
		dt_path(dt, node, plat->stdout_path, sizeof(plat->stdout_path));
	}
	return 0;
}

int platform_probe_chosen(struct platform *plat, const struct dt *dt)
{
	int err, node = dt_find_node(dt, "/chosen", 7);

	plat->bootargs = NULL;
	plat->stdout_path[0] = '\0';
	plat->stdout_options = NULL;
	if (node == DT_ERR_NOTFOUND)
		return 0;
	if (node < 0) {
		pr_err("/chosen: %s\n", dt_strerror(node));
		return -EINVAL;
	}
	plat->bootargs = dt_string(dt, node, "bootargs", &err);
	if (!plat->bootargs && dt_prop_len(dt, node, "bootargs") == 0) {
		plat->bootargs = "";	/* an empty property: no arguments, as Linux reads it */
	} else if (!plat->bootargs && err != DT_ERR_NOTFOUND) {
		pr_err("/chosen: bootargs is not a NUL-terminated string: %s\n", dt_strerror(err));
		return -EINVAL;
	}
	return probe_stdout(plat, dt, node);
}
