/* tools/bench/fwflow.h: the firewall bench's UDP flow, shared by both sides (tests/apps/fwgen, fwsink and Linux's /init): addresses, the 64-byte frame, how a sink tells its frames apart. */
#ifndef TOOLS_BENCH_FWFLOW_H
#define TOOLS_BENCH_FWFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * The generator sits outside the firewall and sends one UDP flow in, to a host inside:
 * 10.1.0.1:5000 -> 10.1.0.2:9000. Our firewall's rule lets its first frame in (`rule`) and
 * tracks it, so every later frame passes by its connection (`state`); Linux's bridge
 * matches each frame against the same rule. The denied flow (port 9001) passes neither.
 *
 * The MACs are the four NICs' (QEMU's mac= of NIC 0 and 3: Linux's generator and sink send
 * and receive as their NICs, ours use vNICs with these MACs behind promiscuous ports).
 * Every frame is 64 bytes as handed to the NIC (the FCS is the NIC's): Ethernet II,
 * IPv4 (RFC 791: 20 bytes, DF, no options), UDP (RFC 768: checksum 0, allowed over IPv4),
 * and a 22-byte payload: magic, kind, sequence number, and for an end marker the number
 * of data frames the generator sent.
 *
 * The window: a generator that shares the CPU with the path outruns it and fills its
 * queues, and the frames they drop cost work that shows in the figure. So the generator
 * keeps at most FWFLOW_WINDOW data frames in flight, and the sink answers every
 * FWFLOW_ACK_EVERY-th data frame with an ack (the flow reversed: out through the
 * firewall, which passes it as the answer of the tracked connection) carrying the last
 * sequence number it saw. A generator without an ack for FWFLOW_ACK_WAIT_NS sends on.
 */
#define FWFLOW_SRC_MAC { 0x52, 0x54, 0x00, 0x0f, 0x00, 0x01 } /* NIC 0: the generator's */
#define FWFLOW_DST_MAC { 0x52, 0x54, 0x00, 0x0f, 0x00, 0x04 } /* NIC 3: the sink's */
#define FWFLOW_SRC_IP 0x0a010001u /* 10.1.0.1 */
#define FWFLOW_DST_IP 0x0a010002u /* 10.1.0.2 */
#define FWFLOW_SRC_PORT 5000
#define FWFLOW_DST_PORT 9000        /* allowed in */
#define FWFLOW_DENIED_PORT 9001     /* not allowed: dropped by the firewall's default */
#define FWFLOW_FRAME 64             /* bytes of every frame */
#define FWFLOW_END_MARKERS 4        /* end markers after the data (one is enough to end) */
#define FWFLOW_MAGIC 0x46574231u    /* "FWB1" */
#define FWFLOW_WINDOW 128           /* data frames in flight at most (fits every queue on the path) */
#define FWFLOW_ACK_EVERY 32         /* the sink acks every this many data frames */
#define FWFLOW_ACK_WAIT_NS 100000000ull /* 100 ms virtual: a generator waits this long for an ack (a
                                        * window takes ~25 ms of Bochs time to cross) */

enum fwflow_kind { FWFLOW_DATA = 1, FWFLOW_END = 2, FWFLOW_ACK = 3 };
enum fwflow_dir { FWFLOW_FORWARD, FWFLOW_BACK }; /* generator -> sink, or the sink's answer */

#define FWFLOW_ETH_HDR 14
#define FWFLOW_ETH_IPV4 0x0800
#define FWFLOW_IP_HDR 20
#define FWFLOW_IP_VER_IHL 0x45  /* version 4, IHL 5 words */
#define FWFLOW_IP_DF 0x4000     /* don't fragment (RFC 791 3.1, flags) */
#define FWFLOW_IP_TTL 64
#define FWFLOW_IP_UDP 17
#define FWFLOW_UDP_HDR 8
#define FWFLOW_PAYLOAD (FWFLOW_ETH_HDR + FWFLOW_IP_HDR + FWFLOW_UDP_HDR) /* offset of the payload */
/* Payload fields (big-endian), from FWFLOW_PAYLOAD: */
#define FWFLOW_OFF_MAGIC 0
#define FWFLOW_OFF_KIND 4
#define FWFLOW_OFF_SEQ 5
#define FWFLOW_OFF_SENT 9
_Static_assert(FWFLOW_PAYLOAD + FWFLOW_OFF_SENT + 4 <= FWFLOW_FRAME, "the payload fits the frame");

static inline void fwflow_wr16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v; }
static inline void fwflow_wr32(uint8_t *p, uint32_t v) { fwflow_wr16(p, v >> 16), fwflow_wr16(p + 2, v); }
static inline uint32_t fwflow_rd16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static inline uint32_t fwflow_rd32(const uint8_t *p) { return fwflow_rd16(p) << 16 | fwflow_rd16(p + 2); }

/* The Internet checksum of n (even) bytes (RFC 1071). */
static inline uint16_t fwflow_checksum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += fwflow_rd16(p + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Writes a FWFLOW_FRAME-byte frame of the flow into f: forward to port (FWFLOW_DST_PORT or
 * FWFLOW_DENIED_PORT), or back from FWFLOW_DST_PORT (acks; port is then ignored); kind,
 * sequence number, and (end markers) frames sent. */
static inline void fwflow_frame(uint8_t f[FWFLOW_FRAME], enum fwflow_dir dir, uint32_t port, enum fwflow_kind kind,
				uint32_t seq, uint32_t sent)
{
	static const uint8_t gen[6] = FWFLOW_SRC_MAC, sink[6] = FWFLOW_DST_MAC;
	bool fwd = dir == FWFLOW_FORWARD;
	memset(f, 0, FWFLOW_FRAME);
	memcpy(f, fwd ? sink : gen, 6);
	memcpy(f + 6, fwd ? gen : sink, 6);
	fwflow_wr16(f + 12, FWFLOW_ETH_IPV4);
	uint8_t *ip = f + FWFLOW_ETH_HDR, *udp = ip + FWFLOW_IP_HDR, *pl = f + FWFLOW_PAYLOAD;
	ip[0] = FWFLOW_IP_VER_IHL;
	fwflow_wr16(ip + 2, FWFLOW_FRAME - FWFLOW_ETH_HDR);
	fwflow_wr16(ip + 6, FWFLOW_IP_DF);
	ip[8] = FWFLOW_IP_TTL;
	ip[9] = FWFLOW_IP_UDP;
	fwflow_wr32(ip + 12, fwd ? FWFLOW_SRC_IP : FWFLOW_DST_IP);
	fwflow_wr32(ip + 16, fwd ? FWFLOW_DST_IP : FWFLOW_SRC_IP);
	fwflow_wr16(ip + 10, fwflow_checksum(ip, FWFLOW_IP_HDR));
	fwflow_wr16(udp, fwd ? FWFLOW_SRC_PORT : FWFLOW_DST_PORT);
	fwflow_wr16(udp + 2, fwd ? port : FWFLOW_SRC_PORT);
	fwflow_wr16(udp + 4, FWFLOW_FRAME - FWFLOW_ETH_HDR - FWFLOW_IP_HDR);
	fwflow_wr32(pl + FWFLOW_OFF_MAGIC, FWFLOW_MAGIC);
	pl[FWFLOW_OFF_KIND] = (uint8_t)kind;
	fwflow_wr32(pl + FWFLOW_OFF_SEQ, seq);
	fwflow_wr32(pl + FWFLOW_OFF_SENT, sent);
}

/* What a sink makes of a frame of n bytes: one of the flow's forward frames (its port,
 * kind, sequence number and count in *port, *kind, *seq, *sent) or not (false). */
static inline bool fwflow_parse(const uint8_t *f, size_t n, uint32_t *port, uint32_t *kind, uint32_t *seq,
				uint32_t *sent)
{
	if (n < FWFLOW_FRAME || fwflow_rd16(f + 12) != FWFLOW_ETH_IPV4)
		return false;
	const uint8_t *ip = f + FWFLOW_ETH_HDR, *udp = ip + FWFLOW_IP_HDR, *pl = f + FWFLOW_PAYLOAD;
	if (ip[0] != FWFLOW_IP_VER_IHL || ip[9] != FWFLOW_IP_UDP || fwflow_rd32(ip + 12) != FWFLOW_SRC_IP ||
	    fwflow_rd32(ip + 16) != FWFLOW_DST_IP || fwflow_rd32(pl + FWFLOW_OFF_MAGIC) != FWFLOW_MAGIC)
		return false;
	*port = fwflow_rd16(udp + 2);
	*kind = pl[FWFLOW_OFF_KIND];
	*seq = fwflow_rd32(pl + FWFLOW_OFF_SEQ);
	*sent = fwflow_rd32(pl + FWFLOW_OFF_SENT);
	return true;
}

/* What a generator makes of a frame of n bytes: an ack of the flow (the sequence number it
 * acknowledges in *seq) or not (false). */
static inline bool fwflow_parse_ack(const uint8_t *f, size_t n, uint32_t *seq)
{
	if (n < FWFLOW_FRAME || fwflow_rd16(f + 12) != FWFLOW_ETH_IPV4)
		return false;
	const uint8_t *ip = f + FWFLOW_ETH_HDR, *udp = ip + FWFLOW_IP_HDR, *pl = f + FWFLOW_PAYLOAD;
	if (ip[0] != FWFLOW_IP_VER_IHL || ip[9] != FWFLOW_IP_UDP || fwflow_rd32(ip + 12) != FWFLOW_DST_IP ||
	    fwflow_rd32(ip + 16) != FWFLOW_SRC_IP || fwflow_rd16(udp) != FWFLOW_DST_PORT ||
	    fwflow_rd16(udp + 2) != FWFLOW_SRC_PORT || fwflow_rd32(pl + FWFLOW_OFF_MAGIC) != FWFLOW_MAGIC ||
	    pl[FWFLOW_OFF_KIND] != FWFLOW_ACK)
		return false;
	*seq = fwflow_rd32(pl + FWFLOW_OFF_SEQ);
	return true;
}

/* The sink's tally, the same on both sides. */
struct fwflow_tally {
	uint32_t received;     /* data frames of the allowed flow */
	uint32_t denied;       /* frames of the denied flow (must stay 0) */
	uint32_t other;        /* anything else that reached the sink */
	uint32_t out_of_order; /* data frames whose sequence number was not above the last one */
	uint32_t sent;         /* from the first end marker: data frames the generator sent */
	bool ended;            /* an end marker came */
	uint32_t last_seq;
	uint64_t first_tsc, last_tsc; /* TSC at the first and the last data frame */
};

/* Counts one frame of n bytes that reached the sink at TSC tsc; true if the sink should
 * answer it with an ack now (every FWFLOW_ACK_EVERY-th data frame). */
static inline bool fwflow_count(struct fwflow_tally *t, const uint8_t *f, size_t n, uint64_t tsc)
{
	uint32_t port, kind, seq, sent;
	if (!fwflow_parse(f, n, &port, &kind, &seq, &sent)) {
		t->other++;
	} else if (port == FWFLOW_DENIED_PORT) {
		t->denied++;
	} else if (port != FWFLOW_DST_PORT) {
		t->other++;
	} else if (kind == FWFLOW_END) {
		if (!t->ended)
			t->sent = sent;
		t->ended = true;
	} else if (kind == FWFLOW_DATA) {
		if (t->received && seq <= t->last_seq)
			t->out_of_order++;
		if (!t->received)
			t->first_tsc = tsc;
		t->last_tsc = tsc;
		t->last_seq = seq;
		t->received++;
		return t->received % FWFLOW_ACK_EVERY == 0;
	} else {
		t->other++;
	}
	return false;
}

/* The generator's side of the window: a data frame with sequence number next may go now
 * if fewer than FWFLOW_WINDOW are in flight past the last one acked (acked: sequence
 * number acked + 1, or 0 before any ack). */
static inline bool fwflow_window_open(uint32_t next, uint32_t acked) { return next - acked < FWFLOW_WINDOW; }

/* Prints "<prefix>fw-forward received=N sent=N ticks=N denied=N other=N out-of-order=N ended=0/1"
 * (parsed by tools/bench/results.py; ticks: TSC from the first data frame to the last). */
static inline void fwflow_report(const char *prefix, const struct fwflow_tally *t)
{
	printf("%sfw-forward received=%u sent=%u ticks=%llu denied=%u other=%u out-of-order=%u ended=%d\n", prefix,
	       t->received, t->sent, (unsigned long long)(t->last_tsc - t->first_tsc), t->denied, t->other,
	       t->out_of_order, t->ended);
	fflush(stdout);
}

#endif
