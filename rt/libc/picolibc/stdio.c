/*
 * stdout and stderr for picolibc's tinystdio: both write to the console printk uses.
 *
 * tinystdio calls a stream's put function once per character. Characters are gathered into
 * a line and the line is written in one console_write() when it ends, when the buffer fills
 * or when the stream is flushed (fflush, and exit through picolibc's exit path), so a line
 * of printf output reaches the console whole, like a printk line. Any partial printk line is
 * sent first, to keep the two in order. One buffer serves both streams: they go to the same
 * place, and a thread switch can only happen while this thread blocks, never inside put.
 * There is no stdin: reads return EOF.
 */
#include <stdio.h>

#include <arbor/console.h>
#include <arbor/printk.h>

#define LIBC_LINE_MAX  256

static char line[LIBC_LINE_MAX];
static size_t line_len;

static int console_flush(FILE *f)
{
	(void)f;
	if (!line_len)
		return 0;
	printk_flush();
	long n = console_write(line, line_len);
	line_len = 0;
	return n < 0 ? EOF : 0;
}

static int console_put(char c, FILE *f)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		return console_flush(f) ? EOF : (unsigned char)c;
	return (unsigned char)c;
}

static int console_get(FILE *f)
{
	(void)f;
	return EOF;
}

static FILE console_file = FDEV_SETUP_STREAM(console_put, console_get, console_flush, _FDEV_SETUP_RW);

FILE *const stdin = &console_file;
FILE *const stdout = &console_file;
FILE *const stderr = &console_file;
