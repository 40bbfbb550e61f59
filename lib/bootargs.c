/*
 * Looking things up in the kernel command line (/chosen/bootargs).
 *
 * The line is never copied or modified: each query walks it afresh, word by word, and answers
 * with pointers into it. It is short and read a handful of times at boot, so there is nothing
 * to gain from parsing it once into a table, and nothing to size such a table by.
 *
 * Words are separated by runs of spaces and tabs. A word is `name` or `name=value`; only the
 * part before the first '=' is compared with a name, so `quiet` is found in `quiet` and
 * `quiet=1` but not in `quietly`. Quoting is not supported: Arbor's own words never need it.
 */
#include <arbor/bootargs.h>

/* One word of the command line: [start, end), with the '=' (if any) at eq. */
struct bootargs_word {
	const char *start;
	const char *eq;
	const char *end;
};

static bool bootargs_is_space(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Find the word that starts at or after p. Returns false at the end of the line; otherwise
 * fills *word, and the next word is searched for from word->end.
 */
static bool bootargs_next(const char *p, struct bootargs_word *word)
{
	while (bootargs_is_space(*p))
		p++;
	if (*p == '\0')
		return false;

	word->start = p;
	word->eq = NULL;
	while (*p != '\0' && !bootargs_is_space(*p)) {
		if (*p == '=' && word->eq == NULL)
			word->eq = p;
		p++;
	}
	word->end = p;
	return true;
}

/* Whether the word's name part (everything before the first '=') is exactly name. */
static bool bootargs_word_is(const struct bootargs_word *word, const char *name)
{
	const char *name_end = word->eq != NULL ? word->eq : word->end;
	const char *p = word->start;

	while (p < name_end && *name != '\0' && *p == *name) {
		p++;
		name++;
	}
	return p == name_end && *name == '\0';
}

/*
 * The last word named name, or false when there is none. An empty name never matches: it
 * would otherwise find words such as `=x`, which name nothing.
 */
static bool bootargs_find_last(const char *args, const char *name, struct bootargs_word *found)
{
	struct bootargs_word word;
	bool any = false;

	if (args == NULL || *name == '\0')
		return false;
	for (const char *p = args; bootargs_next(p, &word); p = word.end) {
		if (bootargs_word_is(&word, name)) {
			*found = word;
			any = true;
		}
	}
	return any;
}

bool bootargs_has(const char *args, const char *name)
{
	struct bootargs_word word;

	return bootargs_find_last(args, name, &word);
}

/*
 * Only the last occurrence is looked at, so `name=1 name` has no value: the later bare word
 * overrides the earlier setting, as a later `name=2` would. `name=` has an empty value,
 * which is not the same as none. len may be NULL when only the value's presence matters.
 */
const char *bootargs_value(const char *args, const char *name, size_t *len)
{
	struct bootargs_word word;

	if (!bootargs_find_last(args, name, &word) || word.eq == NULL)
		return NULL;
	if (len != NULL)
		*len = word.end - (word.eq + 1);
	return word.eq + 1;
}

bool bootargs_is(const char *args, const char *name, const char *value)
{
	size_t len;
	const char *v = bootargs_value(args, name, &len);
	size_t i;

	if (v == NULL)
		return false;
	for (i = 0; i < len; i++) {
		if (value[i] != v[i])
			return false;
	}
	return value[len] == '\0';
}

bool bootargs_list_has(const char *args, const char *name, const char *item)
{
	size_t len, n = 0;
	const char *v = bootargs_value(args, name, &len);

	while (item[n] != '\0')
		n++;
	for (size_t start = 0; v != NULL && start <= len;) {
		size_t end = start;
		while (end < len && v[end] != ',')
			end++;
		if (end - start == n) {
			size_t i = 0;
			while (i < n && v[start + i] == item[i])
				i++;
			if (i == n)
				return true;
		}
		start = end + 1;
	}
	return false;
}
