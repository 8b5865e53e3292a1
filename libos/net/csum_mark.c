/* libos/net/csum_mark.c: the checksum marks of TCP frames (ABI 1.4): the pseudo-header's sum and the mark on the way out, the checksum completed where a marked frame must be checked (pure: unit-tested on the host). */
#include <string.h>
#include "include/uv_chksum.h"
#include "../../include/abi/uv_hypercall.h"

#define ETH_HLEN 14
#define ETH_TYPE_OFF 12
#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_IPV6 0x86ddu
/* RFC 791 3.1: version and IHL in byte 0, total length at 2, flags + fragment offset at 6,
 * protocol at 9, the addresses at 12..19. */
#define IP4_HLEN_MIN 20
#define IP4_TOTLEN_OFF 2
#define IP4_FRAG_OFF 6
#define IP4_FRAG_MASK 0x3fffu /* MF and the offset: any set is a fragment (DF may be) */
#define IP4_PROTO_OFF 9
#define IP4_ADDRS_OFF 12
#define IP4_ADDRS_LEN 8
/* RFC 8200 3: payload length at 4, next header at 6, the addresses at 8..39. */
#define IP6_HLEN 40
#define IP6_PLEN_OFF 4
#define IP6_NEXT_OFF 6
#define IP6_ADDRS_OFF 8
#define IP6_ADDRS_LEN 32
#define IP_PROTO_TCP 6
#define TCP_HLEN_MIN 20
#define TCP_CSUM_OFF 16 /* RFC 9293 3.1 */
#define CSUM_FIELD_BYTES 2

static unsigned be16(const uint8_t *p) { return (unsigned)(p[0] << 8 | p[1]); }

uint64_t uv_csum_mark_tcp(uint8_t *f, size_t len)
{
	/* The pseudo-header (RFC 9293 3.1, RFC 8200 8.1): the addresses, then zero, the protocol
	 * and the segment's length as 16-bit words (IPv6's as 32-bit ones: the same sum). */
	uint8_t ph[IP6_ADDRS_LEN + 4];
	size_t ip = ETH_HLEN, l4, seg, n;
	if (len < ETH_HLEN + IP4_HLEN_MIN)
		return 0;
	unsigned type = be16(f + ETH_TYPE_OFF);
	if (type == ETHERTYPE_IPV4) {
		size_t ihl = (size_t)(f[ip] & 0xf) * 4, tot = be16(f + ip + IP4_TOTLEN_OFF);
		if (f[ip] >> 4 != 4 || ihl < IP4_HLEN_MIN || f[ip + IP4_PROTO_OFF] != IP_PROTO_TCP ||
		    (be16(f + ip + IP4_FRAG_OFF) & IP4_FRAG_MASK) || tot < ihl + TCP_HLEN_MIN || ip + tot != len)
			return 0;
		l4 = ip + ihl;
		seg = tot - ihl;
		memcpy(ph, f + ip + IP4_ADDRS_OFF, IP4_ADDRS_LEN);
		n = IP4_ADDRS_LEN;
	} else if (type == ETHERTYPE_IPV6) {
		if (len < ETH_HLEN + IP6_HLEN)
			return 0;
		seg = be16(f + ip + IP6_PLEN_OFF);
		if (f[ip] >> 4 != 6 || f[ip + IP6_NEXT_OFF] != IP_PROTO_TCP || seg < TCP_HLEN_MIN ||
		    ip + IP6_HLEN + seg != len)
			return 0;
		l4 = ip + IP6_HLEN;
		memcpy(ph, f + ip + IP6_ADDRS_OFF, IP6_ADDRS_LEN);
		n = IP6_ADDRS_LEN;
	} else {
		return 0;
	}
	ph[n++] = 0;
	ph[n++] = IP_PROTO_TCP;
	ph[n++] = (uint8_t)(seg >> 8);
	ph[n++] = (uint8_t)seg;
	uint16_t s = uv_inet_chksum(ph, (int)n); /* memory order: stored as it is */
	memcpy(f + l4 + TCP_CSUM_OFF, &s, sizeof(s));
	return UV_NET_CSUM_MARK(l4, TCP_CSUM_OFF);
}

void uv_csum_complete(uint8_t *f, size_t len, uint64_t m)
{
	size_t start = UV_NET_CSUM_START(m), at = start + UV_NET_CSUM_OFF(m);
	if (!(m & UV_NET_CSUM_PARTIAL) || start < UV_NET_CSUM_START_MIN || at + CSUM_FIELD_BYTES > len)
		return;
	uint16_t c = (uint16_t)~uv_inet_chksum(f + start, (int)(len - start));
	if (!c)
		c = 0xffff; /* the same one's complement value; RFC 768's rule for UDP */
	memcpy(f + at, &c, sizeof(c));
}
