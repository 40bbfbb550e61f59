/*
 * The xenstore client (include/arbor/xenstore.h): finding the store, the waits, and the
 * calls. The wire protocol and every check on what the daemon writes are
 * xen/xenstore_ring.c.
 *
 * Finding the store. HVM_PARAM_STORE_EVTCHN is this domain's end of an interdomain channel
 * whose other end is the daemon's domain (for a dom0less domU Xen allocates it at boot, with
 * dom0 as the remote end), so it is already bound: Arbor only gives the port a handler.
 * HVM_PARAM_STORE_PFN is a frame of this domain's own physmap, normally outside its RAM
 * banks, mapped here as normal write-back memory (mmu_map_shared), as Xen's public
 * arch-arm.h requires of every shared page. Xen 4.17 leaves it at ~0 for a dom0less
 * xen,enhanced domU: the page is allocated later by the toolstack in dom0 (init-dom0less),
 * which then sets the parameter and signals the store channel. So, as Linux does
 * (drivers/xen/xenbus/xenbus_probe.c, xenbus_late_init), the client waits for an event on
 * that channel and reads the parameter again, for at most XENSTORE_PAGE_WAIT_NS. A page whose
 * "connection" field says XENSTORE_RECONNECT is not ready either: that is waited for too.
 *
 * Waiting. A wait sleeps in WFI with IRQs masked at the CPU (the wake-up cannot be lost: an
 * interrupt that arrives after the last check stays pending and ends the WFI at once), with a
 * timer deadline armed so that it ends by the deadline even if no event comes. Sleeping
 * rather than polling matters here: on this test ground Xen runs every domain on one
 * physical CPU, and the daemon's domain must get it to answer. Every call holds IRQs masked
 * while it talks to the ring, for that reason.
 */
#include <errno.h>
#include <string.h>

#include <arbor/evtchn.h>
#include <arbor/irq.h>
#include <arbor/mmu.h>
#include <arbor/platform.h>
#include <arbor/printk.h>
#include <arbor/service.h>
#include <arbor/time.h>
#include <arbor/xen.h>
#include <arbor/xenstore.h>
#include <arbor/xenstore_ring.h>

#include <xen/hvm/params.h>

#define PAGE_SHIFT       12
#define RECHECK_NS       (100 * 1000000ull)	/* re-read the parameter at least this often */
#define EVENT_QUEUE      8
#define EVENT_MAX        256			/* "path\0token\0" of a queued watch event */

struct watch {
	bool used;
	char token[XENSTORE_TOKEN_MAX];
	xenstore_watch_fn fn;
	void *arg;
};

/* Watch events as they arrive (inside a request), delivered when the request is done. */
struct queued_event {
	uint16_t token_at;
	char text[EVENT_MAX];
};

static struct xenstore_info info;
static struct xs_conn conn;
static struct watch watches[XENSTORE_MAX_WATCHES];
static struct queued_event queue[EVENT_QUEUE];
static unsigned queue_head, queue_len, dropped;
static bool delivering;

bool xenstore_available(void)
{
	return info.available;
}

void xenstore_get_info(struct xenstore_info *out)
{
	*out = info;
}

/*
 * The store port's handler: nothing to do but be there. The event's interrupt is what ends
 * a sleep (sleep_until), after which the caller looks at the ring or the parameter itself.
 */
static void store_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
}

static void wake(struct timer_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
}

/* Sleep until an interrupt arrives (the store port's, or the timer's at deadline_ns). */
static void sleep_until(uint64_t deadline_ns)
{
	struct timer_event timer = { 0 };
	unsigned long flags = irq_save();

	if (time_now_ns() < deadline_ns) {
		timer_event_arm(&timer, deadline_ns, wake, NULL);
		irq_wait();
		irq_local_enable();	/* take what woke us: the handlers run here */
		irq_local_disable();
		timer_event_cancel(&timer);
	}
	irq_restore(flags);
}

/* ---- struct xs_conn_ops ---- */

static int conn_notify(struct xs_conn *c)
{
	(void)c;
	return evtchn_send(info.port);
}

static void conn_wait(struct xs_conn *c, uint64_t deadline_ns)
{
	(void)c;
	sleep_until(deadline_ns);
}

static uint64_t conn_now(struct xs_conn *c)
{
	(void)c;
	return time_now_ns();
}

static void conn_event(struct xs_conn *c, const char *path, const char *token)
{
	size_t plen = strlen(path), tlen = strlen(token);

	(void)c;
	if (queue_len == EVENT_QUEUE || plen + tlen + 2 > EVENT_MAX) {
		if (!dropped++)
			pr_warn("xenstore: watch event for %s dropped (queue full or path too "
				"long); further drops are not reported\n", path);
		return;
	}
	struct queued_event *e = &queue[(queue_head + queue_len++) % EVENT_QUEUE];
	memcpy(e->text, path, plen + 1);
	memcpy(e->text + plen + 1, token, tlen + 1);
	e->token_at = (uint16_t)(plen + 1);
}

static const struct xs_conn_ops ops = {
	.notify = conn_notify,
	.wait = conn_wait,
	.now_ns = conn_now,
	.event = conn_event,
};

/* Hand queued events to their watches; a callback's own calls queue more, run here too. */
static void deliver_events(void)
{
	if (delivering)
		return;
	delivering = true;
	while (queue_len) {
		struct queued_event e = queue[queue_head];
		queue_head = (queue_head + 1) % EVENT_QUEUE;
		queue_len--;
		const char *token = e.text + e.token_at;
		for (unsigned i = 0; i < XENSTORE_MAX_WATCHES; i++)
			if (watches[i].used && strcmp(watches[i].token, token) == 0) {
				watches[i].fn(e.text, token, watches[i].arg);
				break;
			}
	}
	delivering = false;
}

/*
 * One request: parts become the payload. On success the reply's payload is copied to buf
 * (NUL-terminated; -E2BIG when it does not fit) and its length returned; with buf NULL
 * (requests answered "OK") the payload is not looked at.
 */
static int request(uint32_t type, xs_tx_t tx, const struct xs_part *parts, unsigned nparts,
		   char *buf, size_t size)
{
	const struct xs_msg *reply;

	if (!info.available)
		return -ENODEV;
	unsigned long flags = irq_save();
	int r = xs_conn_request(&conn, type, tx, parts, nparts, &reply);
	if (!r) {
		uint32_t len = reply->hdr.len;
		if (!buf)
			r = 0;
		else if (len >= size)
			r = -E2BIG;
		else {
			memcpy(buf, reply->body, len);
			buf[len] = '\0';
			r = (int)len;
		}
	}
	irq_restore(flags);
	deliver_events();
	return r;
}

static struct xs_part str_part(const char *s)
{
	return (struct xs_part){ s, (uint32_t)strnlen(s, XENSTORE_PAYLOAD_MAX) + 1 };
}

int xenstore_read(xs_tx_t tx, const char *path, char *buf, size_t size)
{
	struct xs_part p = str_part(path);

	return request(XS_READ, tx, &p, 1, buf, size);
}

int xenstore_write(xs_tx_t tx, const char *path, const char *value)
{
	/* The value is the rest of the payload, without a NUL of its own. */
	size_t len = strnlen(value, XENSTORE_PAYLOAD_MAX + 1);
	struct xs_part p[2] = { str_part(path), { value, (uint32_t)len } };

	return request(XS_WRITE, tx, p, 2, NULL, 0);
}

int xenstore_directory(xs_tx_t tx, const char *path, char *buf, size_t size)
{
	struct xs_part p = str_part(path);
	int len = request(XS_DIRECTORY, tx, &p, 1, buf, size);

	if (len <= 0)
		return len;
	/* "a\0b\0": one name per NUL; a last name without its NUL still ends at buf[len]. */
	int count = 0;
	for (int i = 0; i < len; i++)
		count += buf[i] == '\0';
	return count + (buf[len - 1] != '\0');
}

static struct watch *find_watch(const char *token)
{
	for (unsigned i = 0; i < XENSTORE_MAX_WATCHES; i++)
		if (watches[i].used && strcmp(watches[i].token, token) == 0)
			return &watches[i];
	return NULL;
}

int xenstore_watch(const char *path, const char *token, xenstore_watch_fn fn, void *arg)
{
	struct xs_part p[2] = { str_part(path), str_part(token) };
	struct watch *w = NULL;

	if (!info.available)
		return -ENODEV;
	if (!fn || strnlen(token, XENSTORE_TOKEN_MAX) >= XENSTORE_TOKEN_MAX)
		return -EINVAL;
	if (find_watch(token))
		return -EEXIST;
	for (unsigned i = 0; i < XENSTORE_MAX_WATCHES && !w; i++)
		if (!watches[i].used)
			w = &watches[i];
	if (!w)
		return -ENOSPC;
	/* Registered first: the daemon fires the new watch right after its reply. */
	*w = (struct watch){ .used = true, .fn = fn, .arg = arg };
	strcpy(w->token, token);
	int r = request(XS_WATCH, XS_TX_NONE, p, 2, NULL, 0);
	if (r < 0)
		w->used = false;
	return r;
}

int xenstore_unwatch(const char *path, const char *token)
{
	struct xs_part p[2] = { str_part(path), str_part(token) };
	struct watch *w = find_watch(token);

	if (w)
		w->used = false;
	return request(XS_UNWATCH, XS_TX_NONE, p, 2, NULL, 0);
}

int xenstore_transaction_start(xs_tx_t *tx)
{
	struct xs_part p = { "", 1 };
	char id[16];
	uint64_t v = 0;

	int len = request(XS_TRANSACTION_START, XS_TX_NONE, &p, 1, id, sizeof(id));
	if (len < 0)
		return len;
	/* The id comes back in decimal; anything else is the daemon's mistake. */
	for (int i = 0; i < len && id[i]; i++) {
		if (id[i] < '0' || id[i] > '9' || (v = v * 10 + (uint64_t)(id[i] - '0')) > UINT32_MAX)
			return -EPROTO;
	}
	if (!v)
		return -EPROTO;
	*tx = (xs_tx_t)v;
	return 0;
}

int xenstore_transaction_end(xs_tx_t tx, bool commit)
{
	struct xs_part p = { commit ? "T" : "F", 2 };

	return request(XS_TRANSACTION_END, tx, &p, 1, NULL, 0);
}

int xenstore_poll(uint64_t timeout_ns)
{
	if (!info.available)
		return -ENODEV;
	unsigned long flags = irq_save();
	int r = xs_conn_poll(&conn, timeout_ns ? time_now_ns() + timeout_ns : 0);
	irq_restore(flags);
	deliver_events();
	return r;
}

/* ---- connecting ---- */

static bool pfn_unset(uint64_t pfn)
{
	return pfn == 0 || pfn == ~0ull;
}

/*
 * Wait for the toolstack to set HVM_PARAM_STORE_PFN: re-read it after each event on the
 * store port, and every RECHECK_NS in case a signal was missed. *pfn stays unset on timeout.
 */
static void wait_for_page(uint64_t *pfn)
{
	uint64_t start = time_now_ns(), deadline = start + XENSTORE_PAGE_WAIT_NS;

	while (pfn_unset(*pfn) && time_now_ns() < deadline) {
		sleep_until(MIN(deadline, time_now_ns() + RECHECK_NS));
		if (xen_hvm_get_param(HVM_PARAM_STORE_PFN, pfn))
			break;
	}
	info.page_wait_ns = time_now_ns() - start;
}

/* Wait while the page says the daemon is (re)connecting; whether it is connected. */
static bool wait_connected(const struct xenstore_domain_interface *intf)
{
	uint64_t deadline = time_now_ns() + XENSTORE_TIMEOUT_NS;

	while (__atomic_load_n(&intf->connection, __ATOMIC_ACQUIRE) != XENSTORE_CONNECTED) {
		if (time_now_ns() >= deadline)
			return false;
		sleep_until(MIN(deadline, time_now_ns() + RECHECK_NS));
	}
	return true;
}

/* Read "domid" (relative: the domain's home): proves a daemon answers. */
static int first_request(void)
{
	char domid[8];
	int len = xenstore_read(XS_TX_NONE, "domid", domid, sizeof(domid));

	if (len < 0)
		return len;
	unsigned v = 0;
	for (int i = 0; i < len && domid[i] >= '0' && domid[i] <= '9'; i++)
		v = v * 10 + (unsigned)(domid[i] - '0');
	info.domid = (domid_t)v;
	return 0;
}

static int connect(const struct platform *plat)
{
	uint64_t port, pfn;
	int err;

	info.why = "not running on Xen";
	if (xen_detected() == XEN_ABSENT)
		return -ENODEV;
	info.why = "HVMOP_get_param failed";
	if (xen_hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port) ||
	    xen_hvm_get_param(HVM_PARAM_STORE_PFN, &pfn))
		return -EIO;
	info.why = NULL;		/* the bare "xenstore: unavailable" */
	if (!port)
		return -ENODEV;
	info.why = "no event channels";
	if (!evtchn_available())
		return -ENODEV;
	info.port = (evtchn_port_t)port;
	info.why = "cannot bind the store event channel";
	if (port >= UINT32_MAX || evtchn_bind(info.port, store_event, NULL))
		return -EINVAL;

	if (pfn_unset(pfn))
		wait_for_page(&pfn);
	info.why = "no store page";
	if (pfn_unset(pfn))
		goto unbind;
	info.why = "store page beyond this build's addresses";
	if (pfn >= plat->addr_limit >> PAGE_SHIFT)
		goto unbind;
	info.page = (paddr_t)pfn << PAGE_SHIFT;
	struct xenstore_domain_interface *intf = mmu_map_shared(info.page, PAGE_SIZE);
	info.why = "cannot map the store page";
	if (!intf)
		goto unbind;
	info.why = "the store page never said XENSTORE_CONNECTED";
	if (!wait_connected(intf))
		goto unbind;

	xs_conn_init(&conn, intf, &ops, NULL, XENSTORE_TIMEOUT_NS);
	info.available = true;
	if ((err = first_request()) < 0 && conn.broken) {
		info.available = false;
		info.why = "no answer from a xenstore daemon";
		goto unbind;
	}
	info.why = NULL;
	return 0;

unbind:
	evtchn_unbind(info.port);
	return -ENODEV;
}

int xenstore_init(const struct platform *plat)
{
	uint64_t start = time_now_ns();
	int err = connect(plat);

	info.init_ns = time_now_ns() - start;
	if (err) {
		pr_info("xenstore: unavailable%s%s%s\n", info.why ? " (" : "",
			info.why ? info.why : "", info.why ? ")" : "");
		return err;
	}
	char waited[48] = "";
	if (info.page_wait_ns)
		format_buf(waited, sizeof(waited), ", page after %llu ms",
			   (unsigned long long)(info.page_wait_ns / 1000000));
	pr_info("xenstore: page 0x%llx, event channel %u (HVM_PARAM_STORE_PFN/_EVTCHN%s), "
		"domid %u\n", (unsigned long long)info.page, (unsigned)info.port, waited,
		(unsigned)info.domid);
	return 0;
}

/* Started by kernel_main in the images that use xenstore (include/arbor/service.h). */
ARBOR_SERVICE(xenstore, SERVICE_XENSTORE, xenstore_init);
