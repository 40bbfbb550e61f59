/*
 * dtprobe --svg: a drawing of the physical address map, for teaching.
 *
 * A DTB's ranges run from a few KiB of UART to banks of RAM above 1 TiB, so a linear scale
 * would show a few lines and a lot of nothing. Instead the map is cut at every address where
 * a region starts or ends; each piece gets a row whose height grows with log2 of its size,
 * and a piece no region covers is drawn as a break of fixed height with its size written in
 * it. Addresses grow downward and are written on the axis at every cut. Regions that overlap
 * (a reserved range inside a RAM bank) are put side by side in lanes, so both stay readable.
 * A red dashed line marks where this build's identity map ends. Each region names the node it
 * comes from, and a region a bus's ranges moved shows its bus address beside the CPU one.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dtprobe.h"

typedef unsigned __int128 u128;

/* Geometry, in SVG user units (pixels at 100%). */
#define TOP        96	/* below the title */
#define AXIS_X     190	/* the address axis; labels end left of it */
#define LANES_X    204	/* left edge of lane 0 */
#define LANE_W     380
#define LANE_GAP   14
#define LEGEND_W   300
#define ROW_MIN    44	/* the smallest region row: three lines of text */
#define ROW_PER_DOUBLING 4.5	/* extra height per doubling of size beyond 4 KiB */
#define GAP_H      36
#define NAME_CHARS 54	/* what fits in a lane at 12px */
#define PATH_CHARS 56	/* ... and in the 11px monospace of node paths */

struct kind_style {
	const char *fill, *stroke;
	bool hatch, dashed;
};

static const struct kind_style styles[REGION_KINDS] = {
	[REGION_RAM] = { "#cfe8c0", "#4f7f32", false, false },
	[REGION_RAM_UNUSABLE] = { "#e4e4e4", "#808080", true, false },
	[REGION_RESERVED] = { "#f8cbad", "#c55a11", true, false },
	[REGION_GIC] = { "#bdd7ee", "#2f5597", false, false },
	[REGION_UART] = { "#dccbee", "#7030a0", false, false },
	[REGION_GNTTAB] = { "#ffe699", "#b08600", false, false },
	[REGION_EXTENDED] = { "#d3f0f2", "#1f7a80", false, true },
	[REGION_DEVICE] = { "#eeeeee", "#6f6f6f", false, false },
};

/*
 * "0x40000000": Arbor's one spelling of an address, in text and drawings alike (0x, lowercase
 * hex digits, no padding, no separators), as the boot summary and dtprobe --explain print.
 */
static const char *fmt_addr(u128 v, char buf[48])
{
	char digits[40];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[(unsigned)(v & 15)];
		v >>= 4;
	} while (v);
	char *p = buf;
	*p++ = '0';
	*p++ = 'x';
	while (n)
		*p++ = digits[--n];
	*p = '\0';
	return buf;
}

/*
 * A size in words: exact in the largest unit that divides it ("2944 MiB") while that stays
 * short, else rounded in the largest unit it reaches ("~1.31 GiB").
 */
static const char *fmt_size(u128 size, char buf[32])
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned top = 0, exact = 0;
	u128 div = 1;

	while (top + 1 < ARRAY_SIZE(units) && size >= div * 1024) {
		div *= 1024;
		top++;
	}
	while (exact < top && size % ((u128)1 << (10 * (exact + 1))) == 0)
		exact++;
	u128 in_exact = size >> (10 * exact);
	if (in_exact < 10000)
		snprintf(buf, 32, "%llu %s", (unsigned long long)in_exact, units[exact]);
	else
		snprintf(buf, 32, "~%.3g %s", (double)size / (double)div, units[top]);
	return buf;
}

/*
 * Text from the DTB made safe for XML: markup characters escaped, and anything that is not
 * printable ASCII shown as '?' (the DTB promises no encoding). Cut to max characters.
 */
static void put_text(FILE *out, const char *s, size_t max)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i + 1 == max && n > max) {
			fputs("\u2026", out);
			break;
		}
		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(c >= 0x20 && c < 0x7f ? c : '?', out); break;
		}
	}
}

static double row_height(u128 size)
{
	double pages = (double)size / 4096.0;
	return ROW_MIN + (pages > 1 ? ROW_PER_DOUBLING * log2(pages) : 0);
}

static int cmp_u128(const void *a, const void *b)
{
	u128 x = *(const u128 *)a, y = *(const u128 *)b;
	return x < y ? -1 : x > y;
}

/* The cuts: 0, every region's start and end, and the limit; sorted, each once. */
static size_t cuts_of(const struct addrmap *map, uint64_t limit, u128 *cuts)
{
	size_t n = 0;

	cuts[n++] = 0;
	if (limit)
		cuts[n++] = limit;
	for (size_t i = 0; i < map->count; i++) {
		cuts[n++] = map->regions[i].base;
		cuts[n++] = map->regions[i].end;
	}
	qsort(cuts, n, sizeof(*cuts), cmp_u128);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || cuts[i] != cuts[m - 1])
			cuts[m++] = cuts[i];
	return m;
}

static size_t cut_index(const u128 *cuts, size_t n, u128 v)
{
	const u128 *p = bsearch(&v, cuts, n, sizeof(*cuts), cmp_u128);
	return p ? (size_t)(p - cuts) : 0;
}

/* Whether a region covers the row [lo, hi); rows never straddle a region's edge. */
static bool covered(const struct addrmap *map, u128 lo, u128 hi)
{
	for (size_t i = 0; i < map->count; i++)
		if (map->regions[i].base <= lo && map->regions[i].end >= hi)
			return true;
	return false;
}

/* Lanes: each region goes in the first lane whose last region ended at or before it starts. */
static unsigned assign_lanes(const struct addrmap *map, unsigned *lane)
{
	u128 *lane_end = calloc(map->count + 1, sizeof(*lane_end));
	unsigned nlanes = 1;

	if (!lane_end)
		return 0;
	for (size_t i = 0; i < map->count; i++) {
		unsigned l = 0;
		while (l < nlanes && lane_end[l] > map->regions[i].base)
			l++;
		if (l == nlanes)
			nlanes++;
		lane[i] = l;
		lane_end[l] = map->regions[i].end;
	}
	free(lane_end);
	return nlanes;
}

static void draw_defs(FILE *out)
{
	fputs("<defs>\n", out);
	for (int k = 0; k < REGION_KINDS; k++)
		if (styles[k].hatch)
			fprintf(out, "<pattern id=\"hatch%d\" patternUnits=\"userSpaceOnUse\" width=\"8\" "
				"height=\"8\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" "
				"x2=\"0\" y2=\"8\" stroke=\"%s\" stroke-width=\"1.5\" "
				"stroke-opacity=\"0.45\"/></pattern>\n", k, styles[k].stroke);
	fputs("</defs>\n", out);
}

static void draw_box(FILE *out, enum region_kind k, double x, double y, double w, double h)
{
	const struct kind_style *s = &styles[k];

	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" "
		"fill=\"%s\" stroke=\"%s\" stroke-width=\"1.2\"%s/>\n", x, y, w, h, s->fill, s->stroke,
		s->dashed ? " stroke-dasharray=\"5,3\"" : "");
	if (s->hatch)
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" "
			"fill=\"url(#hatch%d)\"/>\n", x, y, w, h, (int)k);
}

static void draw_region(FILE *out, const struct region *r, double x, double y0, double y1)
{
	char a[48], b[48], sz[32];
	double mid = (y0 + y1) / 2;

	fprintf(out, "<g><title>");
	put_text(out, r->name, sizeof(r->name));
	if (r->path[0]) {
		fputs(", ", out);
		put_text(out, r->path, sizeof(r->path));
	}
	fprintf(out, "</title>\n");
	draw_box(out, r->kind, x, y0, LANE_W, y1 - y0);
	double line = r->path[0] ? mid - 8 : mid - 2;
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"name\">", x + 8, line);
	put_text(out, r->name, NAME_CHARS);
	fprintf(out, "</text>\n");
	if (r->path[0]) {
		line += 13;
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"path\">", x + 8, line);
		put_text(out, r->path, PATH_CHARS);
		fprintf(out, "</text>\n");
	}
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"range\">%s \u2013 %s \u00b7 %s", x + 8,
		line + 14, fmt_addr(r->base, a), fmt_addr(r->end - 1, b), fmt_size(r->end - r->base, sz));
	if (r->translated)
		fprintf(out, " \u00b7 bus address %s", fmt_addr(r->bus, a));
	fprintf(out, "</text>\n</g>\n");
}

/* A break: two zigzags across the lanes with the size of what is skipped between them. */
static void draw_gap(FILE *out, double y0, double y1, double width, u128 size)
{
	char sz[32];
	double x0 = AXIS_X - 6, x1 = LANES_X + width;

	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f7f7f7\"/>\n",
		x0, y0 + 6, x1 - x0, y1 - y0 - 12);
	for (int line = 0; line < 2; line++) {
		double y = line ? y1 - 6 : y0 + 6;
		fprintf(out, "<polyline class=\"break\" points=\"");
		for (double x = x0; x <= x1 + 0.1; x += 8)
			fprintf(out, "%.1f,%.1f ", x, y + (((int)((x - x0) / 8)) % 2 ? 3 : -3));
		fprintf(out, "\"/>\n");
	}
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"gap\">gap of %s (%s bytes)</text>\n",
		LANES_X + 8.0, (y0 + y1) / 2 + 4, fmt_size(size, sz),
		fmt_addr(size, (char[48]){ 0 }));
}

/* How tall draw_legend() will draw, known before the document's size is written. */
static double legend_height(const struct addrmap *map, uint64_t limit)
{
	bool present[REGION_KINDS] = { false };
	double h = 18 + 22 + (limit ? 22 : 0) + 50;

	for (size_t i = 0; i < map->count; i++)
		present[map->regions[i].kind] = true;
	for (int k = 0; k < REGION_KINDS; k++)
		h += present[k] ? 22 : 0;
	return h;
}

static void draw_legend(FILE *out, const struct addrmap *map, double x, const char *arch,
			  uint64_t limit)
{
	bool present[REGION_KINDS] = { false };
	double y = TOP;
	char sz[32];

	for (size_t i = 0; i < map->count; i++)
		present[map->regions[i].kind] = true;
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"legendtitle\">Legend</text>\n", x, y + 4);
	y += 18;
	for (int k = 0; k < REGION_KINDS; k++) {
		if (!present[k])
			continue;
		draw_box(out, k, x, y, 18, 14);
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">%s</text>\n", x + 26, y + 11,
			region_kind_name(k));
		y += 22;
	}
	fprintf(out, "<polyline class=\"break\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n",
		x, y + 9, x + 9, y + 3, x + 18, y + 9);
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">gap: nothing Arbor uses "
		"is there</text>\n", x + 26, y + 11);
	y += 22;
	if (limit) {
		fprintf(out, "<line class=\"limit\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			x, y + 7, x + 18, y + 7);
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">end of the %s identity "
			"map (%s)</text>\n", x + 26, y + 11, arch, fmt_size(limit, sz));
		y += 22;
	}
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"note\">Not to scale: row heights grow "
		"with log2(size).</text>\n", x, y + 16);
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"note\">Addresses grow downward; each "
		"range is</text>\n", x, y + 30);
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"note\">first \u2013 last byte.</text>\n",
		x, y + 44);
}

int svg_write(FILE *out, const struct addrmap *map, const char *title, const char *arch,
	      uint64_t limit)
{
	u128 *cuts = malloc((2 * map->count + 2) * sizeof(*cuts));
	double *ys = malloc((2 * map->count + 2) * sizeof(*ys));
	unsigned *lane = malloc((map->count + 1) * sizeof(*lane));
	char a[48], sz[32];
	int ret = -1;

	if (!cuts || !ys || !lane)
		goto out;
	unsigned nlanes = assign_lanes(map, lane);
	if (!nlanes)
		goto out;
	size_t ncuts = cuts_of(map, limit, cuts);

	/* Row k is [cuts[k], cuts[k+1]): a region's row if any region covers it, else a break. */
	double y = TOP;
	for (size_t k = 0; k + 1 < ncuts; k++) {
		ys[k] = y;
		y += covered(map, cuts[k], cuts[k + 1]) ? row_height(cuts[k + 1] - cuts[k]) : GAP_H;
	}
	ys[ncuts - 1] = y;

	double lanes_w = nlanes * (LANE_W + LANE_GAP) - LANE_GAP;
	double legend_x = LANES_X + lanes_w + 36;
	double width = legend_x + LEGEND_W;
	double height = MAX(y, TOP + legend_height(map, limit)) + 40;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n",
		width, height, width, height);
	fputs("<style>\n"
	      ".title{font-size:20px;font-weight:bold;fill:#222}\n"
	      ".subtitle{font-size:12.5px;fill:#555}\n"
	      ".name{font-size:12px;font-weight:bold;fill:#222}\n"
	      ".path{font-size:11px;fill:#333;font-family:'DejaVu Sans Mono',monospace}\n"
	      ".range{font-size:11px;fill:#333;font-family:'DejaVu Sans Mono',monospace}\n"
	      ".addr{font-size:11px;fill:#444;font-family:'DejaVu Sans Mono',monospace;text-anchor:end}\n"
	      ".gap{font-size:11.5px;font-style:italic;fill:#777}\n"
	      ".legendtitle{font-size:14px;font-weight:bold;fill:#222}\n"
	      ".legend{font-size:12px;fill:#222}\n"
	      ".note{font-size:11.5px;fill:#666}\n"
	      ".break{fill:none;stroke:#aaa;stroke-width:1.2}\n"
	      ".limit{stroke:#d00;stroke-width:2;stroke-dasharray:8,4}\n"
	      ".limittext{font-size:11.5px;fill:#d00;font-weight:bold;text-anchor:end;"
	      "stroke:white;stroke-width:3px;paint-order:stroke}\n"
	      ".axis{stroke:#555;stroke-width:1}\n"
	      "</style>\n", out);
	draw_defs(out);
	fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(out, "<text x=\"20\" y=\"34\" class=\"title\">Physical address map of ");
	put_text(out, title, 120);
	fprintf(out, "</text>\n<text x=\"20\" y=\"56\" class=\"subtitle\">as Arbor's platform/ "
		"reads it for an %s build: %zu region%s; not to scale (heights grow with log2 of the "
		"size), gaps shown as breaks</text>\n", arch, map->count, map->count == 1 ? "" : "s");
	fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"subtitle\" text-anchor=\"end\">address</text>\n",
		AXIS_X - 8, TOP - 12);

	for (size_t k = 0; k + 1 < ncuts; k++)
		if (!covered(map, cuts[k], cuts[k + 1]))
			draw_gap(out, ys[k], ys[k + 1], lanes_w, cuts[k + 1] - cuts[k]);
	for (size_t i = 0; i < map->count; i++) {
		const struct region *r = &map->regions[i];
		draw_region(out, r, LANES_X + lane[i] * (LANE_W + LANE_GAP),
			    ys[cut_index(cuts, ncuts, r->base)], ys[cut_index(cuts, ncuts, r->end)]);
	}

	fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\"/>\n", AXIS_X, TOP,
		AXIS_X, ys[ncuts - 1]);
	for (size_t k = 0; k < ncuts; k++) {
		fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			AXIS_X - 5, ys[k], AXIS_X, ys[k]);
		fprintf(out, "<text x=\"%d\" y=\"%.1f\" class=\"addr\">%s</text>\n", AXIS_X - 8,
			ys[k] + 4, fmt_addr(cuts[k], a));
	}
	if (limit) {
		/* The label goes below the line where nothing follows it, else above it. */
		size_t at = cut_index(cuts, ncuts, limit);
		double ly = ys[at];
		bool last = at == ncuts - 1;
		fprintf(out, "<line class=\"limit\" x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			AXIS_X - 5, ly, LANES_X + lanes_w, ly);
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"limittext\">end of the %s identity "
			"map (%s)</text>\n", LANES_X + lanes_w - 6, last ? ly + 16 : ly - 5, arch,
			fmt_size(limit, sz));
	}

	draw_legend(out, map, legend_x, arch, limit);
	fputs("</svg>\n", out);
	ret = ferror(out) ? -1 : 0;
out:
	free(cuts);
	free(ys);
	free(lane);
	return ret;
}
