/* apps/firewall/parse.c: reads a raw frame's headers (Ethernet, one 802.1Q tag, IPv4, TCP/UDP/ICMP), every field bounds-checked first. */
#include "parse.h"

#define FW_IPV4_HLEN_MIN 20  /* RFC 791 3.1: IHL is in 32-bit words, at least 5 */
#define FW_IPV4_IHL_MIN 5
#define FW_IPV4_VERSION 4
#define FW_IPV4_FLAG_MF 0x2000     /* RFC 791 3.1: flags (3 bits) then fragment offset (13) */
#define FW_IPV4_FRAG_OFFSET 0x1fff
#define FW_TCP_HLEN_MIN 20   /* RFC 9293 3.1: data offset in 32-bit words, at least 5 */
#define FW_TCP_DOFF_MIN 5
#define FW_UDP_HLEN 8        /* RFC 768 */
#define FW_ICMP_HLEN 8       /* RFC 792: type, code, checksum, 4 bytes of rest of header */

/* Byte offsets of the fields read (RFC 791 3.1, RFC 9293 3.1, RFC 768, RFC 792). */
#define FW_ETH_TYPE_OFF 12
#define FW_VLAN_TCI_OFF 14
#define FW_VLAN_TYPE_OFF 16
#define FW_IP_LEN_OFF 2
#define FW_IP_FRAG_OFF 6
#define FW_IP_PROTO_OFF 9
#define FW_IP_SRC_OFF 12
#define FW_IP_DST_OFF 16
#define FW_L4_SPORT_OFF 0
#define FW_L4_DPORT_OFF 2
#define FW_TCP_DOFF_OFF 12
#define FW_TCP_FLAGS_OFF 13
#define FW_UDP_LEN_OFF 4
#define FW_ICMP_ID_OFF 4

#define FW_REASON_NAME_(NAME, text) text,
static const char *const fw_reason_names[FW_R_COUNT] = { FW_REASONS(FW_REASON_NAME_) };
#undef FW_REASON_NAME_

const char *fw_reason_name(enum fw_reason r)
{
	return (unsigned)r < FW_R_COUNT ? fw_reason_names[r] : "?";
}

/* Big-endian reads; the callers have checked that the bytes lie in the frame. */
static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint16_t fw_inet_checksum(const uint8_t *data, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += be16(data + i);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (i < len) /* RFC 1071 4.1: an odd last byte is padded with zero */
		sum += (uint32_t)data[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The TCP, UDP or ICMP header at l4[0, len) (len: what the IPv4 total length leaves). */
static enum fw_reason parse_l4(const uint8_t *l4, size_t len, struct fw_pkt *pkt)
{
	switch (pkt->proto) {
	case FW_PROTO_TCP:
		if (len < FW_TCP_HLEN_MIN)
			return FW_R_L4_TRUNC;
		unsigned doff = l4[FW_TCP_DOFF_OFF] >> 4;
		if (doff < FW_TCP_DOFF_MIN || doff * 4u > len)
			return FW_R_TCP_OFFSET;
		pkt->sport = be16(l4 + FW_L4_SPORT_OFF);
		pkt->dport = be16(l4 + FW_L4_DPORT_OFF);
		pkt->tcp_flags = l4[FW_TCP_FLAGS_OFF];
		pkt->trackable = 1;
		return FW_R_OK;
	case FW_PROTO_UDP:
		if (len < FW_UDP_HLEN)
			return FW_R_L4_TRUNC;
		unsigned ulen = be16(l4 + FW_UDP_LEN_OFF);
		if (ulen < FW_UDP_HLEN || ulen > len)
			return FW_R_UDP_LENGTH;
		pkt->sport = be16(l4 + FW_L4_SPORT_OFF);
		pkt->dport = be16(l4 + FW_L4_DPORT_OFF);
		pkt->trackable = 1;
		return FW_R_OK;
	case FW_PROTO_ICMP:
		if (len < FW_ICMP_HLEN)
			return FW_R_L4_TRUNC;
		pkt->icmp_type = l4[0];
		if (pkt->icmp_type == FW_ICMP_ECHO_REQUEST) {
			pkt->sport = be16(l4 + FW_ICMP_ID_OFF);
			pkt->trackable = 1;
		} else if (pkt->icmp_type == FW_ICMP_ECHO_REPLY) {
			pkt->dport = be16(l4 + FW_ICMP_ID_OFF);
			pkt->trackable = 1;
		}
		return FW_R_OK;
	default: /* other protocols: addresses only */
		return FW_R_OK;
	}
}

/* The IPv4 packet at ip[0, len) (len: the frame after its Ethernet header and tag). */
static enum fw_reason parse_ipv4(const uint8_t *ip, size_t len, struct fw_pkt *pkt)
{
	if (len < FW_IPV4_HLEN_MIN)
		return FW_R_IP_TRUNC;
	if (ip[0] >> 4 != FW_IPV4_VERSION)
		return FW_R_IP_VERSION;
	size_t hlen = (size_t)(ip[0] & 0xf) * 4;
	if (hlen < FW_IPV4_IHL_MIN * 4)
		return FW_R_IP_IHL;
	if (hlen > len)
		return FW_R_IP_TRUNC;
	size_t total = be16(ip + FW_IP_LEN_OFF);
	if (total < hlen || total > len) /* past the frame: the frame may carry padding after it */
		return FW_R_IP_LENGTH;
	if (fw_inet_checksum(ip, hlen) != 0)
		return FW_R_IP_CHECKSUM;
	/* No reassembly: the ports of a fragment are not in it, or can be overwritten by an
	 * overlapping one (RFC 1858), so every fragment is dropped (README). */
	if (be16(ip + FW_IP_FRAG_OFF) & (FW_IPV4_FLAG_MF | FW_IPV4_FRAG_OFFSET))
		return FW_R_FRAGMENT;
	pkt->l3 = FW_L3_IPV4;
	pkt->proto = ip[FW_IP_PROTO_OFF];
	pkt->src = be32(ip + FW_IP_SRC_OFF);
	pkt->dst = be32(ip + FW_IP_DST_OFF);
	return parse_l4(ip + hlen, total - hlen, pkt);
}

enum fw_reason fw_parse(const uint8_t *frame, size_t len, struct fw_pkt *pkt)
{
	*pkt = (struct fw_pkt){ 0 };
	if (len < FW_ETH_HLEN)
		return FW_R_RUNT;
	if (len > FW_FRAME_MAX_VLAN)
		return FW_R_OVERSIZE;
	size_t off = FW_ETH_HLEN;
	unsigned type = be16(frame + FW_ETH_TYPE_OFF);
	if (type == FW_ETHERTYPE_VLAN) {
		if (len < FW_ETH_HLEN + FW_VLAN_HLEN)
			return FW_R_VLAN_TRUNC;
		pkt->tagged = 1;
		pkt->vlan_tci = be16(frame + FW_VLAN_TCI_OFF);
		type = be16(frame + FW_VLAN_TYPE_OFF);
		off += FW_VLAN_HLEN;
	} else if (len > FW_FRAME_MAX) {
		return FW_R_OVERSIZE;
	}
	switch (type) {
	case FW_ETHERTYPE_ARP:
		pkt->l3 = FW_L3_ARP;
		return FW_R_OK;
	case FW_ETHERTYPE_IPV4:
		return parse_ipv4(frame + off, len - off, pkt);
	case FW_ETHERTYPE_IPV6:
		return FW_R_IPV6;
	default: /* 802.3 lengths (LLC, STP), a second tag (QinQ), anything else */
		return FW_R_ETHERTYPE;
	}
}
