/* libos/net/net_priv.h: what the files of libos/net share: the vNIC interface, the stack start, the socket fd hooks. */
#ifndef LIBOS_NET_PRIV_H
#define LIBOS_NET_PRIV_H

#include "lwip/netif.h"
#include "../libos.h"
#include <uv_net.h>
#include <uv_thread.h>

extern struct uv_net_stats __uv_net_counters;

/* lwIP's init function for the interface of the vNIC whose handle is nif->state. */
err_t __uv_netif_init(struct netif *nif);

/* Hands the frames waiting on nif's vNIC to the stack (called with no thread runnable). */
void __uv_netif_poll(struct netif *nif);

/* uv_net_start() for a socket call: 0, or -1 with errno set. */
int __uv_net_need(void);

#endif
