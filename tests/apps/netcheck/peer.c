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

/* The bad arguments of net_read with UV_NET_READ_LIST (ABI 1.7), with frames queued: each
 * refused, nothing taken (the count still comes out right), the list untouched. l: a good
 * list of len-byte buffers; left as it was. */
static void bad_lists(struct uv_net_recv *l, size_t len)
{
	const uint64_t ram_end = uv_boot_info()->mem_size, list = 0 | UV_NET_READ_LIST;
	const struct uv_net_recv good = *l;
	l->result[0] = 77;
	expect(uv_hc_net_read(1 | UV_NET_READ_LIST, l, len), -UV_EBADF, "listen.list-no-such-nic");
	expect(uv_hc_net_read(list, (void *)(uintptr_t)ram_end, len), -UV_EFAULT, "listen.list-outside-ram");
	expect(uv_hc_net_read(list, (void *)(uintptr_t)(ram_end - 100), len), -UV_EFAULT, "listen.list-straddles-end");
	l->count = 0;
	expect(uv_hc_net_read(list, l, len), -UV_EINVAL, "listen.list-count-0");
	l->count = UV_NET_RECV_MAX + 1;
	expect(uv_hc_net_read(list, l, len), -UV_EINVAL, "listen.list-count-over-max");
	l->count = UINT32_MAX;
	expect(uv_hc_net_read(list, l, len), -UV_EINVAL, "listen.list-count-huge");
	l->count = 4;
	l->reserved = 1;
	expect(uv_hc_net_read(list, l, len), -UV_EINVAL, "listen.list-reserved");
	l->reserved = 0;
	l->buf[3] = ram_end - 30;
	expect(uv_hc_net_read(list, l, len), -UV_EFAULT, "listen.list-buffer-outside-ram");
	l->buf[3] = UINT64_MAX - 10;
	expect(uv_hc_net_read(list, l, len), -UV_EFAULT, "listen.list-buffer-wraps");
	l->buf[3] = good.buf[3];
	expect(uv_hc_net_read(list, l, FRAME_MIN - 1), -UV_EMSGSIZE, "listen.list-first-too-long");
	ck(l->result[0] == 77, "listen.list-refused-untouched", "result[0] became %llu", (unsigned long long)l->result[0]);
	*l = good;
}

/* listen's reads with list=1: net_read with UV_NET_READ_LIST and the wait, 16 buffers a
 * list. With queued=N (N frames wait: the queue is full), bad_lists first, and the first
 * list takes those N. Each result says how many wait behind it (UV_NET_RX_BEHIND). The
 * frames counted; 0 at the deadline, or the negative UV_E* that ended it. */
static long read_lists(unsigned *got, int64_t deadline, long queued)
{
	static uint8_t b[UV_NET_RECV_MAX][UV_NET_FRAME_MAX_VLAN];
	static struct uv_net_recv l;
	const size_t len = sizeof(b[0]);
	for (unsigned i = 0; i < UV_NET_RECV_MAX; i++)
		l.buf[i] = (uv_gaddr_t)(uintptr_t)b[i];
	l.count = UV_NET_RECV_MAX;
	if (queued)
		bad_lists(&l, len);
	for (int first = 1;; first = 0) {
		long r = uv_hc_net_read_wait(0 | UV_NET_READ_LIST | UV_NET_READ_WAIT | UV_NET_READ_MARKS, &l, len,
					     (uint64_t)deadline, 0);
		if (r <= 0)
			return r == -UV_EAGAIN ? 0 : r;
		if (first && queued)
			ck(r == queued, "listen.list-takes-all-queued", "took %ld of the %ld queued", r, queued);
		for (long i = 0; i < r; i++) {
			uint64_t n = l.result[i] & UV_NET_LEN_MASK, behind = UV_NET_RX_BEHIND(l.result[i]);
			bool more = l.result[i] & UV_NET_RX_MORE;
			if (n < FRAME_MIN || n > len || behind < (uint64_t)(r - 1 - i) || more != (behind != 0))
				ck(false, "listen.list-results", "result[%ld] of %ld: %#llx", i, r, (unsigned long long)l.result[i]);
		}
		*got += (unsigned)r;
	}
}

/* listen want=N window=MS [delay=MS] [broadcast=1] [list=1 [queued=N]]: counts the frames
 * that reach it in the window (all of them if its vNIC is promiscuous), after sleeping
 * delay ms without reading; with broadcast, first sends one of its own; with list, reads
 * them by lists (read_lists). */
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
	const char *q = arg(argc, argv, "queued");
	if (arg(argc, argv, "list"))
		r = read_lists(&got, deadline, q ? atol(q) : 0);
	else
		while ((r = wait_frame(0, f, sizeof(f), deadline)) > 0)
			got++;
	ck(r == 0, "listen.reads", "net_read %ld", r);
	ck(got == want, "listen.count", "%u frames in the window, expected %u", got, want);
	return ck_done();
}
