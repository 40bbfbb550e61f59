/*
 * The kernel command line, from /chosen/bootargs: space-separated words, each `name` or
 * `name=value`. Arbor's own words are `quiet`, `probe=json,dtb` and `selftest.fault=KIND`; the
 * rest are left to the application.
 */
#ifndef ARBOR_BOOTARGS_H
#define ARBOR_BOOTARGS_H

#include <stddef.h>

#include <arbor/types.h>

/* True when the word `name` (or `name=...`) appears in args. */
bool bootargs_has(const char *args, const char *name);

/*
 * The value of `name=value` in args: a pointer into args and its length in *len, or NULL when
 * name is absent or has no value. The last occurrence wins, as on Linux.
 */
const char *bootargs_value(const char *args, const char *name, size_t *len);

/* True when `name=value` appears with exactly that value. */
bool bootargs_is(const char *args, const char *name, const char *value);

/* True when the value of `name=a,b,c` (the last occurrence) lists item. */
bool bootargs_list_has(const char *args, const char *name, const char *item);

#endif
