/*
 * Kernel console output.
 *
 * printk() always prints: it is for the application's own output and for reports asked for
 * on the command line. pr_info() is the boot chatter that the `quiet` bootarg silences;
 * pr_warn() and pr_err() always print, prefixed. panic() prints why and shuts the domain down
 * with SHUTDOWN_crash.
 *
 * lib/printk.c is the one front-end, in every program built from Arbor's sources; where the
 * words go is the program's backend, printk_backend below. In the kernel (console/printk.c)
 * output is line buffered and goes to the console (include/arbor/console.h:
 * HYPERVISOR_console_io until console_select() chooses); a line longer than the buffer is
 * sent in pieces, never cut.
 */
#ifndef ARBOR_PRINTK_H
#define ARBOR_PRINTK_H

#include <stdarg.h>

#include <arbor/format.h>
#include <arbor/types.h>

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);
void pr_info(const char *fmt, ...) __printf(1, 2);
void pr_warn(const char *fmt, ...) __printf(1, 2);
void pr_err(const char *fmt, ...) __printf(1, 2);
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

/* Silence pr_info() (the `quiet` bootarg). */
void printk_set_quiet(bool quiet);

/* Whether pr_info() prints nothing: a caller may then skip working out what it would say. */
bool printk_quiet(void);

/* Send any partial line now. */
void printk_flush(void);

/* The sink printk writes to, for reports that format through struct sink. */
extern struct sink printk_sink;

enum printk_kind { PRINTK_WARN, PRINTK_ERR };

/*
 * Where printk's words go: one per program, defined by it and bound at link time (the
 * kernel's console/printk.c, tools/dtprobe/host_console.c, tests/host/host_printk.c, the
 * fuzzer's tests/fuzz/fuzz_probe.c).
 */
struct printk_backend {
	/* Text from printk() and pr_info() (when not quiet), as it comes. */
	void (*put)(const char *s, size_t n);
	/* One pr_warn() or pr_err() message, unprefixed (the backend adds what it shows). */
	void (*message)(enum printk_kind kind, const char *fmt, va_list ap);
	/* printk_flush(). */
	void (*flush)(void);
	/* panic(): say why and stop; must not return. */
	void (*panic)(const char *fmt, va_list ap);
};

extern const struct printk_backend printk_backend;

#endif
