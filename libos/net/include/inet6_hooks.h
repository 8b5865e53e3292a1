/* libos/net/include/inet6_hooks.h: the lwIP hooks libos/net/inet6_if.c and inet6_filter.c implement (lwipopts.h's LWIP_HOOK_FILENAME). */
#ifndef LIBOS_NET_INET6_HOOKS_H
#define LIBOS_NET_INET6_HOOKS_H

struct netif;
struct ip6_addr;
struct pbuf;

/* Before lwIP looks at an IPv6 packet: 1 when libos refused it (freed, counted), 0 to go on (inet6_filter.c). */
int __uv_inet6_input(struct pbuf *p, struct netif *inp);

/* The gw6= router of netif for an off-link dest (zoned to netif), or NULL: lwIP then asks its router list. */
const struct ip6_addr *__uv_inet6_gateway(struct netif *netif, const struct ip6_addr *dest);

/* For an unscoped dest on no interface's prefix: the interface that has a gw6= router, or NULL. */
struct netif *__uv_inet6_route(const struct ip6_addr *src, const struct ip6_addr *dest);

#endif
