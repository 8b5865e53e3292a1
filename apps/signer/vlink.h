/* apps/signer/vlink.h: the signer's end of the vault's channels: one request in flight at a time, its reply matched by id, the reply channel's bit waking the waiter. */
#ifndef SIGNER_VLINK_H
#define SIGNER_VLINK_H

#include <stddef.h>
#include <stdint.h>
#include "../vault/vault_proto.h"

/* How an exchange with the vault ended. */
enum vlink_result {
	VLINK_OK = 0,      /* the payload is in out */
	VLINK_LIMITED,     /* the vault refused: its rate limit */
	VLINK_REFUSED,     /* the vault refused otherwise, or answered something unexpected */
	VLINK_RESET,       /* the channels were reset while the request was in flight (the vault restarted) */
	VLINK_TIMEOUT,     /* no turn or no reply before the deadline */
};

/* Counters for the signer's report line. */
struct vlink_stats {
	unsigned long asked, stale, resets, timeouts;
};

/*
 * Checks the channels (handle 0: the requests, sent; handle 1: the replies, received;
 * their sizes fit the vault's protocol) and registers the idle hook that drains the reply
 * channel when every thread waits (yield wakes on its bit). 0, or -1 with a line printed.
 */
int vlink_init(void);

/*
 * Asks the vault op (VAULT_OP_SIGN with the len bytes at msg, len <= VAULT_MSG_MAX; or
 * VAULT_OP_PUBKEY with len 0), waiting for its turn and its reply until deadline_ns
 * (monotonic). VLINK_OK with exactly out_len payload bytes copied to out, else why not.
 * Blocks only the calling thread. Requests go to the vault one at a time.
 */
enum vlink_result vlink_ask(uint8_t op, const void *msg, size_t len, uint8_t *out, size_t out_len, int64_t deadline_ns);

void vlink_stats(struct vlink_stats *s);

#endif
