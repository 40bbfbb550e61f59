/*
 * vfprintf for picolibc's tinystdio on arm64: the kernel's own formatter (lib/format.c), so
 * that printf, snprintf and printk share one implementation of the conversions.
 *
 * Every stdio call that formats (printf, fprintf, snprintf, sprintf, the v* forms) reaches
 * vfprintf, and a definition here is linked before the C library's archive is searched, so
 * picolibc's own (its integer-only variant, ~2 KiB) never enters the image. The conversions
 * are vformat's: integers, characters, strings and pointers with every flag, width,
 * precision and length modifier; a conversion it does not know (floating point: arm64 code
 * is built with -mgeneral-regs-only, so no caller can pass a double) is printed as written.
 * arm32 keeps picolibc's full vfprintf: soft-float code there can pass doubles.
 */
#include <limits.h>
#include <stdio.h>

#include <arbor/format.h>

struct stream_sink {
	struct sink sink;
	FILE *stream;
	bool failed;
};

/* tinystdio streams take one character at a time; a put that fails ends the output. */
static void stream_put(struct sink *sink, const char *s, size_t n)
{
	struct stream_sink *out = (struct stream_sink *)sink;

	for (size_t i = 0; i < n && !out->failed; i++)
		if (out->stream->put(s[i], out->stream) == EOF)
			out->failed = true;
}

int vfprintf(FILE *stream, const char *fmt, va_list ap)
{
	struct stream_sink out = { .sink.put = stream_put, .stream = stream };

	if (!(stream->flags & __SWR)) {
		stream->flags |= __SERR;
		return EOF;
	}
	size_t n = vformat(&out.sink, fmt, ap);
	if (out.failed) {
		stream->flags |= __SERR;
		return EOF;
	}
	return n > INT_MAX ? EOF : (int)n;
}
