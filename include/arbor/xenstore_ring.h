/*
 * The xenstore wire protocol over the shared ring page (Xen's public io/xs_wire.h), kept
 * free of hypercalls, mappings and clocks (xen/xenstore_ring.c) so that the host tests can
 * drive it with a hostile peer. The client (xen/xenstore.c) and dom0's test server
 * (tests/kernel/xenstore_server.c) both use it, each from its own end.
 *
 * The page holds two rings of XENSTORE_RING_SIZE bytes: req (client to server) and rsp
 * (server to client), each with a producer and a consumer index, free-running 32-bit
 * counters masked into the ring. A message is a struct xsd_sockmsg header followed by len
 * bytes of payload, and may wrap around the end of the ring or arrive in pieces.
 *
 * Everything the other end writes is untrusted: its index may be anything, and so may the
 * bytes of a message. Each end keeps its own index in its own memory (struct xs_ring_out,
 * struct xs_ring_in) and only ever stores it to the page; the peer's index is read once per
 * call and refused (-EIO) when it is more than a ring away from ours in either direction.
 * A header whose len exceeds XENSTORE_PAYLOAD_MAX is refused (-EMSGSIZE) before any payload
 * is read, so no message can overrun struct xs_msg.
 */
#ifndef ARBOR_XENSTORE_RING_H
#define ARBOR_XENSTORE_RING_H

#include <errno.h>	/* before xs_wire.h: it defines its error table only when EINVAL is */

#include <arbor/types.h>

#include <xen/io/xs_wire.h>

_Static_assert((XENSTORE_RING_SIZE & (XENSTORE_RING_SIZE - 1)) == 0,
	       "MASK_XENSTORE_IDX needs a power of two");
_Static_assert(sizeof(struct xenstore_domain_interface) <= PAGE_SIZE, "the ring fits a page");

/* The direction this end produces: data goes in at prod; the peer consumes at *peer_cons. */
struct xs_ring_out {
	char *buf;				/* XENSTORE_RING_SIZE bytes */
	XENSTORE_RING_IDX *shared_prod;		/* written, never read */
	const XENSTORE_RING_IDX *peer_cons;	/* untrusted */
	XENSTORE_RING_IDX prod;			/* ours */
};

/* The direction this end consumes: data comes out at cons; the peer produces at *peer_prod. */
struct xs_ring_in {
	const char *buf;
	XENSTORE_RING_IDX *shared_cons;		/* written, never read */
	const XENSTORE_RING_IDX *peer_prod;	/* untrusted */
	XENSTORE_RING_IDX cons;			/* ours */
};

/*
 * Attach to a page as the client (out = req, in = rsp) or as the server (out = rsp,
 * in = req), taking this end's indices from the page as they are now.
 */
void xs_ring_attach_client(struct xenstore_domain_interface *intf, struct xs_ring_out *out,
			   struct xs_ring_in *in);
void xs_ring_attach_server(struct xenstore_domain_interface *intf, struct xs_ring_out *out,
			   struct xs_ring_in *in);

/*
 * Copy as much of data[0..n) as fits after prod and publish it (data before the index).
 * Returns the bytes queued, 0 when the ring is full, or -EIO when the peer's consumer index
 * is impossible (ahead of prod, or more than a ring behind it).
 */
long xs_ring_put(struct xs_ring_out *out, const void *data, size_t n);

/*
 * Take up to n bytes from after cons into data and release their slots. Returns the bytes
 * taken, 0 when the ring is empty, or -EIO when the peer's producer index is impossible
 * (behind cons, or more than a ring ahead of it).
 */
long xs_ring_get(struct xs_ring_in *in, void *data, size_t n);

/* Bytes waiting in in, 0 when none, -EIO as for xs_ring_get. */
long xs_ring_pending(const struct xs_ring_in *in);

/* One message being received: the header, then the payload with a NUL added after it. */
struct xs_msg {
	struct xsd_sockmsg hdr;
	uint32_t got;				/* bytes of header and payload so far */
	char body[XENSTORE_PAYLOAD_MAX + 1];
};

/* Start receiving a new message into m. */
void xs_msg_reset(struct xs_msg *m);

/*
 * Continue receiving m from in: 1 when m is complete (until xs_msg_reset, further calls
 * return 1 and read nothing), 0 when more is to come, -EIO for an impossible index, or
 * -EMSGSIZE for a header whose len exceeds XENSTORE_PAYLOAD_MAX.
 */
int xs_msg_get(struct xs_ring_in *in, struct xs_msg *m);

/* "XS_READ", ..., or "message type N" (in a buffer of the caller's) for others. */
const char *xs_type_name(uint32_t type, char *buf, size_t size);

/*
 * The error an XS_ERROR payload names ("ENOENT"), as a negative errno; -EIO when it names
 * none of io/xs_wire.h's. And the name of a negative errno in that list, NULL when absent.
 */
int xs_error_code(const char *payload, uint32_t len);
const char *xs_error_name(int err);

/*
 * Split a watch event's payload ("path\0token\0", the order of enum xs_watch_type) into
 * its two strings; false when it is not two NUL-terminated strings, the first non-empty.
 */
bool xs_watch_event_parse(const char *body, uint32_t len, const char **path,
			  const char **token);

/* ---- The client's side of a connection: one request at a time, bounded waits ---- */

struct xs_conn;

struct xs_conn_ops {
	/* Tell the peer the ring changed (EVTCHNOP_send). 0, or a negative error. */
	int (*notify)(struct xs_conn *c);
	/* Return when the peer may have done something, at the latest at deadline_ns. */
	void (*wait)(struct xs_conn *c, uint64_t deadline_ns);
	/* The clock the deadlines are in, nanoseconds. */
	uint64_t (*now_ns)(struct xs_conn *c);
	/* A well-formed XS_WATCH_EVENT arrived (strings valid only during the call). */
	void (*event)(struct xs_conn *c, const char *path, const char *token);
};

struct xs_conn {
	struct xs_ring_out req;
	struct xs_ring_in rsp;
	struct xs_msg rx;
	const struct xs_conn_ops *ops;
	void *ctx;				/* the owner's */
	uint64_t timeout_ns;			/* how long one request may take */
	uint32_t next_id;
	int broken;				/* 0, or the error the connection gave up with */
};

/* One piece of a request's payload; the pieces are sent one after the other. */
struct xs_part {
	const void *data;
	uint32_t len;
};

/* Attach c to intf as the client, with ops and a per-request timeout. */
void xs_conn_init(struct xs_conn *c, struct xenstore_domain_interface *intf,
		  const struct xs_conn_ops *ops, void *ctx, uint64_t timeout_ns);

/*
 * Send a request of type in transaction tx (0: none) made of parts, and wait at most
 * c->timeout_ns for its reply. Watch events that arrive meanwhile go to ops->event. Returns
 * 0 with *reply pointing at the reply (valid until the next call on c; its body has a NUL
 * after the payload), the error an XS_ERROR reply names (negative), -E2BIG for a payload
 * over XENSTORE_PAYLOAD_MAX (nothing sent), or the error the connection broke with.
 *
 * The connection breaks, for good, on an impossible ring index (-EIO), a message longer
 * than XENSTORE_PAYLOAD_MAX (-EMSGSIZE), a reply that does not answer the request (another
 * req_id, or another type than the request's or XS_ERROR) or a malformed watch event
 * (-EPROTO), a failed notify (its error), or no reply in time (-ETIMEDOUT). That is
 * reported once with pr_err, and every later call returns the same error at once.
 */
int xs_conn_request(struct xs_conn *c, uint32_t type, uint32_t tx, const struct xs_part *parts,
		    unsigned nparts, const struct xs_msg **reply);

/*
 * Read what the server sent without being asked (watch events) and hand it to ops->event,
 * waiting until deadline_ns for the first message when there is none (0: do not wait).
 * Returns the number of events, or the error the connection broke with.
 */
int xs_conn_poll(struct xs_conn *c, uint64_t deadline_ns);

#endif
