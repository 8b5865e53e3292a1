/* kernel/hc/hypercall.h: the hypercall dispatcher: grant check, argument validation, the calls themselves. */
#ifndef KERNEL_HYPERCALL_H
#define KERNEL_HYPERCALL_H

#include <stdint.h>
#include "kernel/app/app.h"

enum hc_action {
	HC_CONTINUE, /* result set; keep running the app */
	HC_YIELD,    /* result set; the app gives up the CPU (stays runnable) */
	HC_BLOCK,    /* the app waits (state APP_BLOCKED, wake_ns set) */
	HC_EXIT,     /* the app exited (exit_status set) */
};

/* A call's result *ret = r, the app going on: `return hc_answer(ret, -UV_EFAULT);`. */
static inline enum hc_action hc_answer(int64_t *ret, int64_t r)
{
	*ret = r;
	return HC_CONTINUE;
}
/* Handles call nr with args for app a; writes the result register (through hv) unless
 * the app exited. Unknown numbers are -UV_ENOSYS, calls outside the grants -UV_EPERM. */
enum hc_action hypercall_dispatch(struct app *a, uint64_t nr, const uint64_t arg[6]);
/* The vCPU's hypercall handler (hv_hypercall_fn, owner = the app), run inside
 * hv_vcpu_run: dispatches the call, the result into *rax unless the app exited; returns
 * its hc_action (HC_CONTINUE = 0: it goes on), which the exit policy takes from
 * exit->hypercall.handled. Counted in stats.hypercalls only (never in stats.exits). */
int hypercall_exit(void *owner, uint64_t nr, const uint64_t arg[6], uint64_t *rax);
/* yield's wait (also net_read's with UV_NET_READ_WAIT): a bad handle of mask is its error
 * (HC_CONTINUE); one ready now is its bits at once (HC_CONTINUE); a deadline of 0 or one
 * passed gives up the CPU (HC_YIELD, *ret 0); else a blocks until deadline or a handle of
 * mask is ready (HC_BLOCK, wait_mask and wake_ns set, *ret 0). */
enum hc_action hc_yield_wait(struct app *a, uint64_t deadline, uint64_t mask, int64_t *ret);
/* hc_wait_until with a deadline other than 0 and forever: the one that reads the clock. */
enum hc_action hc_wait_deadline(struct app *a, uint64_t deadline, uint64_t mask);
/* hc_yield_wait's part after the handles (mask checked, none ready; chan_sendrecv's wait: mask
 * 0), *ret 0. Inline: a round trip's wait (forever) costs a few instructions, no call. */
static inline __attribute__((always_inline)) enum hc_action hc_wait_until(struct app *a, uint64_t deadline, uint64_t mask,
									   int64_t *ret)
{
	*ret = 0;
	if (!deadline)
		return HC_YIELD; /* the past: no clock to read */
	if (deadline != UV_YIELD_FOREVER)
		return hc_wait_deadline(a, deadline, mask);
	a->wait_mask = mask;
	a->wake_ns = UINT64_MAX; /* forever: no clock to read either (a round trip's usual wait) */
	return HC_BLOCK;
}

#endif
