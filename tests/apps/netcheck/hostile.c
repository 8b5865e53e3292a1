/* tests/apps/netcheck/hostile.c: the hostile role: every bad argument the net calls can get, spoofing, and a flood into a full queue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netcheck.h"

#define ETH_TEST 0x88b5
#define VLAN_TPID 0x8100

static uint8_t frame[2048];

/* A net_read that sends first (ABI 1.6): the read's buffer, then the list are checked before
 * anything goes; the first frame net_write would refuse ends the sending (sent, error), the
 * read happens all the same and does not wait after a refusal. frame: a good 60-byte frame
 * to sink. Sends five frames that are taken, two runts and one spoofed frame. */
static void send_list(const uint8_t *good, const uint8_t *sink, uint64_t ram_end)
{
	static uint8_t rbuf[UV_NET_FRAME_MAX_VLAN], spoofed[64];
	static struct uv_net_send l;
	const uint64_t send0 = 0 | UV_NET_READ_SEND;
	const uv_gaddr_t g = (uv_gaddr_t)(uintptr_t)good;
	memcpy(spoofed, good, 60);
	memcpy(spoofed + 6, sink, 6);
	memset(&l, 0, sizeof(l));
	l.count = 1;
	l.frame[0].buf = g;
	l.frame[0].len = 60;
	l.sent = 77;
	expect(uv_hc_net_read_send(send0, (void *)(uintptr_t)ram_end, 1514, 0, 0, &l), -UV_EFAULT, "hostile.send-read-outside-ram");
	expect(uv_hc_net_read_send(send0, rbuf, sizeof(rbuf), 0, 0, (struct uv_net_send *)(uintptr_t)ram_end), -UV_EFAULT,
	       "hostile.send-list-outside-ram");
	expect(uv_hc_net_read_send(send0, rbuf, sizeof(rbuf), 0, 0, (struct uv_net_send *)(uintptr_t)(ram_end - 100)),
	       -UV_EFAULT, "hostile.send-list-straddles-end");
	l.count = UV_NET_SEND_MAX + 1;
	expect(uv_hc_net_read_send(send0, rbuf, sizeof(rbuf), 0, 0, &l), -UV_EINVAL, "hostile.send-count-over-max");
	l.count = UINT32_MAX;
	expect(uv_hc_net_read_send(send0, rbuf, sizeof(rbuf), 0, 0, &l), -UV_EINVAL, "hostile.send-count-huge");
	l.count = 1;
	l.reserved = 1;
	expect(uv_hc_net_read_send(send0, rbuf, sizeof(rbuf), 0, 0, &l), -UV_EINVAL, "hostile.send-reserved");
	l.reserved = 0;
	ck(l.sent == 77, "hostile.send-refused-lists-untouched", "sent became %u", l.sent);

	/* Three frames, the second a runt: one goes, the runt ends it; the read finds nothing. */
	l.count = 3;
	l.frame[1].buf = g, l.frame[1].len = 59;
	l.frame[2].buf = g, l.frame[2].len = 60;
	expect(uv_hc_net_read_send(send0, rbuf, sizeof(rbuf), 0, 0, &l), -UV_EAGAIN, "hostile.send-runt-read-after");
	ck(l.sent == 1 && l.error == -UV_EMSGSIZE, "hostile.send-runt-ends-it", "sent=%u error=%d", l.sent, l.error);
	/* A frame outside RAM, one wrapping: none goes. */
	l.count = 2;
	l.frame[0].buf = ram_end - 30;
	expect(uv_hc_net_read_send(send0, rbuf, sizeof(rbuf), 0, 0, &l), -UV_EAGAIN, "hostile.send-outside-read-after");
	ck(l.sent == 0 && l.error == -UV_EFAULT, "hostile.send-frame-outside-ram", "sent=%u error=%d", l.sent, l.error);
	l.frame[0].buf = UINT64_MAX - 10;
	uv_hc_net_read_send(send0, rbuf, sizeof(rbuf), 0, 0, &l);
	ck(l.sent == 0 && l.error == -UV_EFAULT, "hostile.send-frame-wraps", "sent=%u error=%d", l.sent, l.error);
	/* A spoofed source after a good frame: the good one goes. */
	l.frame[0].buf = g;
	l.frame[1].buf = (uv_gaddr_t)(uintptr_t)spoofed, l.frame[1].len = 60;
	uv_hc_net_read_send(send0, rbuf, sizeof(rbuf), 0, 0, &l);
	ck(l.sent == 1 && l.error == -UV_EPERM, "hostile.send-spoofed-ends-it", "sent=%u error=%d", l.sent, l.error);
	/* Two good frames and a read of nothing (len 0): both go. */
	l.frame[1].buf = g;
	expect(uv_hc_net_read_send(send0, rbuf, 0, 0, 0, &l), -UV_EAGAIN, "hostile.send-only");
	ck(l.sent == 2 && l.error == 0, "hostile.send-only-all-went", "sent=%u error=%d", l.sent, l.error);
	l.count = 0;
	l.sent = 77;
	expect(uv_hc_net_read_send(send0, rbuf, sizeof(rbuf), 0, 0, &l), -UV_EAGAIN, "hostile.send-none");
	ck(l.sent == 0 && l.error == 0, "hostile.send-none-said", "sent=%u error=%d", l.sent, l.error);
	/* Waiting: after a refusal it does not wait; with all sent it waits to its deadline. */
	const uint64_t wait = send0 | UV_NET_READ_WAIT | UV_NET_READ_MARKS;
	l.count = 1;
	l.frame[0].len = 59;
	int64_t now = uv_monotonic_ns();
	long r = uv_hc_net_read_send(wait, rbuf, sizeof(rbuf), now + 2000000000, 0, &l);
	int64_t took = uv_monotonic_ns() - now;
	ck(r == -UV_EAGAIN && l.sent == 0 && l.error == -UV_EMSGSIZE && took < 1000000000, "hostile.send-refused-no-wait",
	   "returned %ld, sent=%u error=%d after %lld ns", r, l.sent, l.error, (long long)took);
	l.frame[0].len = 60;
	now = uv_monotonic_ns();
	r = uv_hc_net_read_send(wait, rbuf, sizeof(rbuf), now + 5000000, 0, &l);
	took = uv_monotonic_ns() - now;
	ck(r == -UV_EAGAIN && l.sent == 1 && l.error == 0 && took >= 5000000, "hostile.send-then-wait",
	   "returned %ld, sent=%u error=%d after %lld ns", r, l.sent, l.error, (long long)took);
}

/* hostile sink=MAC flood=N: handle 0 is granted, handle 1 is not. */
int role_hostile(int argc, char **argv)
{
	uint8_t me[6], sink[6];
	struct uv_net_info info;
	const char *fl = arg(argc, argv, "flood");
	long flood = fl ? atol(fl) : 0;
	if (!parse_mac(arg(argc, argv, "sink"), sink) || uv_hc_net_info(0, &info)) {
		printf("hostile: usage: hostile sink=MAC flood=N (and a granted vNIC 0)\n");
		return 1;
	}
	memcpy(me, info.mac, 6);
	const uint64_t ram_end = uv_boot_info()->mem_size;

	/* Handles. */
	expect(uv_hc_net_info(1, &info), -UV_EPERM, "hostile.info-ungranted");
	expect(uv_hc_net_info(2, &info), -UV_EBADF, "hostile.info-no-such-nic");
	expect(uv_hc_net_info(UINT64_MAX, &info), -UV_EBADF, "hostile.info-huge-handle");
	expect(uv_hc_net_write(1, frame, 60), -UV_EPERM, "hostile.write-ungranted");
	expect(uv_hc_net_read(8, frame, 60), -UV_EBADF, "hostile.read-no-such-nic");
	expect(uv_hc_yield(0, UV_HANDLE_NIC(1)), -UV_EPERM, "hostile.yield-ungranted");
	expect(uv_hc_yield(0, UV_HANDLE_NIC(5)), -UV_EBADF, "hostile.yield-no-such-nic");
	expect(uv_hc_yield(0, UV_HANDLE_CHAN(3)), -UV_EBADF, "hostile.yield-no-such-channel");

	/* Pointers: outside RAM, wrapping, the boot-info page (read-only to the app, but in RAM). */
	expect(uv_hc_net_info(0, (struct uv_net_info *)(uintptr_t)ram_end), -UV_EFAULT, "hostile.info-outside-ram");
	expect(uv_hc_net_info(0, (struct uv_net_info *)(uintptr_t)(ram_end - 8)), -UV_EFAULT, "hostile.info-straddles-end");
	size_t n = frame_eth(frame, sink, me, ETH_TEST);
	memset(frame + n, 0x5a, sizeof(frame) - n);
	expect(uv_hc_net_write(0, (void *)(uintptr_t)(ram_end - 30), 60), -UV_EFAULT, "hostile.write-straddles-end");
	expect(uv_hc_net_write(0, (void *)(uintptr_t)UINT64_MAX - 10, 60), -UV_EFAULT, "hostile.write-wraps");
	expect(uv_hc_net_read(0, (void *)(uintptr_t)ram_end, 1514), -UV_EFAULT, "hostile.read-outside-ram");
	expect(uv_hc_net_read(0, frame, sizeof(frame)), -UV_EAGAIN, "hostile.read-empty");

	/* A net_read that waits (ABI 1.5): the buffer and yield's handles are checked before it
	 * waits; with none coming it ends at its deadline, with -UV_EAGAIN. */
	const uint64_t wait0 = 0 | UV_NET_READ_WAIT | UV_NET_READ_MARKS;
	int64_t now = uv_monotonic_ns();
	expect(uv_hc_net_read_wait(wait0, (void *)(uintptr_t)ram_end, 1514, now + 1000000, 0), -UV_EFAULT,
	       "hostile.read-wait-outside-ram");
	expect(uv_hc_net_read_wait(wait0, frame, sizeof(frame), now + 1000000, UV_HANDLE_NIC(1)), -UV_EPERM,
	       "hostile.read-wait-ungranted-handle");
	expect(uv_hc_net_read_wait(wait0, frame, sizeof(frame), now + 1000000, UV_HANDLE_NIC(5)), -UV_EBADF,
	       "hostile.read-wait-no-such-nic");
	expect(uv_hc_net_read_wait(wait0, frame, sizeof(frame), now + 1000000, UV_HANDLE_CHAN(3)), -UV_EBADF,
	       "hostile.read-wait-no-such-channel");
	expect(uv_hc_net_read_wait(1 | UV_NET_READ_WAIT, frame, sizeof(frame), now + 1000000, 0), -UV_EPERM,
	       "hostile.read-wait-ungranted");
	expect(uv_hc_net_read_wait(wait0, frame, sizeof(frame), 0, 0), -UV_EAGAIN, "hostile.read-wait-no-deadline");
	now = uv_monotonic_ns();
	long waited = uv_hc_net_read_wait(wait0, frame, sizeof(frame), now + 5000000, 0);
	int64_t took = uv_monotonic_ns() - now;
	ck(waited == -UV_EAGAIN && took >= 5000000, "hostile.read-wait-times-out", "returned %ld after %lld ns", waited,
	   (long long)took);

	/* Sizes: 60..1514, 1518 with a VLAN tag. */
	expect(uv_hc_net_write(0, frame, 59), -UV_EMSGSIZE, "hostile.runt-59");
	expect(uv_hc_net_write(0, frame, 0), -UV_EMSGSIZE, "hostile.empty");
	expect(uv_hc_net_write(0, frame, 1515), -UV_EMSGSIZE, "hostile.oversize-1515");
	expect(uv_hc_net_write(0, frame, 1519), -UV_EMSGSIZE, "hostile.oversize-1519");
	expect(uv_hc_net_write(0, frame, (size_t)1 << 40), -UV_EMSGSIZE, "hostile.length-huge");
	frame[12] = VLAN_TPID >> 8, frame[13] = VLAN_TPID & 0xff;
	frame[14] = 0, frame[15] = 5;      /* VLAN 5 */
	frame[16] = ETH_TEST >> 8, frame[17] = ETH_TEST & 0xff;
	expect(uv_hc_net_write(0, frame, 1518), 1518, "hostile.vlan-1518-taken");
	frame[12] = ETH_TEST >> 8, frame[13] = ETH_TEST & 0xff;
	expect(uv_hc_net_write(0, frame, 1514), 1514, "hostile.max-1514-taken");

	/* Checksum marks (ABI 1.4): one outside the frame, in the Ethernet header, with reserved
	 * bits is refused (-UV_EINVAL: no size drop) and changes nothing; one on the last two bytes is taken. */
	expect(uv_hc_net_write(0, frame, 60 | UV_NET_CSUM_MARK(59, 0)), -UV_EINVAL, "hostile.mark-past-end");
	expect(uv_hc_net_write(0, frame, 60 | UV_NET_CSUM_MARK(44, 15)), -UV_EINVAL, "hostile.mark-field-past-end");
	expect(uv_hc_net_write(0, frame, 60 | UV_NET_CSUM_MARK(13, 16)), -UV_EINVAL, "hostile.mark-in-header");
	expect(uv_hc_net_write(0, frame, 60 | UV_NET_CSUM_MARK(0xffff, 0xffff)), -UV_EINVAL, "hostile.mark-huge");
	expect(uv_hc_net_write(0, frame, 60 | UV_NET_CSUM_MARK(14, 16) | 1ull << 17), -UV_EINVAL, "hostile.mark-reserved");
	expect(uv_hc_net_write(0, frame, 60 | UV_NET_CSUM_MARK(44, 14)), 60, "hostile.mark-last-bytes-taken");

	send_list(frame, sink, ram_end);

	/* Source MACs: another's, multicast. */
	memcpy(frame + 6, sink, 6);
	expect(uv_hc_net_write(0, frame, 60), -UV_EPERM, "hostile.spoofed-source");
	frame[6] = 0x01;
	expect(uv_hc_net_write(0, frame, 60), -UV_EPERM, "hostile.multicast-source");
	memcpy(frame + 6, me, 6);

	/* A flood at a sink that does not read yet: every write is taken, the rest drops. */
	long taken = 0, other = 0;
	for (long i = 0; i < flood; i++) {
		long r = uv_hc_net_write(0, frame, 60);
		if (r == 60)
			taken++;
		else
			other = r;
	}
	ck(taken == flood, "hostile.flood-taken", "%ld of %ld taken (other result %ld)", taken, flood, other);
	printf("hostile: flood of %ld frames done\n", flood);
	return ck_done();
}
