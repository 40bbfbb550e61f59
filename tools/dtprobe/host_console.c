/*
 * dtprobe's printk backend (include/arbor/printk.h); the front-end is the kernel's own
 * lib/printk.c.
 *
 * platform/ reports through pr_err/pr_warn/pr_info/printk exactly as it does in the kernel;
 * here those words are routed so that the tool behaves like a Unix tool:
 *   - pr_err: the probe is failing. Its first message becomes the one line dtprobe prints
 *     ("dtprobe: FILE: <message>"); later ones are consequences and are dropped.
 *   - pr_warn: "dtprobe: warning: <message>" on stderr.
 *   - pr_info, printk: the console text, on stdout (or wherever console_release sends it).
 *   - panic: platform/ must never call it (it returns errors instead), so reaching it is a
 *     bug in the kernel code: say so and abort, which leaves a core to debug.
 * While a probe runs all of it is held in memory, so that a DTB that fails leaves nothing on
 * stdout and nothing on stderr but the error line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arbor/format.h>
#include <arbor/printk.h>

#include "dtprobe.h"

/* Longer than any kernel message; longer ones are cut (vformat_buf never overflows). */
#define MSG_MAX  1024

static bool holding;
static char *held_text, *held_warn;
static size_t held_text_len, held_warn_len;
static FILE *text_stream, *warn_stream;
static char first_error[MSG_MAX];
static bool have_error;

/*
 * The held streams are opened when the first word is held, not by console_hold(): most
 * probes say nothing, and opening two memory streams cost more than probing a small DTB.
 * If memory runs out the output goes straight through: worse, but still correct.
 */
static FILE *held(FILE **stream, char **buf, size_t *len, FILE *otherwise)
{
	if (!holding)
		return otherwise;
	if (!*stream)
		*stream = open_memstream(buf, len);
	return *stream ? *stream : otherwise;
}

/* Where console text goes now: the held stream, or stdout. */
static FILE *text_out(void)
{
	return held(&text_stream, &held_text, &held_text_len, stdout);
}

static void put(const char *s, size_t n)
{
	fwrite(s, 1, n, text_out());
}

static void close_streams(void)
{
	if (text_stream)
		fclose(text_stream);
	if (warn_stream)
		fclose(warn_stream);
	text_stream = warn_stream = NULL;
}

void console_hold(void)
{
	console_discard();
	holding = true;
	have_error = false;
	first_error[0] = '\0';
}

void console_release(FILE *out)
{
	close_streams();
	if (held_text)
		fwrite(held_text, 1, held_text_len, out);
	if (held_warn)
		fwrite(held_warn, 1, held_warn_len, stderr);
	console_discard();
}

void console_discard(void)
{
	close_streams();
	free(held_text);
	free(held_warn);
	held_text = held_warn = NULL;
	held_text_len = held_warn_len = 0;
	holding = false;
}

const char *console_error(void)
{
	return have_error ? first_error : NULL;
}

/*
 * Format one message and make it a single line: trailing newlines go, inner ones become
 * "; " so that a message cannot break the tool's one-line error contract.
 */
static void format_line(char *buf, size_t size, const char *fmt, va_list ap)
{
	vformat_buf(buf, size, fmt, ap);
	size_t len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n' || buf[i] == '\r')
			buf[i] = ';';
}

static void message(enum printk_kind kind, const char *fmt, va_list ap)
{
	char msg[MSG_MAX];

	format_line(msg, sizeof(msg), fmt, ap);
	if (kind == PRINTK_WARN) {
		fprintf(held(&warn_stream, &held_warn, &held_warn_len, stderr), "dtprobe: warning: %s\n",
			msg);
	} else if (!holding) {
		fprintf(stderr, "dtprobe: error: %s\n", msg);
	} else if (!have_error) {
		memcpy(first_error, msg, sizeof(first_error));
		have_error = true;
	}
}

static void flush(void)
{
	fflush(text_out());
}

static void crash(const char *fmt, va_list ap)
{
	char msg[MSG_MAX];

	format_line(msg, sizeof(msg), fmt, ap);
	fflush(stdout);
	fprintf(stderr, "dtprobe: panic: %s\n"
		"dtprobe: platform/ must return errors, not panic: this is a bug in Arbor\n", msg);
	abort();
}

const struct printk_backend printk_backend = {
	.put = put, .message = message, .flush = flush, .panic = crash,
};
