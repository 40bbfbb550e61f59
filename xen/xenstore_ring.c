/*
 * The xenstore ring and the client's request/reply exchange (include/arbor/xenstore_ring.h),
 * pure: the clock, the wait and the event-channel notification come in through struct
 * xs_conn_ops, so that the host tests run this very code against hostile peers.
 *
 * Ordering, as in Linux's xenbus_comms.c and the PV console (console/xencons_ring.c): the
 * producer fills the slots, then a release fence, then stores its index; the consumer reads
 * the peer's index, then an acquire fence, then the slots, then a full fence before storing
 * its own index, so that the peer cannot reuse a slot before it has been read. The C11
 * fences compile to DMB ISH on arm64 and ARMv7: the peer runs on a CPU of the same
 * inner-shareable domain. Bytes are copied out of the page before anything looks at them,
 * so a peer rewriting them meanwhile cannot make a check and a use see different values.
 */
#include <string.h>

#include <arbor/printk.h>
#include <arbor/xenstore_ring.h>

#define RING  XENSTORE_RING_SIZE
#define HDR   ((uint32_t)sizeof(struct xsd_sockmsg))

void xs_ring_attach_client(struct xenstore_domain_interface *intf, struct xs_ring_out *out,
			   struct xs_ring_in *in)
{
	*out = (struct xs_ring_out){ intf->req, &intf->req_prod, &intf->req_cons,
				     __atomic_load_n(&intf->req_prod, __ATOMIC_RELAXED) };
	*in = (struct xs_ring_in){ intf->rsp, &intf->rsp_cons, &intf->rsp_prod,
				   __atomic_load_n(&intf->rsp_cons, __ATOMIC_RELAXED) };
}

void xs_ring_attach_server(struct xenstore_domain_interface *intf, struct xs_ring_out *out,
			   struct xs_ring_in *in)
{
	*out = (struct xs_ring_out){ intf->rsp, &intf->rsp_prod, &intf->rsp_cons,
				     __atomic_load_n(&intf->rsp_prod, __ATOMIC_RELAXED) };
	*in = (struct xs_ring_in){ intf->req, &intf->req_cons, &intf->req_prod,
				   __atomic_load_n(&intf->req_cons, __ATOMIC_RELAXED) };
}

long xs_ring_put(struct xs_ring_out *out, const void *data, size_t n)
{
	XENSTORE_RING_IDX cons = __atomic_load_n(out->peer_cons, __ATOMIC_RELAXED);

	/* The slots the peer freed are not written before it is seen to have read them. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	XENSTORE_RING_IDX used = out->prod - cons;
	if (used > RING)
		return -EIO;
	size_t k = MIN(n, (size_t)(RING - used));
	size_t at = MASK_XENSTORE_IDX(out->prod);
	size_t first = MIN(k, RING - at);

	memcpy(out->buf + at, data, first);
	memcpy(out->buf, (const char *)data + first, k - first);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	out->prod += (XENSTORE_RING_IDX)k;
	__atomic_store_n(out->shared_prod, out->prod, __ATOMIC_RELAXED);
	return (long)k;
}

long xs_ring_pending(const struct xs_ring_in *in)
{
	XENSTORE_RING_IDX avail = __atomic_load_n(in->peer_prod, __ATOMIC_RELAXED) - in->cons;

	return avail > RING ? -EIO : (long)avail;
}

long xs_ring_get(struct xs_ring_in *in, void *data, size_t n)
{
	long avail = xs_ring_pending(in);

	if (avail <= 0)
		return avail;
	/* The slots are read after the index that published them. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	size_t k = MIN(n, (size_t)avail);
	size_t at = MASK_XENSTORE_IDX(in->cons);
	size_t first = MIN(k, RING - at);

	memcpy(data, in->buf + at, first);
	memcpy((char *)data + first, in->buf, k - first);
	/* Read before the slots are handed back. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	in->cons += (XENSTORE_RING_IDX)k;
	__atomic_store_n(in->shared_cons, in->cons, __ATOMIC_RELAXED);
	return (long)k;
}

void xs_msg_reset(struct xs_msg *m)
{
	m->got = 0;
}

static bool msg_complete(const struct xs_msg *m)
{
	return m->got >= HDR && m->hdr.len <= XENSTORE_PAYLOAD_MAX && m->got == HDR + m->hdr.len;
}

int xs_msg_get(struct xs_ring_in *in, struct xs_msg *m)
{
	long r;

	while (m->got < HDR) {
		r = xs_ring_get(in, (char *)&m->hdr + m->got, HDR - m->got);
		if (r <= 0)
			return (int)r;
		m->got += (uint32_t)r;
	}
	/* The header is ours now: checked once, it cannot change under us. */
	if (m->hdr.len > XENSTORE_PAYLOAD_MAX)
		return -EMSGSIZE;
	while (!msg_complete(m)) {
		r = xs_ring_get(in, m->body + (m->got - HDR), HDR + m->hdr.len - m->got);
		if (r <= 0)
			return (int)r;
		m->got += (uint32_t)r;
	}
	m->body[m->hdr.len] = '\0';
	return 1;
}

static const char *const type_names[XS_TYPE_COUNT] = {
	[XS_CONTROL] = "XS_CONTROL", [XS_DIRECTORY] = "XS_DIRECTORY", [XS_READ] = "XS_READ",
	[XS_GET_PERMS] = "XS_GET_PERMS", [XS_WATCH] = "XS_WATCH", [XS_UNWATCH] = "XS_UNWATCH",
	[XS_TRANSACTION_START] = "XS_TRANSACTION_START",
	[XS_TRANSACTION_END] = "XS_TRANSACTION_END", [XS_INTRODUCE] = "XS_INTRODUCE",
	[XS_RELEASE] = "XS_RELEASE", [XS_GET_DOMAIN_PATH] = "XS_GET_DOMAIN_PATH",
	[XS_WRITE] = "XS_WRITE", [XS_MKDIR] = "XS_MKDIR", [XS_RM] = "XS_RM",
	[XS_SET_PERMS] = "XS_SET_PERMS", [XS_WATCH_EVENT] = "XS_WATCH_EVENT",
	[XS_ERROR] = "XS_ERROR", [XS_IS_DOMAIN_INTRODUCED] = "XS_IS_DOMAIN_INTRODUCED",
	[XS_RESUME] = "XS_RESUME", [XS_SET_TARGET] = "XS_SET_TARGET",
	[XS_RESET_WATCHES] = "XS_RESET_WATCHES", [XS_DIRECTORY_PART] = "XS_DIRECTORY_PART",
};

const char *xs_type_name(uint32_t type, char *buf, size_t size)
{
	if (type < XS_TYPE_COUNT && type_names[type])
		return type_names[type];
	format_buf(buf, size, "message type %u", (unsigned)type);
	return buf;
}

int xs_error_code(const char *payload, uint32_t len)
{
	/* The name is a NUL-terminated string; xenstored sends the NUL, be lenient if not. */
	size_t n = strnlen(payload, len);

	for (size_t i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (strlen(xsd_errors[i].errstring) == n &&
		    memcmp(xsd_errors[i].errstring, payload, n) == 0)
			return -xsd_errors[i].errnum;
	return -EIO;
}

const char *xs_error_name(int err)
{
	for (size_t i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (xsd_errors[i].errnum == -err)
			return xsd_errors[i].errstring;
	return NULL;
}

bool xs_watch_event_parse(const char *body, uint32_t len, const char **path,
			  const char **token)
{
	size_t plen = strnlen(body, len);

	if (plen == 0 || plen >= len)
		return false;
	size_t tlen = strnlen(body + plen + 1, len - plen - 1);
	if (plen + 1 + tlen >= len)
		return false;
	*path = body;
	*token = body + plen + 1;
	return true;
}

/* ---- the client's exchange ---- */

void xs_conn_init(struct xs_conn *c, struct xenstore_domain_interface *intf,
		  const struct xs_conn_ops *ops, void *ctx, uint64_t timeout_ns)
{
	*c = (struct xs_conn){ .ops = ops, .ctx = ctx, .timeout_ns = timeout_ns, .next_id = 1 };
	xs_ring_attach_client(intf, &c->req, &c->rsp);
	xs_msg_reset(&c->rx);
}

/* Give up on the connection with err, saying why once. Returns err. */
static int __printf(3, 4) give_up(struct xs_conn *c, int err, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	if (c->broken)
		return c->broken;
	va_start(ap, fmt);
	vformat_buf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pr_err("xenstore: %s; giving up on the xenstore connection\n", why);
	c->broken = err;
	return err;
}

/* The ring broke the protocol (an xs_msg_get or xs_ring_put error): say how, give up. */
static int ring_error(struct xs_conn *c, int err, bool req)
{
	if (err == -EMSGSIZE)
		return give_up(c, err, "a message on the rsp ring announces %u bytes of payload, "
			       "over XENSTORE_PAYLOAD_MAX (%u)", (unsigned)c->rx.hdr.len,
			       XENSTORE_PAYLOAD_MAX);
	XENSTORE_RING_IDX peer = __atomic_load_n(req ? c->req.peer_cons : c->rsp.peer_prod,
						 __ATOMIC_RELAXED);
	return give_up(c, err, "the daemon's %s index on the %s ring is impossible: 0x%x "
		       "against our %s 0x%x, in a ring of %u bytes", req ? "consumer" : "producer",
		       req ? "req" : "rsp", (unsigned)peer, req ? "producer" : "consumer",
		       (unsigned)(req ? c->req.prod : c->rsp.cons), RING);
}

/*
 * Take every complete message from the rsp ring that is not the reply being waited for
 * (want == NULL: none is): watch events go to ops->event. Returns 1 when a reply is ready
 * in c->rx, 0 when the ring holds no complete message, or a negative error. *events counts
 * the events handed on.
 */
static int receive(struct xs_conn *c, const struct xsd_sockmsg *want, int *events)
{
	char t1[24], t2[24];
	const char *path, *token;

	for (;;) {
		if (msg_complete(&c->rx))
			xs_msg_reset(&c->rx);
		bool was_full = xs_ring_pending(&c->rsp) == RING;
		int r = xs_msg_get(&c->rsp, &c->rx);
		/* A full ring may have stopped the daemon mid-message: say there is room now. */
		if (was_full && r >= 0 && xs_ring_pending(&c->rsp) < RING) {
			int err = c->ops->notify(c);
			if (err)
				return give_up(c, err, "notifying the daemon failed (%d)", err);
		}
		if (r < 0)
			return ring_error(c, r, false);
		if (r == 0)
			return 0;
		const struct xsd_sockmsg *h = &c->rx.hdr;
		if (h->type == XS_WATCH_EVENT) {
			if (!xs_watch_event_parse(c->rx.body, h->len, &path, &token))
				return give_up(c, -EPROTO, "a malformed XS_WATCH_EVENT (%u bytes)",
					       (unsigned)h->len);
			c->ops->event(c, path, token);
			(*events)++;
			continue;
		}
		if (!want)
			return give_up(c, -EPROTO, "an unexpected %s (req_id %u) with no request "
				       "outstanding", xs_type_name(h->type, t1, sizeof(t1)),
				       (unsigned)h->req_id);
		if (h->req_id != want->req_id || (h->type != want->type && h->type != XS_ERROR))
			return give_up(c, -EPROTO, "the reply to %s req_id %u is a %s with req_id %u",
				       xs_type_name(want->type, t1, sizeof(t1)),
				       (unsigned)want->req_id, xs_type_name(h->type, t2, sizeof(t2)),
				       (unsigned)h->req_id);
		return 1;
	}
}

/* Put all n bytes into the req ring by deadline, taking watch events meanwhile. */
static int send_bytes(struct xs_conn *c, const struct xsd_sockmsg *hdr, const void *data,
		      uint32_t n, uint64_t deadline)
{
	char t[24];
	int events = 0;

	while (n) {
		long put = xs_ring_put(&c->req, data, n);
		if (put < 0)
			return ring_error(c, (int)put, true);
		data = (const char *)data + put;
		n -= (uint32_t)put;
		if (!n)
			break;
		/* Full: have the daemon read, and keep reading what it sends meanwhile. */
		int err = c->ops->notify(c);
		if (err)
			return give_up(c, err, "notifying the daemon failed (%d)", err);
		if ((err = receive(c, NULL, &events)) < 0)
			return err;
		if (c->ops->now_ns(c) >= deadline)
			return give_up(c, -ETIMEDOUT, "the daemon took no more of %s (req_id %u) "
				       "for %llu ms", xs_type_name(hdr->type, t, sizeof(t)),
				       (unsigned)hdr->req_id,
				       (unsigned long long)(c->timeout_ns / 1000000));
		c->ops->wait(c, deadline);
	}
	return 0;
}

int xs_conn_request(struct xs_conn *c, uint32_t type, uint32_t tx, const struct xs_part *parts,
		    unsigned nparts, const struct xs_msg **reply)
{
	uint32_t len = 0;
	char t[24];
	int err, events = 0;

	if (c->broken)
		return c->broken;
	for (unsigned i = 0; i < nparts; i++) {
		if (parts[i].len > XENSTORE_PAYLOAD_MAX - len)
			return -E2BIG;
		len += parts[i].len;
	}
	struct xsd_sockmsg hdr = { .type = type, .req_id = c->next_id++, .tx_id = tx, .len = len };
	uint64_t deadline = c->ops->now_ns(c) + c->timeout_ns;

	if ((err = send_bytes(c, &hdr, &hdr, sizeof(hdr), deadline)))
		return err;
	for (unsigned i = 0; i < nparts; i++)
		if ((err = send_bytes(c, &hdr, parts[i].data, parts[i].len, deadline)))
			return err;
	if ((err = c->ops->notify(c)))
		return give_up(c, err, "notifying the daemon failed (%d)", err);

	for (;;) {
		int r = receive(c, &hdr, &events);
		if (r < 0)
			return r;
		if (r == 1)
			break;
		if (c->ops->now_ns(c) >= deadline)
			return give_up(c, -ETIMEDOUT, "no reply to %s (req_id %u) within %llu ms: "
				       "no xenstore daemon answering", xs_type_name(type, t, sizeof(t)),
				       (unsigned)hdr.req_id,
				       (unsigned long long)(c->timeout_ns / 1000000));
		c->ops->wait(c, deadline);
	}
	if (c->rx.hdr.type == XS_ERROR)
		return xs_error_code(c->rx.body, c->rx.hdr.len);
	*reply = &c->rx;
	return 0;
}

int xs_conn_poll(struct xs_conn *c, uint64_t deadline_ns)
{
	int events = 0;

	if (c->broken)
		return c->broken;
	for (;;) {
		int r = receive(c, NULL, &events);
		if (r < 0)
			return r;
		if (events || !deadline_ns || c->ops->now_ns(c) >= deadline_ns)
			return events;
		c->ops->wait(c, deadline_ns);
	}
}
