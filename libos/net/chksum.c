/* libos/net/chksum.c: lwIP's LWIP_CHKSUM, the Internet checksum's sum over a buffer, eight bytes at a time (pure: unit-tested on the host). */
#include <stdint.h>
#include <string.h>
#include "include/uv_chksum.h"

#define WORD_BYTES 8
#define UNROLL 4 /* words per turn of the main loop */

/* Folds a 64-bit one's complement sum to 16 bits (RFC 1071 2.(C): add the carries back in). */
static uint16_t fold(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffu) + (s >> 16);
	s = (s & 0xffffu) + (s >> 16);
	return (uint16_t)s;
}

/* s + w in one's complement arithmetic: the carry out of bit 63 comes back in at bit 0. */
static inline uint64_t add1c(uint64_t s, uint64_t w)
{
	uint64_t r;
	return __builtin_add_overflow(s, w, &r) ? r + 1 : r;
}

/* The little-endian 64-bit word at p (any alignment). */
static inline uint64_t load64(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
	return w;
}

uint16_t uv_inet_chksum(const void *data, int len)
{
	const uint8_t *p = data;
	size_t n = len > 0 ? (size_t)len : 0;
	uint64_t s = 0;
	/*
	 * RFC 1071 2.(A), (B): the sum of 16-bit words is the same whatever the word width and
	 * byte order it is computed in, once folded; loaded little-endian, it comes out
	 * byte-swapped, which is the order lwIP keeps its sums in (memory order). Loads are
	 * unaligned (memcpy): offsets count from data, whatever its address.
	 */
	for (; n >= UNROLL * WORD_BYTES; n -= UNROLL * WORD_BYTES, p += UNROLL * WORD_BYTES) {
		s = add1c(s, load64(p));
		s = add1c(s, load64(p + 8));
		s = add1c(s, load64(p + 16));
		s = add1c(s, load64(p + 24));
	}
	for (; n >= WORD_BYTES; n -= WORD_BYTES, p += WORD_BYTES)
		s = add1c(s, load64(p));
	/* 0..7 bytes left, zero-padded: an odd last byte is the high half of its 16-bit word (RFC 1071 2.(A));
	 * four, two and one at a time, each at its place in the little-endian word */
	uint64_t tail = 0;
	unsigned shift = 0;
	if (n & 4) {
		uint32_t w;
		memcpy(&w, p, sizeof(w));
		tail = w;
		p += 4;
		shift = 32;
	}
	if (n & 2) {
		uint16_t w;
		memcpy(&w, p, sizeof(w));
		tail |= (uint64_t)w << shift;
		p += 2;
		shift += 16;
	}
	if (n & 1)
		tail |= (uint64_t)*p << shift;
	return fold(add1c(s, tail));
}
