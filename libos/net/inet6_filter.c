/* libos/net/inet6_filter.c: what IPv6 libos refuses from the segment before lwIP sees it: router advertisements, redirects and fragmented ICMPv6 (the config alone says where traffic goes). */
#include "lwip/pbuf.h"
#include "lwip/netif.h"
#include "net_priv.h"

#define IP6_HDR_LEN 40       /* RFC 8200 3 */
#define IP6_NEXT_OFF 6       /* the Next Header byte */
#define EXT_HOP_BY_HOP 0     /* RFC 8200 4.3 */
#define EXT_ROUTING 43       /* 4.4 */
#define EXT_FRAGMENT 44      /* 4.5 */
#define EXT_DEST_OPTS 60     /* 4.6 */
#define NEXT_ICMP6 58
#define EXT_LEN_UNIT 8       /* Hdr Ext Len counts 8 octets, not the first 8 */
#define EXT_MAX 8            /* extension headers looked through at most (bounded; lwIP takes no more sensibly) */
#define ICMP6_RA 134         /* RFC 4861 4.2 */
#define ICMP6_REDIRECT 137   /* RFC 4861 4.5 */

/* The byte at off of p, or -1 past its end. */
static int byte_at(const struct pbuf *p, unsigned off)
{
	uint8_t b;
	return off < p->tot_len && pbuf_copy_partial(p, &b, 1, (u16_t)off) == 1 ? b : -1;
}

/*
 * 1 when p (an IPv6 packet) is one libos refuses: a router advertisement or a redirect
 * (addresses and routers come from the config; lwIP 2.1.3 takes a redirect for any
 * destination from anyone on the link, without RFC 4861 8.1's first-hop router check), or
 * a fragment of ICMPv6 (RFC 6980: neighbour discovery is never fragmented; the type of a
 * later fragment cannot be seen). 0 for everything else, lwIP checks the rest.
 */
static int refused(const struct pbuf *p)
{
	int next = byte_at(p, IP6_NEXT_OFF);
	unsigned off = IP6_HDR_LEN;
	for (int i = 0; i <= EXT_MAX && next >= 0; i++) {
		if (next == NEXT_ICMP6) {
			int type = byte_at(p, off);
			return type == ICMP6_RA || type == ICMP6_REDIRECT;
		}
		if (next == EXT_FRAGMENT)
			return byte_at(p, off) == NEXT_ICMP6;
		if (next != EXT_HOP_BY_HOP && next != EXT_ROUTING && next != EXT_DEST_OPTS)
			return 0;
		int len = byte_at(p, off + 1);
		if (len < 0)
			return 0; /* cut short: lwIP drops it */
		next = byte_at(p, off);
		off += (unsigned)(len + 1) * EXT_LEN_UNIT;
	}
	return next >= 0; /* more extension headers than anyone sends: refused too */
}

int __uv_inet6_input(struct pbuf *p, struct netif *inp)
{
	(void)inp;
	if (!refused(p))
		return 0;
	__uv_net_counters.rx_ip6_refused++;
	pbuf_free(p);
	return 1;
}
