/* libos/net/timers6.c: what IPv6's state asks of lwIP's IPv6 timers (timers.c arms them by it): ND6 ticks that must run on time, ticks that only age and may run late, MLD reports due. */
#include "lwip/opt.h"
#if LWIP_IPV6
#include "lwip/netif.h"
#include "lwip/nd6.h"
#include "lwip/priv/nd6_priv.h"
#include "lwip/mld6.h"
#include "net_priv.h"

/*
 * What nd6_tmr (lwIP 2.1.3 core/ipv6/nd6.c) would do now. It sends, so must run on time
 * (UV_T6_EAGER), for: a neighbour being resolved or probed (INCOMPLETE, DELAY, PROBE: RFC
 * 4861 7.3.2) or a REACHABLE one with packets queued, an address in duplicate address
 * detection (RFC 4862 5.4), a router or prefix with a lifetime (none: router advertisements
 * are refused before lwIP, inet6_filter.c), an address with finite lifetimes. It only ages,
 * and may run late (UV_T6_LAZY), for a REACHABLE neighbour (its reachable time counts down
 * to STALE), a STALE one (its stale time counts, for choosing the entry to reuse) and the
 * destination cache (ages, the same). Else nothing (UV_T6_IDLE).
 */
int __uv_timers6_nd6(void)
{
	int need = UV_T6_IDLE;
	for (int i = 0; i < LWIP_ND6_NUM_NEIGHBORS; i++) {
		switch (neighbor_cache[i].state) {
		case ND6_INCOMPLETE:
		case ND6_DELAY:
		case ND6_PROBE:
			return UV_T6_EAGER;
		case ND6_REACHABLE:
			if (neighbor_cache[i].q != NULL)
				return UV_T6_EAGER;
			need = UV_T6_LAZY;
			break;
		case ND6_STALE:
			need = UV_T6_LAZY;
			break;
		default:
			break;
		}
	}
	for (int i = 0; i < LWIP_ND6_NUM_ROUTERS; i++)
		if (default_router_list[i].neighbor_entry != NULL)
			return UV_T6_EAGER;
	for (int i = 0; i < LWIP_ND6_NUM_PREFIXES; i++)
		if (prefix_list[i].netif != NULL)
			return UV_T6_EAGER;
	struct netif *n;
	NETIF_FOREACH(n) {
		for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++) {
			u8_t st = netif_ip6_addr_state(n, i);
			if (ip6_addr_istentative(st))
				return UV_T6_EAGER;
#if LWIP_IPV6_ADDRESS_LIFETIMES
			if (ip6_addr_isvalid(st) && !netif_ip6_addr_isstatic(n, i))
				return UV_T6_EAGER;
#endif
		}
	}
	for (int i = 0; i < LWIP_ND6_NUM_DESTINATIONS; i++)
		if (!ip6_addr_isany(&destination_cache[i].destination_addr))
			need = UV_T6_LAZY;
	return need;
}

/* Whether mld6_tmr has a report to count down to (a group's timer runs: RFC 3810 7.2). */
int __uv_timers6_mld(void)
{
	struct netif *n;
	NETIF_FOREACH(n) {
		for (const struct mld_group *g = netif_mld6_data(n); g; g = g->next)
			if (g->timer)
				return UV_T6_EAGER;
	}
	return UV_T6_IDLE;
}
#endif
