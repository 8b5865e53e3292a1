/* tests/unit/test_chksum.c: libos's Internet checksum (libos/net/chksum.c) against RFC 1071's plain 16-bit big-endian sum. */
#include <string.h>
#include "tests/unit/unit.h"
#include "libos/net/include/uv_chksum.h"

/* RFC 1071 4.1, word by word in network order; the result byte-swapped into memory order. */
static uint16_t ref_chksum(const uint8_t *p, int len)
{
	uint32_t s = 0;
	for (; len > 1; len -= 2, p += 2)
		s += (uint32_t)(p[0] << 8 | p[1]);
	if (len > 0)
		s += (uint32_t)p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)(s >> 8 | (s & 0xff) << 8);
}

TEST(chksum_matches_rfc1071_at_every_length_and_offset)
{
	static uint8_t buf[2100];
	uint32_t x = 1;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	int bad = 0;
	for (int off = 0; off < 9; off++)
		for (int len = 0; len <= 2048; len++)
			bad += uv_inet_chksum(buf + off, len) != ref_chksum(buf + off, len);
	CHECK_EQ(bad, 0);
	CHECK_EQ(uv_inet_chksum(buf, 0), 0);
	CHECK_EQ(uv_inet_chksum(buf, -5), 0);
}

TEST(chksum_carries_wrap_around)
{
	static uint8_t ff[70000];
	memset(ff, 0xff, sizeof(ff));
	int bad = 0;
	for (int len = 60000; len < 60040; len++)
		bad += uv_inet_chksum(ff + 1, len) != ref_chksum(ff + 1, len);
	CHECK_EQ(bad, 0);
	uint8_t one[2] = { 0x12, 0x34 };
	CHECK_EQ(uv_inet_chksum(one, 2), 0x3412); /* memory order */
	CHECK_EQ(uv_inet_chksum(one, 1), 0x0012);
}
