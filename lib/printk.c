/*
 * printk and friends (include/arbor/printk.h): formatted, line-buffered console output.
 *
 * Each console write is a hypercall or a trap per byte, and each costs Xen a console line, so
 * output is collected until a newline and handed to the console backend (console/) whole. A
 * line longer than the buffer goes out in pieces rather than being cut. There is one buffer:
 * Arbor prints from one CPU and, until the scheduler arrives, one thread.
 */
#include <arbor/arch.h>
#include <arbor/console.h>
#include <arbor/printk.h>
#include <arbor/kernel.h>
#include <arbor/xen.h>

#define LINE_MAX  256

static char line[LINE_MAX];
static size_t line_len;
static bool quiet;

void printk_flush(void)
{
	if (line_len) {
		console_write(line, line_len);
		line_len = 0;
	}
}

static void console_put(struct sink *sink, const char *s, size_t n)
{
	(void)sink;
	for (size_t i = 0; i < n; i++) {
		line[line_len++] = s[i];
		if (s[i] == '\n' || line_len == LINE_MAX)
			printk_flush();
	}
}

struct sink printk_sink = { .put = console_put };

void printk_set_quiet(bool on)
{
	quiet = on;
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
	printk("warning: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;
	printk("error: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	printk_flush();
	printk("panic: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk_flush();
	kernel_halt(HALT_CRASH);
}
