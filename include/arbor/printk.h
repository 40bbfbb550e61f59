/*
 * Kernel console output.
 *
 * printk() always prints: it is for the application's own output and for reports asked for
 * on the command line. pr_info() is the boot chatter that the `quiet` bootarg silences;
 * pr_warn() and pr_err() always print, prefixed. panic() prints why and shuts the domain down
 * with SHUTDOWN_crash.
 *
 * Output is line buffered and goes to the console backend (include/arbor/console.h:
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

/* Send any partial line now. */
void printk_flush(void);

/* The sink printk writes to, for reports that format through struct sink. */
extern struct sink printk_sink;

#endif
