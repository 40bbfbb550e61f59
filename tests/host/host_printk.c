/*
 * pr_err(), pr_warn() and panic() for host unit tests of kernel code that reports errors.
 *
 * The kernel's versions write to the Xen console; these format with the kernel's own
 * lib/format.c into buffers a test can read, so a test asserts the exact text a user would
 * see (without the "error: " / "warning: " prefix, which is printk's business, not the
 * caller's). Only the last message of each kind is kept, plus a count, which is enough for
 * code that stops at its first error. Nothing is printed: a passing run stays quiet.
 *
 * Tests read what it recorded through host_printk.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include <arbor/format.h>
#include <arbor/printk.h>

#include "host_printk.h"

/* Long enough for any message in the kernel; format_buf cuts, never overflows. */
#define HOST_MSG_MAX  512

char host_last_err[HOST_MSG_MAX];
char host_last_warn[HOST_MSG_MAX];
unsigned host_err_count;
unsigned host_warn_count;

/* Forget earlier messages; each test starts with this. */
void host_printk_reset(void)
{
	host_last_err[0] = '\0';
	host_last_warn[0] = '\0';
	host_err_count = 0;
	host_warn_count = 0;
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat_buf(host_last_err, sizeof(host_last_err), fmt, ap);
	va_end(ap);
	host_err_count++;
}

void pr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat_buf(host_last_warn, sizeof(host_last_warn), fmt, ap);
	va_end(ap);
	host_warn_count++;
}

/* A kernel panic in a host test is a failed test: print why and abort. */
void panic(const char *fmt, ...)
{
	char msg[HOST_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vformat_buf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "panic: %s", msg);
	abort();
}
