/* kernel/hc/chan_calls.h: the channel hypercalls (chan_info, chan_send, chan_recv, chan_sendrecv). */
#ifndef KERNEL_HC_CHAN_CALLS_H
#define KERNEL_HC_CHAN_CALLS_H

#include <stdint.h>
#include "kernel/hc/hypercall.h"

enum hc_action hc_chan_info(struct app *a, const uint64_t arg[6], int64_t *ret);
enum hc_action hc_chan_send(struct app *a, const uint64_t arg[6], int64_t *ret);
enum hc_action hc_chan_recv(struct app *a, const uint64_t arg[6], int64_t *ret);
enum hc_action hc_chan_sendrecv(struct app *a, const uint64_t arg[6], int64_t *ret);

#endif
