/* apps/signer/vlink.c: request/reply with the vault over two channels: a turn for one request at a time, ids that tell a late reply from the awaited one, resets told by -ECONNRESET. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <univisor.h>
#include <uv_thread.h>
#include "vlink.h"

#define H_REQ 0          /* sign_req: this app sends */
#define H_REP 1          /* sign_rep: this app receives */
#define REP_MAX 256      /* the reply channel's msg_max may be up to this (checked at start) */
#define DRAIN_MAX 64     /* replies taken per idle-hook call (bounded; the hook runs again while more wait) */
#define SEND_RETRY_NS 1000000ll /* a full request queue is tried again after this */

static struct {
	int busy;                /* a thread holds the turn: its request is being sent or awaited */
	struct uv_waitq turn;    /* threads waiting for the turn, first come first served */
	struct uv_waitq reply;   /* the turn's holder waits here for its reply */
	uint32_t next_id;        /* ids of requests, counting up (wraps: only the awaited one matters) */
	uint32_t want_id;        /* the id awaited while waiting */
	int waiting;             /* the holder waits for want_id's reply */
	int got;                 /* 1: the reply is in rep; -1: the channel was reset */
	uint8_t rep[REP_MAX];
	size_t rep_len;
	uint32_t rep_max;        /* the reply channel's msg_max */
	struct vlink_stats st;
} v;

/* The idle hook: takes every waiting reply; the awaited one wakes its thread, others are stale. */
static void drain(void)
{
	uint8_t m[REP_MAX];
	for (int i = 0; i < DRAIN_MAX; i++) {
		long n = uv_hc_chan_recv(H_REP, m, v.rep_max);
		if (n == -UV_EAGAIN)
			return;
		if (n == -UV_ECONNRESET) {
			/* The vault stopped: what it had queued is gone, and so is the request in flight. */
			v.st.resets++;
			if (v.waiting && !v.got) {
				v.got = -1;
				uv_waitq_wake_one(&v.reply);
			}
			continue;
		}
		if (n < 0) {
			printf("signer: chan_recv on the reply channel: %ld\n", n);
			return; /* cannot come (handles and sizes are checked at start) */
		}
		struct vault_hdr h;
		if ((size_t)n >= sizeof(h))
			memcpy(&h, m, sizeof(h));
		if ((size_t)n >= sizeof(h) && v.waiting && !v.got && h.id == v.want_id) {
			memcpy(v.rep, m, (size_t)n);
			v.rep_len = (size_t)n;
			v.got = 1;
			uv_waitq_wake_one(&v.reply);
		} else {
			v.st.stale++; /* the reply to a request that timed out, or garbage */
		}
	}
}

int vlink_init(void)
{
	struct uv_chan_info req, rep;
	if (uv_hc_chan_info(H_REQ, &req) || uv_hc_chan_info(H_REP, &rep) || req.flags != UV_CHAN_SEND ||
	    rep.flags != UV_CHAN_RECV || req.msg_max < sizeof(struct vault_hdr) + VAULT_MSG_MAX || rep.msg_max > REP_MAX ||
	    rep.msg_max < sizeof(struct vault_hdr) + VAULT_SIG_BYTES) {
		printf("signer: needs a request channel (handle 0, msg_max >= %zu) it sends on and a reply channel "
		       "(handle 1, %zu <= msg_max <= %u) it receives on\n", sizeof(struct vault_hdr) + VAULT_MSG_MAX,
		       sizeof(struct vault_hdr) + VAULT_SIG_BYTES, REP_MAX);
		return -1;
	}
	v.rep_max = rep.msg_max;
	if (uv_thread_idle_hook(drain, UV_HANDLE_CHAN(H_REP))) {
		printf("signer: no idle hook left for the reply channel\n");
		return -1;
	}
	return 0;
}

/* Sends the request of n bytes; 0, or VLINK_TIMEOUT (queue full until the deadline) / VLINK_REFUSED. */
static int send_request(const uint8_t *req, size_t n, int64_t deadline_ns)
{
	static struct uv_waitq nobody; /* a timed wait: nobody wakes it */
	int resets = 0;
	for (;;) {
		long r = uv_hc_chan_send(H_REQ, req, n);
		if (r >= 0)
			return 0;
		if (r == -UV_ECONNRESET && !resets++) {
			/* The vault restarted since the last request: nothing of this one was lost, send it again. */
			v.st.resets++;
			continue;
		}
		if (r != -UV_EAGAIN)
			return VLINK_REFUSED;
		int64_t now = uv_monotonic_ns();
		if (now >= deadline_ns)
			return VLINK_TIMEOUT;
		uv_waitq_wait(&nobody, now + SEND_RETRY_NS < deadline_ns ? now + SEND_RETRY_NS : deadline_ns);
	}
}

/* What the reply in v.rep says for a request of op; the payload copied to out. */
static enum vlink_result reply_result(uint8_t *out, size_t out_len)
{
	struct vault_hdr h;
	memcpy(&h, v.rep, sizeof(h));
	if (h.op == VAULT_RATE_LIMITED)
		return VLINK_LIMITED;
	if (h.op != VAULT_OK || h.len != out_len || v.rep_len != sizeof(h) + out_len)
		return VLINK_REFUSED;
	memcpy(out, v.rep + sizeof(h), out_len);
	return VLINK_OK;
}

enum vlink_result vlink_ask(uint8_t op, const void *msg, size_t len, uint8_t *out, size_t out_len, int64_t deadline_ns)
{
	static uint8_t req[sizeof(struct vault_hdr) + VAULT_MSG_MAX]; /* used by the turn's holder only */
	if (len > VAULT_MSG_MAX || (op == VAULT_OP_PUBKEY && len))
		return VLINK_REFUSED;
	v.st.asked++;
	if (v.busy) {
		/* Woken means handed the turn (busy stays set): the order of arrival is kept. */
		if (uv_waitq_wait(&v.turn, deadline_ns) == -ETIMEDOUT) {
			v.st.timeouts++;
			return VLINK_TIMEOUT;
		}
	}
	v.busy = 1;
	struct vault_hdr h = { .id = ++v.next_id, .op = op, .len = (uint16_t)len };
	memcpy(req, &h, sizeof(h));
	if (len)
		memcpy(req + sizeof(h), msg, len);
	enum vlink_result res = send_request(req, sizeof(h) + len, deadline_ns);
	if (res == VLINK_OK) {
		v.want_id = h.id;
		v.got = 0;
		v.waiting = 1;
		while (!v.got && uv_waitq_wait(&v.reply, deadline_ns) != -ETIMEDOUT)
			;
		v.waiting = 0;
		res = v.got > 0 ? reply_result(out, out_len) : v.got < 0 ? VLINK_RESET : VLINK_TIMEOUT;
	}
	v.st.timeouts += res == VLINK_TIMEOUT;
	if (!uv_waitq_wake_one(&v.turn))
		v.busy = 0; /* nobody waits: the turn is free */
	return res;
}

void vlink_stats(struct vlink_stats *s)
{
	*s = v.st;
}
