/* kernel/net/csum.c: the Internet checksum a frame's mark stands for, completed where the frame leaves for a NIC or a reader without marks (the marks themselves are decoded inline, csum.h). */
#include "kernel/net/csum.h"
#include "kernel/lib/kstring.h"

#define WORD16_MASK 0xffffu
#define WORD16_BITS 16
#define WORD32_MASK 0xffffffffull
#define WORD32_BITS 32

/* s + w in one's complement arithmetic: the carry out of bit 63 comes back in at bit 0. */
static inline uint64_t add1c(uint64_t s, uint64_t w)
{
	uint64_t r;
	return __builtin_add_overflow(s, w, &r) ? r + 1 : r;
}

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
	return w;
}

/*
 * RFC 1071 2(A), 2(B): the one's complement sum does not depend on byte order or word
 * width, so the bytes are added as little-endian 64-bit words with end-around carry (four
 * a turn: a full frame's TCP segment every time one leaves for a NIC) and the folded
 * result, stored as it is, lands in network order. A lone last byte is the high half of a
 * big-endian word padded with zero: the low byte here.
 */
uint16_t net_csum_fold(const uint8_t *p, unsigned n)
{
	uint64_t s = 0;
	for (; n >= 4 * sizeof(uint64_t); p += 4 * sizeof(uint64_t), n -= 4 * (unsigned)sizeof(uint64_t)) {
		s = add1c(s, load64(p));
		s = add1c(s, load64(p + 8));
		s = add1c(s, load64(p + 16));
		s = add1c(s, load64(p + 24));
	}
	for (; n >= sizeof(uint64_t); p += sizeof(uint64_t), n -= (unsigned)sizeof(uint64_t))
		s = add1c(s, load64(p));
	uint64_t tail = 0;
	for (unsigned i = 0; i < n; i++) /* 0..7 bytes, at their places in a little-endian word */
		tail |= (uint64_t)p[i] << (8 * i);
	s = add1c(s, tail);
	/* Fold 64 -> 16 bits, adding each carry back in (RFC 1071 2(C)): two 32-bit steps leave at
	 * most 2^32, two 16-bit steps then at most 0xffff. */
	s = (s & WORD32_MASK) + (s >> WORD32_BITS);
	s = (s & WORD32_MASK) + (s >> WORD32_BITS);
	s = (s & WORD16_MASK) + (s >> WORD16_BITS);
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
	if (at + NET_CSUM_FIELD_BYTES > b->len || start >= b->len)
		return; /* cannot happen for a decoded mark: the frame is left as it is */
	uint16_t c = net_csum_fold(b->data + start, b->len - start);
	memcpy(b->data + at, &c, sizeof(c));
}
