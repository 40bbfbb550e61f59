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

/*
 * Lines printed before Xen or not is known went to console_io, which nobody hears without
 * Xen: they are kept here too, and console_replay_early() gives them to the first UART
 * console of a boot without Xen, so that the error that ended a boot early is not lost
 * (boot/main.c's rescue). Past EARLY_LOG bytes the rest is counted, not kept.
 */
#define EARLY_LOG  2048

static char early_log[EARLY_LOG];
static size_t early_len, early_lost;

static void flush(void)
{
	if (line_len) {
		if (!xen_detection_done()) {
			size_t n = MIN(line_len, EARLY_LOG - early_len);
			for (size_t i = 0; i < n; i++)
				early_log[early_len++] = line[i];
			early_lost += line_len - n;
		}
		console_write(line, line_len);
		line_len = 0;
	}
}

void console_replay_early(void)
{
	if (early_len)
		console_write(early_log, early_len);
	if (early_lost)
		printk("(%zu bytes printed before the console are lost)\n", early_lost);
	early_len = early_lost = 0;
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
