/*
 * The kernel's printk backend (include/arbor/printk.h): line-buffered console output.
 *
 * Each console write is a hypercall or a trap per byte, and each costs Xen a console line, so
 * output is collected until a newline and handed to the console backend (console.c) whole. A
 * line longer than the buffer goes out in pieces rather than being cut. There is one buffer:
 * Arbor prints from one CPU and, until the scheduler arrives, one thread. Warnings and errors
 * get their "warning: " / "error: " prefix here; a panic crashes the domain.
 */
#include <arbor/console.h>
#include <arbor/printk.h>
#include <arbor/xen.h>

#define LINE_MAX  256

static char line[LINE_MAX];
static size_t line_len;

static void flush(void)
{
	if (line_len) {
		console_write(line, line_len);
		line_len = 0;
	}
}

static void put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		line[line_len++] = s[i];
		if (s[i] == '\n' || line_len == LINE_MAX)
			flush();
	}
}

static void message(enum printk_kind kind, const char *fmt, va_list ap)
{
	printk(kind == PRINTK_ERR ? "error: " : "warning: ");
	vprintk(fmt, ap);
}

static void crash(const char *fmt, va_list ap)
{
	flush();
	printk("panic: ");
	vprintk(fmt, ap);
	flush();
	kernel_halt(HALT_CRASH);
}

const struct printk_backend printk_backend = {
	.put = put, .message = message, .flush = flush, .panic = crash,
};
