/*
 * What the fuzz targets (tests/fuzz/fuzz_*.c) share: the printk backend every target links
 * (fuzz_printk.c), which formats each message (so its arguments are read) and counts the
 * errors, and the structure-aware mutator (mutator.c) of the index and probe targets.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <arbor/format.h>

/* Errors printed since the last fuzz_printk_reset(), and the text of the last one. */
extern unsigned fuzz_errors;
extern char fuzz_last_error[512];

void fuzz_printk_reset(void);

/* A sink that formats nothing away: what the reports write is discarded. */
extern struct sink fuzz_discard_sink;

/* Stop the run as a finding: libFuzzer keeps the input that got here. */
void fuzz_fail(const char *target, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

#endif
