/* libos/net/inet6_if.h: IPv6 on the vNIC interfaces (inet6_if.c), for net_start.c. */
#ifndef LIBOS_NET_INET6_IF_H
#define LIBOS_NET_INET6_IF_H

#include "net_priv.h"

#define UV_INET6_LINK_LOCAL_PREFIX 64 /* RFC 4291 2.5.6: fe80::/64 and a 64-bit interface identifier */

/* Under the core lock, n added and up: its link-local address, cfg's static one and gw6. 0, or -ENOMEM. */
int __uv_inet6_add(struct netif *n, const struct uv_vnic_ip *cfg);

/* Waits (at most UV_NET_DAD_WAIT_MS after start_ns) until no address of the n interfaces is tentative. */
void __uv_inet6_wait(struct netif *nifs, unsigned n, int64_t start_ns);

/* "net: nic H ip6 ADDR/64 ADDR/N [gw6 G] (static|link-local)" for interface n of vNIC handle H, when cfg has IPv6. */
void __uv_inet6_print(struct netif *n, unsigned handle, const struct uv_vnic_ip *cfg);

#endif
