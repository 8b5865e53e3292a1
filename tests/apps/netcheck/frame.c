/* tests/apps/netcheck/frame.c: building and reading the few frames the tests exchange: Ethernet, ARP, IPv4 with UDP. */
#include <string.h>
#include "netcheck.h"

uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void wr32(uint8_t *p, uint32_t v) { wr16(p, (uint16_t)(v >> 16)); wr16(p + 2, (uint16_t)v); }

size_t frame_eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	wr16(f + 12, type);
	return ETH_HDR;
}

static size_t pad(uint8_t *f, size_t n)
{
	if (n < FRAME_MIN) {
		memset(f + n, 0, FRAME_MIN - n);
		n = FRAME_MIN;
	}
	return n;
}

size_t frame_arp(uint8_t *f, uint16_t op, const uint8_t src_mac[6], uint32_t src_ip, const uint8_t dst_mac[6],
		 uint32_t dst_ip)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	size_t n = frame_eth(f, op == 1 ? bcast : dst_mac, src_mac, ETH_ARP);
	uint8_t *a = f + n;
	wr16(a, 1);          /* Ethernet */
	wr16(a + 2, ETH_IP); /* IPv4 */
	a[4] = 6;
	a[5] = 4;
	wr16(a + 6, op);
	memcpy(a + 8, src_mac, 6);
	wr32(a + 14, src_ip);
	memcpy(a + 18, dst_mac, 6);
	wr32(a + 24, dst_ip);
	return pad(f, n + 28);
}

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += rd16(p + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

size_t frame_udp(uint8_t *f, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src_ip, uint32_t dst_ip,
		 uint16_t sport, uint16_t dport, const void *data, size_t len)
{
	size_t n = frame_eth(f, dst_mac, src_mac, ETH_IP);
	uint8_t *ip = f + n, *udp = ip + 20;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	wr16(ip + 2, (uint16_t)(20 + 8 + len));
	ip[8] = 64; /* TTL */
	ip[9] = 17; /* UDP */
	wr32(ip + 12, src_ip);
	wr32(ip + 16, dst_ip);
	wr16(ip + 10, ip_checksum(ip, 20));
	wr16(udp, sport);
	wr16(udp + 2, dport);
	wr16(udp + 4, (uint16_t)(8 + len));
	wr16(udp + 6, 0); /* no checksum (allowed over IPv4) */
	memcpy(udp + 8, data, len);
	return pad(f, n + 28 + len);
}

bool is_arp_reply(const uint8_t *f, size_t n, uint32_t from_ip, uint32_t to_ip, uint8_t mac[6])
{
	if (n < ETH_HDR + 28 || rd16(f + 12) != ETH_ARP)
		return false;
	const uint8_t *a = f + ETH_HDR;
	if (rd16(a + 6) != 2 || rd32(a + 14) != from_ip || rd32(a + 24) != to_ip)
		return false;
	memcpy(mac, a + 8, 6);
	return true;
}

const uint8_t *udp_payload(const uint8_t *f, size_t n, uint16_t dport, size_t *len)
{
	if (n < ETH_HDR + 28 || rd16(f + 12) != ETH_IP)
		return NULL;
	const uint8_t *ip = f + ETH_HDR;
	size_t ihl = (size_t)(ip[0] & 15) * 4, total = rd16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 17 || total < ihl + 8 || ETH_HDR + total > n)
		return NULL;
	const uint8_t *udp = ip + ihl;
	size_t ulen = rd16(udp + 4);
	if (rd16(udp + 2) != dport || ulen < 8 || ulen > total - ihl)
		return NULL;
	*len = ulen - 8;
	return udp + 8;
}
