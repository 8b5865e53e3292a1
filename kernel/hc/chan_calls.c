/* kernel/hc/chan_calls.c: the channel hypercalls: handle, grant, end, length and range checks, then one copy between the app's RAM and the kernel's queue, or straight into a receiver waiting in chan_sendrecv. */
#include "kernel/hc/chan_calls.h"
#include "kernel/chan/chan.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/nospec.h"
#include "kernel/sched/sched.h"
#include "hv/hv.h"

/* The channel behind handle h and a's end of it, or NULL with *ret set (-UV_ENOENT,
 * -UV_EPERM, -UV_EBADF when `want` is set and a holds the other end). */
static struct chan *channel(const struct app *a, uint64_t h, int want, enum chan_side *side, int64_t *ret)
{
	if (h >= a->n_chans) {
		*ret = -UV_ENOENT;
		return 0;
	}
	struct chan *c = a->chan[nospec_index(h, a->n_chans)];
	*side = chan_side_of(c, a);
	if (!chan_granted(c, *side)) {
		*ret = -UV_EPERM;
		return 0;
	}
	if (want >= 0 && *side != (enum chan_side)want) {
		*ret = -UV_EBADF;
		return 0;
	}
	return c;
}

/* Whether [gaddr, gaddr+len) lies in a's RAM, with *host its host address when it lies in one
 * page (through a's memo of the last page read, or written: guestmem.h guest_page_span; that
 * page zeroed then), else NULL: a message's buffer to send from (dir GUESTMEM_MEMO_READ), or
 * to receive into (GUESTMEM_MEMO_WRITE). */
static inline __attribute__((always_inline)) bool buf_ok(struct app *a, unsigned dir, uv_gaddr_t gaddr, uint64_t len,
							 uint8_t **host)
{
	*host = guest_page_span(&a->mem, dir, gaddr, len);
	return *host || guest_range_ok(&a->mem, gaddr, len);
}

/* A message of len bytes into the receiver a's buffer at gaddr (host: its host address, or
 * NULL: buf_ok), its range checked. */
static inline __attribute__((always_inline)) void deliver(struct app *a, uv_gaddr_t gaddr, uint8_t *host, const uint8_t *msg,
							  uint32_t len)
{
	if (host)
		memcpy(host, msg, len);
	else
		guest_copy_out(&a->mem, gaddr, msg, len);
}

/* The send-side checks of chan_send and chan_sendrecv on a's sending end c: a message of len
 * bytes at gaddr in a's RAM (*host as buf_ok). 0, or -UV_EMSGSIZE over msg_max (counted in
 * too_long), -UV_EFAULT outside a's RAM. */
static inline __attribute__((always_inline)) int64_t send_checks(struct app *a, struct chan *c, uv_gaddr_t gaddr,
								 uint64_t len, uint8_t **host)
{
	if (len > c->q.msg_max) {
		c->q.st.too_long++;
		return -UV_EMSGSIZE;
	}
	return buf_ok(a, GUESTMEM_MEMO_READ, gaddr, len, host) ? 0 : -UV_EFAULT;
}

/* The one-time notice of a reset: true (and *ret set, the notice given) when one is due. */
static bool reset_told(struct chan *c, enum chan_side s, int64_t *ret)
{
	if (!chan_reset_pending(c, s))
		return false;
	c->told[s] = c->epoch;
	*ret = -UV_ECONNRESET;
	return true;
}

/* Whether r waits in chan_sendrecv for a message on c (its queue is empty then). */
static inline bool waits_on(const struct app *r, const struct chan *c)
{
	return r->state == APP_BLOCKED && r->chan_wait.active && r->chan_wait.chan == c && chanq_empty(&c->q);
}

/* Sends [gaddr, gaddr+len) of a's RAM on c, all checked (a's granted sending end, len <=
 * msg_max, the range, no reset to tell; from its host address, or NULL: buf_ok): when c's
 * receiver waits for c in chan_sendrecv,
 * straight into its buffer (checked for msg_max bytes when it called), its call returns len
 * and it runs next; else into the queue. One copy either way: from here the message is out
 * of a's reach, whatever a writes next. False (counted in full, nothing changed): the
 * queue is full. */
static inline __attribute__((always_inline)) bool send_now(struct app *a, struct chan *c, uv_gaddr_t gaddr, uint64_t len,
							   const uint8_t *from)
{
	struct app *r = c->end[CHAN_RECEIVER];
	if (waits_on(r, c)) {
		/* The receiver's buffer: its host page since its call (valid while it waits: its RAM
		 * goes only when it stops, and chan_app_stopped ends the wait first). */
		uint8_t *to = r->chan_wait.host;
		if (__builtin_expect(to && from, 1))
			memcpy_inline(to, from, len);
		else
			guest_copy_guest(&r->mem, r->chan_wait.rbuf, &a->mem, gaddr, len); /* both ranges checked */
		chanq_passed(&c->q, (uint32_t)len);
		r->chan_wait.active = false;
		hv_vcpu_set_rax(r->vcpu, len);
		r->state = APP_RUNNABLE;
		sched_run_next(r);
		return true;
	}
	uint8_t *slot = chanq_tail(&c->q);
	if (!slot) {
		c->q.st.full++;
		return false;
	}
	if (from)
		memcpy(slot, from, len);
	else
		guest_copy_in(&a->mem, slot, gaddr, len);
	chanq_commit(&c->q, (uint32_t)len);
	return true;
}

/* The channels chan_sendrecv's ends name for a (*sc NULL for UV_CHAN_NO_SEND), checked as
 * channel() checks them, or false with *ret set. The answer for the ends of a's last good
 * call is remembered in a->chan_memo: it depends only on a's handles (a->chan[], n_chans),
 * the channels' ends and their grants, all fixed by chan_setup for the whole run, so nothing
 * invalidates it; it is reset anyway when a stops (chan_app_stopped). recv NULL: none. Lengths, ranges,
 * resets and the queues are checked at every call, memo or not. */
static inline __attribute__((always_inline)) bool ends_of(struct app *a, uint64_t ends, struct chan **sc,
							  struct chan **rc, int64_t *ret)
{
	if (__builtin_expect(ends == a->chan_memo.ends && a->chan_memo.recv, 1)) { /* (a zeroed memo names nothing) */
		*sc = a->chan_memo.send;
		*rc = a->chan_memo.recv;
		return true;
	}
	uint64_t sh = ends & UV_CHAN_NO_SEND, rh = ends >> 32;
	enum chan_side s;
	if (!(*rc = channel(a, rh, CHAN_RECEIVER, &s, ret)))
		return false;
	*sc = 0;
	if (sh != UV_CHAN_NO_SEND && !(*sc = channel(a, sh, CHAN_SENDER, &s, ret)))
		return false;
	a->chan_memo.ends = ends;
	a->chan_memo.send = *sc;
	a->chan_memo.recv = *rc;
	return true;
}

enum hc_action hc_chan_info(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	enum chan_side s;
	struct chan *c = channel(a, arg[0], -1, &s, ret);
	if (!c)
		return HC_CONTINUE;
	if (!guest_range_ok(&a->mem, arg[1], sizeof(struct uv_chan_info)))
		return hc_answer(ret, -UV_EFAULT);
	struct uv_chan_info info = { .msg_max = c->q.msg_max, .depth = c->q.depth, .epoch = c->epoch,
				     .queued = c->q.count, .flags = s == CHAN_SENDER ? UV_CHAN_SEND : UV_CHAN_RECV };
	_Static_assert(sizeof(info.name) >= UV_MANIFEST_NAME_MAX, "a channel's name fits uv_chan_info");
	kstrlcpy(info.name, c->rec->name, sizeof(info.name));
	guest_copy_out(&a->mem, arg[1], &info, sizeof(info));
	return hc_answer(ret, 0);
}

enum hc_action hc_chan_send(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t gaddr = arg[1], len = arg[2];
	enum chan_side s;
	struct chan *c = channel(a, arg[0], CHAN_SENDER, &s, ret);
	if (!c)
		return HC_CONTINUE;
	uint8_t *from;
	int64_t err = send_checks(a, c, gaddr, len, &from);
	if (err)
		return hc_answer(ret, err);
	if (reset_told(c, CHAN_SENDER, ret))
		return HC_CONTINUE;
	return hc_answer(ret, send_now(a, c, gaddr, len, from) ? (int64_t)len : -UV_EAGAIN);
}

enum hc_action hc_chan_recv(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t gaddr = arg[1], len = arg[2];
	enum chan_side s;
	struct chan *c = channel(a, arg[0], CHAN_RECEIVER, &s, ret);
	if (!c)
		return HC_CONTINUE;
	/* The buffer must be the app's for as much of len as any message could fill. */
	uint8_t *host;
	if (!buf_ok(a, GUESTMEM_MEMO_WRITE, gaddr, len < c->q.msg_max ? len : c->q.msg_max, &host))
		return hc_answer(ret, -UV_EFAULT);
	if (reset_told(c, s, ret))
		return HC_CONTINUE;
	uint32_t mlen;
	const uint8_t *msg = chanq_peek(&c->q, &mlen);
	if (!msg)
		return hc_answer(ret, -UV_EAGAIN);
	if (len < mlen)
		return hc_answer(ret, -UV_EMSGSIZE);
	deliver(a, gaddr, host, msg, mlen);
	chanq_pop(&c->q);
	return hc_answer(ret, mlen);
}

enum hc_action hc_chan_sendrecv(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t sbuf = arg[1], slen = arg[2], rbuf = arg[3], rlen = arg[4], deadline = arg[5];
	struct chan *sc, *rc;
	if (!ends_of(a, arg[0], &sc, &rc, ret))
		return HC_CONTINUE;
	/* (The buffers' spans change nothing the app can see, should a later check refuse the
	 * call: a page of its own zeroed before its first use, what the kernel remembers.) */
	uint8_t *shost = 0;
	int64_t err = sc ? send_checks(a, sc, sbuf, slen, &shost) : 0;
	if (err)
		return hc_answer(ret, err);
	/* The buffer must hold any message: the sender copies into it without asking again. */
	if (rlen < rc->q.msg_max)
		return hc_answer(ret, -UV_EMSGSIZE);
	/* Its host page when all of it lies in one (the range check then, and a sender's copy
	 * straight into it later); else the range check alone. */
	uint8_t *rhost;
	if (!buf_ok(a, GUESTMEM_MEMO_WRITE, rbuf, rc->q.msg_max, &rhost))
		return hc_answer(ret, -UV_EFAULT);
	if ((sc && reset_told(sc, CHAN_SENDER, ret)) || reset_told(rc, CHAN_RECEIVER, ret))
		return HC_CONTINUE;
	/* Checked: from here the call goes through, unless the queue is full (nothing sent). */
	if (sc && !send_now(a, sc, sbuf, slen, shost))
		return hc_answer(ret, -UV_EAGAIN);
	uint32_t mlen;
	const uint8_t *msg = chanq_peek(&rc->q, &mlen);
	if (msg) {
		deliver(a, rbuf, rhost, msg, mlen);
		chanq_pop(&rc->q);
		return hc_answer(ret, mlen);
	}
	/* No message: it waits as yield(deadline, 0) would (a deadline of 0 or one passed: none). */
	enum hc_action act = hc_wait_until(a, deadline, 0, ret);
	*ret = -UV_ETIMEDOUT; /* what the call returns unless a message or a reset comes first */
	if (act != HC_BLOCK)
		return HC_CONTINUE;
	a->chan_wait.chan = rc;
	a->chan_wait.rbuf = rbuf;
	a->chan_wait.host = rhost;
	a->chan_wait.active = true;
	return HC_BLOCK;
}
