/*
 * libFuzzer target for what the kernel does first with the DTB Xen hands it: dt_index() on
 * the raw bytes (into storage of exactly dt_index_size(), so ASan sees any write past it),
 * then, for a blob that passes, platform_probe() and both reports, and the explanation of
 * every node (probe=explain runs it on whatever tree the kernel is given, before probing).
 *
 * dt_index() promises that nothing after it reads outside the blob, whatever the blob says;
 * ASan checks exactly that (libfdt is compiled into this target from its sources, so its own
 * reads are checked too), UBSan checks the arithmetic on cell values. Beyond crashes, the
 * target checks platform.h's contract that an error is reported, with a message, exactly
 * when platform_probe() fails: the kernel's boot log is the user's only clue.
 *
 * Random bytes rarely survive dt_check(), so the structure-aware mutator (mutator.c) does
 * most of the work. One of three targets, one per layer: fuzz_check.c (the validator alone),
 * fuzz_index.c (the index against libfdt's answers), this one (the whole probe).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <arbor/dt.h>
#include <arbor/explain.h>
#include <arbor/format.h>
#include <arbor/platform.h>
#include <arbor/printk.h>

#include "fuzz.h"

/* ---- the target ---- */

static void probe(const struct dt *dt, uint64_t addr_limit)
{
	static struct platform plat;

	memset(&plat, 0, sizeof(plat));
	plat.addr_limit = addr_limit;
	fuzz_printk_reset();
	platform_explain_all(dt, &fuzz_discard_sink);	/* prints nothing through printk */
	int err = platform_probe(&plat, dt);

	if (err > 0)
		fuzz_fail("fuzz_probe", "platform_probe returned %d, neither 0 nor an error", err);
	if (err && fuzz_errors == 0)
		fuzz_fail("fuzz_probe", "platform_probe failed (%d) without a message", err);
	if (!err && fuzz_errors)
		fuzz_fail("fuzz_probe", "platform_probe succeeded after an error: %s", fuzz_last_error);
	if (!err) {
		platform_report_summary(&plat, &fuzz_discard_sink);
		platform_report_json(&plat, &fuzz_discard_sink);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t need = dt_index_size(data, size);
	void *storage = need ? malloc(need) : NULL;
	struct dt dt;

	if (storage && dt_index(&dt, data, size, storage, need) == 0) {
		/* Both builds' reach: banks beyond 4 GiB are unusable for arm32 only. */
		probe(&dt, 1ull << 48);
		probe(&dt, 1ull << 32);
	}
	free(storage);
	return 0;
}
