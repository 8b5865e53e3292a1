/* tests/apps/netcheck/peer.c: the ping, pong and listen roles: frames between apps on one segment, and none across segments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netcheck.h"

#define ETH_TEST 0x88b5             /* IEEE local experimental ethertype */
#define PEER_WAIT_NS (20ull * 1000000000ull)

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static bool my_mac(uint8_t mac[6])
{
	struct uv_net_info info;
	if (uv_hc_net_info(0, &info))
		return false;
	memcpy(mac, info.mac, 6);
	return true;
}

static size_t test_frame(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint32_t seq)
{
	size_t n = frame_eth(f, dst, src, ETH_TEST);
	memset(f + n, 0, FRAME_MIN - n);
	snprintf((char *)f + n, FRAME_MIN - n, "seq %u", (unsigned)seq);
	return FRAME_MIN;
}

/* ping pong=MAC count=N: N frames to pong, each answered; then one broadcast. */
int role_ping(int argc, char **argv)
{
	uint8_t me[6], pong[6], f[1600];
	const char *c = arg(argc, argv, "count");
	unsigned count = c ? (unsigned)atoi(c) : 0;
	if (!parse_mac(arg(argc, argv, "pong"), pong) || !count || !my_mac(me)) {
		printf("ping: usage: ping pong=MAC count=N (and a vNIC)\n");
		return 1;
	}
	unsigned answered = 0, intact = 0;
	for (unsigned i = 0; i < count; i++) {
		size_t n = test_frame(f, pong, me, i);
		long r = uv_hc_net_write(0, f, n);
		if (r != (long)n) {
			ck(false, "ping.write", "net_write %ld", r);
			break;
		}
		r = wait_frame(0, f, sizeof(f), now_ns() + (int64_t)PEER_WAIT_NS);
		if (r <= 0)
			break;
		answered++;
		char want[16];
		snprintf(want, sizeof(want), "seq %u", i);
		intact += r == FRAME_MIN && memcmp(f, me, 6) == 0 && memcmp(f + 6, pong, 6) == 0 &&
			  strcmp((char *)f + ETH_HDR, want) == 0;
	}
	ck(answered == count, "ping.answered", "%u of %u frames answered", answered, count);
	ck(intact == answered, "ping.answers-intact", "%u of %u answers as sent back", intact, answered);
	size_t n = test_frame(f, bcast, me, 0xffffffffu);
	long r = uv_hc_net_write(0, f, n);
	ck(r == (long)n, "ping.broadcast", "net_write %ld", r);
	return ck_done();
}

/* pong count=N: answers N unicast frames (to the sender, its payload), and sees ping's broadcast. */
int role_pong(int argc, char **argv)
{
	uint8_t me[6], f[1600];
	const char *c = arg(argc, argv, "count");
	unsigned count = c ? (unsigned)atoi(c) : 0, answered = 0, bcasts = 0, foreign = 0;
	if (!count || !my_mac(me)) {
		printf("pong: usage: pong count=N (and a vNIC)\n");
		return 1;
	}
	int64_t deadline = now_ns() + (int64_t)PEER_WAIT_NS;
	while (answered < count || bcasts == 0) {
		long r = wait_frame(0, f, sizeof(f), deadline);
		if (r <= 0)
			break;
		if (memcmp(f, bcast, 6) == 0) {
			bcasts++;
			continue;
		}
		if (memcmp(f, me, 6) != 0 || rd16(f + 12) != ETH_TEST) {
			foreign++;
			continue;
		}
		uint8_t src[6];
		memcpy(src, f + 6, 6);
		memcpy(f, src, 6);
		memcpy(f + 6, me, 6);
		if (uv_hc_net_write(0, f, (size_t)r) == r)
			answered++;
	}
	ck(answered == count, "pong.answered", "answered %u of %u", answered, count);
	ck(bcasts == 1, "pong.broadcast-seen", "%u broadcasts seen (ping's 1 only: none from other segments)", bcasts);
	ck(foreign == 0, "pong.nothing-else", "%u frames that were neither ping's nor broadcast", foreign);
	return ck_done();
}

/* listen want=N window=MS [delay=MS] [broadcast=1]: counts the frames that reach it in the
 * window (all of them if its vNIC is promiscuous), after sleeping delay ms without reading;
 * with broadcast, first sends one of its own. */
int role_listen(int argc, char **argv)
{
	uint8_t me[6], f[1600];
	const char *w = arg(argc, argv, "want"), *ms = arg(argc, argv, "window");
	if (!w || !ms || !my_mac(me)) {
		printf("listen: usage: listen want=N window=MS [broadcast=1] (and a vNIC)\n");
		return 1;
	}
	if (arg(argc, argv, "broadcast")) {
		size_t n = test_frame(f, bcast, me, 7);
		long r = uv_hc_net_write(0, f, n);
		ck(r == (long)n, "listen.broadcast", "net_write %ld", r);
	}
	const char *d = arg(argc, argv, "delay");
	if (d)
		uv_hc_yield((uint64_t)(now_ns() + (int64_t)atoi(d) * 1000000), 0);
	unsigned want = (unsigned)atoi(w), got = 0;
	int64_t deadline = now_ns() + (int64_t)atoi(ms) * 1000000;
	long r;
	while ((r = wait_frame(0, f, sizeof(f), deadline)) > 0)
		got++;
	ck(r == 0, "listen.reads", "net_read %ld", r);
	ck(got == want, "listen.count", "%u frames in the window, expected %u", got, want);
	return ck_done();
}
