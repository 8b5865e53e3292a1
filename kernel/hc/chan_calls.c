/* kernel/hc/chan_calls.c: the channel hypercalls: handle, grant, end, length and range checks, then one copy between the app's RAM and the kernel's queue, or straight into a receiver waiting in chan_sendrecv. */
#include "kernel/hc/chan_calls.h"
#include "kernel/chan/chan.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/nospec.h"
#include "kernel/dev/time.h"
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

/* The send-side checks of chan_send and chan_sendrecv: a's sending end of handle h and a
 * message of len bytes at gaddr in a's RAM. The channel, or NULL with *ret set (channel()'s
 * errors; -UV_EMSGSIZE over msg_max, counted in too_long; -UV_EFAULT outside a's RAM). */
static inline __attribute__((always_inline)) struct chan *send_checks(const struct app *a, uint64_t h, uv_gaddr_t gaddr,
								    uint64_t len, int64_t *ret)
{
	enum chan_side s;
	struct chan *c = channel(a, h, CHAN_SENDER, &s, ret);
	if (!c)
		return 0;
	if (len > c->q.msg_max) {
		c->q.st.too_long++;
		*ret = -UV_EMSGSIZE;
		return 0;
	}
	if (!guest_range_ok(&a->mem, gaddr, len)) {
		*ret = -UV_EFAULT;
		return 0;
	}
	return c;
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

/* Sends [gaddr, gaddr+len) of a's RAM on c, all checked (a's granted sending end, len <=
 * msg_max, the range, slot = chanq_tail): when c's receiver waits for c in chan_sendrecv
 * (its queue is empty then), straight into its buffer (checked for msg_max bytes when it
 * called), its call returns len and it runs next; else into the queue. One copy either way:
 * from here the message is out of a's reach, whatever a writes next. */
static void send_checked(struct app *a, struct chan *c, uint8_t *slot, uv_gaddr_t gaddr, uint64_t len)
{
	struct app *r = c->end[CHAN_RECEIVER];
	if (r->state == APP_BLOCKED && r->chan_wait.active && r->chan[r->chan_wait.handle] == c && chanq_empty(&c->q)) {
		guest_copy_guest(&r->mem, r->chan_wait.rbuf, &a->mem, gaddr, len); /* both ranges checked */
		chanq_passed(&c->q, (uint32_t)len);
		r->chan_wait.active = false;
		hv_vcpu_set_rax(r->vcpu, len);
		r->state = APP_RUNNABLE;
		sched_run_next(r);
		return;
	}
	guest_copy_in(&a->mem, slot, gaddr, len);
	chanq_commit(&c->q, (uint32_t)len);
}

enum hc_action hc_chan_info(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	enum chan_side s;
	struct chan *c = channel(a, arg[0], -1, &s, ret);
	if (!c)
		return HC_CONTINUE;
	if (!guest_range_ok(&a->mem, arg[1], sizeof(struct uv_chan_info))) {
		*ret = -UV_EFAULT;
		return HC_CONTINUE;
	}
	struct uv_chan_info info = { .msg_max = c->q.msg_max, .depth = c->q.depth, .epoch = c->epoch,
				     .queued = c->q.count, .flags = s == CHAN_SENDER ? UV_CHAN_SEND : UV_CHAN_RECV };
	_Static_assert(sizeof(info.name) >= UV_MANIFEST_NAME_MAX, "a channel's name fits uv_chan_info");
	kstrlcpy(info.name, c->rec->name, sizeof(info.name));
	guest_copy_out(&a->mem, arg[1], &info, sizeof(info));
	*ret = 0;
	return HC_CONTINUE;
}

enum hc_action hc_chan_send(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t gaddr = arg[1], len = arg[2];
	struct chan *c = send_checks(a, arg[0], gaddr, len, ret);
	if (!c || reset_told(c, CHAN_SENDER, ret))
		return HC_CONTINUE;
	uint8_t *slot = chanq_tail(&c->q);
	if (!slot) {
		c->q.st.full++;
		*ret = -UV_EAGAIN;
		return HC_CONTINUE;
	}
	send_checked(a, c, slot, gaddr, len);
	*ret = (int64_t)len;
	return HC_CONTINUE;
}

enum hc_action hc_chan_recv(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t gaddr = arg[1], len = arg[2];
	enum chan_side s;
	struct chan *c = channel(a, arg[0], CHAN_RECEIVER, &s, ret);
	if (!c)
		return HC_CONTINUE;
	/* The buffer must be the app's for as much of len as any message could fill. */
	if (!guest_range_ok(&a->mem, gaddr, len < c->q.msg_max ? len : c->q.msg_max)) {
		*ret = -UV_EFAULT;
		return HC_CONTINUE;
	}
	if (reset_told(c, s, ret))
		return HC_CONTINUE;
	uint32_t mlen;
	const uint8_t *msg = chanq_peek(&c->q, &mlen);
	if (!msg) {
		*ret = -UV_EAGAIN;
		return HC_CONTINUE;
	}
	if (len < mlen) {
		*ret = -UV_EMSGSIZE;
		return HC_CONTINUE;
	}
	guest_copy_out(&a->mem, gaddr, msg, mlen);
	chanq_pop(&c->q);
	*ret = mlen;
	return HC_CONTINUE;
}

enum hc_action hc_chan_sendrecv(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t sh = arg[0] & UV_CHAN_NO_SEND, rh = arg[0] >> 32;
	uint64_t sbuf = arg[1], slen = arg[2], rbuf = arg[3], rlen = arg[4], deadline = arg[5];
	enum chan_side s;
	struct chan *rc = channel(a, rh, CHAN_RECEIVER, &s, ret), *sc = 0;
	if (!rc)
		return HC_CONTINUE;
	if (sh != UV_CHAN_NO_SEND && !(sc = send_checks(a, sh, sbuf, slen, ret)))
		return HC_CONTINUE;
	/* The buffer must hold any message: the sender copies into it without asking again. */
	if (rlen < rc->q.msg_max) {
		*ret = -UV_EMSGSIZE;
		return HC_CONTINUE;
	}
	if (!guest_range_ok(&a->mem, rbuf, rc->q.msg_max)) {
		*ret = -UV_EFAULT;
		return HC_CONTINUE;
	}
	if ((sc && reset_told(sc, CHAN_SENDER, ret)) || reset_told(rc, CHAN_RECEIVER, ret))
		return HC_CONTINUE;
	uint8_t *slot = sc ? chanq_tail(&sc->q) : 0;
	if (sc && !slot) {
		sc->q.st.full++;
		*ret = -UV_EAGAIN;
		return HC_CONTINUE;
	}
	/* Checked: from here the call goes through. */
	if (sc)
		send_checked(a, sc, slot, sbuf, slen);
	uint32_t mlen;
	const uint8_t *msg = chanq_peek(&rc->q, &mlen);
	if (msg) {
		guest_copy_out(&a->mem, rbuf, msg, mlen);
		chanq_pop(&rc->q);
		*ret = mlen;
		return HC_CONTINUE;
	}
	*ret = -UV_ETIMEDOUT; /* what the call returns unless a message or a reset comes first */
	uint64_t now = deadline && deadline != UV_YIELD_FOREVER ? app_now_ns(a) : 0;
	if (!deadline || (deadline != UV_YIELD_FOREVER && deadline <= now))
		return HC_CONTINUE;
	a->wait_mask = 0;
	a->wake_ns = deadline == UV_YIELD_FOREVER ? UINT64_MAX : time_deadline_kernel_ns(deadline, now, time_ns());
	a->chan_wait.handle = (uint32_t)rh;
	a->chan_wait.rbuf = rbuf;
	a->chan_wait.active = true;
	return HC_BLOCK;
}
