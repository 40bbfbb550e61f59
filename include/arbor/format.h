/*
 * Formatted output: the printf family's conversions, written once and used by printk, by the
 * JSON and summary reports and by the host tools.
 *
 * Supported: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '+' ' ' '#', a width and a precision
 * (numbers or '*'), and the length modifiers hh h l ll z t j. %p prints 0x followed by the
 * pointer's hex digits. Output goes to a sink, a callback that receives runs of characters.
 */
#ifndef ARBOR_FORMAT_H
#define ARBOR_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

#include <arbor/types.h>

struct sink {
	void (*put)(struct sink *sink, const char *s, size_t n);
};

/* Format into a sink; returns the number of characters produced. */
size_t vformat(struct sink *sink, const char *fmt, va_list ap);
size_t format(struct sink *sink, const char *fmt, ...) __printf(2, 3);

/*
 * Format into buf, which holds size bytes; always NUL terminates when size > 0. Returns the
 * length the full output has, so a result >= size means it was cut short.
 */
size_t vformat_buf(char *buf, size_t size, const char *fmt, va_list ap);
size_t format_buf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * Write s as a JSON string literal (quotes included): quotes, backslashes and control
 * characters escaped, DEL and each byte of an invalid UTF-8 sequence written as \u00XX, so
 * the result is valid JSON whatever the bytes.
 */
void format_json_string(struct sink *sink, const char *s);

#endif
