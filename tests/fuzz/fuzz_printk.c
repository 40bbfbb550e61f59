/*
 * The fuzz targets' printk backend (tests/fuzz/fuzz.h); the front-end is the kernel's own
 * lib/printk.c. Nothing is printed: libFuzzer's own output is what a run shows.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <arbor/format.h>
#include <arbor/printk.h>

#include "fuzz.h"

unsigned fuzz_errors;
char fuzz_last_error[512];

static void discard(struct sink *sink, const char *s, size_t n)
{
	(void)sink;
	(void)s;
	(void)n;
}

struct sink fuzz_discard_sink = { .put = discard };

static void put(const char *s, size_t n)
{
	(void)s;
	(void)n;
}

static void message(enum printk_kind kind, const char *fmt, va_list ap)
{
	if (kind == PRINTK_WARN) {
		vformat(&fuzz_discard_sink, fmt, ap);
		return;
	}
	vformat_buf(fuzz_last_error, sizeof(fuzz_last_error), fmt, ap);
	fuzz_errors++;
}

static void flush(void)
{
}

/* platform/ returns errors and never panics: reaching this is a finding. */
static void crash(const char *fmt, va_list ap)
{
	char msg[512];

	vformat_buf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "fuzz: panic called: %s\n", msg);
	abort();
}

/* The fuzzer's printk backend: the front-end is the kernel's lib/printk.c. */
const struct printk_backend printk_backend = {
	.put = put, .message = message, .flush = flush, .panic = crash,
};


void fuzz_printk_reset(void)
{
	fuzz_errors = 0;
	fuzz_last_error[0] = '\0';
}

void fuzz_fail(const char *target, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", target);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
