/* kernel/chan/chan.h: the appliance's channels: queues allocated at boot from the manifest, the apps' handles, resets, readiness, counters. */
#ifndef KERNEL_CHAN_CHAN_H
#define KERNEL_CHAN_CHAN_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/app/app.h"
#include "kernel/chan/chanq.h"

enum chan_side { CHAN_SENDER = 0, CHAN_RECEIVER = 1 };

struct chan {
	const struct uv_manifest_chan *rec; /* its checked manifest record */
	struct app *end[2];                 /* by enum chan_side */
	uint32_t epoch;                     /* resets so far */
	uint32_t told[2];                   /* the epoch each end has been told of (by enum chan_side) */
	struct chanq q;
};

/* Allocates every channel of a checked manifest and its queue (all memory channels ever
 * use, taken now) and gives each app its handles (a->chan[], a->n_chans, in the order of
 * the records). 0, or -UV_ENOMEM after printing why: the appliance must not start then. */
int chan_setup(const struct uv_manifest *m, struct app *apps, unsigned n_apps);
/* The end of c that app a holds (a is one of its two ends). */
static inline enum chan_side chan_side_of(const struct chan *c, const struct app *a)
{
	return c->end[CHAN_RECEIVER] == a ? CHAN_RECEIVER : CHAN_SENDER;
}
/* Whether that end may use the chan calls on c: its grants name the channel. */
static inline bool chan_granted(const struct chan *c, enum chan_side s)
{
	return c->rec->flags & (s == CHAN_SENDER ? UV_MCHAN_SENDER_GRANTED : UV_MCHAN_RECEIVER_GRANTED);
}
/* Whether a reset of c is still to be reported to that end. */
static inline bool chan_reset_pending(const struct chan *c, enum chan_side s) { return c->told[s] != c->epoch; }
/* App a stopped (exit, kernel stop, failed start): every channel it is an end of drops
 * its messages and counts a reset; a starts afresh, its peers are told once. */
void chan_app_stopped(struct app *a);
/* Bits (UV_HANDLE_CHAN) of a's granted channels ready for it: a message waiting (receiver),
 * room in the queue (sender), or a reset to report (either). */
uint64_t chan_ready_mask(const struct app *a);
/* For yield: 0 if every channel bit (bit c of chan_bits is handle c) names a channel of a
 * that its grants name; -UV_EBADF for a bit past its last, -UV_EPERM for one not granted. */
int64_t chan_check_mask(const struct app *a, uint64_t chan_bits);
/* One line per channel with its counters (for the periodic and final summaries). */
void chan_print(void);

#endif
