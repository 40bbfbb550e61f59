/*
 * The printk backend (include/arbor/printk.h) of host unit tests; the front-end is the
 * kernel's own lib/printk.c.
 *
 * The kernel's backend writes to the Xen console; this one formats with the kernel's own
 * lib/format.c into buffers a test can read, so a test asserts the exact text a user would
 * see (without the "error: " / "warning: " prefix, which is the kernel backend's business,
 * not the caller's). Of warnings and errors only the last of each kind is kept, plus a count,
 * which is enough for code that stops at its first error; of printk() and pr_info() text, the
 * last HOST_MSG_MAX bytes since the last reset. Nothing is printed: a passing run stays quiet,
 * and a panic fails the test with its message.
 *
 * Tests read what it recorded through host_printk.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arbor/format.h>
#include <arbor/printk.h>

#include "host_printk.h"

/* Long enough for any message in the kernel; format_buf cuts, never overflows. */
#define HOST_MSG_MAX  512

char host_last_err[HOST_MSG_MAX];
char host_last_warn[HOST_MSG_MAX];
char host_text[HOST_MSG_MAX];
unsigned host_err_count;
unsigned host_warn_count;

/* Forget earlier messages; each test starts with this. */
void host_printk_reset(void)
{
	host_last_err[0] = '\0';
	host_last_warn[0] = '\0';
	host_text[0] = '\0';
	host_err_count = 0;
	host_warn_count = 0;
}

static void put(const char *s, size_t n)
{
	size_t len = strlen(host_text);

	/* Keep the latest text: drop the oldest when full. */
	if (n >= sizeof(host_text)) {
		s += n - (sizeof(host_text) - 1);
		n = sizeof(host_text) - 1;
	}
	if (len + n >= sizeof(host_text)) {
		size_t drop = len + n - (sizeof(host_text) - 1);
		memmove(host_text, host_text + drop, len - drop + 1);
		len -= drop;
	}
	memcpy(host_text + len, s, n);
	host_text[len + n] = '\0';
}

static void message(enum printk_kind kind, const char *fmt, va_list ap)
{
	if (kind == PRINTK_ERR) {
		vformat_buf(host_last_err, sizeof(host_last_err), fmt, ap);
		host_err_count++;
	} else {
		vformat_buf(host_last_warn, sizeof(host_last_warn), fmt, ap);
		host_warn_count++;
	}
}

static void flush(void)
{
}

static void crash(const char *fmt, va_list ap)
{
	char msg[HOST_MSG_MAX];

	vformat_buf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "panic: %s", msg);
	abort();
}

const struct printk_backend printk_backend = {
	.put = put, .message = message, .flush = flush, .panic = crash,
};
