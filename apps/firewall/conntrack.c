/* apps/firewall/conntrack.c: the connection table: SipHash-keyed buckets of FW_CT_WAYS entries, lazy aging, rough TCP tracking. */
#include <string.h>
#include "../../include/abi/uv_errno.h"
#include "conntrack.h"

/* SipHash-1-3 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012). */
#define SIP_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIP_ROUND(v0, v1, v2, v3)                                                          \
	do {                                                                               \
		v0 += v1; v1 = SIP_ROTL(v1, 13); v1 ^= v0; v0 = SIP_ROTL(v0, 32);          \
		v2 += v3; v3 = SIP_ROTL(v3, 16); v3 ^= v2;                                 \
		v0 += v3; v3 = SIP_ROTL(v3, 21); v3 ^= v0;                                 \
		v2 += v1; v1 = SIP_ROTL(v1, 17); v1 ^= v2; v2 = SIP_ROTL(v2, 32);          \
	} while (0)
#define SIP_FINAL_ROUNDS 3
#define SIP_MSG_BYTES 16

/* SipHash-1-3 of the 16-byte message m0 || m1 (little-endian words) under key k. */
static uint64_t siphash13(const uint64_t k[2], uint64_t m0, uint64_t m1)
{
	uint64_t v0 = k[0] ^ 0x736f6d6570736575ull, v1 = k[1] ^ 0x646f72616e646f6dull;
	uint64_t v2 = k[0] ^ 0x6c7967656e657261ull, v3 = k[1] ^ 0x7465646279746573ull;
	const uint64_t m[3] = { m0, m1, (uint64_t)SIP_MSG_BYTES << 56 };

	for (int i = 0; i < 3; i++) {
		v3 ^= m[i];
		SIP_ROUND(v0, v1, v2, v3);
		v0 ^= m[i];
	}
	v2 ^= 0xff;
	for (int i = 0; i < SIP_FINAL_ROUNDS; i++)
		SIP_ROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

int fw_ct_init(struct fw_ct *ct, struct fw_conn *slots, uint32_t nbuckets, const uint64_t key[2])
{
	memset(ct, 0, sizeof(*ct));
	if (!slots || nbuckets == 0 || (nbuckets & (nbuckets - 1)))
		return -UV_EINVAL;
	memset(slots, 0, (size_t)nbuckets * FW_CT_WAYS * sizeof(*slots));
	ct->slots = slots;
	ct->nbuckets = nbuckets;
	ct->key[0] = key[0];
	ct->key[1] = key[1];
	return 0;
}

struct fw_tuple fw_tuple_of(const struct fw_pkt *p)
{
	return (struct fw_tuple){ p->src, p->dst, p->sport, p->dport, p->proto };
}

/* The tuple of an answer to t: addresses and ports swapped. */
static struct fw_tuple tuple_reversed(struct fw_tuple t)
{
	return (struct fw_tuple){ t.dst, t.src, t.dport, t.sport, t.proto };
}

/* Whether a and b are the same tuple, field by field (no padding compared). */
static int tuple_eq(const struct fw_tuple *a, const struct fw_tuple *b)
{
	return a->src == b->src && a->dst == b->dst && a->sport == b->sport && a->dport == b->dport &&
	       a->proto == b->proto;
}

/* The bucket of a tuple: the same for it and for its reverse (endpoints in order). */
static struct fw_conn *bucket_of(const struct fw_ct *ct, const struct fw_tuple *t)
{
	uint64_t a = (uint64_t)t->src << 16 | t->sport, b = (uint64_t)t->dst << 16 | t->dport;
	uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
	uint64_t h = siphash13(ct->key, lo | (uint64_t)t->proto << 48, hi);

	return ct->slots + (size_t)(h & (ct->nbuckets - 1)) * FW_CT_WAYS;
}

/* How long entry c lives from its last packet. */
static uint64_t timeout_of(const struct fw_conn *c)
{
	switch (c->orig.proto) {
	case FW_PROTO_TCP:
		if (c->state == FW_CT_OPENING)
			return FW_CT_TCP_OPENING_NS;
		if (c->state == FW_CT_CLOSING)
			return FW_CT_TCP_CLOSING_NS;
		return c->fin ? FW_CT_TCP_HALF_NS : FW_CT_TCP_OPEN_NS;
	case FW_PROTO_UDP:
		return c->replied ? FW_CT_UDP_REPLIED_NS : FW_CT_UDP_NS;
	default:
		return FW_CT_ICMP_NS;
	}
}

/* Restarts c's timeout from now (saturating: never wraps to the past). */
static void refresh(struct fw_conn *c, uint64_t now)
{
	uint64_t t = timeout_of(c);

	c->expires = now > UINT64_MAX - t ? UINT64_MAX : now + t;
}

/* Empties slot c, counting why in *count. */
static void release(struct fw_ct *ct, struct fw_conn *c, uint64_t *count)
{
	memset(c, 0, sizeof(*c));
	ct->live--;
	(*count)++;
}

/* Frees c if it is dead at now (a closing TCP entry that ran out counts as closed). Returns 1 if c is free. */
static int reclaim(struct fw_ct *ct, struct fw_conn *c, uint64_t now)
{
	if (c->state == FW_CT_FREE)
		return 1;
	if (c->expires > now)
		return 0;
	release(ct, c, c->state == FW_CT_CLOSING ? &ct->stats.closed : &ct->stats.expired);
	return 1;
}

/* Moves a TCP entry on for a packet of it (match m): rough, flags only, no sequence numbers. */
static void tcp_update(struct fw_ct *ct, struct fw_conn *c, enum fw_ct_match m, uint8_t flags)
{
	if (flags & FW_TCP_RST) {
		release(ct, c, &ct->stats.closed);
		return;
	}
	if (m == FW_CT_ORIG && c->state == FW_CT_CLOSING && (flags & (FW_TCP_SYN | FW_TCP_ACK)) == FW_TCP_SYN) {
		c->state = FW_CT_OPENING; /* the same ports reused for a new connection */
		c->fin = 0;
		c->replied = 0;
		return;
	}
	if (m == FW_CT_REPLY && c->state == FW_CT_OPENING)
		c->state = FW_CT_OPEN;
	if (flags & FW_TCP_FIN)
		c->fin |= m == FW_CT_ORIG ? FW_CT_FIN_ORIG : FW_CT_FIN_REPLY;
	if (c->fin == (FW_CT_FIN_ORIG | FW_CT_FIN_REPLY))
		c->state = FW_CT_CLOSING;
}

enum fw_ct_match fw_ct_track(struct fw_ct *ct, enum fw_dir dir, const struct fw_pkt *p, uint64_t now)
{
	if (!ct->slots || !p->trackable)
		return FW_CT_NONE;
	struct fw_tuple t = fw_tuple_of(p), r = tuple_reversed(t);
	struct fw_conn *b = bucket_of(ct, &t);

	for (int i = 0; i < FW_CT_WAYS; i++) {
		struct fw_conn *c = &b[i];
		enum fw_ct_match m;
		if (reclaim(ct, c, now))
			continue;
		if (c->orig_dir == dir && tuple_eq(&c->orig, &t))
			m = FW_CT_ORIG;
		else if (c->orig_dir != dir && tuple_eq(&c->orig, &r))
			m = FW_CT_REPLY;
		else
			continue;
		if (m == FW_CT_REPLY)
			c->replied = 1;
		if (t.proto == FW_PROTO_TCP) {
			tcp_update(ct, c, m, p->tcp_flags);
			if (c->state == FW_CT_FREE)
				return m; /* RST: the entry is gone, the RST belongs to it */
		}
		refresh(c, now);
		return m;
	}
	return FW_CT_NONE;
}

/* The slot for a new entry in bucket b: a free or dead one, else the unanswered (or
 * closing) one nearest its end, evicted; NULL when every entry is an answered one. */
static struct fw_conn *make_room(struct fw_ct *ct, struct fw_conn *b, uint64_t now)
{
	struct fw_conn *victim = NULL;

	for (int i = 0; i < FW_CT_WAYS; i++)
		if (reclaim(ct, &b[i], now))
			return &b[i];
	for (int i = 0; i < FW_CT_WAYS; i++) {
		struct fw_conn *c = &b[i];
		if ((!c->replied || c->state == FW_CT_CLOSING) && (!victim || c->expires < victim->expires))
			victim = c;
	}
	if (victim)
		release(ct, victim, &ct->stats.evicted);
	return victim;
}

int fw_ct_create(struct fw_ct *ct, enum fw_dir dir, const struct fw_pkt *p, uint64_t now)
{
	if (!ct->slots || !p->trackable)
		return 1;
	if (p->proto == FW_PROTO_TCP && (p->tcp_flags & FW_TCP_RST))
		return 1;
	if (p->proto == FW_PROTO_ICMP && p->icmp_type != FW_ICMP_ECHO_REQUEST)
		return 1;
	struct fw_tuple t = fw_tuple_of(p);
	struct fw_conn *c = make_room(ct, bucket_of(ct, &t), now);
	if (!c) {
		ct->stats.refused++;
		return -UV_ENOMEM;
	}
	c->orig = t;
	c->orig_dir = (uint8_t)dir;
	c->replied = 0;
	c->fin = 0;
	c->state = FW_CT_OPEN;
	if (t.proto == FW_PROTO_TCP) {
		if ((p->tcp_flags & (FW_TCP_SYN | FW_TCP_ACK)) == FW_TCP_SYN)
			c->state = FW_CT_OPENING;
		else if (p->tcp_flags & FW_TCP_FIN) /* picked up mid-stream, already closing */
			c->fin = FW_CT_FIN_ORIG;
	}
	refresh(c, now);
	ct->live++;
	ct->stats.created++;
	return 0;
}

void fw_ct_sweep(struct fw_ct *ct, uint64_t now)
{
	size_t n = (size_t)ct->nbuckets * FW_CT_WAYS;

	for (size_t i = 0; i < n; i++)
		reclaim(ct, &ct->slots[i], now);
}
