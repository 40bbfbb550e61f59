/*
 * Unit tests for lib/bootargs.c: finding words on a command line, telling a name from a
 * longer or shorter one, and which of several `name=value` words counts.
 */
#include "host.h"

#include <string.h>

#include <arbor/bootargs.h>

struct has_case {
	const char *args;
	const char *name;
	bool want;
};

static void test_has(void **state)
{
	static const struct has_case cases[] = {
		{ NULL, "quiet", false },
		{ "", "quiet", false },
		{ " \t ", "quiet", false },
		{ "quiet", "quiet", true },
		{ "quiet=1", "quiet", true },
		{ "quiet=", "quiet", true },
		{ "quietly", "quiet", false },
		{ "xquiet", "quiet", false },
		{ "quie", "quiet", false },
		{ "quiet", "quie", false },
		{ "a=quiet", "quiet", false },
		{ "  \tquiet\t ", "quiet", true },
		{ "console=hvc0 quiet", "quiet", true },
		{ "quiet console=hvc0", "quiet", true },
		{ "console=hvc0\tquiet  probe=json", "probe", true },
		{ "console=hvc0 quietly quiet", "quiet", true },
		{ "selftest.fault=data", "selftest.fault", true },
		{ "selftest.faults=data", "selftest.fault", false },
		{ "selftest.fault=data", "selftest", false },
		{ "quiet", "", false },
		{ "=x", "", false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		bool got = bootargs_has(cases[i].args, cases[i].name);

		if (got != cases[i].want)
			print_error("bootargs_has(\"%s\", \"%s\") is %d\n",
				    cases[i].args ? cases[i].args : "(NULL)", cases[i].name, got);
		assert_int_equal(got, cases[i].want);
	}
}

struct value_case {
	const char *args;
	const char *name;
	const char *want; /* NULL: no value */
	size_t offset;    /* where in args the value starts */
};

static void test_value(void **state)
{
	static const struct value_case cases[] = {
		{ NULL, "probe", NULL, 0 },
		{ "", "probe", NULL, 0 },
		{ "probe=json", "probe", "json", 6 },
		{ "probe=json probe=text", "probe", "text", 17 },
		{ "probe=json quiet probe=text\t", "probe", "text", 23 },
		{ "probe=json probe", "probe", NULL, 0 },
		{ "probe", "probe", NULL, 0 },
		{ "probe=", "probe", "", 6 },
		{ "probe= quiet", "probe", "", 6 },
		{ "probe=a=b", "probe", "a=b", 6 },
		{ "x=1\tprobe=json\t\tquiet", "probe", "json", 10 },
		{ "probes=x", "probe", NULL, 0 },
		{ "xprobe=x", "probe", NULL, 0 },
		{ "quiet=1", "probe", NULL, 0 },
		{ "selftest.fault=text-write", "selftest.fault", "text-write", 15 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct value_case *c = &cases[i];
		size_t len = 12345;
		const char *v = bootargs_value(c->args, c->name, &len);

		if (c->want == NULL) {
			if (v != NULL)
				print_error("bootargs_value(\"%s\", \"%s\") is \"%.*s\"\n",
					    c->args ? c->args : "(NULL)", c->name, (int)len, v);
			assert_null(v);
			continue;
		}
		assert_non_null(v);
		/* A pointer into args, not a copy. */
		assert_ptr_equal(v, c->args + c->offset);
		assert_int_equal(len, strlen(c->want));
		assert_memory_equal(v, c->want, len);
	}
}

/* len may be NULL for a caller that only wants to know whether there is a value. */
static void test_value_null_len(void **state)
{
	const char *args = "probe=json";

	(void)state;
	assert_ptr_equal(bootargs_value(args, "probe", NULL), args + 6);
	assert_null(bootargs_value(args, "quiet", NULL));
}

struct is_case {
	const char *args;
	const char *name;
	const char *value;
	bool want;
};

static void test_is(void **state)
{
	static const struct is_case cases[] = {
		{ NULL, "probe", "json", false },
		{ "probe=json", "probe", "json", true },
		{ "probe=jsonx", "probe", "json", false },
		{ "probe=jso", "probe", "json", false },
		{ "probe=JSON", "probe", "json", false },
		{ "probe=json probe=text", "probe", "json", false },
		{ "probe=json probe=text", "probe", "text", true },
		{ "probe=json probe", "probe", "json", false },
		{ "probe", "probe", "", false },
		{ "probe=", "probe", "", true },
		{ "probes=json", "probe", "json", false },
		{ "quiet selftest.fault=text-write", "selftest.fault", "text-write", true },
		{ "selftest.fault=text-write", "selftest.fault", "text", false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct is_case *c = &cases[i];
		bool got = bootargs_is(c->args, c->name, c->value);

		if (got != c->want)
			print_error("bootargs_is(\"%s\", \"%s\", \"%s\") is %d\n",
				    c->args ? c->args : "(NULL)", c->name, c->value, got);
		assert_int_equal(got, c->want);
	}
}

static void test_list_has(void **state)
{
	static const struct is_case cases[] = {
		{ NULL, "probe", "json", false },
		{ "probe=json", "probe", "json", true },
		{ "probe=json,dtb", "probe", "json", true },
		{ "probe=json,dtb", "probe", "dtb", true },
		{ "probe=dtb,json", "probe", "json", true },
		{ "probe=json,dtb", "probe", "js", false },
		{ "probe=jsonx,dtb", "probe", "json", false },
		{ "probe=json,,dtb", "probe", "", true },
		{ "probe=json", "probe", "", false },
		{ "probe", "probe", "json", false },
		{ "probe=json probe=dtb", "probe", "json", false },
		{ "quiet probe=a,b,c", "probe", "c", true },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct is_case *c = &cases[i];
		bool got = bootargs_list_has(c->args, c->name, c->value);

		if (got != c->want)
			print_error("bootargs_list_has(\"%s\", \"%s\", \"%s\") is %d\n",
				    c->args ? c->args : "(NULL)", c->name, c->value, got);
		assert_int_equal(got, c->want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_value_null_len),
		cmocka_unit_test(test_is),
		cmocka_unit_test(test_list_has),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
