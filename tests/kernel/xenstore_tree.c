/*
 * Test fixture: a tiny xenstore daemon's request handling (tests/kernel/xenstore_tree.h says
 * what it does and does not do). Nodes live in a fixed array, found by their full path; a
 * transaction works on a copy of the whole array.
 */
#include <string.h>

#include <arbor/format.h>
#include <arbor/printk.h>

#include "xenstore_tree.h"

#define HDR  ((uint32_t)sizeof(struct xsd_sockmsg))

/* ---- the tree ---- */

static struct xs_node *find(struct xs_tree *t, const char *path)
{
	for (unsigned i = 0; i < XS_TREE_NODES; i++)
		if (t->node[i].used && strcmp(t->node[i].path, path) == 0)
			return &t->node[i];
	return NULL;
}

/* path and every missing ancestor, created empty; path's node, or NULL when full. */
static struct xs_node *create(struct xs_tree *t, const char *path)
{
	size_t len = strlen(path);
	struct xs_node *n = NULL;

	for (size_t i = 1; i <= len; i++) {
		if (i < len && path[i] != '/')
			continue;
		char prefix[XS_TREE_PATH_MAX];
		memcpy(prefix, path, i);
		prefix[i] = '\0';
		if ((n = find(t, prefix)))
			continue;
		for (unsigned k = 0; k < XS_TREE_NODES && !n; k++)
			if (!t->node[k].used)
				n = &t->node[k];
		if (!n)
			return NULL;
		*n = (struct xs_node){ .used = true };
		memcpy(n->path, prefix, i + 1);
	}
	return n;
}

/* The last component of child when its parent is path, else NULL. */
static const char *child_name(const char *child, const char *path)
{
	size_t pl = strcmp(path, "/") == 0 ? 0 : strlen(path);

	if (strncmp(child, path, pl) != 0 || child[pl] != '/' || !child[pl + 1])
		return NULL;
	return strchr(child + pl + 1, '/') ? NULL : child + pl + 1;
}

/* Whether a watch on w covers a change of p: p is w or below it. */
static bool covers(const char *w, const char *p)
{
	size_t wl = strlen(w);

	return strcmp(w, "/") == 0 || (strncmp(p, w, wl) == 0 && (!p[wl] || p[wl] == '/'));
}

/*
 * The absolute form of p (relative ones are below home) into out, checked as xenstored
 * would: only A-Z a-z 0-9 - / _ @, no empty component, no trailing '/' except the root.
 */
static bool resolve(const struct xs_server *s, const char *p, char out[XS_TREE_PATH_MAX])
{
	size_t n = p[0] == '/' ? format_buf(out, XS_TREE_PATH_MAX, "%s", p)
			       : format_buf(out, XS_TREE_PATH_MAX, "%s/%s", s->home, p);

	if (!p[0] || n >= XS_TREE_PATH_MAX || (n > 1 && out[n - 1] == '/'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = out[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '/' || c == '_' || c == '@';
		if (!ok || (c == '/' && out[i + 1] == '/'))
			return false;
	}
	return true;
}

int xs_server_set(struct xs_server *s, const char *path, const char *value)
{
	size_t len = strlen(value);
	struct xs_node *n;

	if (len > XS_TREE_VALUE_MAX || !(n = create(&s->tree, path)))
		return -ENOSPC;
	memcpy(n->value, value, len);
	n->len = (uint32_t)len;
	s->gen++;
	return 0;
}

/* ---- output: whole messages queued, flushed by xs_server_step as the ring has room ---- */

static bool queue_msg(struct xs_server *s, uint32_t type, const struct xsd_sockmsg *req,
		      const void *a, uint32_t alen, const void *b, uint32_t blen)
{
	struct xsd_sockmsg h = { .type = type, .req_id = req ? req->req_id : 0,
				 .tx_id = req ? req->tx_id : 0, .len = alen + blen };

	if (s->out_len + HDR + alen + blen > sizeof(s->outq))
		return false;
	memcpy(s->outq + s->out_len, &h, HDR);
	if (alen)
		memcpy(s->outq + s->out_len + HDR, a, alen);
	if (blen)
		memcpy(s->outq + s->out_len + HDR + alen, b, blen);
	s->out_len += HDR + alen + blen;
	return true;
}

static bool reply(struct xs_server *s, const void *data, uint32_t len)
{
	return queue_msg(s, s->rx.hdr.type, &s->rx.hdr, data, len, NULL, 0);
}

static bool reply_ok(struct xs_server *s)
{
	return reply(s, "OK", 3);
}

static bool reply_err(struct xs_server *s, int err)
{
	const char *name = xs_error_name(err);

	name = name ? name : "EINVAL";
	return queue_msg(s, XS_ERROR, &s->rx.hdr, name, (uint32_t)strlen(name) + 1, NULL, 0);
}

static void event(struct xs_server *s, const char *path, const char *token)
{
	if (queue_msg(s, XS_WATCH_EVENT, NULL, path, (uint32_t)strlen(path) + 1, token,
		      (uint32_t)strlen(token) + 1))
		s->events++;
	else
		s->dropped_events++;
}

/* A change of path (absolute): an event for each watch covering it, in the client's form. */
static void fire(struct xs_server *s, const char *path)
{
	size_t hl = strlen(s->home);

	for (unsigned i = 0; i < XS_TREE_WATCHES; i++) {
		const struct xs_tree_watch *w = &s->watch[i];
		char abs[XS_TREE_PATH_MAX];

		if (!w->used || !resolve(s, w->path, abs) || !covers(abs, path))
			continue;
		bool relative = w->path[0] != '/' && strncmp(path, s->home, hl) == 0 &&
				path[hl] == '/';
		event(s, relative ? path + hl + 1 : path, w->token);
	}
}

/* ---- requests ---- */

static bool do_read(struct xs_server *s, struct xs_tree *t, const char *path)
{
	struct xs_node *n = find(t, path);

	if (!n)
		return reply_err(s, -ENOENT);
	return reply(s, n->value, n->len);
}

static bool do_write(struct xs_server *s, struct xs_tree *t, const char *path,
		     const char *value, uint32_t len, bool in_tx)
{
	struct xs_node *n;

	if (len > XS_TREE_VALUE_MAX || !(n = create(t, path)))
		return reply_err(s, -ENOSPC);
	memcpy(n->value, value, len);
	n->len = len;
	if (!in_tx) {
		s->gen++;
		fire(s, path);
		if (s->on_write)
			s->on_write(s, path, n->value, len, s->on_write_arg);
	}
	return reply_ok(s);
}

static bool do_directory(struct xs_server *s, struct xs_tree *t, const char *path)
{
	uint32_t len = 0;
	const char *name;

	if (!find(t, path))
		return reply_err(s, -ENOENT);
	for (unsigned i = 0; i < XS_TREE_NODES; i++)
		if (t->node[i].used && (name = child_name(t->node[i].path, path)))
			len += (uint32_t)strlen(name) + 1;
	struct xsd_sockmsg hdr = { .type = XS_DIRECTORY, .req_id = s->rx.hdr.req_id,
				   .tx_id = s->rx.hdr.tx_id, .len = len };
	if (s->out_len + HDR + len > sizeof(s->outq))
		return reply_err(s, -E2BIG);
	memcpy(s->outq + s->out_len, &hdr, HDR);
	uint32_t at = s->out_len + HDR;
	for (unsigned i = 0; i < XS_TREE_NODES; i++)
		if (t->node[i].used && (name = child_name(t->node[i].path, path))) {
			size_t n = strlen(name) + 1;
			memcpy(s->outq + at, name, n);
			at += (uint32_t)n;
		}
	s->out_len = at;
	return true;
}

static struct xs_tree_watch *find_watch(struct xs_server *s, const char *path,
					const char *token)
{
	for (unsigned i = 0; i < XS_TREE_WATCHES; i++)
		if (s->watch[i].used && !strcmp(s->watch[i].path, path) &&
		    !strcmp(s->watch[i].token, token))
			return &s->watch[i];
	return NULL;
}

static bool do_watch(struct xs_server *s, const char *path, const char *token)
{
	struct xs_tree_watch *w = NULL;

	if (strlen(path) >= XS_TREE_PATH_MAX || strlen(token) >= XS_TREE_TOKEN_MAX)
		return reply_err(s, -EINVAL);
	if (find_watch(s, path, token))
		return reply_err(s, -EEXIST);
	for (unsigned i = 0; i < XS_TREE_WATCHES && !w; i++)
		if (!s->watch[i].used)
			w = &s->watch[i];
	if (!w)
		return reply_err(s, -ENOSPC);
	w->used = true;
	strcpy(w->path, path);
	strcpy(w->token, token);
	bool ok = reply_ok(s);
	event(s, path, token);	/* xenstored fires every new watch once */
	return ok;
}

static bool do_transaction_end(struct xs_server *s, const char *arg, uint32_t len)
{
	if (!s->tx_open || s->rx.hdr.tx_id != s->tx_id)
		return reply_err(s, -ENOENT);
	if (len != 2 || (arg[0] != 'T' && arg[0] != 'F'))
		return reply_err(s, -EINVAL);
	s->tx_open = false;
	if (arg[0] == 'F')
		return reply_ok(s);
	if (s->gen != s->tx_gen)
		return reply_err(s, -EAGAIN);
	for (unsigned i = 0; i < XS_TREE_NODES; i++) {
		const struct xs_node *n = &s->tx_tree.node[i];
		const struct xs_node *o = n->used ? find(&s->tree, n->path) : NULL;
		if (n->used && (!o || o->len != n->len || memcmp(o->value, n->value, n->len)))
			fire(s, n->path);
	}
	s->tree = s->tx_tree;
	s->gen++;
	return reply_ok(s);
}

static bool handle(struct xs_server *s)
{
	const struct xsd_sockmsg *h = &s->rx.hdr;
	const char *body = s->rx.body;
	uint32_t a0 = (uint32_t)strnlen(body, h->len);	/* < len: a NUL-terminated first string */
	const char *a1 = body + a0 + 1;
	bool two = a0 < h->len && strnlen(a1, h->len - a0 - 1) < h->len - a0 - 1;
	struct xs_tree *t = &s->tree;
	char path[XS_TREE_PATH_MAX];

	s->requests++;
	if (h->tx_id && h->type != XS_TRANSACTION_END) {
		if (!s->tx_open || h->tx_id != s->tx_id)
			return reply_err(s, -ENOENT);
		t = &s->tx_tree;
	}
	switch (h->type) {
	case XS_READ:
	case XS_WRITE:
	case XS_DIRECTORY:
		if (a0 >= h->len || !resolve(s, body, path))
			return reply_err(s, -EINVAL);
		if (h->type == XS_READ)
			return do_read(s, t, path);
		if (h->type == XS_DIRECTORY)
			return do_directory(s, t, path);
		return do_write(s, t, path, a1, h->len - a0 - 1, h->tx_id != 0);
	case XS_WATCH:
	case XS_UNWATCH:
		if (!two || !resolve(s, body, path))
			return reply_err(s, -EINVAL);
		if (h->type == XS_WATCH)
			return do_watch(s, body, a1);
		struct xs_tree_watch *w = find_watch(s, body, a1);
		if (!w)
			return reply_err(s, -ENOENT);
		w->used = false;
		return reply_ok(s);
	case XS_TRANSACTION_START: {
		char id[12];
		if (s->tx_open)
			return reply_err(s, -ENOSPC);	/* one at a time, in this fixture */
		s->tx_tree = s->tree;
		s->tx_gen = s->gen;
		s->tx_open = true;
		if (++s->last_tx_id == 0)
			s->last_tx_id = 1;
		s->tx_id = s->last_tx_id;
		size_t n = format_buf(id, sizeof(id), "%u", (unsigned)s->tx_id);
		return reply(s, id, (uint32_t)n + 1);
	}
	case XS_TRANSACTION_END:
		return do_transaction_end(s, body, h->len);
	default:
		return reply_err(s, -EINVAL);
	}
}

void xs_server_init(struct xs_server *s, struct xenstore_domain_interface *intf,
		    unsigned domid)
{
	char id[12];

	memset(s, 0, sizeof(*s));
	s->intf = intf;
	s->domid = domid;
	format_buf(s->home, sizeof(s->home), "/local/domain/%u", domid);
	format_buf(id, sizeof(id), "%u", domid);
	create(&s->tree, "/");
	xs_server_set(s, s->home, "");
	char path[XS_TREE_PATH_MAX];
	format_buf(path, sizeof(path), "%s/domid", s->home);
	xs_server_set(s, path, id);

	intf->req_cons = intf->req_prod = intf->rsp_cons = intf->rsp_prod = 0;
	intf->error = XENSTORE_ERROR_NONE;
	intf->server_features = XENSTORE_SERVER_FEATURE_ERROR;
	xs_ring_attach_server(intf, &s->out, &s->in);
	xs_msg_reset(&s->rx);
	/* The page is ready: everything above is visible before the client sees this. */
	__atomic_store_n(&intf->connection, XENSTORE_CONNECTED, __ATOMIC_RELEASE);
}

/* The client broke the protocol: say so once, flag it in the page, stop serving. */
static int stop(struct xs_server *s, int err, uint32_t code, const char *why)
{
	pr_err("xenstore-server: domain %u: %s; no longer serving it\n", s->domid, why);
	__atomic_store_n(&s->intf->error, code, __ATOMIC_RELEASE);
	s->broken = err;
	return err;
}

int xs_server_step(struct xs_server *s)
{
	int flags = 0;

	if (s->broken)
		return s->broken;
	for (;;) {
		if (s->out_sent < s->out_len) {
			long r = xs_ring_put(&s->out, s->outq + s->out_sent, s->out_len - s->out_sent);
			if (r < 0)
				return stop(s, -EIO, XENSTORE_ERROR_RINGIDX,
					    "its consumer index on the rsp ring is impossible");
			flags |= r ? XS_SERVER_PRODUCED : 0;
			s->out_sent += (uint32_t)r;
			if (s->out_sent < s->out_len)
				return flags;	/* the ring is full: the client must read */
		}
		s->out_len = s->out_sent = 0;

		XENSTORE_RING_IDX before = s->in.cons;
		int r = xs_msg_get(&s->in, &s->rx);
		flags |= s->in.cons != before ? XS_SERVER_CONSUMED : 0;
		if (r == -EMSGSIZE)
			return stop(s, r, XENSTORE_ERROR_PROTO,
				    "a request's payload is over XENSTORE_PAYLOAD_MAX");
		if (r < 0)
			return stop(s, r, XENSTORE_ERROR_RINGIDX,
				    "its producer index on the req ring is impossible");
		if (r == 0)
			return flags;
		handle(s);
		xs_msg_reset(&s->rx);
	}
}
