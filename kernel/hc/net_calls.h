/* kernel/hc/net_calls.h: the net hypercalls (net_info, net_read, net_write) and the vNIC part of yield's handle mask. */
#ifndef KERNEL_HC_NET_CALLS_H
#define KERNEL_HC_NET_CALLS_H

#include <stdint.h>
#include "kernel/hc/hypercall.h"

enum hc_action hc_net_info(struct app *a, const uint64_t arg[6], int64_t *ret);
enum hc_action hc_net_read(struct app *a, const uint64_t arg[6], int64_t *ret);
enum hc_action hc_net_write(struct app *a, const uint64_t arg[6], int64_t *ret);
/* For yield: 0 if every NIC bit of mask names a vNIC of a that its grants name;
 * -UV_EBADF for a bit past its last vNIC, -UV_EPERM for one not granted. */
int64_t net_check_mask(const struct app *a, uint64_t nic_bits);
/* a's net_read that waits (a->net_wait.active) ends now, as it is woken: the frame queued on
 * its vNIC goes into its buffer (net_read's result for it), else -UV_EAGAIN; the wait is
 * over either way. */
int64_t net_wait_end(struct app *a);

#endif
