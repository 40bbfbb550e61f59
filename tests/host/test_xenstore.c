/*
 * Unit tests for the xenstore ring and client exchange (xen/xenstore_ring.c) and for dom0's
 * test server (tests/kernel/xenstore_tree.c), with a struct xenstore_domain_interface in
 * ordinary memory as the shared page.
 *
 * The client's clock, wait and notification are fakes: each wait advances the clock (so
 * every timeout is reached in a bounded number of waits) and lets "the daemon" act. The
 * daemon is either a script of the test's (replying, or misbehaving: impossible indices, a
 * length over XENSTORE_PAYLOAD_MAX, a reply to another request, a malformed watch event, no
 * reply at all, an endless stream of events) or the real test server, which must then agree
 * with the client on everything, across many wraps of the rings.
 *
 * What must hold against a hostile daemon: the call returns an error instead of reading or
 * writing outside the page and the caller's buffers (AddressSanitizer watches), it returns
 * within the timeout, the reason is reported once, and every later call fails at once.
 */
#include "host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arbor/xenstore_ring.h>

#include "host_printk.h"
#include "../kernel/xenstore_tree.h"

#define RING     XENSTORE_RING_SIZE
#define HDR      sizeof(struct xsd_sockmsg)
#define TICK_NS  (100 * 1000000ull)
#define TIMEOUT  (2 * 1000000000ull)

static struct xenstore_domain_interface page;

/* ---- the fake environment of a connection ---- */

struct env {
	uint64_t now;
	unsigned waits, notifies, events;
	char last_path[64], last_token[32];
	void (*daemon)(struct env *e);	/* runs at each wait; NULL: nobody there */
	struct xs_server *server;	/* or the real test server */
	int script;			/* the daemon script's state */
};

static struct env env;

static int fake_notify(struct xs_conn *c)
{
	(void)c;
	env.notifies++;
	return 0;
}

static void fake_wait(struct xs_conn *c, uint64_t deadline)
{
	(void)c;
	env.waits++;
	env.now = deadline < env.now + TICK_NS ? deadline : env.now + TICK_NS;
	if (env.server) {
		int r = xs_server_step(env.server);
		assert_true(r >= 0);
	}
	if (env.daemon)
		env.daemon(&env);
}

static uint64_t fake_now(struct xs_conn *c)
{
	(void)c;
	return env.now;
}

static void fake_event(struct xs_conn *c, const char *path, const char *token)
{
	(void)c;
	env.events++;
	snprintf(env.last_path, sizeof(env.last_path), "%s", path);
	snprintf(env.last_token, sizeof(env.last_token), "%s", token);
}

static const struct xs_conn_ops fake_ops = { fake_notify, fake_wait, fake_now, fake_event };
static struct xs_conn conn;

static int setup(void **state)
{
	(void)state;
	memset(&page, 0, sizeof(page));
	memset(&env, 0, sizeof(env));
	host_printk_reset();
	xs_conn_init(&conn, &page, &fake_ops, &env, TIMEOUT);
	return 0;
}

/* The daemon's side of the raw page. */
static void daemon_put(const void *data, size_t n)
{
	for (size_t i = 0; i < n; i++)
		page.rsp[MASK_XENSTORE_IDX(page.rsp_prod + i)] = ((const char *)data)[i];
	page.rsp_prod += (XENSTORE_RING_IDX)n;
}

static void daemon_reply(uint32_t type, uint32_t req_id, const void *body, uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = req_id, .len = len };

	daemon_put(&h, HDR);
	daemon_put(body, len);
}

/* The last request the client put in the req ring (the daemon takes it all). */
static struct xsd_sockmsg daemon_take(char *body, size_t size)
{
	struct xsd_sockmsg h;
	char *p = (char *)&h;

	for (size_t i = 0; i < HDR; i++)
		p[i] = page.req[MASK_XENSTORE_IDX(page.req_cons + i)];
	for (size_t i = 0; i < h.len && i < size; i++)
		body[i] = page.req[MASK_XENSTORE_IDX(page.req_cons + HDR + i)];
	page.req_cons = page.req_prod;
	return h;
}

static int read_node(const char *path, char *out, size_t size)
{
	struct xs_part p = { path, (uint32_t)strlen(path) + 1 };
	const struct xs_msg *reply;
	int r = xs_conn_request(&conn, XS_READ, 0, &p, 1, &reply);

	if (r == 0)
		snprintf(out, size, "%s", reply->body);
	return r;
}

/* ---- the ring ---- */

static void test_ring_wraps(void **state)
{
	struct xs_ring_out out;
	struct xs_ring_in in;
	char text[300], got[300];

	(void)state;
	page.req_prod = page.req_cons = 0xffffff00u;	/* 256 bytes before the 32-bit wrap */
	xs_ring_attach_client(&page, &out, &in);
	struct xs_ring_in srv = { page.req, &page.req_cons, &page.req_prod, page.req_cons };
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + i % 26);
	for (int round = 0; round < 20; round++) {
		assert_int_equal(xs_ring_put(&out, text, sizeof(text)), sizeof(text));
		assert_int_equal(xs_ring_get(&srv, got, sizeof(got)), sizeof(got));
		assert_memory_equal(got, text, sizeof(text));
	}
	assert_true(page.req_prod < 0x2000);	/* went through the wrap */
	assert_int_equal(xs_ring_get(&srv, got, 1), 0);
}

static void test_ring_full(void **state)
{
	static char big[2 * RING];
	struct xs_ring_out out;
	struct xs_ring_in in;

	(void)state;
	xs_ring_attach_client(&page, &out, &in);
	assert_int_equal(xs_ring_put(&out, big, sizeof(big)), RING);
	assert_int_equal(xs_ring_put(&out, big, 1), 0);
	page.req_cons += 10;
	assert_int_equal(xs_ring_put(&out, big, sizeof(big)), 10);
}

/* The peer's index on either ring may be anything: only what is possible is used. */
static void test_ring_hostile_indices(void **state)
{
	/* Peer index minus ours: ahead by one, more than a ring, half the space, behind. */
	static const XENSTORE_RING_IDX bad[] = { RING + 1, 0x80000000u, 0xffffffffu, 0xfffff000u };
	struct xs_ring_out out;
	struct xs_ring_in in;
	char buf[RING];

	(void)state;
	page.req_prod = page.req_cons = page.rsp_prod = page.rsp_cons = 0x1000;
	xs_ring_attach_client(&page, &out, &in);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* The daemon's req_cons: ours minus it must be 0..RING. */
		page.req_cons = out.prod - bad[i];
		assert_int_equal(xs_ring_put(&out, "x", 1), -EIO);
		assert_int_equal(page.req_prod, 0x1000);
		/* The daemon's rsp_prod: it minus ours must be 0..RING. */
		page.rsp_prod = in.cons + bad[i];
		assert_int_equal(xs_ring_pending(&in), -EIO);
		assert_int_equal(xs_ring_get(&in, buf, sizeof(buf)), -EIO);
		assert_int_equal(page.rsp_cons, 0x1000);
	}
	/* The edges that are possible: a full ring each way. */
	page.req_cons = out.prod - RING;
	assert_int_equal(xs_ring_put(&out, "x", 1), 0);
	page.rsp_prod = in.cons + RING;
	assert_int_equal(xs_ring_get(&in, buf, sizeof(buf)), RING);
}

static void test_msg_in_pieces(void **state)
{
	struct xsd_sockmsg h = { .type = XS_READ, .req_id = 7, .len = 5 };
	static struct xs_msg m;

	(void)state;
	xs_msg_reset(&m);
	daemon_put(&h, 10);
	assert_int_equal(xs_msg_get(&conn.rsp, &m), 0);
	daemon_put((char *)&h + 10, HDR - 10);
	daemon_put("ab", 2);
	assert_int_equal(xs_msg_get(&conn.rsp, &m), 0);
	daemon_put("cde", 3);
	assert_int_equal(xs_msg_get(&conn.rsp, &m), 1);
	assert_int_equal(m.hdr.req_id, 7);
	assert_string_equal(m.body, "abcde");
	assert_int_equal(xs_msg_get(&conn.rsp, &m), 1);	/* complete until reset */
}

static void test_msg_oversized(void **state)
{
	struct xsd_sockmsg h = { .type = XS_READ, .req_id = 1, .len = XENSTORE_PAYLOAD_MAX + 1 };
	static struct xs_msg m;

	(void)state;
	xs_msg_reset(&m);
	daemon_put(&h, HDR);
	daemon_put("payload", 7);
	assert_int_equal(xs_msg_get(&conn.rsp, &m), -EMSGSIZE);
	assert_int_equal(page.rsp_cons, HDR);	/* not one byte of the payload was read */
	h.len = 0xffffffffu;
	xs_msg_reset(&m);
	page.rsp_cons = page.rsp_prod = 0;
	conn.rsp.cons = 0;
	daemon_put(&h, HDR);
	assert_int_equal(xs_msg_get(&conn.rsp, &m), -EMSGSIZE);
}

static void test_error_names(void **state)
{
	(void)state;
	assert_int_equal(xs_error_code("ENOENT", 7), -ENOENT);
	assert_int_equal(xs_error_code("EAGAIN", 6), -EAGAIN);	/* no NUL sent */
	assert_int_equal(xs_error_code("E2BIG", 6), -E2BIG);
	assert_int_equal(xs_error_code("ENOENTX", 8), -EIO);
	assert_int_equal(xs_error_code("", 1), -EIO);
	assert_int_equal(xs_error_code("EIN", 3), -EIO);
	assert_string_equal(xs_error_name(-EACCES), "EACCES");
	assert_null(xs_error_name(-ETIMEDOUT));
}

static void test_watch_event_parse(void **state)
{
	const char *path, *token;

	(void)state;
	assert_true(xs_watch_event_parse("a/b\0tok\0", 8, &path, &token));
	assert_string_equal(path, "a/b");
	assert_string_equal(token, "tok");
	assert_true(xs_watch_event_parse("a\0\0", 3, &path, &token));	/* empty token */
	assert_false(xs_watch_event_parse("a/b\0tok", 7, &path, &token));
	assert_false(xs_watch_event_parse("a/b", 3, &path, &token));
	assert_false(xs_watch_event_parse("\0tok\0", 5, &path, &token));
	assert_false(xs_watch_event_parse("", 0, &path, &token));
}

/* ---- the client's exchange against scripted daemons ---- */

static void answer_read(struct env *e)
{
	char body[64];

	(void)e;
	if (page.req_prod == page.req_cons)
		return;
	struct xsd_sockmsg h = daemon_take(body, sizeof(body));
	daemon_reply(h.type, h.req_id, "1", 1);
}

static void test_reply(void **state)
{
	char v[16];

	(void)state;
	env.daemon = answer_read;
	assert_int_equal(read_node("domid", v, sizeof(v)), 0);
	assert_string_equal(v, "1");
	assert_int_equal(read_node("domid", v, sizeof(v)), 0);
	assert_int_equal(host_err_count, 0);
}

static void test_no_daemon(void **state)
{
	char v[16];

	(void)state;
	assert_int_equal(read_node("domid", v, sizeof(v)), -ETIMEDOUT);
	assert_true(env.now >= TIMEOUT && env.now < TIMEOUT + TICK_NS);
	assert_true(env.waits <= TIMEOUT / TICK_NS + 1);
	assert_int_equal(host_err_count, 1);
	assert_non_null(strstr(host_last_err, "no reply to XS_READ"));
	/* Given up for good: at once, and without a second report. */
	unsigned waits = env.waits;
	assert_int_equal(read_node("domid", v, sizeof(v)), -ETIMEDOUT);
	assert_int_equal(xs_conn_poll(&conn, 0), -ETIMEDOUT);
	assert_int_equal(env.waits, waits);
	assert_int_equal(host_err_count, 1);
}

/* A daemon that only ever sends watch events: the request still ends at its deadline. */
static void chatter(struct env *e)
{
	(void)e;
	daemon_reply(XS_WATCH_EVENT, 0, "p\0t", 4);
}

static void test_endless_events(void **state)
{
	char v[16];

	(void)state;
	env.daemon = chatter;
	assert_int_equal(read_node("domid", v, sizeof(v)), -ETIMEDOUT);
	assert_true(env.events > 10);
	assert_string_equal(env.last_path, "p");
	assert_int_equal(host_err_count, 1);
}

static void wrong_id(struct env *e)
{
	char body[64];

	(void)e;
	if (page.req_prod == page.req_cons)
		return;
	struct xsd_sockmsg h = daemon_take(body, sizeof(body));
	daemon_reply(h.type, h.req_id + 1, "1", 1);
}

static void wrong_type(struct env *e)
{
	char body[64];

	(void)e;
	if (page.req_prod == page.req_cons)
		return;
	struct xsd_sockmsg h = daemon_take(body, sizeof(body));
	daemon_reply(XS_WRITE, h.req_id, "OK", 3);
}

static void test_reply_mismatch(void **state)
{
	char v[16];

	(void)state;
	env.daemon = wrong_id;
	assert_int_equal(read_node("domid", v, sizeof(v)), -EPROTO);
	assert_int_equal(host_err_count, 1);
	assert_non_null(strstr(host_last_err, "req_id 2"));
	assert_int_equal(read_node("domid", v, sizeof(v)), -EPROTO);
	assert_int_equal(host_err_count, 1);

	setup(NULL);
	env.daemon = wrong_type;
	assert_int_equal(read_node("domid", v, sizeof(v)), -EPROTO);
	assert_non_null(strstr(host_last_err, "XS_WRITE"));
}

/* Scripts that break the rsp ring's producer index in the ways the ring code refuses. */
static void rsp_prod_too_far(struct env *e)
{
	(void)e;
	page.rsp_prod = page.rsp_cons + RING + 1;
}

static void rsp_prod_behind(struct env *e)
{
	(void)e;
	page.rsp_prod = page.rsp_cons - 1;
}

static void rsp_oversized(struct env *e)
{
	char body[64];

	(void)e;
	if (page.req_prod == page.req_cons)
		return;
	struct xsd_sockmsg h = daemon_take(body, sizeof(body));
	h.len = XENSTORE_PAYLOAD_MAX + 1;
	daemon_put(&h, HDR);
	daemon_put("garbage", 7);
}

static void bad_event(struct env *e)
{
	(void)e;
	daemon_reply(XS_WATCH_EVENT, 0, "path-without-token", 18);
}

static void test_hostile_daemons(void **state)
{
	static const struct {
		void (*daemon)(struct env *);
		int err;
		const char *says;
	} cases[] = {
		{ rsp_prod_too_far, -EIO, "producer index on the rsp ring is impossible" },
		{ rsp_prod_behind, -EIO, "producer index on the rsp ring is impossible" },
		{ rsp_oversized, -EMSGSIZE, "over XENSTORE_PAYLOAD_MAX" },
		{ bad_event, -EPROTO, "malformed XS_WATCH_EVENT" },
	};
	char v[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setup(NULL);
		env.daemon = cases[i].daemon;
		assert_int_equal(read_node("domid", v, sizeof(v)), cases[i].err);
		assert_int_equal(host_err_count, 1);
		assert_non_null(strstr(host_last_err, cases[i].says));
		assert_true(env.now < TIMEOUT);		/* found out at once, not by the timeout */
		assert_int_equal(read_node("domid", v, sizeof(v)), cases[i].err);
		assert_int_equal(host_err_count, 1);
	}
}

/* The daemon's consumer index on the req ring jumps ahead of what was written. */
static void req_cons_ahead(struct env *e)
{
	(void)e;
	page.req_cons = page.req_prod + 5;
}

static void test_hostile_req_cons(void **state)
{
	static char big[3 * RING];
	struct xs_part p[2] = { { "data/big", 9 }, { big, sizeof(big) } };
	const struct xs_msg *reply;

	(void)state;
	memset(big, 'v', sizeof(big));
	env.daemon = req_cons_ahead;
	/* The request is larger than the ring: the client waits for room, and finds nonsense. */
	assert_int_equal(xs_conn_request(&conn, XS_WRITE, 0, p, 2, &reply), -EIO);
	assert_non_null(strstr(host_last_err, "consumer index on the req ring is impossible"));
	assert_int_equal(host_err_count, 1);
}

static void test_too_big_not_sent(void **state)
{
	static char big[XENSTORE_PAYLOAD_MAX];
	struct xs_part p[2] = { { "data/big", 9 }, { big, sizeof(big) } };
	const struct xs_msg *reply;

	(void)state;
	assert_int_equal(xs_conn_request(&conn, XS_WRITE, 0, p, 2, &reply), -E2BIG);
	assert_int_equal(page.req_prod, 0);
	assert_int_equal(conn.broken, 0);
	assert_int_equal(host_err_count, 0);
}

static void error_then_event_then_reply(struct env *e)
{
	char body[64];

	if (page.req_prod == page.req_cons)
		return;
	struct xsd_sockmsg h = daemon_take(body, sizeof(body));
	if (e->script++ == 0) {
		daemon_reply(XS_ERROR, h.req_id, "ENOENT", 7);
		return;
	}
	daemon_reply(XS_WATCH_EVENT, 0, "data/w\0tok", 11);
	daemon_reply(h.type, h.req_id, "ok", 2);
}

static void test_error_reply_and_interleaved_event(void **state)
{
	char v[16];

	(void)state;
	env.daemon = error_then_event_then_reply;
	assert_int_equal(read_node("missing", v, sizeof(v)), -ENOENT);
	assert_int_equal(conn.broken, 0);
	assert_int_equal(read_node("there", v, sizeof(v)), 0);
	assert_string_equal(v, "ok");
	assert_int_equal(env.events, 1);
	assert_string_equal(env.last_path, "data/w");
	assert_string_equal(env.last_token, "tok");
	assert_int_equal(host_err_count, 0);
}

/* ---- the client against the real test server ---- */

static struct xs_server server;

static int setup_server(void **state)
{
	setup(state);
	xs_server_init(&server, &page, 3);
	env.server = &server;
	return 0;
}

static int request(uint32_t type, uint32_t tx, const char *a, const char *b, size_t blen,
		   char *out, size_t size)
{
	struct xs_part p[2] = { { a, (uint32_t)strlen(a) + 1 }, { b, (uint32_t)blen } };
	const struct xs_msg *reply;
	int r = xs_conn_request(&conn, type, tx, p, b ? 2 : 1, &reply);

	if (r == 0 && out) {
		memcpy(out, reply->body, reply->hdr.len < size ? reply->hdr.len + 1 : size);
		r = (int)reply->hdr.len;
	}
	return r;
}

static void test_server_basics(void **state)
{
	char v[256];

	(void)state;
	assert_int_equal(request(XS_READ, 0, "domid", NULL, 0, v, sizeof(v)), 1);
	assert_string_equal(v, "3");
	assert_int_equal(request(XS_READ, 0, "/local/domain/3/domid", NULL, 0, v, sizeof(v)), 1);
	assert_int_equal(request(XS_WRITE, 0, "data/a/b", "value", 5, v, sizeof(v)), 3);
	assert_string_equal(v, "OK");
	assert_int_equal(request(XS_READ, 0, "data/a/b", NULL, 0, v, sizeof(v)), 5);
	assert_string_equal(v, "value");
	assert_int_equal(request(XS_READ, 0, "data/a", NULL, 0, v, sizeof(v)), 0);
	assert_int_equal(request(XS_READ, 0, "data/nope", NULL, 0, v, sizeof(v)), -ENOENT);
	assert_int_equal(request(XS_READ, 0, "data//a", NULL, 0, v, sizeof(v)), -EINVAL);
	assert_int_equal(request(XS_READ, 0, "data/a/", NULL, 0, v, sizeof(v)), -EINVAL);
	assert_int_equal(request(XS_WRITE, 0, "data/a/c", "", 0, v, sizeof(v)), 3);
	assert_int_equal(request(XS_DIRECTORY, 0, "data/a", NULL, 0, v, sizeof(v)), 4);
	assert_true((!strcmp(v, "b") && !strcmp(v + 2, "c")) ||
		    (!strcmp(v, "c") && !strcmp(v + 2, "b")));
	assert_int_equal(request(XS_DIRECTORY, 0, "/local/domain", NULL, 0, v, sizeof(v)), 2);
	assert_string_equal(v, "3");
	assert_int_equal(request(XS_GET_PERMS, 0, "data", NULL, 0, v, sizeof(v)), -EINVAL);
	assert_int_equal(host_err_count, 0);
}

static void test_server_watch(void **state)
{
	char v[16];

	(void)state;
	assert_int_equal(request(XS_WATCH, 0, "data/w", "tok", 4, v, sizeof(v)), 3);
	assert_int_equal(xs_conn_poll(&conn, env.now + TIMEOUT), 1);	/* the initial event */
	assert_string_equal(env.last_path, "data/w");
	assert_int_equal(request(XS_WRITE, 0, "data/w/x/y", "1", 1, v, sizeof(v)), 3);
	assert_int_equal(env.events, 2);	/* sent before the reply */
	assert_string_equal(env.last_path, "data/w/x/y");
	assert_int_equal(request(XS_WRITE, 0, "data/wx", "1", 1, v, sizeof(v)), 3);
	assert_int_equal(env.events, 2);
	assert_int_equal(request(XS_WATCH, 0, "/local/domain/3/data", "abs", 4, v, sizeof(v)), 3);
	xs_conn_poll(&conn, env.now + TIMEOUT);
	assert_int_equal(request(XS_WRITE, 0, "data/w/z", "1", 1, v, sizeof(v)), 3);
	assert_int_equal(env.events, 5);	/* both watches; the absolute one absolutely */
	assert_int_equal(request(XS_UNWATCH, 0, "data/w", "tok", 4, v, sizeof(v)), 3);
	assert_int_equal(request(XS_UNWATCH, 0, "data/w", "tok", 4, v, sizeof(v)), -ENOENT);
	assert_int_equal(request(XS_WRITE, 0, "data/w/z", "2", 1, v, sizeof(v)), 3);
	assert_int_equal(env.events, 6);
	assert_string_equal(env.last_path, "/local/domain/3/data/w/z");
	assert_string_equal(env.last_token, "abs");
}

static void test_server_transactions(void **state)
{
	char v[16], id[16];

	(void)state;
	assert_true(request(XS_TRANSACTION_START, 0, "", NULL, 0, id, sizeof(id)) > 0);
	uint32_t tx = (uint32_t)atoi(id);
	assert_int_equal(request(XS_WRITE, tx, "data/t", "1", 1, v, sizeof(v)), 3);
	assert_int_equal(request(XS_READ, 0, "data/t", NULL, 0, v, sizeof(v)), -ENOENT);
	assert_int_equal(request(XS_READ, tx, "data/t", NULL, 0, v, sizeof(v)), 1);
	assert_int_equal(request(XS_TRANSACTION_START, 0, "", NULL, 0, v, sizeof(v)), -ENOSPC);
	assert_int_equal(request(XS_TRANSACTION_END, tx, "T", NULL, 0, v, sizeof(v)), 3);
	assert_int_equal(request(XS_READ, 0, "data/t", NULL, 0, v, sizeof(v)), 1);
	assert_int_equal(request(XS_READ, tx, "data/t", NULL, 0, v, sizeof(v)), -ENOENT);

	assert_true(request(XS_TRANSACTION_START, 0, "", NULL, 0, id, sizeof(id)) > 0);
	tx = (uint32_t)atoi(id);
	assert_int_equal(request(XS_WRITE, tx, "data/u", "1", 1, v, sizeof(v)), 3);
	assert_int_equal(request(XS_WRITE, 0, "data/t", "2", 1, v, sizeof(v)), 3);
	assert_int_equal(request(XS_TRANSACTION_END, tx, "T", NULL, 0, v, sizeof(v)), -EAGAIN);
	assert_int_equal(request(XS_READ, 0, "data/u", NULL, 0, v, sizeof(v)), -ENOENT);
	assert_int_equal(request(XS_TRANSACTION_END, tx, "F", NULL, 0, v, sizeof(v)), -ENOENT);
}

/* Thousands of requests of every size: the indices wrap many times, nothing gets lost. */
static void test_server_many_and_large(void **state)
{
	static char big[3 * RING];
	char v[XS_TREE_VALUE_MAX + 1], want[XS_TREE_VALUE_MAX + 1];

	(void)state;
	for (int i = 0; i < 3000; i++) {
		int n = i % XS_TREE_VALUE_MAX;
		for (int k = 0; k < n; k++)
			want[k] = (char)('a' + (i + k) % 26);
		want[n] = '\0';
		assert_int_equal(request(XS_WRITE, 0, "data/many", want, (size_t)n, v, sizeof(v)), 3);
		assert_int_equal(request(XS_READ, 0, "data/many", NULL, 0, v, sizeof(v)), n);
		assert_memory_equal(v, want, (size_t)n);
	}
	/* A request three rings long goes in pieces; the server refuses a value that long. */
	memset(big, 'x', sizeof(big));
	assert_int_equal(request(XS_WRITE, 0, "data/big", big, sizeof(big), v, sizeof(v)),
			 -ENOSPC);
	assert_int_equal(request(XS_READ, 0, "domid", NULL, 0, v, sizeof(v)), 1);
	assert_int_equal(host_err_count, 0);
}

/* ---- the server against a hostile client ---- */

static void test_server_hostile_client(void **state)
{
	struct xsd_sockmsg h = { .type = XS_READ, .req_id = 1, .len = XENSTORE_PAYLOAD_MAX + 1 };

	(void)state;
	env.server = NULL;
	page.req_prod = page.req_cons + RING + 1;
	assert_int_equal(xs_server_step(&server), -EIO);
	assert_int_equal(page.error, XENSTORE_ERROR_RINGIDX);
	assert_int_equal(xs_server_step(&server), -EIO);
	assert_int_equal(host_err_count, 1);

	setup_server(NULL);
	memcpy(page.req, &h, HDR);
	page.req_prod = HDR;
	assert_int_equal(xs_server_step(&server), -EMSGSIZE);
	assert_int_equal(page.error, XENSTORE_ERROR_PROTO);
	assert_int_equal(page.req_cons, HDR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ring_wraps, setup),
		cmocka_unit_test_setup(test_ring_full, setup),
		cmocka_unit_test_setup(test_ring_hostile_indices, setup),
		cmocka_unit_test_setup(test_msg_in_pieces, setup),
		cmocka_unit_test_setup(test_msg_oversized, setup),
		cmocka_unit_test_setup(test_error_names, setup),
		cmocka_unit_test_setup(test_watch_event_parse, setup),
		cmocka_unit_test_setup(test_reply, setup),
		cmocka_unit_test_setup(test_no_daemon, setup),
		cmocka_unit_test_setup(test_endless_events, setup),
		cmocka_unit_test_setup(test_reply_mismatch, setup),
		cmocka_unit_test_setup(test_hostile_daemons, setup),
		cmocka_unit_test_setup(test_hostile_req_cons, setup),
		cmocka_unit_test_setup(test_too_big_not_sent, setup),
		cmocka_unit_test_setup(test_error_reply_and_interleaved_event, setup),
		cmocka_unit_test_setup(test_server_basics, setup_server),
		cmocka_unit_test_setup(test_server_watch, setup_server),
		cmocka_unit_test_setup(test_server_transactions, setup_server),
		cmocka_unit_test_setup(test_server_many_and_large, setup_server),
		cmocka_unit_test_setup(test_server_hostile_client, setup_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
