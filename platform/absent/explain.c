/*
 * probe=explain in an image built without platform/explain.c (its app.mk does not set
 * APP_EXPLAIN): the explanations are most of a kilobyte of words per node kind, which an
 * image such as apps/hello, kept small, does without. Asked anyway, it says where to look.
 */
#include <arbor/bootargs.h>
#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/printk.h>

void platform_explain_if_asked(const struct dt *dt)
{
	int chosen = dt_find_node(dt, "/chosen", 7);
	const char *args = chosen >= 0 ? dt_string(dt, chosen, "bootargs", NULL) : NULL;

	if (args && bootargs_list_has(args, "probe", "explain"))
		printk("explain: this image is built without the explanations (APP_EXPLAIN := 1 in "
		       "its app.mk adds them); dtprobe --explain-all gives the same on the host\n");
}
