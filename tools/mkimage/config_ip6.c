/* tools/mkimage/config_ip6.c: the IPv6 options of a nic = line (ip6=link-local, ip6=ADDR/PREFIX, gw6=) and their checks. */
#include <stdio.h>
#include <string.h>
#include "tools/mkimage/config_ip6.h"
#include "libos/net/inet6.h"

#define fail cfg_fail
#define IP6_SEEN_SHIFT 8 /* v->ip_seen: bits 0.. are config_ip.c's, these follow */
#define LINK_LOCAL_WORD "link-local"
#define ADDR_TEXT_MAX 64 /* longest address text copied out of a value (an address is at most 45) */
#define LWIP_ONLINK_BITS 64 /* libos's lwIP 2.1.3 takes an address's first 64 bits as on-link (ip6_addr_netcmp) */

enum ip6_opt { IP6_ADDR, IP6_GW, IP6_COUNT };
static const char *const ip6_names[IP6_COUNT] = { [IP6_ADDR] = "ip6", [IP6_GW] = "gw6" };

static unsigned seen_bit(enum ip6_opt k)
{
	return 1u << (IP6_SEEN_SHIFT + k);
}

/* Why an address of kind k cannot be this vNIC's static address (or its gateway, gw set), or 0. */
static const char *kind_problem(enum uv_inet6_kind k, int gw)
{
	switch (k) {
	case UV_INET6_UNSPECIFIED: return "the unspecified address (::)";
	case UV_INET6_LOOPBACK: return "the loopback address (::1)";
	case UV_INET6_MULTICAST: return "a multicast address (ff00::/8)";
	case UV_INET6_V4_MAPPED: return "an IPv4-mapped address (::ffff:0:0/96)";
	case UV_INET6_LINK_LOCAL:
		return gw ? 0 : "link-local (fe80::/10): the vNIC's link-local address is made from its MAC; write ip6=link-local";
	case UV_INET6_UNICAST: return 0;
	}
	return "of no known kind";
}

/* The address text before '/' (or all of val) into out: 0, or -1 when it is too long to be one. */
static int address_part(const char *val, char out[ADDR_TEXT_MAX])
{
	size_t n = strcspn(val, "/");
	if (n >= ADDR_TEXT_MAX)
		return -1;
	memcpy(out, val, n);
	out[n] = 0;
	return 0;
}

int config_ip6_option(struct parser *p, const struct cfg_app *a, struct cfg_vnic *v, const char *opt)
{
	const char *eq = strchr(opt, '=');
	size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);
	const char *val = eq ? eq + 1 : NULL;
	unsigned k = 0;
	while (k < IP6_COUNT && (strlen(ip6_names[k]) != klen || strncmp(ip6_names[k], opt, klen)))
		k++;
	if (k == IP6_COUNT)
		return 1;
	if (v->ip_seen & seen_bit(k))
		return fail(p, p->line, "vNIC '%s' of app '%s': option '%s' given twice", v->name, a->name, ip6_names[k]);
	v->ip_seen |= seen_bit(k);
	if (!val || !*val)
		return fail(p, p->line, "vNIC '%s' of app '%s': option '%s' needs a value: %s", v->name, a->name,
			    ip6_names[k], k == IP6_ADDR ? "ip6=link-local or ip6=ADDRESS/PREFIX" : "gw6=ADDRESS");
	if (k == IP6_ADDR && !strcmp(val, LINK_LOCAL_WORD)) {
		v->ip.mode6 = UV_IP6_LINK_LOCAL;
		return 0;
	}
	char text[ADDR_TEXT_MAX];
	uint8_t *dst = k == IP6_ADDR ? v->ip.addr6 : v->ip.gw6;
	int has_prefix = strchr(val, '/') != NULL;
	if (address_part(val, text) || !uv_inet_pton6(text, dst) || (k == IP6_GW && has_prefix))
		return fail(p, p->line, "vNIC '%s' of app '%s': bad %s '%.64s': expected %s", v->name, a->name,
			    ip6_names[k], val, k == IP6_ADDR ? "link-local or an IPv6 ADDRESS/PREFIX like fd00:1::5/64"
							    : "an IPv6 address like fe80::1 or fd00:1::1");
	const char *why = kind_problem(uv_inet6_kind(dst), k == IP6_GW);
	if (why)
		return fail(p, p->line, "vNIC '%s' of app '%s': %s '%.64s' is %s", v->name, a->name, ip6_names[k], val, why);
	if (k == IP6_GW)
		return 0;
	uint64_t n;
	const char *e;
	int r = has_prefix ? cfg_decimal(strchr(val, '/') + 1, UV_IP6_PREFIX_MAX, &n, &e) : -1;
	if (r == -1 || (r == 0 && *e))
		return fail(p, p->line, "vNIC '%s' of app '%s': bad ip6 '%.64s': expected ADDRESS/PREFIX like fd00:1::5/64",
			    v->name, a->name, val);
	if (r == -2 || n < UV_IP6_PREFIX_MIN)
		return fail(p, p->line, "vNIC '%s' of app '%s': ip6 '%.64s': prefix length outside %u..%u", v->name, a->name,
			    val, UV_IP6_PREFIX_MIN, UV_IP6_PREFIX_MAX);
	v->ip.prefix6 = (uint8_t)n;
	v->ip.mode6 = UV_IP6_STATIC;
	/* RFC 4291 2.6.1: with the interface bits all zero it is the prefix's Subnet-Router anycast address. */
	if (n < UV_IP6_PREFIX_MAX && uv_inet6_host_zero(dst, (unsigned)n))
		return fail(p, p->line, "vNIC '%s' of app '%s': ip6 '%.64s' is the Subnet-Router anycast address of its "
			    "prefix (interface bits all zero), not a host's", v->name, a->name, val);
	return 0;
}

int config_ip6_end(struct parser *p, const struct cfg_app *a, struct cfg_vnic *v)
{
	if (!(v->ip_seen & seen_bit(IP6_GW)))
		return 0;
	char g[UV_INET6_STRLEN], ad[UV_INET6_STRLEN];
	uv_inet_ntop6(v->ip.gw6, g, sizeof(g));
	if (v->ip.mode6 == UV_IP6_NONE)
		return fail(p, p->line, "vNIC '%s' of app '%s': gw6= needs ip6= (link-local or ADDRESS/PREFIX)", v->name,
			    a->name);
	if (uv_inet6_kind(v->ip.gw6) == UV_INET6_LINK_LOCAL)
		return 0;
	if (v->ip.mode6 == UV_IP6_LINK_LOCAL)
		return fail(p, p->line, "vNIC '%s' of app '%s': gw6 %s is not link-local (fe80::/10), and ip6=link-local "
			    "gives no other prefix to reach it on", v->name, a->name, g);
	uv_inet_ntop6(v->ip.addr6, ad, sizeof(ad));
	if (!memcmp(v->ip.gw6, v->ip.addr6, UV_IP6_LEN) || !uv_inet6_same_prefix(v->ip.gw6, v->ip.addr6, v->ip.prefix6))
		return fail(p, p->line, "vNIC '%s' of app '%s': gw6 %s is neither link-local nor another address of %s/%u",
			    v->name, a->name, g, ad, v->ip.prefix6);
	if (!uv_inet6_same_prefix(v->ip.gw6, v->ip.addr6, LWIP_ONLINK_BITS))
		cfg_warn(p, p->line, "vNIC '%s' of app '%s': gw6 %s lies outside %s's /64: libos's network stack (lwIP "
			 "2.1.3) finds neighbours only there and cannot reach it", v->name, a->name, g, ad);
	return 0;
}

int config_ip6_granted(struct parser *p, const struct cfg_app *a, const struct cfg_vnic *v)
{
	if (v->ip.mode6 == UV_IP6_NONE || (v->flags & UV_VNIC_GRANTED))
		return 0;
	return fail(p, v->line, "vNIC '%s' of app '%s': ip6= on a vNIC the app may not use (no net:%s in its grants)",
		    v->name, a->name, v->name);
}
