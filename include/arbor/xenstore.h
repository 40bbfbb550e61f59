/*
 * The xenstore client (xen/xenstore.c): the hierarchical key-value store of a Xen system,
 * kept by a daemon (xenstored) in another domain and reached through a shared ring page and
 * an event channel whose numbers the toolstack puts in HVM_PARAM_STORE_PFN and
 * HVM_PARAM_STORE_EVTCHN. The protocol is Xen's public io/xs_wire.h; the ring itself is
 * include/arbor/xenstore_ring.h.
 *
 * Paths are absolute ("/local/domain/1/name") or relative to the domain's home
 * ("/local/domain/<domid>/"). Values are bytes; the calls here take and return them as C
 * strings. Every call waits for its reply, at most XENSTORE_TIMEOUT_NS: a daemon that does
 * not answer, or breaks the protocol, makes the client give up for good after one message
 * (see xs_conn_request), and every call then fails at once.
 *
 * Errors are negative: the errno the daemon's XS_ERROR names (-ENOENT, -EAGAIN, -EACCES,
 * ...), -ENODEV when xenstore is unavailable, -E2BIG when a reply does not fit the caller's
 * buffer or a request exceeds XENSTORE_PAYLOAD_MAX, or the connection's error.
 *
 * Watch callbacks run from inside the xenstore calls (never from an interrupt), after the
 * call's own reply has been handled, and may themselves call xenstore functions.
 */
#ifndef ARBOR_XENSTORE_H
#define ARBOR_XENSTORE_H

#include <arbor/types.h>

#include <xen/xen.h>
#include <xen/event_channel.h>

struct platform;

/* How long one request may wait for its reply. */
#define XENSTORE_TIMEOUT_NS     (2 * 1000000000ull)
/* How long xenstore_init() waits for the toolstack to provide the store page. */
#define XENSTORE_PAGE_WAIT_NS   (5 * 1000000000ull)
/* Watches at once, and the longest token (with its NUL). */
#define XENSTORE_MAX_WATCHES    8
#define XENSTORE_TOKEN_MAX      32

/* A transaction id; XS_TX_NONE outside any transaction. */
typedef uint32_t xs_tx_t;
#define XS_TX_NONE  0

typedef void (*xenstore_watch_fn)(const char *path, const char *token, void *arg);

/*
 * Connect when HVM_PARAM_STORE_EVTCHN and HVM_PARAM_STORE_PFN say where the store is. A
 * store page of ~0 (Xen 4.17 leaves it so for a dom0less domU until the toolstack has
 * allocated one) is waited for, at most XENSTORE_PAGE_WAIT_NS, on an event on the store
 * channel, as Linux does. Prints one line: where the store is, or why it is unavailable.
 * Called once by the boot's thread main (boot/main.c) after xen_init() and grant tables, in
 * the images that link the client (its service entry: include/arbor/service.h). 0, or a
 * negative error.
 */
int xenstore_init(const struct platform *plat);
bool xenstore_available(void);

struct xenstore_info {
	bool available;
	const char *why;	/* when unavailable: the reason printed ("no store page") */
	paddr_t page;		/* the store page, 0 when none */
	evtchn_port_t port;	/* the store event channel, 0 when none */
	domid_t domid;		/* "domid" as the store says, when available */
	uint64_t init_ns;	/* how long xenstore_init() took */
	uint64_t page_wait_ns;	/* of which waiting for the store page */
};
void xenstore_get_info(struct xenstore_info *info);

/* Read path into buf (NUL-terminated); the value's length, or a negative error. */
int xenstore_read(xs_tx_t tx, const char *path, char *buf, size_t size);

/* Write value to path, creating it (and its parents) when missing. */
int xenstore_write(xs_tx_t tx, const char *path, const char *value);

/* The children of path into buf, each name NUL-terminated; their number, or an error. */
int xenstore_directory(xs_tx_t tx, const char *path, char *buf, size_t size);

/*
 * Call fn(path, token, arg) whenever path or anything below it changes, and once at once
 * (the daemon fires every new watch). Tokens must be unique among this domain's watches.
 */
int xenstore_watch(const char *path, const char *token, xenstore_watch_fn fn, void *arg);
int xenstore_unwatch(const char *path, const char *token);

/*
 * Transactions: calls given *tx see and change a private copy until the end; committing
 * fails with -EAGAIN when the store changed meanwhile (start again).
 */
int xenstore_transaction_start(xs_tx_t *tx);
int xenstore_transaction_end(xs_tx_t tx, bool commit);

/*
 * Deliver watch events that have arrived, waiting up to timeout_ns for one when none has
 * (0: only what is already there). Returns the number delivered, or a negative error.
 */
int xenstore_poll(uint64_t timeout_ns);

/* ---- Test fixture (tests/kernel/xenstore_server.c) ---- */

/*
 * dom0 only, for the self-tests of role pair, where no xenstored exists: give a domain that
 * waits for its store page one (in its own physmap), and answer its requests from a small
 * in-memory tree until it shuts down or stays silent (bounded). Prints one line when it
 * starts and one when it stops. 0 (also when no domain is waiting), or a negative error.
 */
int xenstore_test_server(void);

struct xenstore_server_report {
	bool ran;		/* a domain was waiting and the server started */
	int result;		/* 0, or why it failed or stopped early */
	domid_t domid;
	uint64_t gfn;		/* the store page in that domain's physmap */
	unsigned requests, events;
};
void xenstore_test_server_report(struct xenstore_server_report *report);

#endif
