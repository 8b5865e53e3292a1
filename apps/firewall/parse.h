/* apps/firewall/parse.h: what the firewall reads of a raw frame (Ethernet, 802.1Q, IPv4, TCP/UDP/ICMP) and why it refuses one. */
#ifndef APPS_FIREWALL_PARSE_H
#define APPS_FIREWALL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Frame sizes without the FCS (IEEE 802.3 clause 3.2; 802.1Q clause 9.3 adds 4 bytes). */
#define FW_ETH_HLEN 14          /* destination MAC, source MAC, length/type */
#define FW_VLAN_HLEN 4          /* TPID + TCI of one 802.1Q tag */
#define FW_FRAME_MIN 60         /* minFrameSize (64) less the FCS: what the firewall sends */
#define FW_FRAME_MAX 1514       /* maxUntaggedFrameSize (1518) less the FCS */
#define FW_FRAME_MAX_VLAN 1518  /* with one 802.1Q tag */

/* Length/type values (IEEE 802.3 clause 3.2.6: below 0x0600 the field is a length). */
#define FW_ETHERTYPE_MIN 0x0600
#define FW_ETHERTYPE_IPV4 0x0800 /* RFC 894 */
#define FW_ETHERTYPE_ARP 0x0806  /* RFC 826 */
#define FW_ETHERTYPE_VLAN 0x8100 /* IEEE 802.1Q C-VLAN TPID */
#define FW_ETHERTYPE_IPV6 0x86DD /* RFC 2464 */

/* IPv4 protocol numbers (IANA, RFC 790). */
#define FW_PROTO_ICMP 1
#define FW_PROTO_TCP 6
#define FW_PROTO_UDP 17

/* TCP flags (RFC 9293 section 3.1, the low byte of the flags field). */
#define FW_TCP_FIN 0x01
#define FW_TCP_SYN 0x02
#define FW_TCP_RST 0x04
#define FW_TCP_ACK 0x10

/* ICMP echo (RFC 792 "Echo or Echo Reply Message"). */
#define FW_ICMP_ECHO_REPLY 0
#define FW_ICMP_ECHO_REQUEST 8

/*
 * Why a frame passed or was dropped: the firewall's one list of verdicts, counted per
 * direction. FW_R_OK (0) is "parsed, no verdict yet" and never counted. The order of
 * FW_REASONS is the order of the report; pass reasons come first.
 */
#define FW_REASONS(X)                                                                   \
	X(OK, "ok")                   /* parse: well formed, go on */                   \
	X(PASS_ARP, "arp")            /* ARP always passes */                           \
	X(PASS_STATE, "state")        /* part of a tracked connection */                \
	X(PASS_RULE, "rule")          /* an allow rule matched */                       \
	X(PASS_DEFAULT, "default")    /* outbound, no rule matched */                   \
	X(RUNT, "runt")               /* shorter than an Ethernet header */             \
	X(OVERSIZE, "oversize")       /* longer than the largest frame */               \
	X(VLAN_TRUNC, "vlan-trunc")   /* an 802.1Q tag cut off */                       \
	X(IP_TRUNC, "ip-trunc")       /* the IPv4 header (with options) cut off */      \
	X(IP_VERSION, "ip-version")   /* ethertype IPv4, version not 4 */               \
	X(IP_IHL, "ip-ihl")           /* IHL below 5 */                                 \
	X(IP_LENGTH, "ip-length")     /* total length below IHL*4 or past the frame */  \
	X(IP_CHECKSUM, "ip-checksum") /* header checksum wrong */                       \
	X(FRAGMENT, "fragment")       /* any IPv4 fragment (never reassembled) */       \
	X(L4_TRUNC, "l4-trunc")       /* the TCP/UDP/ICMP header cut off */             \
	X(TCP_OFFSET, "tcp-offset")   /* TCP data offset below 5 or past the packet */  \
	X(UDP_LENGTH, "udp-length")   /* UDP length below 8 or past the packet */       \
	X(IPV6, "ipv6")               /* IPv6 is not filtered, so never forwarded */    \
	X(ETHERTYPE, "ethertype")     /* any other ethertype, 802.3 lengths, QinQ */    \
	X(DENY_RULE, "rule")          /* a deny rule matched */                         \
	X(DENY_DEFAULT, "default")    /* inbound, no connection and no rule */          \
	X(TABLE_FULL, "table-full")   /* a new connection the table cannot hold */

#define FW_REASON_ENUM_(NAME, text) FW_R_##NAME,
enum fw_reason {
	FW_REASONS(FW_REASON_ENUM_)
	FW_R_COUNT
};
#undef FW_REASON_ENUM_
#define FW_R_FIRST_DROP FW_R_RUNT /* reasons from here on drop the frame */

/* The short name of a reason ("ip-length"); "?" for a value out of range. */
const char *fw_reason_name(enum fw_reason r);

/* True for the reasons that forward the frame (FW_R_PASS_*). */
static inline int fw_reason_passes(enum fw_reason r)
{
	return r > FW_R_OK && r < FW_R_FIRST_DROP;
}

enum fw_l3 { FW_L3_ARP, FW_L3_IPV4 };

/*
 * A parsed frame: what the rules and the connection table look at. Addresses and ports
 * are in host order. For ICMP echo the identifier stands in for a port: a request has
 * sport = id, dport = 0, a reply sport = 0, dport = id, so that the reversed tuple of a
 * request is exactly its reply's tuple. Other ICMP and other protocols have ports 0.
 */
struct fw_pkt {
	enum fw_l3 l3;
	uint16_t vlan_tci;  /* the 802.1Q tag's TCI when tagged */
	uint8_t tagged;     /* 1 when one 802.1Q tag was present */
	uint8_t proto;      /* IPv4 protocol number */
	uint32_t src, dst;  /* IPv4 addresses */
	uint16_t sport, dport;
	uint8_t tcp_flags;  /* TCP only */
	uint8_t icmp_type;  /* ICMP only */
	uint8_t trackable;  /* TCP, UDP or ICMP echo: the connection table may know it */
};

/*
 * Parses frame[0, len) (no FCS) into *pkt. Reads nothing outside the frame, and within
 * IPv4 nothing past its total length. Returns FW_R_OK for well-formed ARP and IPv4, or
 * the reason to drop it (malformed, fragment, IPv6, other ethertype); *pkt is then only
 * partly filled. Frames shorter than FW_FRAME_MIN are parsed like any other (a sender's
 * padding is optional on some links); the caller pads what it forwards.
 */
enum fw_reason fw_parse(const uint8_t *frame, size_t len, struct fw_pkt *pkt);

/* The Internet checksum (RFC 1071) of data[0, len): 0 when a header with its checksum is intact. */
uint16_t fw_inet_checksum(const uint8_t *data, size_t len);

#endif
