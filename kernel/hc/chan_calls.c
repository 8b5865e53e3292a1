/* kernel/hc/chan_calls.c: the channel hypercalls: handle, grant, end, length and range checks, then one copy between the app's RAM and the kernel's queue. */
#include "kernel/hc/chan_calls.h"
#include "kernel/chan/chan.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/nospec.h"

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

/* The one-time notice of a reset: true (and *ret set, the notice given) when one is due. */
static bool reset_told(struct chan *c, enum chan_side s, int64_t *ret)
{
	if (!chan_reset_pending(c, s))
		return false;
	c->told[s] = c->epoch;
	*ret = -UV_ECONNRESET;
	return true;
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
	enum chan_side s;
	struct chan *c = channel(a, arg[0], CHAN_SENDER, &s, ret);
	if (!c)
		return HC_CONTINUE;
	if (len > c->q.msg_max) {
		c->q.st.too_long++;
		*ret = -UV_EMSGSIZE;
		return HC_CONTINUE;
	}
	if (!guest_range_ok(&a->mem, gaddr, len)) {
		*ret = -UV_EFAULT;
		return HC_CONTINUE;
	}
	if (reset_told(c, s, ret))
		return HC_CONTINUE;
	uint8_t *slot = chanq_tail(&c->q);
	if (!slot) {
		c->q.st.full++;
		*ret = -UV_EAGAIN;
		return HC_CONTINUE;
	}
	/* The one copy in: from here the message is the kernel's, whatever the sender writes next. */
	guest_copy_in(&a->mem, slot, gaddr, len);
	chanq_commit(&c->q, (uint32_t)len);
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
