/* apps/firewall/report.c: formats the counter lines and the one-line description of a frame (into caller buffers, never past them). */
#include <stdarg.h>
#include <stdio.h>
#include "report.h"

#define FW_VLAN_ID_MASK 0x0fff /* IEEE 802.1Q 9.6: the VID is the TCI's low 12 bits */

/* A buffer being filled: at counts what the whole text needs, even past size. */
struct out {
	char *buf;
	size_t size, at;
};

/* Appends printf-style text, cut at the buffer's end (always terminated), counting its full length. */
__attribute__((format(printf, 2, 3)))
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->at < o->size ? o->buf + o->at : NULL, o->at < o->size ? o->size - o->at : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->at += (size_t)n;
}

/* An empty text in buf[0, size). */
static struct out out_begin(char *buf, size_t size)
{
	if (size)
		buf[0] = 0;
	return (struct out){ buf, size, 0 };
}

/* " (name n name n)" for the reasons of one kind that have a count; nothing when none does. */
static void put_reasons(struct out *o, const struct fw_dir_stats *s, int pass)
{
	int listed = 0;

	for (int r = FW_R_OK + 1; r < FW_R_COUNT; r++) {
		if (fw_reason_passes((enum fw_reason)r) != pass || !s->reason[r])
			continue;
		put(o, "%s%s %llu", listed++ ? " " : " (", fw_reason_name((enum fw_reason)r),
		    (unsigned long long)s->reason[r]);
	}
	if (listed)
		put(o, ")");
}

int fw_report_dir(char *buf, size_t size, const char *label, const struct fw_dir_stats *s)
{
	struct out o = out_begin(buf, size);

	put(&o, "%s: passed %llu", label, (unsigned long long)fw_stats_total(s, 1));
	put_reasons(&o, s, 1);
	put(&o, " dropped %llu", (unsigned long long)fw_stats_total(s, 0));
	put_reasons(&o, s, 0);
	put(&o, " rx-errors %llu tx-errors %llu", (unsigned long long)s->rx_errors, (unsigned long long)s->tx_errors);
	return (int)o.at;
}

int fw_report_conns(char *buf, size_t size, const struct fw_ct *ct)
{
	struct out o = out_begin(buf, size);
	const struct fw_ct_stats *s = &ct->stats;

	put(&o, "conns: open %u of %llu created %llu closed %llu expired %llu evicted %llu refused %llu", ct->live,
	    (unsigned long long)ct->nbuckets * FW_CT_WAYS, (unsigned long long)s->created,
	    (unsigned long long)s->closed, (unsigned long long)s->expired, (unsigned long long)s->evicted,
	    (unsigned long long)s->refused);
	return (int)o.at;
}

/* Appends a dotted-quad IPv4 address. */
static void put_addr(struct out *o, uint32_t a)
{
	put(o, "%u.%u.%u.%u", a >> 24, a >> 16 & 0xff, a >> 8 & 0xff, a & 0xff);
}

int fw_report_frame(char *buf, size_t size, const uint8_t *frame, size_t len)
{
	struct out o = out_begin(buf, size);
	struct fw_pkt p;
	enum fw_reason r = fw_parse(frame, len, &p);

	if (r != FW_R_OK) {
		put(&o, "%s: %s", r == FW_R_IPV6 || r == FW_R_ETHERTYPE ? "not ipv4" : "malformed", fw_reason_name(r));
	} else if (p.l3 == FW_L3_ARP) {
		put(&o, "arp");
	} else {
		if (p.proto == FW_PROTO_TCP)
			put(&o, "tcp ");
		else if (p.proto == FW_PROTO_UDP)
			put(&o, "udp ");
		else if (p.proto == FW_PROTO_ICMP)
			put(&o, "icmp ");
		else
			put(&o, "proto %u ", p.proto);
		put_addr(&o, p.src);
		if (p.proto == FW_PROTO_TCP || p.proto == FW_PROTO_UDP)
			put(&o, ":%u", p.sport);
		put(&o, " > ");
		put_addr(&o, p.dst);
		if (p.proto == FW_PROTO_TCP || p.proto == FW_PROTO_UDP)
			put(&o, ":%u", p.dport);
		if (p.proto == FW_PROTO_TCP)
			put(&o, " flags 0x%02x", p.tcp_flags);
		if (p.proto == FW_PROTO_ICMP)
			put(&o, " type %u", p.icmp_type);
	}
	if (p.tagged)
		put(&o, " vlan %u", p.vlan_tci & FW_VLAN_ID_MASK);
	put(&o, " (%zu bytes)", len);
	return (int)o.at;
}
