/*
 * What platform/why.c shares with platform/explain.c: the pieces of a reg explanation.
 * Private to platform/.
 */
#ifndef PLATFORM_WHY_H
#define PLATFORM_WHY_H

#include <arbor/dt.h>
#include <arbor/format.h>

/* Node paths in messages and explanations; longer ones are cut by dt_path. */
#define PATH_MAX_LEN  128

/* reg entries, ranges windows and specifiers told per node; more are counted, not told. */
#define EXPLAIN_MAX_ENTRIES  16

/* The error's name alone ("FDT_ERR_BADVALUE"), from dt_strerror's words, in buf. */
const char *why_err_name(int err, char *buf, size_t size);

/* "#address-cells = 2 from /", "#size-cells = 1 (default: /soc has none)". */
void why_cells(const struct dt *dt, struct sink *out, const char *name, const struct dt_cells *c,
	       int owner);

/* Both cells node's reg is read with, from a trace of it. */
void why_reg_cells(const struct dt *dt, int node, const struct dt_reg_trace *t, struct sink *out);

/* A ranges window: "0x0-0xfffff -> 0x1200000". */
void why_window(struct sink *out, uint64_t child, uint64_t parent, uint64_t length);

/* Why the traced entry index did not read (the trace failed). */
void why_reg(const struct dt *dt, int node, int index, const struct dt_reg_trace *t,
		 struct sink *out);

/* A sink into a fixed buffer, cut (never overflowing) when full. */
struct buf_sink {
	struct sink sink;
	char *buf;
	size_t size, len;
};
void why_buf_put(struct sink *sink, const char *s, size_t n);

#endif
