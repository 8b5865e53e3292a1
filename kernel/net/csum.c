/* kernel/net/csum.c: frames' checksum marks: a sender's mark checked before the frame is taken, and the Internet checksum completed where a frame leaves for a NIC or a reader without marks. */
#include "kernel/net/csum.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"
#include "include/abi/uv_hypercall.h"

#define CSUM_FIELD_BYTES 2 /* the checksum field: 16 bits */
#define WORD16_MASK 0xffffu
#define WORD16_BITS 16

int net_csum_decode(uint64_t v, struct netbuf *b, unsigned *len)
{
	uint64_t n = v & UV_NET_LEN_MASK;
	if (!(v & UV_NET_CSUM_PARTIAL)) {
		if (v < UV_NET_FRAME_MIN || v > UV_NET_FRAME_MAX_VLAN)
			return -UV_EMSGSIZE; /* also any high bit, as before ABI 1.4 */
		*len = (unsigned)v;
		b->csum_start = 0;
		b->csum_off = 0;
		return 0;
	}
	if (n < UV_NET_FRAME_MIN || n > UV_NET_FRAME_MAX_VLAN)
		return -UV_EMSGSIZE;
	uint64_t start = UV_NET_CSUM_START(v), off = UV_NET_CSUM_OFF(v);
	/* Every byte the completion reads or writes lies in the frame (no wrap: each is < 2^16). */
	if ((v & UV_NET_CSUM_RESERVED) || start < UV_NET_CSUM_START_MIN || start + off + CSUM_FIELD_BYTES > n)
		return -UV_EINVAL;
	*len = (unsigned)n;
	b->csum_start = (uint16_t)start;
	b->csum_off = (uint16_t)off;
	return 0;
}

uint64_t net_csum_encode(const struct netbuf *b)
{
	if (!b->csum_start)
		return b->len;
	return b->len | UV_NET_CSUM_MARK(b->csum_start, b->csum_off);
}

/*
 * RFC 1071 2(B): the one's complement sum does not depend on byte order, so the bytes are
 * added as little-endian 32-bit words (2^32 of them could not overflow 64 bits; a frame has
 * under 400) and the folded result, stored as it is, lands in network order. A lone last
 * byte is the high half of a big-endian word padded with zero: the low byte here.
 */
uint16_t net_csum_fold(const uint8_t *p, unsigned n)
{
	uint64_t s = 0;
	for (; n >= sizeof(uint32_t); p += sizeof(uint32_t), n -= sizeof(uint32_t)) {
		uint32_t w;
		memcpy(&w, p, sizeof(w));
		s += w;
	}
	if (n >= sizeof(uint16_t)) {
		uint16_t w;
		memcpy(&w, p, sizeof(w));
		s += w;
		p += sizeof(w);
		n -= (unsigned)sizeof(w);
	}
	if (n)
		s += *p;
	/* Four folds bring any 64-bit sum to 16 bits (end-around carry, RFC 1071 2(A)). */
	for (unsigned i = 0; i < 4; i++)
		s = (s & WORD16_MASK) + (s >> WORD16_BITS);
	uint16_t c = (uint16_t)~s;
	return c ? c : WORD16_MASK; /* RFC 768: 0 means "none" to UDP; 0xffff is the same sum */
}

void net_csum_complete(struct netbuf *b)
{
	unsigned start = b->csum_start, at = start + b->csum_off;
	if (!start)
		return;
	b->csum_start = 0;
	b->csum_off = 0;
	if (at + CSUM_FIELD_BYTES > b->len || start >= b->len)
		return; /* cannot happen for a decoded mark: the frame is left as it is */
	uint16_t c = net_csum_fold(b->data + start, b->len - start);
	memcpy(b->data + at, &c, sizeof(c));
}
