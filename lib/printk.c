/*
 * printk and friends (include/arbor/printk.h): the one front-end, in the kernel, dtprobe, the
 * fuzzer and the host tests alike.
 *
 * What is said is decided here: printk() always prints, pr_info() not when quiet, pr_warn()
 * and pr_err() always, each as one message, and panic() never returns. Where it goes is the
 * program's backend (printk_backend), bound at link time: the kernel's line-buffers to the
 * console and crashes the domain on panic (console/printk.c); dtprobe's turns the first error
 * into its one-line exit message; the fuzzer's and the host tests' record what they need to
 * assert on. This file includes nothing but lib/'s own headers, so everything may print.
 */
#include <arbor/printk.h>

static bool quiet;

static void put(struct sink *sink, const char *s, size_t n)
{
	(void)sink;
	printk_backend.put(s, n);
}

struct sink printk_sink = { .put = put };

void printk_set_quiet(bool on)
{
	quiet = on;
}

bool printk_quiet(void)
{
	return quiet;
}

void vprintk(const char *fmt, va_list ap)
{
	vformat(&printk_sink, fmt, ap);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void pr_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void pr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printk_backend.message(PRINTK_WARN, fmt, ap);
	va_end(ap);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printk_backend.message(PRINTK_ERR, fmt, ap);
	va_end(ap);
}

void printk_flush(void)
{
	printk_backend.flush();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printk_backend.panic(fmt, ap);
	va_end(ap);
	__builtin_trap();	/* a backend's panic does not return; if one did, stop here */
}
