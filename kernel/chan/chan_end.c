/* kernel/chan/chan_end.c: an app's channel ends at run time: grants, resets when it stops, readiness for yield. */
#include "kernel/chan/chan.h"
#include "include/abi/uv_errno.h"

bool chan_granted(const struct chan *c, enum chan_side s)
{
	return c->rec->flags & (s == CHAN_SENDER ? UV_MCHAN_SENDER_GRANTED : UV_MCHAN_RECEIVER_GRANTED);
}

void chan_app_stopped(struct app *a)
{
	for (unsigned h = 0; h < a->n_chans; h++) {
		struct chan *c = a->chan[h];
		chanq_reset(&c->q);
		c->epoch++;
		c->told[chan_side_of(c, a)] = c->epoch; /* the end that stopped starts afresh */
	}
}

uint64_t chan_ready_mask(const struct app *a)
{
	uint64_t m = 0;
	for (unsigned h = 0; h < a->n_chans; h++) {
		const struct chan *c = a->chan[h];
		enum chan_side s = chan_side_of(c, a);
		bool ready = s == CHAN_SENDER ? !chanq_full(&c->q) : !chanq_empty(&c->q);
		if (chan_granted(c, s) && (ready || chan_reset_pending(c, s)))
			m |= UV_HANDLE_CHAN(h);
	}
	return m;
}

int64_t chan_check_mask(const struct app *a, uint64_t chan_bits)
{
	for (unsigned h = 0; chan_bits; h++, chan_bits >>= 1) {
		if (!(chan_bits & 1))
			continue;
		if (h >= a->n_chans)
			return -UV_EBADF;
		if (!chan_granted(a->chan[h], chan_side_of(a->chan[h], a)))
			return -UV_EPERM;
	}
	return 0;
}
