/* kernel/chan/chan_end.c: an app's channel ends at run time: grants, resets when it stops, readiness for yield. */
#include "kernel/chan/chan.h"
#include "include/abi/uv_errno.h"
#include "hv/hv.h"

void chan_app_stopped(struct app *a)
{
	a->chan_wait.active = false;
	a->chan_memo.recv = 0; /* none remembered (its handles do not change: chan_calls.c ends_of) */
	for (unsigned h = 0; h < a->n_chans; h++) {
		struct chan *c = a->chan[h];
		enum chan_side s = chan_side_of(c, a);
		chanq_reset(&c->q);
		c->epoch++;
		c->told[s] = c->epoch; /* the end that stopped starts afresh */
		/* A receiver waiting in chan_sendrecv on c learns of the reset now, and once. */
		struct app *p = c->end[!s];
		if (s == CHAN_SENDER && p->state == APP_BLOCKED && p->chan_wait.active && p->chan_wait.chan == c) {
			p->chan_wait.active = false;
			c->told[CHAN_RECEIVER] = c->epoch;
			hv_vcpu_set_rax(p->vcpu, (uint64_t)-UV_ECONNRESET);
			p->state = APP_RUNNABLE;
		}
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
