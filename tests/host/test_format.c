/*
 * Unit tests for lib/format.c.
 *
 * The standard conversions are checked against the host C library: every format in a table of
 * flags x widths x precisions x length modifiers x conversions is given the same argument by
 * snprintf and by format_buf, and the two results must agree byte for byte. What Arbor
 * defines differently from C, or C leaves open (%p, a NULL %s, unknown conversions, JSON
 * strings), is checked against strings written out by hand.
 */
#include "host.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arbor/format.h>

/* Stop printing mismatches after this many; the count still says how many there were. */
#define MAX_REPORTED 20

static unsigned int mismatches;

/*
 * Format with both the C library and format_buf and compare. Deliberately not declared
 * __printf: formats are built at run time, and the unknown-conversion tests below pass
 * formats that -Wformat would reject.
 */
static void check_libc(const char *fmt, ...)
{
	char want[512], got[512];
	va_list ap, aq;
	int want_n;
	size_t got_n;

	va_start(ap, fmt);
	va_copy(aq, ap);
	want_n = vsnprintf(want, sizeof(want), fmt, ap);
	got_n = vformat_buf(got, sizeof(got), fmt, aq);
	va_end(aq);
	va_end(ap);

	assert_true(want_n >= 0);
	/* Compare the full length: %c of 0 puts a NUL in the middle of the output. */
	if ((size_t)want_n != got_n || memcmp(want, got, MIN(got_n, sizeof(got) - 1) + 1) != 0) {
		if (mismatches < MAX_REPORTED)
			print_error("format \"%s\": libc \"%s\" (%d), format_buf \"%s\" (%zu)\n",
				    fmt, want, want_n, got, got_n);
		mismatches++;
	}
}

/* Format with format_buf and compare with a string written by hand. */
static void check_exact(const char *want, const char *fmt, ...)
{
	char got[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vformat_buf(got, sizeof(got), fmt, ap);
	va_end(ap);
	if (n != strlen(want) || strcmp(got, want) != 0)
		print_error("format \"%s\": want \"%s\", got \"%s\" (%zu)\n", fmt, want, got, n);
	assert_int_equal(n, strlen(want));
	assert_string_equal(got, want);
}

static const long long values[] = {
	0, 1, -1, 7, 8, 9, 10, 15, 16, 42, -42, 100, 127, -128, 255, 256, 32767, -32768, 65535,
	65536, 999999, INT_MAX, INT_MIN, UINT_MAX, (long long)UINT_MAX + 1, 1000000000000LL,
	0x123456789abcdefLL, INT64_MAX, INT64_MIN, (long long)UINT64_MAX,
};

static const char *const flag_sets[] = {
	"", "-", "0", "+", " ", "#", "-0", "+ ", "0+", "0 ", "-+", "- ", "#0", "-#", "#0+", "-0 +#",
};
static const char *const widths[] = { "", "1", "2", "6", "24" };
static const char *const precisions[] = { "", ".", ".0", ".1", ".3", ".25" };
static const char *const lengths[] = { "hh", "h", "", "l", "ll", "z", "t", "j" };

/* Pass v converted to the type that conversion conv with length modifier len expects. */
static void check_libc_integer(const char *fmt, char conv, const char *len, long long v)
{
	bool is_signed = conv == 'd' || conv == 'i';

	if (strcmp(len, "hh") == 0)
		check_libc(fmt, is_signed ? (int)(signed char)v : (int)(unsigned char)v);
	else if (strcmp(len, "h") == 0)
		check_libc(fmt, is_signed ? (int)(short)v : (int)(unsigned short)v);
	else if (strcmp(len, "l") == 0)
		is_signed ? check_libc(fmt, (long)v) : check_libc(fmt, (unsigned long)v);
	else if (strcmp(len, "ll") == 0)
		is_signed ? check_libc(fmt, v) : check_libc(fmt, (unsigned long long)v);
	else if (strcmp(len, "z") == 0 || strcmp(len, "t") == 0)
		is_signed ? check_libc(fmt, (ptrdiff_t)v) : check_libc(fmt, (size_t)v);
	else if (strcmp(len, "j") == 0)
		is_signed ? check_libc(fmt, (intmax_t)v) : check_libc(fmt, (uintmax_t)v);
	else
		is_signed ? check_libc(fmt, (int)v) : check_libc(fmt, (unsigned int)v);
}

/* Every integer conversion, under every combination of flags, width, precision and length. */
static void test_integers_match_libc(void **state)
{
	static const char convs[] = "diuxXo";
	char fmt[64];

	(void)state;
	mismatches = 0;
	for (const char *c = convs; *c != '\0'; c++) {
		for (size_t f = 0; f < ARRAY_SIZE(flag_sets); f++) {
			/* '#' with %d is undefined in C; nothing to compare against. */
			if ((*c == 'd' || *c == 'i') && strchr(flag_sets[f], '#') != NULL)
				continue;
			for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
				for (size_t p = 0; p < ARRAY_SIZE(precisions); p++)
					for (size_t l = 0; l < ARRAY_SIZE(lengths); l++) {
						snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]",
							 flag_sets[f], widths[w], precisions[p],
							 lengths[l], *c);
						for (size_t v = 0; v < ARRAY_SIZE(values); v++)
							check_libc_integer(fmt, *c, lengths[l],
									   values[v]);
					}
		}
	}
	assert_int_equal(mismatches, 0);
}

/* '*' widths and precisions, negative ones included. */
static void test_star_match_libc(void **state)
{
	static const int star_widths[] = { -12, -5, -1, 0, 1, 5, 12 };
	static const int star_precisions[] = { -3, -1, 0, 1, 2, 5, 9 };

	(void)state;
	mismatches = 0;
	for (size_t w = 0; w < ARRAY_SIZE(star_widths); w++) {
		int width = star_widths[w];

		check_libc("[%*d]", width, -42);
		check_libc("[%0*d]", width, -42);
		check_libc("[%-*u]", width, 42u);
		check_libc("[%*s]", width, "abc");
		check_libc("[%*c]", width, 'q');
		check_libc("[%*lld]", width, (long long)INT64_MIN);
		for (size_t p = 0; p < ARRAY_SIZE(star_precisions); p++) {
			int prec = star_precisions[p];

			check_libc("[%.*d]", prec, 7);
			check_libc("[%.*d]", prec, 0);
			check_libc("[%0*.*d]", width, prec, -7);
			check_libc("[%*.*x]", width, prec, 0xbeefu);
			check_libc("[%#*.*o]", width, prec, 0u);
			check_libc("[%*.*s]", width, prec, "hello");
			check_libc("[%-*.*s]", width, prec, "hello");
		}
	}
	assert_int_equal(mismatches, 0);
}

static void test_chars_match_libc(void **state)
{
	static const int chars[] = { 'a', ' ', '%', 0x7f, 0x80, 0xff, 0 };
	static const char *const fmts[] = { "[%c]", "[%1c]", "[%4c]", "[%-4c]", "%c%c" };

	(void)state;
	mismatches = 0;
	for (size_t c = 0; c < ARRAY_SIZE(chars); c++)
		for (size_t f = 0; f < ARRAY_SIZE(fmts); f++)
			check_libc(fmts[f], chars[c], 'z');
	assert_int_equal(mismatches, 0);
}

static void test_strings_match_libc(void **state)
{
	static const char *const strings[] = { "", "a", "hello", "hello, world", "tab\there" };
	static const char *const fmts[] = {
		"[%s]", "[%0s]", "[%1s]", "[%8s]", "[%-8s]", "[%.0s]", "[%.1s]", "[%.5s]",
		"[%.20s]", "[%8.3s]", "[%-8.3s]", "[%-3.8s]", "[%s%s]", "x%sy%sz",
	};

	(void)state;
	mismatches = 0;
	for (size_t s = 0; s < ARRAY_SIZE(strings); s++)
		for (size_t f = 0; f < ARRAY_SIZE(fmts); f++)
			check_libc(fmts[f], strings[s], "tail");
	assert_int_equal(mismatches, 0);
}

/* Literal text and %% between conversions, and many conversions in one format. */
static void test_mixed_match_libc(void **state)
{
	(void)state;
	mismatches = 0;
	check_libc("");
	check_libc("no conversions at all");
	check_libc("100%%");
	check_libc("%%%d%%", 5);
	check_libc("%d %i %u %x %X %o %c %s %lld %zu", -1, 2, 3u, 0xabu, 0xabu, 8u, 'c', "s",
		   (long long)INT64_MIN, (size_t)SIZE_MAX);
	check_libc("%s: reg has %u entries, GICv%d needs %u", "/interrupt-controller@3001000",
		   1u, 2, 2u);
	check_libc("%08llx:%08llx", 0x40000000ull, 0x8000000ull);
	assert_int_equal(mismatches, 0);
}

/* The edges of 64-bit values, written out by hand so a libc bug cannot hide one of ours. */
static void test_int64_edges(void **state)
{
	(void)state;
	check_exact("-9223372036854775808", "%lld", (long long)INT64_MIN);
	check_exact("9223372036854775807", "%lld", (long long)INT64_MAX);
	check_exact("-9223372036854775808", "%jd", (intmax_t)INT64_MIN);
	check_exact("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	check_exact("ffffffffffffffff", "%llx", (unsigned long long)UINT64_MAX);
	check_exact("0XFFFFFFFFFFFFFFFF", "%#llX", (unsigned long long)UINT64_MAX);
	check_exact("1777777777777777777777", "%llo", (unsigned long long)UINT64_MAX);
	check_exact("01777777777777777777777", "%#llo", (unsigned long long)UINT64_MAX);
	check_exact("-2147483648", "%d", INT_MIN);
	check_exact("4294967295", "%u", UINT_MAX);
	check_exact("4294967296", "%llu", (unsigned long long)UINT_MAX + 1);
	check_exact("-1", "%d", -1);
	check_exact("0", "%d", 0);
	check_exact("", "%.0d", 0);
	check_exact("0", "%#.0o", 0u);
	check_exact("0", "%#x", 0u);
	check_exact("+0", "%+d", 0);
	check_exact(" 0", "% d", 0);
	check_exact("-0042", "%05d", -42);
	check_exact("  -042", "%06.3d", -42);
	check_exact("42   |", "%-5d|", 42);
	check_exact("0x002a", "%#06x", 42u);
	check_exact("-1", "%hhd", (int)(signed char)-1);
	check_exact("255", "%hhu", (int)(unsigned char)255);
	check_exact("-32768", "%hd", (int)(short)-32768);
	/* hh and h convert the promoted int back to the narrow type, as C requires. */
	check_exact("-1", "%hhd", 255);
	check_exact("65", "%hhu", 256 + 65);
	check_exact("-1", "%hd", 65535);
	check_exact("2345", "%hx", 0x12345);
	check_exact("00000000000000000000000000000000000000042", "%.41d", 42);
	check_exact("                                        42", "%42d", 42);
}

/* %.Ns reads at most N bytes, so it works on arrays that are not NUL terminated. */
static void test_string_precision_stops(void **state)
{
	/* Exactly three bytes on the heap: AddressSanitizer reports any read of a fourth. */
	char *abc = malloc(3);

	(void)state;
	assert_non_null(abc);
	memcpy(abc, "abc", 3);
	check_exact("abc", "%.3s", abc);
	check_exact("ab", "%.2s", abc);
	check_exact("", "%.0s", abc);
	check_exact("  abc|", "%5.3s|", abc);
	check_exact("abc  |", "%-5.*s|", 3, abc);
	free(abc);
}

/* A NULL %s prints "(null)", which is then treated like any other string. */
static void test_null_string(void **state)
{
	(void)state;
	check_exact("(null)", "%s", (const char *)NULL);
	check_exact("[  (null)]", "[%8s]", (const char *)NULL);
	check_exact("[(null)  ]", "[%-8s]", (const char *)NULL);
	check_exact("(nu", "%.3s", (const char *)NULL);
}

/* %p is 0x and all of the pointer's hex digits, whatever the value. */
static void test_pointer(void **state)
{
	char want[64];
	int digits = 2 * sizeof(void *);

	(void)state;
	if (sizeof(void *) == 8) {
		check_exact("0x0000000000000000", "%p", NULL);
		check_exact("0x00000000deadbeef", "%p", (void *)0xdeadbeefu);
		check_exact("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
		check_exact("[  0x0000000000001234]", "[%20p]", (void *)0x1234);
		check_exact("[0x0000000000001234  ]", "[%-20p]", (void *)0x1234);
		check_exact("[0x0000000000001234]", "[%5p]", (void *)0x1234);
	}
	/* And for whatever pointer width the host has. */
	snprintf(want, sizeof(want), "0x%0*jx", digits, (uintmax_t)(uintptr_t)&want);
	check_exact(want, "%p", (void *)&want);
}

/*
 * Conversions format.c does not know are printed as written, and take no argument; so is a
 * specification cut off by the end of the format. %n in particular writes nothing.
 */
static void test_unknown_conversions(void **state)
{
	int n = 1234;

	(void)state;
	check_exact("%y", "%y");
	check_exact("a%yb", "a%yb");
	check_exact("%-5y", "%-5y");
	check_exact("%ly", "%ly");
	check_exact("%y 5", "%y %d", 5);
	check_exact("%n", "%n", &n);
	assert_int_equal(n, 1234);
	check_exact("%", "%");
	check_exact("abc%", "abc%");
	check_exact("%5", "%5");
	check_exact("x%-0", "x%-0");
	check_exact("%ll", "%ll");
	check_exact("100%", "100%%");
}

/*
 * format_buf against snprintf at every buffer size from 0 up to past the output: the same
 * return value (the full length), the same truncated text, and nothing written past size.
 */
static void test_truncation(void **state)
{
	char want[32], got[32];

	(void)state;
	for (size_t size = 0; size <= 12; size++) {
		int want_n;
		size_t got_n;

		memset(want, '#', sizeof(want));
		memset(got, '#', sizeof(got));
		want_n = snprintf(size ? want : NULL, size, "%s=%d", "answer", -42);
		got_n = format_buf(size ? got : NULL, size, "%s=%d", "answer", -42);
		assert_int_equal(want_n, 10);
		assert_int_equal(got_n, 10);
		assert_memory_equal(got, want, sizeof(got));
		for (size_t i = size; i < sizeof(got); i++)
			assert_int_equal(got[i], '#');
		if (size > 0)
			assert_int_equal(got[MIN(size - 1, 10)], '\0');
	}
}

/* The return value counts everything even when almost none of it fits. */
static void test_truncation_long(void **state)
{
	char buf[10];

	(void)state;
	assert_int_equal(format_buf(buf, sizeof(buf), "%300d", 7), 300);
	assert_string_equal(buf, "         ");
	assert_int_equal(format_buf(buf, sizeof(buf), "%-300d", 7), 300);
	assert_string_equal(buf, "7        ");
	assert_int_equal(format_buf(buf, 1, "%s", "anything"), 8);
	assert_string_equal(buf, "");
	assert_int_equal(format_buf(NULL, 0, "%lld", (long long)INT64_MIN), 20);
	assert_int_equal(format_buf(buf, sizeof(buf), "%c%c", 'a', 0), 2);
	assert_memory_equal(buf, "a\0", 3);
}

/* A sink that records what it is given, as a console or report writer would receive it. */
struct record_sink {
	struct sink sink;
	char text[1024];
	size_t len;
	unsigned int calls;
};

static void record_put(struct sink *sink, const char *s, size_t n)
{
	struct record_sink *r = (struct record_sink *)sink;

	/* An empty run is a wasted call into a console driver. */
	assert_true(n > 0);
	assert_true(r->len + n < sizeof(r->text));
	memcpy(r->text + r->len, s, n);
	r->len += n;
	r->text[r->len] = '\0';
	r->calls++;
}

static void record_init(struct record_sink *r)
{
	memset(r, 0, sizeof(*r));
	r->sink.put = record_put;
}

static size_t record_vformat(struct record_sink *r, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vformat(&r->sink, fmt, ap);
	va_end(ap);
	return n;
}

static void test_sink_output(void **state)
{
	struct record_sink r;

	(void)state;
	record_init(&r);
	assert_int_equal(format(&r.sink, "x=%d y=%s", 3, "abc"), 9);
	assert_string_equal(r.text, "x=3 y=abc");
	assert_int_equal(r.len, 9);

	/* Literal text goes out in one call, not a character at a time. */
	record_init(&r);
	assert_int_equal(format(&r.sink, "hello, world\n"), 13);
	assert_int_equal(r.calls, 1);

	record_init(&r);
	assert_int_equal(format(&r.sink, "%s", ""), 0);
	assert_int_equal(r.calls, 0);

	/* Padding longer than any internal chunk arrives complete. */
	record_init(&r);
	assert_int_equal(format(&r.sink, "%-100s|%0100d", "x", 5), 201);
	assert_int_equal(r.len, 201);
	assert_int_equal(r.text[0], 'x');
	assert_int_equal(r.text[99], ' ');
	assert_int_equal(r.text[100], '|');
	assert_int_equal(r.text[101], '0');
	assert_int_equal(r.text[200], '5');

	/* The count includes a NUL written by %c. */
	record_init(&r);
	assert_int_equal(format(&r.sink, "%c", 0), 1);
	assert_int_equal(r.len, 1);

	record_init(&r);
	assert_int_equal(record_vformat(&r, "%s:%u:%lld", "va", 7u, (long long)INT64_MIN), 25);
	assert_string_equal(r.text, "va:7:-9223372036854775808");
}

static void check_json(const char *input, const char *want)
{
	struct record_sink r;

	record_init(&r);
	format_json_string(&r.sink, input);
	assert_string_equal(r.text, want);
}

static void test_json_string(void **state)
{
	(void)state;
	check_json("", "\"\"");
	check_json("plain", "\"plain\"");
	check_json("say \"hi\"", "\"say \\\"hi\\\"\"");
	check_json("C:\\dir", "\"C:\\\\dir\"");
	check_json("line\n", "\"line\\n\"");
	check_json("\r\t\b\f", "\"\\r\\t\\b\\f\"");
	check_json("\x01", "\"\\u0001\"");
	check_json("a\x1f" "b", "\"a\\u001fb\"");
	check_json("\x0b", "\"\\u000b\"");
	check_json("/ passes", "\"/ passes\"");
	/* DEL is a control character: escaped, though JSON does not require it. */
	check_json("a\x7f" "b", "\"a\\u007fb\"");
	check_json("h\xc3\xa9llo \xe2\x82\xac", "\"h\xc3\xa9llo \xe2\x82\xac\"");
	check_json(NULL, "null");
}

/*
 * Valid UTF-8 goes out as it is; each byte of an invalid sequence is escaped on its own as
 * \u00XX, so that the output is valid JSON whatever a device tree string holds.
 */
static void test_json_utf8(void **state)
{
	(void)state;
	/* The first and last code point of each length, and those either side of the surrogates. */
	check_json("\xc2\x80 \xdf\xbf", "\"\xc2\x80 \xdf\xbf\"");
	check_json("\xe0\xa0\x80 \xef\xbf\xbf", "\"\xe0\xa0\x80 \xef\xbf\xbf\"");
	check_json("\xed\x9f\xbf \xee\x80\x80", "\"\xed\x9f\xbf \xee\x80\x80\"");
	check_json("\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf", "\"\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf\"");
	check_json("\xf0\x9f\x98\x80!", "\"\xf0\x9f\x98\x80!\"");

	/* build/findings/bootargs-invalid-utf8.dtb's bootargs. */
	check_json("console=hvc0 \xff\xfe", "\"console=hvc0 \\u00ff\\u00fe\"");
	/* Latin-1, as an older boot loader might write it. */
	check_json("caf\xe9", "\"caf\\u00e9\"");
	/* Continuation bytes with no lead. */
	check_json("\x80", "\"\\u0080\"");
	check_json("a\xbf" "b", "\"a\\u00bfb\"");
	/* Overlong forms: C0 and C1 never lead; E0 and F0 need a high enough second byte. */
	check_json("\xc0\xaf", "\"\\u00c0\\u00af\"");
	check_json("\xc1\xbf", "\"\\u00c1\\u00bf\"");
	check_json("\xe0\x9f\xbf", "\"\\u00e0\\u009f\\u00bf\"");
	check_json("\xf0\x8f\xbf\xbf", "\"\\u00f0\\u008f\\u00bf\\u00bf\"");
	/* A surrogate, U+D800. */
	check_json("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"");
	/* Past U+10FFFF, and bytes that never appear in UTF-8. */
	check_json("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\"");
	check_json("\xf5\x80", "\"\\u00f5\\u0080\"");
	check_json("\xfe\xff", "\"\\u00fe\\u00ff\"");
	/* Cut short: by the end of the string, by ASCII, by another lead byte. */
	check_json("\xe2\x82", "\"\\u00e2\\u0082\"");
	check_json("\xf0\x9f\x98", "\"\\u00f0\\u009f\\u0098\"");
	check_json("\xe2\x82" "a", "\"\\u00e2\\u0082a\"");
	check_json("\xc3\xc3\xa9", "\"\\u00c3\xc3\xa9\"");
	/* A quotation mark right after a lead byte is still escaped as itself. */
	check_json("\xc3\"", "\"\\u00c3\\\"\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers_match_libc),
		cmocka_unit_test(test_star_match_libc),
		cmocka_unit_test(test_chars_match_libc),
		cmocka_unit_test(test_strings_match_libc),
		cmocka_unit_test(test_mixed_match_libc),
		cmocka_unit_test(test_int64_edges),
		cmocka_unit_test(test_string_precision_stops),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_unknown_conversions),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_truncation_long),
		cmocka_unit_test(test_sink_output),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_json_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
