/*
 * Formatted output: the printf conversions behind printk, the probe reports and the host
 * tools, written once so that the kernel and the unit tests run the same code.
 *
 * A format string is copied to a sink in runs: literal text between conversions goes out in
 * one call, and each conversion is laid out as [spaces][sign or 0x][zeros][digits][spaces],
 * with the padding sent from constant strings. Nothing is formatted into a buffer sized by the
 * caller's width or precision, so "%1000d" costs no stack.
 *
 * The file is freestanding: it calls nothing from a C library (the kernel has none to call),
 * uses no floating point, and keeps 64-bit arithmetic to what libgcc provides on arm32.
 * Conversions it does not know, %n among them, are printed as written rather than guessed at.
 */
#include <arbor/format.h>

#include <limits.h>

/* Flags of a conversion specification, C11 7.21.6.1p6. */
#define FORMAT_LEFT  0x01u /* '-': pad on the right */
#define FORMAT_ZERO  0x02u /* '0': pad numbers with zeros after the sign */
#define FORMAT_PLUS  0x04u /* '+': always print a sign */
#define FORMAT_SPACE 0x08u /* ' ': a space where a '+' would go */
#define FORMAT_ALT   0x10u /* '#': 0x for hex, a leading 0 for octal */

enum format_length {
	FORMAT_LEN_INT,
	FORMAT_LEN_CHAR,    /* hh */
	FORMAT_LEN_SHORT,   /* h */
	FORMAT_LEN_LONG,    /* l */
	FORMAT_LEN_LLONG,   /* ll */
	FORMAT_LEN_SIZE,    /* z */
	FORMAT_LEN_PTRDIFF, /* t */
	FORMAT_LEN_INTMAX,  /* j */
};

/* One parsed conversion specification: %[flags][width][.precision][length]conv. */
struct format_spec {
	unsigned int flags;
	size_t width;
	size_t precision;
	bool has_precision;
	enum format_length length;
	char conv;
};

/* Where vformat's output goes, and how much of it there has been. */
struct format_out {
	struct sink *sink;
	size_t count;
};

/* Padding is sent in slices of these rather than built in a buffer. */
static const char format_spaces[] = "                                ";
static const char format_zeros[] = "00000000000000000000000000000000";
#define FORMAT_PAD_CHUNK (sizeof(format_spaces) - 1)

/* Enough for 2^64 - 1 in octal, the longest number there is to print. */
#define FORMAT_DIGITS_MAX 22

static void format_put(struct format_out *out, const char *s, size_t n)
{
	if (n == 0)
		return;
	out->sink->put(out->sink, s, n);
	out->count += n;
}

static void format_pad(struct format_out *out, const char *fill, size_t n)
{
	while (n > 0) {
		size_t chunk = MIN(n, FORMAT_PAD_CHUNK);

		format_put(out, fill, chunk);
		n -= chunk;
	}
}

/*
 * Send one conversion's output: prefix (sign or 0x), then zeros, then body, padded to the
 * width. zero_pad says whether the padding may be zeros, which C allows only for numbers
 * without a precision; zeros go after the prefix so that "-0042" comes out, not "00-42".
 */
static void format_field(struct format_out *out, const struct format_spec *spec,
			 const char *prefix, size_t prefix_len, size_t zeros,
			 const char *body, size_t body_len, bool zero_pad)
{
	size_t len = prefix_len + zeros + body_len;
	size_t pad = spec->width > len ? spec->width - len : 0;
	bool left = spec->flags & FORMAT_LEFT;

	if (!left && !zero_pad)
		format_pad(out, format_spaces, pad);
	format_put(out, prefix, prefix_len);
	if (!left && zero_pad)
		zeros += pad;
	format_pad(out, format_zeros, zeros);
	format_put(out, body, body_len);
	if (left)
		format_pad(out, format_spaces, pad);
}

/*
 * Write v's digits so that they end just before end, and return where they start. Zero is
 * "0". Powers of two are shifted out; base 10 divides, and does so in 32 bits once the value
 * fits, because a 64-bit division is a libgcc call (__aeabi_uldivmod) on arm32.
 */
static char *format_digits(char *end, unsigned long long v, unsigned int base, bool upper)
{
	const char *digit = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned int shift = base == 16 ? 4 : 3;
	uint32_t small;

	if (base != 10) {
		do {
			*--end = digit[v & (base - 1)];
			v >>= shift;
		} while (v != 0);
		return end;
	}
	while (v > UINT32_MAX) {
		*--end = digit[v % 10];
		v /= 10;
	}
	small = (uint32_t)v;
	do {
		*--end = digit[small % 10];
		small /= 10;
	} while (small != 0);
	return end;
}

/* Lay out an integer conversion: magnitude and sign are given separately. */
static void format_integer(struct format_out *out, const struct format_spec *spec,
			   unsigned long long magnitude, bool negative, unsigned int base)
{
	char buf[FORMAT_DIGITS_MAX];
	char *end = buf + sizeof(buf);
	char *digits = format_digits(end, magnitude, base, spec->conv == 'X');
	size_t ndigits = end - digits;
	char prefix[2];
	size_t prefix_len = 0;
	size_t zeros = 0;

	/* "The result of converting a zero value with a precision of zero is no characters." */
	if (spec->has_precision && spec->precision == 0 && magnitude == 0)
		ndigits = 0;
	if (spec->has_precision && spec->precision > ndigits)
		zeros = spec->precision - ndigits;

	if (spec->conv == 'd' || spec->conv == 'i') {
		if (negative)
			prefix[prefix_len++] = '-';
		else if (spec->flags & FORMAT_PLUS)
			prefix[prefix_len++] = '+';
		else if (spec->flags & FORMAT_SPACE)
			prefix[prefix_len++] = ' ';
	} else if (spec->flags & FORMAT_ALT) {
		/* '#': octal gets a leading zero unless it already starts with one; hex gets 0x
		 * unless the value is zero. %p always gets 0x. */
		if (base == 8 && zeros == 0 && (ndigits == 0 || magnitude != 0))
			zeros = 1;
		if (base == 16 && (magnitude != 0 || spec->conv == 'p')) {
			prefix[prefix_len++] = '0';
			prefix[prefix_len++] = spec->conv == 'X' ? 'X' : 'x';
		}
	}

	format_field(out, spec, prefix, prefix_len, zeros, end - ndigits, ndigits,
		     (spec->flags & FORMAT_ZERO) && !spec->has_precision);
}

/* Fetch a %d or %i argument of the size the length modifier says. */
static long long format_arg_signed(enum format_length length, va_list *ap)
{
	switch (length) {
	case FORMAT_LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case FORMAT_LEN_SHORT:
		return (short)va_arg(*ap, int);
	case FORMAT_LEN_LONG:
		return va_arg(*ap, long);
	case FORMAT_LEN_LLONG:
		return va_arg(*ap, long long);
	case FORMAT_LEN_SIZE:
		/* The signed type of size_t's width; ptrdiff_t is that on every Arbor target. */
		return va_arg(*ap, ptrdiff_t);
	case FORMAT_LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case FORMAT_LEN_INTMAX:
		return va_arg(*ap, intmax_t);
	case FORMAT_LEN_INT:
		break;
	}
	return va_arg(*ap, int);
}

/* Fetch a %u %x %X or %o argument of the size the length modifier says. */
static unsigned long long format_arg_unsigned(enum format_length length, va_list *ap)
{
	switch (length) {
	case FORMAT_LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case FORMAT_LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case FORMAT_LEN_LONG:
		return va_arg(*ap, unsigned long);
	case FORMAT_LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case FORMAT_LEN_SIZE:
		return va_arg(*ap, size_t);
	case FORMAT_LEN_PTRDIFF:
		return va_arg(*ap, size_t);
	case FORMAT_LEN_INTMAX:
		return va_arg(*ap, uintmax_t);
	case FORMAT_LEN_INT:
		break;
	}
	return va_arg(*ap, unsigned int);
}

/* Read a decimal field width or precision, saturating rather than wrapping. */
static const char *format_parse_number(const char *p, size_t *value)
{
	size_t n = 0;

	while (*p >= '0' && *p <= '9') {
		unsigned int d = *p++ - '0';

		n = n > (INT_MAX - d) / 10 ? INT_MAX : n * 10 + d;
	}
	*value = n;
	return p;
}

/*
 * Parse the specification after a '%' into spec, taking '*' widths and precisions from ap.
 * Returns a pointer to the conversion character, or to the terminating NUL when the format
 * ends first.
 */
static const char *format_parse(const char *p, struct format_spec *spec, va_list *ap)
{
	/* Field by field: a whole-struct store may become a memset call, which the kernel
	 * would rather not depend on for something this small. */
	spec->flags = 0;
	spec->width = 0;
	spec->precision = 0;
	spec->has_precision = false;
	spec->length = FORMAT_LEN_INT;

	for (;; p++) {
		if (*p == '-')
			spec->flags |= FORMAT_LEFT;
		else if (*p == '0')
			spec->flags |= FORMAT_ZERO;
		else if (*p == '+')
			spec->flags |= FORMAT_PLUS;
		else if (*p == ' ')
			spec->flags |= FORMAT_SPACE;
		else if (*p == '#')
			spec->flags |= FORMAT_ALT;
		else
			break;
	}

	if (*p == '*') {
		/* "A negative field width argument is taken as a - flag followed by a positive
		 * field width." The negation is done unsigned so that INT_MIN survives it. */
		int w = va_arg(*ap, int);

		p++;
		if (w < 0) {
			spec->flags |= FORMAT_LEFT;
			spec->width = -(unsigned int)w;
		} else {
			spec->width = w;
		}
	} else {
		p = format_parse_number(p, &spec->width);
	}

	if (*p == '.') {
		p++;
		spec->has_precision = true;
		if (*p == '*') {
			/* "A negative precision argument is taken as if the precision were omitted." */
			int prec = va_arg(*ap, int);

			p++;
			spec->has_precision = prec >= 0;
			spec->precision = prec >= 0 ? (size_t)prec : 0;
		} else {
			p = format_parse_number(p, &spec->precision);
		}
	}

	switch (*p) {
	case 'h':
		p++;
		spec->length = FORMAT_LEN_SHORT;
		if (*p == 'h') {
			p++;
			spec->length = FORMAT_LEN_CHAR;
		}
		break;
	case 'l':
		p++;
		spec->length = FORMAT_LEN_LONG;
		if (*p == 'l') {
			p++;
			spec->length = FORMAT_LEN_LLONG;
		}
		break;
	case 'z':
		p++;
		spec->length = FORMAT_LEN_SIZE;
		break;
	case 't':
		p++;
		spec->length = FORMAT_LEN_PTRDIFF;
		break;
	case 'j':
		p++;
		spec->length = FORMAT_LEN_INTMAX;
		break;
	}

	spec->conv = *p;
	return p;
}

/* %s: at most precision bytes of s are looked at, so s need not be terminated. */
static void format_string(struct format_out *out, const struct format_spec *spec, const char *s)
{
	size_t len = 0;

	if (s == NULL)
		s = "(null)";
	while ((!spec->has_precision || len < spec->precision) && s[len] != '\0')
		len++;
	format_field(out, spec, NULL, 0, 0, s, len, false);
}

/*
 * Carry out one conversion. Returns false for a conversion character this file does not
 * know, which the caller then prints as written.
 */
static bool format_convert(struct format_out *out, struct format_spec *spec, va_list *ap)
{
	long long v;
	char c;

	switch (spec->conv) {
	case 'd':
	case 'i':
		v = format_arg_signed(spec->length, ap);
		/* Negating in unsigned arithmetic keeps INT64_MIN's magnitude exact. */
		format_integer(out, spec, v < 0 ? -(unsigned long long)v : (unsigned long long)v,
			       v < 0, 10);
		return true;
	case 'u':
		format_integer(out, spec, format_arg_unsigned(spec->length, ap), false, 10);
		return true;
	case 'x':
	case 'X':
		format_integer(out, spec, format_arg_unsigned(spec->length, ap), false, 16);
		return true;
	case 'o':
		format_integer(out, spec, format_arg_unsigned(spec->length, ap), false, 8);
		return true;
	case 'p':
		/* As "%#.Nx" with N the digits of a pointer, so every address has one width. */
		spec->flags = (spec->flags & FORMAT_LEFT) | FORMAT_ALT;
		spec->has_precision = true;
		spec->precision = 2 * sizeof(void *);
		format_integer(out, spec, (uintptr_t)va_arg(*ap, void *), false, 16);
		return true;
	case 'c':
		c = (char)va_arg(*ap, int);
		format_field(out, spec, NULL, 0, 0, &c, 1, false);
		return true;
	case 's':
		format_string(out, spec, va_arg(*ap, const char *));
		return true;
	case '%':
		format_put(out, "%", 1);
		return true;
	}
	return false;
}

size_t vformat(struct sink *sink, const char *fmt, va_list ap)
{
	struct format_out out = { .sink = sink, .count = 0 };
	struct format_spec spec;
	const char *p = fmt;
	va_list args;

	/* A copy, so that the helpers can share one va_list through a pointer (a va_list
	 * parameter is an array on some ABIs, and taking its address would not work). */
	va_copy(args, ap);
	while (*p != '\0') {
		const char *start = p;

		while (*p != '\0' && *p != '%')
			p++;
		format_put(&out, start, p - start);
		if (*p == '\0')
			break;

		start = p;
		p = format_parse(p + 1, &spec, &args);
		if (*p == '\0') {
			/* The format ends inside a specification: show what there was. */
			format_put(&out, start, p - start);
			break;
		}
		if (!format_convert(&out, &spec, &args))
			format_put(&out, start, p + 1 - start);
		p++;
	}
	va_end(args);
	return out.count;
}

size_t format(struct sink *sink, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vformat(sink, fmt, ap);
	va_end(ap);
	return n;
}

/* A sink over a fixed buffer that keeps the last byte for the terminating NUL. */
struct format_buf_sink {
	struct sink sink; /* first, so a struct sink * converts back to this */
	char *buf;
	size_t size;
	size_t len;
};

static void format_buf_put(struct sink *sink, const char *s, size_t n)
{
	struct format_buf_sink *b = (struct format_buf_sink *)sink;

	while (n > 0 && b->len + 1 < b->size) {
		b->buf[b->len++] = *s++;
		n--;
	}
}

size_t vformat_buf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct format_buf_sink b = {
		.sink = { .put = format_buf_put },
		.buf = buf,
		.size = size,
		.len = 0,
	};
	size_t n = vformat(&b.sink, fmt, ap);

	if (size > 0)
		buf[b.len] = '\0';
	return n;
}

size_t format_buf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vformat_buf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * The length of the UTF-8 sequence at s, or 0 when the bytes there do not form one (RFC 3629,
 * section 4): a continuation byte with no lead, an overlong form (C0, C1, E0 80-9F, F0 80-8F),
 * a surrogate (ED A0-BF), a value past U+10FFFF (F4 90-BF, F5-FF), or a sequence cut short.
 * Each byte is read only once the ones before it were found to belong, so the NUL ending a
 * string stops the reading as it stops the sequence.
 */
static size_t format_utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xc2)
		return 0;
	if (s[0] < 0xe0) {
		n = 2;
	} else if (s[0] < 0xf0) {
		n = 3;
		lo = s[0] == 0xe0 ? 0xa0 : 0x80;
		hi = s[0] == 0xed ? 0x9f : 0xbf;
	} else if (s[0] < 0xf5) {
		n = 4;
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * The escape JSON needs for byte c, which is ASCII or a byte of no valid UTF-8 sequence,
 * written to esc; returns its length, or 0 when c goes out as it is. RFC 8259, section 7:
 * the quotation mark, the reverse solidus and the control characters U+0000 to U+001F must
 * be escaped. DEL is escaped too, though JSON allows it as it is: it is a control character
 * that a terminal showing the output would act on. A byte of no UTF-8 sequence would make
 * the text invalid (section 8.1 asks for UTF-8), so it is written as the code point of the
 * same number, \u0080 to \u00ff: the string then reads as Latin-1 where it was not UTF-8,
 * and no byte is lost.
 */
static size_t format_json_escape(unsigned char c, char esc[6])
{
	static const char hex[] = "0123456789abcdef";

	esc[0] = '\\';
	switch (c) {
	case '"':
	case '\\':
		esc[1] = c;
		return 2;
	case '\n':
		esc[1] = 'n';
		return 2;
	case '\r':
		esc[1] = 'r';
		return 2;
	case '\t':
		esc[1] = 't';
		return 2;
	case '\b':
		esc[1] = 'b';
		return 2;
	case '\f':
		esc[1] = 'f';
		return 2;
	}
	if (c >= 0x20 && c < 0x7f)
		return 0;
	esc[1] = 'u';
	esc[2] = '0';
	esc[3] = '0';
	esc[4] = hex[c >> 4];
	esc[5] = hex[c & 0xf];
	return 6;
}

/*
 * Unescaped bytes are sent in runs between escapes; a valid UTF-8 sequence is part of a run,
 * each byte of an invalid one is escaped on its own. A NULL string is the JSON literal null.
 */
void format_json_string(struct sink *sink, const char *s)
{
	const char *run;
	char esc[6];
	size_t esc_len, n;

	if (s == NULL) {
		sink->put(sink, "null", 4);
		return;
	}
	sink->put(sink, "\"", 1);
	for (run = s; *s != '\0'; s += n) {
		n = format_utf8_len((const unsigned char *)s);
		if (n > 1)
			continue;
		n = 1;
		esc_len = format_json_escape((unsigned char)*s, esc);
		if (esc_len == 0)
			continue;
		if (s > run)
			sink->put(sink, run, s - run);
		sink->put(sink, esc, esc_len);
		run = s + 1;
	}
	if (s > run)
		sink->put(sink, run, s - run);
	sink->put(sink, "\"", 1);
}
