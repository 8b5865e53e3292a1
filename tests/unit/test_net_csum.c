/* tests/unit/test_net_csum.c: checksum marks (ABI 1.4): the kernel's decoding of a sender's mark (kernel/net/csum.c), libos's marking of TCP frames (libos/net/csum_mark.c), and both completions against RFC 1071's plain sum. */
#include <string.h>
#include "tests/unit/unit.h"
#include "kernel/net/csum.h"
#include "libos/net/include/uv_chksum.h"
#include "include/abi/uv_errno.h"
#include "include/abi/uv_hypercall.h"

/* RFC 1071 4.1: the 16-bit big-endian one's complement sum of n bytes, added to s (no complement). */
static uint32_t ref_sum(const uint8_t *p, size_t n, uint32_t s)
{
	for (; n > 1; n -= 2, p += 2)
		s += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		s += (uint32_t)p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

static uint8_t frame[1600];
static uint8_t seed_state = 1;

/* An Ethernet + IPv4 (or IPv6) + TCP frame with `data` bytes of payload; its length. */
static size_t tcp_frame(int v6, size_t data)
{
	memset(frame, 0, sizeof(frame));
	size_t ip = 14, l4 = ip + (v6 ? 40 : 20), seg = 20 + data, len = l4 + seg;
	frame[12] = v6 ? 0x86 : 0x08, frame[13] = v6 ? 0xdd : 0x00;
	if (v6) {
		frame[ip] = 0x60;
		frame[ip + 4] = (uint8_t)(seg >> 8), frame[ip + 5] = (uint8_t)seg;
		frame[ip + 6] = 6, frame[ip + 7] = 64;
		for (int i = 0; i < 32; i++)
			frame[ip + 8 + i] = (uint8_t)(0xfe + i * 7);
	} else {
		size_t tot = 20 + seg;
		frame[ip] = 0x45;
		frame[ip + 2] = (uint8_t)(tot >> 8), frame[ip + 3] = (uint8_t)tot;
		frame[ip + 6] = 0x40; /* DF: not a fragment */
		frame[ip + 8] = 64, frame[ip + 9] = 6;
		memcpy(frame + ip + 12, "\x0a\x09\x00\x01\x0a\x09\x00\x02", 8);
	}
	for (size_t i = l4; i < len; i++)
		if (i < l4 + 16 || i >= l4 + 18) /* all but the checksum field */
			frame[i] = (uint8_t)(seed_state = (uint8_t)(seed_state * 73 + 41));
	frame[l4 + 12] = 0x50; /* data offset 5 */
	return len;
}

/* Whether the frame's TCP checksum checks out (RFC 9293 3.1: pseudo-header and segment sum to 0xffff). */
static int tcp_ok(int v6, size_t len)
{
	size_t ip = 14, l4 = ip + (v6 ? 40 : 20), seg = len - l4;
	uint32_t s = ref_sum(frame + ip + (v6 ? 8 : 12), v6 ? 32 : 8, 0);
	uint8_t rest[4] = { 0, 6, (uint8_t)(seg >> 8), (uint8_t)seg };
	s = ref_sum(rest, sizeof(rest), s);
	return ref_sum(frame + l4, seg, s) == 0xffff;
}

TEST(decode_takes_plain_lengths_as_before)
{
	struct netbuf b = { .csum_start = 9, .csum_off = 9 };
	unsigned len = 0;
	CHECK_EQ(net_csum_decode(60, &b, &len), 0);
	CHECK_EQ(len, 60);
	CHECK_EQ(b.csum_start, 0);
	CHECK_EQ(net_csum_decode(1518, &b, &len), 0);
	CHECK_EQ(net_csum_decode(59, &b, &len), -UV_EMSGSIZE);
	CHECK_EQ(net_csum_decode(1519, &b, &len), -UV_EMSGSIZE);
	CHECK_EQ(net_csum_decode(1ull << 40, &b, &len), -UV_EMSGSIZE);
	CHECK_EQ(net_csum_decode(UINT64_MAX & ~UV_NET_CSUM_PARTIAL, &b, &len), -UV_EMSGSIZE);
}

TEST(decode_refuses_marks_outside_the_frame_and_changes_nothing)
{
	struct netbuf b = { .csum_start = 0 };
	unsigned len = 7;
	CHECK_EQ(net_csum_decode(100 | UV_NET_CSUM_MARK(13, 16), &b, &len), -UV_EINVAL); /* in the Ethernet header */
	CHECK_EQ(net_csum_decode(100 | UV_NET_CSUM_MARK(0, 16), &b, &len), -UV_EINVAL);
	CHECK_EQ(net_csum_decode(100 | UV_NET_CSUM_MARK(82, 17), &b, &len), -UV_EINVAL); /* the field's 2nd byte at 100 */
	CHECK_EQ(net_csum_decode(100 | UV_NET_CSUM_MARK(100, 0), &b, &len), -UV_EINVAL);
	CHECK_EQ(net_csum_decode(100 | UV_NET_CSUM_MARK(0xffff, 0xffff), &b, &len), -UV_EINVAL);
	CHECK_EQ(net_csum_decode(100 | UV_NET_CSUM_MARK(34, 16) | 1ull << 20, &b, &len), -UV_EINVAL); /* reserved */
	CHECK_EQ(net_csum_decode(59 | UV_NET_CSUM_MARK(14, 16), &b, &len), -UV_EMSGSIZE);
	CHECK_EQ(net_csum_decode(1519 | UV_NET_CSUM_MARK(14, 16), &b, &len), -UV_EMSGSIZE);
	CHECK_EQ(len, 7);
	CHECK_EQ(b.csum_start, 0);
	CHECK_EQ(net_csum_decode(100 | UV_NET_CSUM_MARK(82, 16), &b, &len), 0); /* the frame's last two bytes */
	CHECK_EQ(len, 100);
	CHECK_EQ(b.csum_start, 82);
	CHECK_EQ(b.csum_off, 16);
	b.len = 100;
	CHECK_EQ(net_csum_encode(&b), 100 | UV_NET_CSUM_MARK(82, 16));
	CHECK((int64_t)net_csum_encode(&b) > 0);
	b.csum_start = 0;
	CHECK_EQ(net_csum_encode(&b), 100);
}

TEST(marked_tcp_frames_complete_to_a_correct_checksum_v4_and_v6)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 6, 7, 100, 1023, 1024, 1440 };
	for (int v6 = 0; v6 < 2; v6++) {
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			size_t len = tcp_frame(v6, sizes[i]);
			uint64_t m = uv_csum_mark_tcp(frame, len);
			CHECK(m & UV_NET_CSUM_PARTIAL);
			CHECK_EQ(UV_NET_CSUM_START(m), v6 ? 54 : 34);
			CHECK_EQ(UV_NET_CSUM_OFF(m), 16);
			CHECK(!tcp_ok(v6, len)); /* the pseudo-header's sum alone is not the checksum */
			/* The kernel's completion, from the mark as net_write gets it, over a frame
			 * padded with zeros to 60 bytes (the sum stays the same). */
			uint8_t buf[2048] = { 0 };
			memcpy(buf, frame, len);
			size_t plen = len < 60 ? 60 : len;
			struct netbuf b = { .data = buf };
			unsigned n;
			CHECK_EQ(net_csum_decode(plen | m, &b, &n), 0);
			CHECK_EQ(n, plen);
			b.len = (uint16_t)n;
			net_csum_complete(&b);
			CHECK_EQ(b.csum_start, 0);
			/* libos's own completion gives the same bytes, and they check out. */
			uv_csum_complete(frame, len, m);
			CHECK(memcmp(buf, frame, len) == 0);
			CHECK(tcp_ok(v6, len));
		}
	}
}

TEST(only_whole_tcp_segments_are_marked)
{
	static uint8_t copy[sizeof(frame)];
	size_t len = tcp_frame(0, 10);
	frame[14 + 9] = 17; /* UDP */
	memcpy(copy, frame, sizeof(frame));
	CHECK_EQ(uv_csum_mark_tcp(frame, len), 0);
	CHECK(memcmp(copy, frame, sizeof(frame)) == 0);
	len = tcp_frame(0, 10);
	frame[14 + 6] = 0x20; /* MF: a fragment */
	CHECK_EQ(uv_csum_mark_tcp(frame, len), 0);
	len = tcp_frame(0, 10);
	CHECK_EQ(uv_csum_mark_tcp(frame, len + 1), 0); /* a byte after the segment */
	CHECK_EQ(uv_csum_mark_tcp(frame, len - 1), 0);
	frame[14] = 0x4f; /* a 60-byte header: longer than the segment */
	CHECK_EQ(uv_csum_mark_tcp(frame, len), 0);
	len = tcp_frame(1, 10);
	frame[14 + 6] = 0; /* a hop-by-hop header first */
	CHECK_EQ(uv_csum_mark_tcp(frame, len), 0);
	CHECK_EQ(uv_csum_mark_tcp(frame, 20), 0);
	frame[12] = 0x08, frame[13] = 0x06; /* ARP */
	CHECK_EQ(uv_csum_mark_tcp(frame, 60), 0);
}

TEST(completion_stores_zero_as_ffff_and_leaves_bad_marks_alone)
{
	/* Bytes whose sum is 0xffff: the checksum would be 0, stored as 0xffff (RFC 768). */
	uint8_t buf[64] = { 0 };
	buf[20] = 0xff, buf[21] = 0xff;
	struct netbuf b = { .data = buf, .len = 64, .csum_start = 20, .csum_off = 10 };
	net_csum_complete(&b);
	CHECK_EQ(buf[30], 0xff);
	CHECK_EQ(buf[31], 0xff);
	uint8_t f[64] = { 0 };
	f[20] = 0xff, f[21] = 0xff;
	uv_csum_complete(f, sizeof(f), UV_NET_CSUM_MARK(20, 10));
	CHECK(memcmp(f, buf, sizeof(f)) == 0);
	uint8_t g[64] = { 0 }, zero[64] = { 0 };
	uv_csum_complete(g, sizeof(g), UV_NET_CSUM_MARK(20, 43)); /* the field past the end */
	uv_csum_complete(g, sizeof(g), UV_NET_CSUM_MARK(2, 10));  /* in the Ethernet header */
	uv_csum_complete(g, sizeof(g), 0);
	CHECK(memcmp(g, zero, sizeof(g)) == 0);
	struct netbuf none = { .data = g, .len = 64 };
	net_csum_complete(&none);
	CHECK(memcmp(g, zero, sizeof(g)) == 0);
}

TEST(completion_matches_rfc1071_at_every_length_and_start)
{
	static uint8_t buf[1600], ff[1600];
	uint32_t x = 7;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	memset(ff, 0xff, sizeof(ff)); /* the most carries */
	int bad = 0;
	for (int k = 0; k < 2; k++)
		for (unsigned start = 14; start < 24; start++)
			for (unsigned len = start + 2; len <= 1518; len += len < 100 ? 1 : 37) {
				const uint8_t *src = k ? ff : buf;
				uint8_t f[1600];
				memcpy(f, src, len);
				f[start] = f[start + 1] = 0; /* the field, 0 before completion */
				struct netbuf b = { .data = f, .len = (uint16_t)len, .csum_start = (uint16_t)start };
				net_csum_complete(&b);
				uint32_t s = ref_sum(f + start, len - start, 0);
				bad += s != 0xffff; /* what a receiver checks (RFC 1071 4.1) */
			}
	CHECK_EQ(bad, 0);
}
