/* libos/net/inet6_if.c: IPv6 on the vNIC interfaces: the link-local and static addresses from the config, their duplicate address detection, the gw6= router, the address line. */
#include <stdio.h>
#include <string.h>
#include "lwip/netif.h"
#include "lwip/ip6_addr.h"
#include "lwip/nd6.h"
#include "lwip/tcpip.h"
#include "inet6.h"
#include "inet6_if.h"

#define NS_PER_MS 1000000ll
#define DAD_POLL_MS 20 /* how often the start-up looks whether duplicate address detection is done */

/* The gw6= router of each interface that has one (netif NULL: a free slot). */
static struct {
	struct netif *netif;
	ip6_addr_t gw;
} routers[UV_BOOT_INFO_MAX_NICS];

static void ip6_of(ip6_addr_t *a, const uint8_t b[UV_IP6_LEN])
{
	memcpy(a->addr, b, UV_IP6_LEN); /* both in network order */
	ip6_addr_clear_zone(a);
}

static int is_zero(const uint8_t b[UV_IP6_LEN])
{
	static const uint8_t zero[UV_IP6_LEN];
	return !memcmp(b, zero, UV_IP6_LEN);
}

int __uv_inet6_add(struct netif *n, const struct uv_vnic_ip *cfg)
{
	if (cfg->mode6 == UV_IP6_NONE)
		return 0;
	netif_create_ip6_linklocal_address(n, 1); /* fe80:: + modified EUI-64 of the MAC (RFC 4291 appendix A) */
	__uv_timers_changed(); /* tentative addresses: duplicate detection needs ND6's ticks (timers6.c) */
	if (cfg->mode6 == UV_IP6_STATIC) {
		ip6_addr_t a;
		s8_t idx;
		ip6_of(&a, cfg->addr6);
		if (netif_add_ip6_address(n, &a, &idx) != ERR_OK)
			return -ENOMEM;
	}
	if (!is_zero(cfg->gw6)) {
		unsigned i = 0;
		while (i < UV_BOOT_INFO_MAX_NICS && routers[i].netif)
			i++;
		if (i == UV_BOOT_INFO_MAX_NICS)
			return -ENOMEM;
		ip6_of(&routers[i].gw, cfg->gw6);
		ip6_addr_assign_zone(&routers[i].gw, IP6_UNICAST, n); /* a link-local router is on this link */
		routers[i].netif = n;
	}
	return 0;
}

/* 1 when some address of n is still tentative (its duplicate detection runs). */
static int tentative(struct netif *n)
{
	for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
		if (ip6_addr_istentative(netif_ip6_addr_state(n, i)))
			return 1;
	return 0;
}

void __uv_inet6_wait(struct netif *nifs, unsigned n, int64_t start_ns)
{
	for (unsigned i = 0; i < n; i++) {
		for (;;) {
			LOCK_TCPIP_CORE();
			int busy = tentative(&nifs[i]);
			UNLOCK_TCPIP_CORE();
			if (!busy || uv_monotonic_ns() - start_ns >= UV_NET_DAD_WAIT_MS * NS_PER_MS)
				break;
			static struct uv_waitq sleepq;
			uv_waitq_wait(&sleepq, uv_monotonic_ns() + DAD_POLL_MS * NS_PER_MS);
		}
	}
}

/* " ADDR/64" for address i of n, with " duplicate" or " tentative" when it is not usable, at *p. */
static void put_address(char **p, const char *end, struct netif *n, int i, unsigned prefix)
{
	char text[UV_INET6_STRLEN];
	u8_t state = netif_ip6_addr_state(n, i);
	uint8_t bytes[UV_IP6_LEN];
	memcpy(bytes, netif_ip6_addr(n, i)->addr, UV_IP6_LEN);
	uv_inet_ntop6(bytes, text, sizeof(text));
	*p += snprintf(*p, (size_t)(end - *p), " %s/%u%s", text, prefix,
		       ip6_addr_isduplicated(state) ? " duplicate" : ip6_addr_istentative(state) ? " tentative" : "");
}

void __uv_inet6_print(struct netif *n, unsigned handle, const struct uv_vnic_ip *cfg)
{
	if (cfg->mode6 == UV_IP6_NONE)
		return;
	char line[256], *p = line, *end = line + sizeof(line) - 2;
	p += snprintf(p, (size_t)(end - p), "net: nic %u ip6", handle);
	LOCK_TCPIP_CORE();
	for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES && p < end; i++)
		if (!ip6_addr_isinvalid(netif_ip6_addr_state(n, i)))
			put_address(&p, end, n, i, i == 0 ? UV_INET6_LINK_LOCAL_PREFIX : cfg->prefix6);
	UNLOCK_TCPIP_CORE();
	if (!is_zero(cfg->gw6) && p < end) {
		char g[UV_INET6_STRLEN];
		p += snprintf(p, (size_t)(end - p), " gw6 %s", uv_inet_ntop6(cfg->gw6, g, sizeof(g)));
	}
	if (p < end)
		snprintf(p, (size_t)(end - p), " (%s)", cfg->mode6 == UV_IP6_STATIC ? "static" : "link-local");
	strcat(line, "\n");
	__uv_console_puts(line);
}

int uv_net_has_ipv6(void)
{
	const struct uv_boot_info *bi = uv_boot_info();
	for (unsigned h = 0; h < bi->n_nics && h < UV_BOOT_INFO_MAX_NICS; h++)
		if (bi->nic_ip[h].mode6 != UV_IP6_NONE)
			return 1;
	return 0;
}

const struct ip6_addr *__uv_inet6_gateway(struct netif *netif, const struct ip6_addr *dest)
{
	(void)dest;
	for (unsigned i = 0; i < UV_BOOT_INFO_MAX_NICS; i++)
		if (routers[i].netif == netif)
			return &routers[i].gw;
	return NULL;
}

/* 1 when dest lies in the /64 of an address of some interface (lwIP's on-link rule, ip6_route). */
static int on_some_link(const ip6_addr_t *dest)
{
	struct netif *n;
	NETIF_FOREACH(n) {
		for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
			if (ip6_addr_isvalid(netif_ip6_addr_state(n, i)) && ip6_addr_netcmp(dest, netif_ip6_addr(n, i)))
				return 1;
	}
	return 0;
}

struct netif *__uv_inet6_route(const struct ip6_addr *src, const struct ip6_addr *dest)
{
	(void)src;
	if (on_some_link(dest))
		return NULL; /* lwIP's own rules find it */
	for (unsigned i = 0; i < UV_BOOT_INFO_MAX_NICS; i++)
		if (routers[i].netif && netif_is_up(routers[i].netif) && netif_is_link_up(routers[i].netif))
			return routers[i].netif;
	return NULL;
}
