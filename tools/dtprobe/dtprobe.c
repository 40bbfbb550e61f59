/*
 * dtprobe: what would Arbor make of this DTB? Run on the build machine, it validates a DTB
 * and describes the platform with the kernel's own fdt/ and platform/ code (the same source
 * files, compiled for the host), then prints the boot summary or the probe=json object, and
 * can draw the physical address map as an SVG.
 *
 * It is for checking a board's DTB before booting on it, for seeing what Xen hands a guest,
 * and for the tests: tools/check-boards.py compares its JSON with an independent decoder.
 * A DTB Arbor would refuse is refused here with the kernel's own message, as one line on
 * stderr and exit status 1, so scripts can tell "bad DTB" from "bad invocation" (status 2).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/format.h>
#include <arbor/platform.h>
#include <arbor/printk.h>

#include "dtprobe.h"

/* Far above any real DTB (the kernel takes 2 MiB); a bound so a wrong file is not slurped. */
#define MAX_FILE  (16u * 1024 * 1024)

#define USAGE_LINE \
	"usage: dtprobe [--json [--hex]] [--svg FILE] [--arch arm64|arm32] FILE.dtb\n" \
	"       dtprobe --explain PATH|--explain-all [--arch arm64|arm32] FILE.dtb\n"

static const char usage[] =
	USAGE_LINE
	"\n"
	"Describe a device tree blob the way Arbor's kernel does at boot (the same fdt/ and\n"
	"platform/ code, built for this machine), and print the boot summary.\n"
	"\n"
	"  --json         print the probe=json object instead (schema: docs/platform-json.md)\n"
	"  --svg FILE     also draw the physical address map (RAM, reserved ranges, GIC, UARTs,\n"
	"                 Xen's grant table and extended regions) as an SVG image in FILE\n"
	"  --explain PATH every step Arbor takes to read the node at PATH (or an alias): the\n"
	"                 bytes of reg and interrupts and where they lie in the blob, the cell\n"
	"                 counts and the node each came from, bus address, ranges hops and CPU\n"
	"                 address, the interrupt parent and each specifier decoded, the\n"
	"                 compatible strings tried and the driver that matched; then whether\n"
	"                 the kernel would accept the whole tree. Works on any tree, even one\n"
	"                 Arbor could not boot from (docs/device-tree-probing.md)\n"
	"  --explain-all  the same for every node, in tree order\n"
	"  --hex          with --json: addresses and sizes as \"0x...\" strings, for people\n"
	"                 (the default, plain integers, is for programs)\n"
	"  --arch ARCH    the build to act as: arm64 (default) addresses 256 TiB, arm32 4 GiB;\n"
	"                 memory beyond that is listed as unusable\n"
	"  -h, --help     show this help\n"
	"\n"
	"Exit status: 0 described (with --explain: explained, whatever the verdict), 1 the DTB\n"
	"is unusable (one line on stderr says why), 2 bad arguments.\n";

/*
 * The reports arrive a few bytes at a time (each literal run and field of a format): they are
 * gathered here and handed to stdio in large pieces, as an fwrite() per piece cost about as
 * much as probing a small DTB. out_flush() before anything else writes to stdout.
 */
static char out_buf[4096];
static size_t out_len;

static void out_flush(void)
{
	fwrite(out_buf, 1, out_len, stdout);
	out_len = 0;
}

static void out_put(struct sink *sink, const char *s, size_t n)
{
	(void)sink;
	if (out_len + n > sizeof(out_buf))
		out_flush();
	if (n > sizeof(out_buf)) {
		fwrite(s, 1, n, stdout);
		return;
	}
	memcpy(out_buf + out_len, s, n);
	out_len += n;
}

static struct sink stdout_sink = { .put = out_put };

/* The one line a failure leaves, then exit 1. */
static __noreturn void fail(const char *file, const char *fmt, ...) __printf(2, 3);

static __noreturn void fail(const char *file, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dtprobe: %s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* The whole file in a malloc'd buffer; fails (exits) on a read error or a file too big. */
static void *read_file(const char *file, size_t *size)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		fail(file, "%s", strerror(errno));

	size_t cap = 64 * 1024, len = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			fail(file, "out of memory");
		len += fread(buf + len, 1, cap - len, f);
		if (ferror(f))
			fail(file, "read error: %s", strerror(errno));
		if (len > MAX_FILE)
			fail(file, "larger than the %u MiB dtprobe reads; not a DTB", MAX_FILE >> 20);
		if (feof(f))
			break;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	fclose(f);
	*size = len;
	return buf;
}

/*
 * --explain, --explain-all: the steps for one node or all, then the verdict the kernel would
 * give the whole tree, with its own message when it refuses. Explaining needs no probed
 * platform, so a fragment is explained all the same.
 */
static int explain_tree(const struct dt *dt, const char *file, const char *path, const char *arch)
{
	static struct platform plat;

	if (path) {
		int node = dt_find_node(dt, path, strlen(path));
		if (node < 0)
			fail(file, "--explain %s: no such node (%s)", path, dt_strerror(node));
		platform_explain_node(dt, node, &stdout_sink);
	} else {
		platform_explain_all(dt, &stdout_sink);
	}
	out_flush();	/* before the verdict, which printf() writes */

	plat.addr_limit = strcmp(arch, "arm32") ? 1ull << 48 : 1ull << 32;
	printk_set_quiet(true);
	console_hold();
	int err = platform_probe(&plat, dt);
	const char *why = console_error();
	if (err || why)
		printf("\nverdict: the kernel refuses this tree: %s\n", why ? why : "(no message: a bug)");
	else
		printf("\nverdict: the kernel accepts this tree\n");
	console_discard();
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}

static void write_svg(const char *svg, const char *file, const struct platform *plat,
		      const struct dt *dt, const char *arch)
{
	struct addrmap map = { 0 };

	if (addrmap_build(&map, plat, dt) < 0)
		fail(svg, "out of memory");
	FILE *f = fopen(svg, "w");
	if (!f)
		fail(svg, "%s", strerror(errno));
	const char *name = strrchr(file, '/');	/* the title names the file, not where it was */
	int err = svg_write(f, &map, name ? name + 1 : file, arch, plat->addr_limit);
	if (fclose(f) || err)
		fail(svg, "write error: %s", strerror(errno));
	addrmap_free(&map);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 's' },
		{ "arch", required_argument, NULL, 'a' },
		{ "explain", required_argument, NULL, 'e' },
		{ "explain-all", no_argument, NULL, 'E' },
		{ "hex", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *svg = NULL, *arch = "arm64", *explain = NULL;
	bool json = false, explain_all = false, hex = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 's':
			svg = optarg;
			break;
		case 'a':
			arch = optarg;
			break;
		case 'e':
			explain = optarg;
			break;
		case 'E':
			explain_all = true;
			break;
		case 'x':
			hex = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(USAGE_LINE "try 'dtprobe --help' for more\n", stderr);
			return 2;
		}
	}
	if (strcmp(arch, "arm64") && strcmp(arch, "arm32")) {
		fprintf(stderr, "dtprobe: --arch must be arm64 or arm32, not '%s'\n", arch);
		return 2;
	}
	if ((hex && !json) || ((explain || explain_all) && (json || svg)) || (explain && explain_all)) {
		fputs("dtprobe: --hex goes with --json; --explain and --explain-all go alone\n", stderr);
		return 2;
	}
	if (optind + 1 != argc) {
		fputs(USAGE_LINE "try 'dtprobe --help' for more\n", stderr);
		return 2;
	}
	const char *file = argv[optind];

	size_t size;
	void *fdt = read_file(file, &size);
	/* The index takes what this DTB can need (dt_index_size), up to DT_MAX_NODES' 128 KiB. */
	size_t need = dt_index_size(fdt, size);
	void *storage = malloc(need ? need : 1);
	struct dt dt;
	if (!storage)
		fail(file, "out of memory for the index (%zu bytes)", need);
	int err = dt_index(&dt, fdt, size, storage, need);
	if (err == DT_ERR_TOODEEP || err == DT_ERR_NODES)
		fail(file, "not a usable device tree blob: %s; it has %u nodes, %u properties, depth %u",
		     dt_strerror(err), dt.nnodes, dt.nprops, dt.depth);
	if (err)
		fail(file, "not a usable device tree blob: %s", dt_strerror(err));

	if (explain || explain_all)
		return explain_tree(&dt, file, explain, arch);

	/*
	 * What each build's identity map reaches: arm64 maps 48 bits of physical address, arm32
	 * (LPAE, but a 32-bit virtual address space mapped one to one) the low 4 GiB.
	 */
	static struct platform plat;
	plat.addr_limit = strcmp(arch, "arm32") ? 1ull << 48 : 1ull << 32;

	/* With --json, stdout carries the object alone: boot chatter would make it unparsable. */
	printk_set_quiet(json);
	console_hold();
	err = platform_probe(&plat, &dt);
	if (err || console_error()) {
		const char *why = console_error();
		console_discard();
		if (why)
			fail(file, "%s", why);
		fail(file, "platform probe failed (error %d) without saying why: a bug in Arbor", err);
	}

	if (svg)
		write_svg(svg, file, &plat, &dt, arch);
	console_release(json ? stderr : stdout);
	if (json)
		platform_report_json_opts(&plat, &stdout_sink, hex);
	else
		platform_report_summary(&plat, &stdout_sink);
	out_flush();
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "dtprobe: stdout: write error\n");
		return 1;
	}
	free(storage);
	free(fdt);
	return 0;
}
