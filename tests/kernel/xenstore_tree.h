/*
 * Test fixture: the daemon's side of a xenstore ring, answering from a small in-memory
 * tree (tests/kernel/xenstore_tree.c). dom0 runs it for its domU in role pair
 * (tests/kernel/xenstore_server.c), where no xenstored exists; the host tests run it against
 * the client in one process (tests/host/test_xenstore.c). Pure: no hypercalls or clocks.
 *
 * It is not xenstored. It knows XS_READ, XS_WRITE, XS_DIRECTORY, XS_WATCH, XS_UNWATCH and
 * XS_TRANSACTION_START/END (one transaction at a time), answers anything else EINVAL, keeps
 * no permissions, and has room for XS_TREE_NODES nodes of short paths and values. What it
 * does do follows xenstored: relative paths are below /local/domain/<domid>, a write creates
 * missing parents, a write fires the watches on the node and its ancestors (the event goes
 * out before the reply), a new watch fires once straight after its reply, and a commit
 * fails with EAGAIN when the tree changed since the transaction started.
 *
 * The client is untrusted like any peer: an impossible index or an oversized message ends
 * the service (reported once, and XENSTORE_ERROR_RINGIDX / _PROTO in the page's error field).
 */
#ifndef TESTS_KERNEL_XENSTORE_TREE_H
#define TESTS_KERNEL_XENSTORE_TREE_H

#include <arbor/types.h>
#include <arbor/xenstore_ring.h>

#define XS_TREE_NODES      32
#define XS_TREE_PATH_MAX   128		/* with the NUL */
#define XS_TREE_VALUE_MAX  128
#define XS_TREE_WATCHES    8
#define XS_TREE_TOKEN_MAX  32
/* Output waiting for room in the ring: the largest reply, plus a few watch events. */
#define XS_TREE_OUT_MAX    (2 * (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX))

struct xs_node {
	bool used;
	uint32_t len;
	char path[XS_TREE_PATH_MAX];
	char value[XS_TREE_VALUE_MAX];
};

struct xs_tree {
	struct xs_node node[XS_TREE_NODES];
};

struct xs_tree_watch {
	bool used;
	char path[XS_TREE_PATH_MAX];	/* as the client gave it */
	char token[XS_TREE_TOKEN_MAX];
};

struct xs_server {
	struct xenstore_domain_interface *intf;
	struct xs_ring_out out;
	struct xs_ring_in in;
	struct xs_msg rx;
	unsigned domid;
	char home[32];			/* "/local/domain/<domid>" */
	struct xs_tree tree;
	struct xs_tree tx_tree;		/* the open transaction's copy */
	bool tx_open;
	uint32_t tx_id, last_tx_id;
	uint64_t gen, tx_gen;		/* committed changes, and their count at tx start */
	struct xs_tree_watch watch[XS_TREE_WATCHES];
	char outq[XS_TREE_OUT_MAX];
	uint32_t out_len, out_sent;
	int broken;
	unsigned requests, events, dropped_events;
	/*
	 * Called after each write a client commits outside a transaction, with the node's
	 * absolute path and the value written (len bytes, not NUL-terminated), before the
	 * reply is queued; NULL for none. Set after xs_server_init().
	 */
	void (*on_write)(struct xs_server *s, const char *path, const char *value, uint32_t len,
			 void *arg);
	void *on_write_arg;
};

/* What xs_server_step() did: the caller notifies the client when either is set. */
#define XS_SERVER_CONSUMED  1u	/* took bytes from the request ring */
#define XS_SERVER_PRODUCED  2u	/* put bytes into the response ring */

/*
 * Take over the zeroed page intf for domain domid: advertise XENSTORE_SERVER_FEATURE_ERROR,
 * mark it XENSTORE_CONNECTED, and seed the tree with /local/domain/<domid>/domid.
 */
void xs_server_init(struct xs_server *s, struct xenstore_domain_interface *intf,
		    unsigned domid);

/*
 * Answer every complete request waiting in the ring, as far as the response ring has room.
 * Returns XS_SERVER_* flags, or the (negative) error the service stopped with.
 */
int xs_server_step(struct xs_server *s);

/* Set path (absolute) to value in the committed tree, as a write would. 0 or -ENOSPC. */
int xs_server_set(struct xs_server *s, const char *path, const char *value);

#endif
