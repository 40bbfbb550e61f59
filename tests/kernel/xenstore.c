/*
 * Self-tests of the xenstore client (xen/xenstore.c).
 *
 * Where the domain has a store event channel (the xen,enhanced domU of role pair), dom0's
 * test server (tests/kernel/xenstore_server.c) has given it a store page, and the client
 * must have connected: these tests then write, read back, list, miss, watch and use
 * transactions against that server's tree, under the domain's home (relative paths below
 * "data/"). Everywhere else the client must have said it is unavailable, without waiting,
 * and refuse every call, and the tests that need a store skip. dom0 also checks that its
 * server ran cleanly when a domain was waiting for it.
 *
 * The ring's defences against a hostile daemon (impossible indices, oversized messages,
 * replies to the wrong request, no reply at all) are tested on the host
 * (tests/host/test_xenstore.c), where a daemon can be made to misbehave.
 */
#include <errno.h>
#include <string.h>

#include <arbor/evtchn.h>
#include <arbor/platform.h>
#include <arbor/selftest.h>
#include <arbor/time.h>
#include <arbor/xen.h>
#include <arbor/xenstore.h>
#include <arbor/xenstore_ring.h>

#include <xen/hvm/params.h>

#define EVENT_WAIT_NS  (2 * NSEC_PER_SEC)
#define QUIET_NS       (50 * 1000000ull)
#define NO_WAIT_NS     (100 * 1000000ull)	/* an init with nothing to wait for is faster */

struct seen {
	unsigned count;
	char path[64];
	char token[XENSTORE_TOKEN_MAX];
};

static void count_event(const char *path, const char *token, void *arg)
{
	struct seen *s = arg;

	s->count++;
	format_buf(s->path, sizeof(s->path), "%s", path);
	format_buf(s->token, sizeof(s->token), "%s", token);
}

/* Whether this domain was given a store channel, i.e. should have a store. */
static bool store_expected(void)
{
	uint64_t port = 0;

	return xen_detected() != XEN_ABSENT && evtchn_available() &&
	       !xen_hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port) && port;
}

SELFTEST(xenstore_available_where_expected)
{
	struct xenstore_info info;
	char buf[8];

	xenstore_get_info(&info);
	if (store_expected()) {
		uint64_t pfn = 0;
		EXPECT(info.available, "a store event channel, but xenstore is unavailable (%s)",
		       info.why ? info.why : "no reason");
		EXPECT(!xen_hvm_get_param(HVM_PARAM_STORE_PFN, &pfn) && pfn == info.page >> 12,
		       "HVM_PARAM_STORE_PFN 0x%llx, client uses page 0x%llx",
		       (unsigned long long)pfn, (unsigned long long)info.page);
		for (unsigned i = 0; i < platform.nmem; i++)
			EXPECT(info.page < platform.mem[i].base ||
			       info.page >= platform.mem[i].base + platform.mem[i].size,
			       "the store page 0x%llx is inside RAM bank %u",
			       (unsigned long long)info.page, i);
		EXPECT(info.init_ns < XENSTORE_PAGE_WAIT_NS + 2 * XENSTORE_TIMEOUT_NS,
		       "xenstore_init took %llu ms", (unsigned long long)(info.init_ns / 1000000));
		EXPECT(info.domid != 0, "the store says this domain is domid 0");
		return;
	}
	EXPECT(!info.available, "no store event channel, yet xenstore is available");
	/* The reason printed: none (the bare "unavailable") when Xen gave no store channel. */
	uint64_t port = 0;
	bool xen = xen_detected() != XEN_ABSENT;
	if (xen)
		xen_hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port);
	const char *why = !xen ? "not running on Xen" : !port ? NULL : "no event channels";
	EXPECT(why ? info.why && !strcmp(info.why, why) : !info.why,
	       "reported unavailable because \"%s\", expected \"%s\"",
	       info.why ? info.why : "", why ? why : "");
	EXPECT(!info.page && info.page_wait_ns == 0, "waited %llu ns for a page that cannot come",
	       (unsigned long long)info.page_wait_ns);
	EXPECT(info.init_ns < NO_WAIT_NS, "xenstore_init took %llu us with nothing to wait for",
	       (unsigned long long)(info.init_ns / 1000));
	EXPECT(xenstore_read(XS_TX_NONE, "domid", buf, sizeof(buf)) == -ENODEV,
	       "xenstore_read without a store");
	EXPECT(xenstore_write(XS_TX_NONE, "data/x", "1") == -ENODEV,
	       "xenstore_write without a store");
	EXPECT(xenstore_poll(0) == -ENODEV, "xenstore_poll without a store");
	printk("selftest:   xenstore: unavailable (%s) after %llu us; the tests below skip\n",
	       info.why ? info.why : "no store event channel",
	       (unsigned long long)(info.init_ns / 1000));
}

SELFTEST(xenstore_write_read_back)
{
	struct xenstore_info info;
	char buf[64], abs[64];

	SKIP_UNLESS(xenstore_available(), "xenstore unavailable");
	xenstore_get_info(&info);
	EXPECT(xenstore_write(XS_TX_NONE, "data/arbor/greeting", "hello from arbor") == 0,
	       "write");
	int len = xenstore_read(XS_TX_NONE, "data/arbor/greeting", buf, sizeof(buf));
	EXPECT(len == 16 && strcmp(buf, "hello from arbor") == 0, "read back %d \"%s\"", len,
	       len >= 0 ? buf : "");
	/* The same node by its absolute path: relative paths are below the domain's home. */
	format_buf(abs, sizeof(abs), "/local/domain/%u/data/arbor/greeting", (unsigned)info.domid);
	len = xenstore_read(XS_TX_NONE, abs, buf, sizeof(buf));
	EXPECT(len == 16 && strcmp(buf, "hello from arbor") == 0, "%s: %d", abs, len);
	EXPECT(xenstore_write(XS_TX_NONE, "data/arbor/greeting", "") == 0, "overwrite");
	len = xenstore_read(XS_TX_NONE, "data/arbor/greeting", buf, sizeof(buf));
	EXPECT(len == 0 && buf[0] == '\0', "empty value read back as %d bytes", len);
	/* A value longer than the caller's buffer is refused, not cut. */
	EXPECT(xenstore_write(XS_TX_NONE, "data/arbor/long", "0123456789abcdef") == 0, "write");
	EXPECT(xenstore_read(XS_TX_NONE, "data/arbor/long", buf, 8) == -E2BIG,
	       "a 16-byte value into 8 bytes");

	/* Write/read pairs, each value different: 10 here, 10,000 when soaking. */
	unsigned pairs = selftest_count(10, 10000), good = 0, failed = 0;
	for (unsigned i = 0; i < pairs; i++) {
		char want[24];
		format_buf(want, sizeof(want), "value %u", i * 2654435761u);
		if (xenstore_write(XS_TX_NONE, "data/arbor/soak", want) ||
		    xenstore_read(XS_TX_NONE, "data/arbor/soak", buf, sizeof(buf)) < 0 ||
		    strcmp(buf, want)) {
			failed++;
			if (failed == 1)
				EXPECT(0, "pair %u: wrote \"%s\", read \"%s\"", i, want, buf);
			continue;
		}
		good++;
	}
	EXPECT(good == pairs, "%u of %u write/read pairs came back", good, pairs);
	if (selftest_soak())
		printk("selftest:   soak: xenstore: %u write/read pairs, %u read back, %u failed\n",
		       pairs, good, failed);
}

SELFTEST(xenstore_missing_is_enoent)
{
	char buf[16];

	SKIP_UNLESS(xenstore_available(), "xenstore unavailable");
	int r = xenstore_read(XS_TX_NONE, "data/no/such/node", buf, sizeof(buf));
	EXPECT(r == -ENOENT, "reading a missing node: %d, not -ENOENT", r);
	r = xenstore_directory(XS_TX_NONE, "data/no/such/node", buf, sizeof(buf));
	EXPECT(r == -ENOENT, "listing a missing node: %d, not -ENOENT", r);
	r = xenstore_read(XS_TX_NONE, "data//bad", buf, sizeof(buf));
	EXPECT(r == -EINVAL, "an invalid path: %d, not -EINVAL", r);
	EXPECT(xenstore_read(XS_TX_NONE, "domid", buf, sizeof(buf)) > 0,
	       "the connection survives error replies");
}

SELFTEST(xenstore_directory_lists_children)
{
	char buf[64];
	bool a = false, b = false, c = false;

	SKIP_UNLESS(xenstore_available(), "xenstore unavailable");
	EXPECT(xenstore_write(XS_TX_NONE, "data/dir/a", "1") == 0 &&
	       xenstore_write(XS_TX_NONE, "data/dir/b", "2") == 0 &&
	       xenstore_write(XS_TX_NONE, "data/dir/c/deeper", "3") == 0, "writes");
	int n = xenstore_directory(XS_TX_NONE, "data/dir", buf, sizeof(buf));
	EXPECT(n == 3, "data/dir has %d children, expected 3 (a b c)", n);
	for (int i = 0, at = 0; n > 0 && i < n; i++) {
		const char *name = buf + at;
		a |= !strcmp(name, "a");
		b |= !strcmp(name, "b");
		c |= !strcmp(name, "c");
		at += (int)strlen(name) + 1;
	}
	EXPECT(a && b && c, "children a, b and c not all listed");
	n = xenstore_directory(XS_TX_NONE, "data/dir/a", buf, sizeof(buf));
	EXPECT(n == 0, "a leaf lists %d children", n);
}

SELFTEST(xenstore_watch_fires_on_write)
{
	struct seen seen = { 0 };

	SKIP_UNLESS(xenstore_available(), "xenstore unavailable");
	int r = xenstore_watch("data/watched", "arbor-tok", count_event, &seen);
	EXPECT(r == 0, "xenstore_watch: %d", r);
	if (r)
		return;
	/* The daemon fires a new watch once, with the watched path itself. */
	if (!seen.count)
		xenstore_poll(EVENT_WAIT_NS);
	EXPECT(seen.count == 1 && !strcmp(seen.path, "data/watched") &&
	       !strcmp(seen.token, "arbor-tok"), "initial event: %u, \"%s\" \"%s\"", seen.count,
	       seen.path, seen.token);
	EXPECT(xenstore_watch("data/other", "arbor-tok", count_event, &seen) == -EEXIST,
	       "a second watch with the same token");

	EXPECT(xenstore_write(XS_TX_NONE, "data/watched/child", "x") == 0, "write");
	if (seen.count < 2)
		xenstore_poll(EVENT_WAIT_NS);
	EXPECT(seen.count == 2 && !strcmp(seen.path, "data/watched/child"),
	       "after a write below the watch: %u events, last \"%s\"", seen.count, seen.path);

	EXPECT(xenstore_write(XS_TX_NONE, "data/unwatched", "x") == 0, "write");
	xenstore_poll(QUIET_NS);
	EXPECT(seen.count == 2, "a write outside the watch fired it (\"%s\")", seen.path);

	EXPECT(xenstore_unwatch("data/watched", "arbor-tok") == 0, "xenstore_unwatch");
	EXPECT(xenstore_write(XS_TX_NONE, "data/watched/child", "y") == 0, "write");
	xenstore_poll(QUIET_NS);
	EXPECT(seen.count == 2, "an event after unwatch (\"%s\")", seen.path);
	EXPECT(xenstore_unwatch("data/watched", "arbor-tok") == -ENOENT,
	       "unwatching twice is ENOENT");
}

SELFTEST(xenstore_transaction_commit_abort_conflict)
{
	char buf[16];
	xs_tx_t tx;

	SKIP_UNLESS(xenstore_available(), "xenstore unavailable");
	EXPECT(xenstore_transaction_start(&tx) == 0 && tx != XS_TX_NONE, "start");
	EXPECT(xenstore_write(tx, "data/tx/a", "in-tx") == 0, "write in the transaction");
	EXPECT(xenstore_read(XS_TX_NONE, "data/tx/a", buf, sizeof(buf)) == -ENOENT,
	       "an uncommitted write is visible outside");
	EXPECT(xenstore_read(tx, "data/tx/a", buf, sizeof(buf)) == 5, "not visible inside");
	EXPECT(xenstore_transaction_end(tx, true) == 0, "commit");
	EXPECT(xenstore_read(XS_TX_NONE, "data/tx/a", buf, sizeof(buf)) == 5 &&
	       !strcmp(buf, "in-tx"), "the committed write is not there");

	EXPECT(xenstore_transaction_start(&tx) == 0, "start");
	EXPECT(xenstore_write(tx, "data/tx/b", "dropped") == 0, "write");
	EXPECT(xenstore_transaction_end(tx, false) == 0, "abort");
	EXPECT(xenstore_read(XS_TX_NONE, "data/tx/b", buf, sizeof(buf)) == -ENOENT,
	       "an aborted write is visible");
	EXPECT(xenstore_read(tx, "data/tx/a", buf, sizeof(buf)) == -ENOENT,
	       "a finished transaction still answers");

	/* A change outside an open transaction makes its commit fail: start again. */
	EXPECT(xenstore_transaction_start(&tx) == 0, "start");
	EXPECT(xenstore_write(tx, "data/tx/c", "loser") == 0, "write");
	EXPECT(xenstore_write(XS_TX_NONE, "data/tx/a", "winner") == 0, "write outside");
	int r = xenstore_transaction_end(tx, true);
	EXPECT(r == -EAGAIN, "a conflicting commit: %d, not -EAGAIN", r);
	EXPECT(xenstore_read(XS_TX_NONE, "data/tx/c", buf, sizeof(buf)) == -ENOENT,
	       "the conflicting transaction's write went in");
}

SELFTEST(xenstore_requests_at_the_limits)
{
	static char big[XENSTORE_PAYLOAD_MAX + 8];
	char buf[16];

	SKIP_UNLESS(xenstore_available(), "xenstore unavailable");
	/* Over XENSTORE_PAYLOAD_MAX: refused before anything is sent. */
	memset(big, 'v', sizeof(big) - 1);
	EXPECT(xenstore_write(XS_TX_NONE, "data/big", big) == -E2BIG, "an oversized request");
	/* Three rings' worth: sent in pieces as the server reads (which refuses the value). */
	big[3 * 1024] = '\0';
	int r = xenstore_write(XS_TX_NONE, "data/big", big);
	EXPECT(r == -ENOSPC, "a 3 KiB value: %d, the test server's -ENOSPC expected", r);
	EXPECT(xenstore_read(XS_TX_NONE, "domid", buf, sizeof(buf)) > 0,
	       "the connection survives");
}

SELFTEST(xenstore_server_served)
{
	struct xenstore_server_report r;

	xenstore_test_server_report(&r);
	SKIP_UNLESS(r.ran, "no xenstore test server ran here: it runs in dom0 of role pair");
	EXPECT(r.result == 0, "dom0's xenstore test server for domain %u failed: %d",
	       (unsigned)r.domid, r.result);
	EXPECT(r.requests > 0, "domain %u never sent a request", (unsigned)r.domid);
	printk("selftest:   xenstore-server: domain %u, page gfn 0x%llx, %u requests, %u watch "
	       "events\n", (unsigned)r.domid, (unsigned long long)r.gfn, r.requests, r.events);
}
