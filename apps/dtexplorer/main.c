/*
 * The device-tree explorer: print the DTB this domain was given, as a tree, in dts-like
 * syntax. The DTB is the one kernel_main validated and described, found where the platform
 * description says it lies (platform.dtb); it is read here with libfdt's own iterators, as an
 * application that wants the raw tree would, not through the kernel's index.
 *
 * A property is shown as strings when it is a list of printable NUL-terminated strings, as
 * <cells> when its length is a multiple of 4, and as [bytes] otherwise; long values are cut
 * after MAX_SHOWN items with "...". Nesting deeper than MAX_DEPTH is not shown.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include <arbor/kernel.h>
#include <arbor/platform.h>

#define MAX_DEPTH  16
#define MAX_SHOWN  16

static unsigned nodes, properties;

static void indent(int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", stdout);
}

static bool printable_strings(const char *v, int len)
{
	if (len == 0 || v[len - 1] != '\0' || v[0] == '\0')
		return false;
	for (int i = 0; i < len; i++) {
		if (v[i] == '\0') {
			if (i + 1 < len && v[i + 1] == '\0')
				return false;	/* an empty string inside: not text */
		} else if (!isprint((unsigned char)v[i])) {
			return false;
		}
	}
	return true;
}

static void print_value(const unsigned char *v, int len)
{
	if (len == 0) {
		fputs(";\n", stdout);
		return;
	}
	fputs(" = ", stdout);
	if (printable_strings((const char *)v, len)) {
		int shown = 0;
		for (int pos = 0; pos < len && shown < MAX_SHOWN; shown++) {
			printf("%s\"%s\"", shown ? ", " : "", (const char *)v + pos);
			pos += (int)strlen((const char *)v + pos) + 1;
		}
	} else if (len % 4 == 0) {
		fputs("<", stdout);
		for (int i = 0; i < len / 4; i++) {
			if (i == MAX_SHOWN) {
				fputs(" ...", stdout);
				break;
			}
			uint32_t cell = (uint32_t)v[4 * i] << 24 | (uint32_t)v[4 * i + 1] << 16 |
					(uint32_t)v[4 * i + 2] << 8 | v[4 * i + 3];
			printf("%s0x%x", i ? " " : "", (unsigned)cell);
		}
		fputs(">", stdout);
	} else {
		fputs("[", stdout);
		for (int i = 0; i < len && i < MAX_SHOWN; i++)
			printf("%s%02x", i ? " " : "", v[i]);
		fputs(len > MAX_SHOWN ? " ...]" : "]", stdout);
	}
	fputs(";\n", stdout);
}

static void print_node(const void *fdt, int node, int depth)
{
	const char *name = fdt_get_name(fdt, node, NULL);
	int prop, child;

	nodes++;
	indent(depth);
	printf("%s {\n", depth ? (name ? name : "?") : "/");
	fdt_for_each_property_offset(prop, fdt, node) {
		const char *pname;
		int len;
		const void *v = fdt_getprop_by_offset(fdt, prop, &pname, &len);

		if (!v)
			continue;
		properties++;
		indent(depth + 1);
		fputs(pname, stdout);
		print_value(v, len);
	}
	if (depth + 1 < MAX_DEPTH) {
		fdt_for_each_subnode(child, fdt, node)
			print_node(fdt, child, depth + 1);
	} else {
		char path[128];
		indent(depth + 1);
		printf("/* children of %s not shown */\n", fdt_get_path(fdt, node, path, sizeof(path)) ? "<a long path>" : path);
	}
	indent(depth);
	fputs("};\n", stdout);
}

int app_main(void)
{
	const void *fdt = (const void *)(uintptr_t)platform.dtb.base;

	printf("dtexplorer: DTB of %lu bytes, version %u, %u reserved-memory entries\n",
	       (unsigned long)platform.dtb.size, (unsigned)fdt_version(fdt), (unsigned)fdt_num_mem_rsv(fdt));
	print_node(fdt, 0, 0);
	printf("dtexplorer: %u nodes, %u properties\n", nodes, properties);
	return 0;
}
