/* kernel/test/selftest_net.c: the test kernel's NIC self-test: every NIC up, link, an ARP exchange and a ping with the emulator's gateway, all waited for by interrupt. */
#include <stdarg.h>
#include "kernel/test/selftest.h"
#include "kernel/console/console.h"
#include "kernel/dev/lapic.h"
#include "kernel/dev/netbuf.h"
#include "kernel/dev/nic.h"
#include "kernel/dev/pci.h"
#include "kernel/dev/time.h"
#include "kernel/lib/kstring.h"

/*
 * Both emulators' user-mode networks (QEMU's -netdev user and Bochs' slirp module, a port
 * of the same code) put the guest at 10.0.2.15 and answer, as the gateway 10.0.2.2, ARP
 * requests and ICMP echo requests to that address themselves.
 */
#define GUEST_IP 0x0a00020fu   /* 10.0.2.15 */
#define GATEWAY_IP 0x0a000202u /* 10.0.2.2 */

#define NETTEST_BUFFERS 512             /* a ring of 128 per NIC and room to spare */
#define LINK_WAIT_NS 5000000000ull      /* a link that is down may come up (LSC) within 5 s */
/* The gateway answers at once; but QEMU's e1000 holds back what it receives for 1 s (of
 * virtual time) after each write to RCTL (hw/net/e1000.c, flush_queue_timer), so the first
 * reply after bring-up comes a second late there. */
#define REPLY_WAIT_NS 3000000000ull
#define NS_PER_US 1000ull
#define NS_PER_S 1000000000ull

/* Ethernet II (IEEE 802.3 clause 3), ARP (RFC 826), IPv4 (RFC 791), ICMP echo (RFC 792). */
#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_ZLEN 60 /* the shortest frame, without its FCS */
#define ETH_GROUP_BIT 0x01 /* multicast / broadcast, in the first byte of an address */
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ARP_LEN 28
#define IPV4_ALEN 4
#define ARP_HTYPE_ETHER 1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2
#define IPV4_HLEN 20
#define IPV4_VERSION_IHL 0x45 /* version 4, 5 words of header */
#define IPV4_TTL 64
#define IPPROTO_ICMP 1
#define ICMP_HLEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define PING_ID 0x5576 /* "Uv" */
#define PING_SEQ 1
#define PING_DATA 32
/* Then rounds of echo requests sent back to back, each round's replies awaited: 320 frames
 * each way take both rings (128 slots) round more than twice, and batch the interrupts. */
#define ROUNDS 20
#define ROUND_PINGS 16
#define ROUNDS_SEQ 0x100 /* their sequence numbers: ROUNDS_SEQ + 0, 1, ... */
#define ROUNDS_TOTAL (ROUNDS * ROUND_PINGS)

static int failures;

__attribute__((format(printf, 4, 5))) static bool check(const struct nic *n, const char *name, bool ok, const char *fmt, ...)
{
	if (ok) {
		kprintf("nettest: %s %s ok\n", n ? n->name : "all", name);
		return true;
	}
	va_list ap;
	va_start(ap, fmt);
	kprintf("nettest: %s %s FAILED: ", n ? n->name : "all", name);
	kvprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
	failures++;
	return false;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; } /* network order */
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }

/* The Internet checksum (RFC 1071) of n bytes. */
static uint16_t inet_sum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += get16(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* What the receive hook saw, for the check waiting on it. */
static struct {
	volatile bool arp_reply, echo_reply, round_done;
	uint8_t gateway_mac[ETH_ALEN];
	unsigned other;                       /* frames that were neither */
	unsigned replies, replies_wanted;     /* of the rounds: distinct replies, and the round's goal */
	uint8_t replied[ROUNDS_TOTAL / 8];    /* which sequence numbers were answered */
} seen;

/* An ARP reply from the gateway to us: its MAC noted. Anything else is ignored. */
static void on_arp(const struct nic *n, const uint8_t *f, size_t len)
{
	const uint8_t *a = f + ETH_HLEN;
	if (len < ETH_HLEN + ARP_LEN || get16(a) != ARP_HTYPE_ETHER || get16(a + 2) != ETHERTYPE_IPV4 ||
	    a[4] != ETH_ALEN || a[5] != IPV4_ALEN || get16(a + 6) != ARP_OP_REPLY)
		return;
	if (get32(a + 14) != GATEWAY_IP || get32(a + 24) != GUEST_IP || memcmp(a + 18, n->mac, ETH_ALEN))
		return;
	memcpy(seen.gateway_mac, a + 8, ETH_ALEN);
	seen.arp_reply = true;
}

/* An echo reply from the gateway to us, checksums and payload right: noted by sequence number. */
static void on_ipv4(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + ETH_HLEN;
	if (len < ETH_HLEN + IPV4_HLEN || ip[0] != IPV4_VERSION_IHL || ip[9] != IPPROTO_ICMP)
		return;
	size_t total = get16(ip + 2);
	if (total < IPV4_HLEN + ICMP_HLEN + PING_DATA || total > len - ETH_HLEN || inet_sum(ip, IPV4_HLEN))
		return;
	const uint8_t *icmp = ip + IPV4_HLEN;
	if (get32(ip + 12) != GATEWAY_IP || get32(ip + 16) != GUEST_IP || icmp[0] != ICMP_ECHO_REPLY ||
	    get16(icmp + 4) != PING_ID || inet_sum(icmp, total - IPV4_HLEN))
		return;
	for (unsigned i = 0; i < PING_DATA; i++)
		if (icmp[ICMP_HLEN + i] != (uint8_t)i)
			return;
	unsigned seq = get16(icmp + 6);
	if (seq == PING_SEQ) {
		seen.echo_reply = true;
	} else if (seq >= ROUNDS_SEQ && seq - ROUNDS_SEQ < ROUNDS_TOTAL) {
		unsigned k = seq - ROUNDS_SEQ;
		if (seen.replied[k / 8] & (1u << (k % 8)))
			return; /* a duplicate counts once */
		seen.replied[k / 8] |= (uint8_t)(1u << (k % 8));
		if (++seen.replies >= seen.replies_wanted)
			seen.round_done = true;
	}
}

/* The NIC's receive hook: looks at each frame, then gives the buffer back. */
static void on_frame(struct nic *n, struct netbuf *b, void *ctx)
{
	(void)ctx;
	size_t len = b->len;
	if (len >= ETH_HLEN && len <= NETBUF_FRAME_MAX) {
		uint16_t type = get16(b->data + 2 * ETH_ALEN);
		if (type == ETHERTYPE_ARP)
			on_arp(n, b->data, len);
		else if (type == ETHERTYPE_IPV4)
			on_ipv4(b->data, len);
		else
			seen.other++;
	}
	netbuf_put(b);
}

/* LAPIC timer ticks in ns (split so neither product overflows). */
static uint64_t ns_to_lapic(uint64_t ns)
{
	uint64_t hz = time_lapic_hz();
	return (ns / NS_PER_S) * hz + (ns % NS_PER_S) * hz / NS_PER_S;
}

/* What a wait waits for. */
static bool link_is_up(const struct nic *n) { return n->link_up; }
static bool arp_answered(const struct nic *n) { (void)n; return seen.arp_reply; }
static bool echo_answered(const struct nic *n) { (void)n; return seen.echo_reply; }
static bool round_answered(const struct nic *n) { (void)n; return seen.round_done; }
static bool frame_lost_for_no_buffer(const struct nic *n) { return n->stats.rx_no_buffer > 0; }

/* Waits until done(n), up to ns: halts until the next interrupt (the NIC's, or the LAPIC
 * timer armed for the deadline) and polls only NICs whose interrupt fired. */
static bool wait_for(bool (*done)(const struct nic *n), const struct nic *n, uint64_t ns)
{
	uint64_t end = time_ns() + ns;
	bool armed = false;
	for (;;) {
		nic_poll_pending(false);
		if (done(n))
			break;
		uint64_t now = time_ns();
		if (now >= end)
			break;
		if (!nic_any_pending()) {
			lapic_timer_oneshot(ns_to_lapic(end - now) + 1);
			armed = true;
			__asm__ volatile("sti; hlt; cli" ::: "memory");
		}
	}
	if (armed)
		lapic_timer_stop();
	return done(n);
}

/* Sends len bytes of frame (padded to 60); false if the driver refused it. */
static bool send(struct nic *n, const uint8_t *frame, size_t len, int *err)
{
	struct netbuf *b = netbuf_get();
	*err = -1;
	if (!b)
		return false;
	memset(b->data, 0, ETH_ZLEN);
	memcpy(b->data, frame, len);
	b->len = (uint16_t)(len < ETH_ZLEN ? ETH_ZLEN : len);
	*err = n->ops->tx(n, b);
	if (*err) {
		netbuf_put(b);
		return false;
	}
	return true;
}

/* The 14-byte Ethernet II header at f. */
static void eth_header(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, ETH_ALEN);
	memcpy(f + ETH_ALEN, src, ETH_ALEN);
	put16(f + 2 * ETH_ALEN, type);
}

/* Sends the frame (check sent_name) and waits for the reply the hook flags (check name). */
static bool exchange(struct nic *n, const char *sent_name, const char *name, const uint8_t *f, size_t len,
		     bool (*answered)(const struct nic *n), uint64_t *took)
{
	int err;
	uint64_t t0 = time_ns();
	bool sent = send(n, f, len, &err);
	if (!check(n, sent_name, sent, "the driver refused the frame (%d)", err))
		return false;
	bool ok = wait_for(answered, n, REPLY_WAIT_NS);
	*took = time_ns() - t0;
	return check(n, name, ok, "no reply from 10.0.2.2 within %llu ms", (unsigned long long)(REPLY_WAIT_NS / 1000000));
}

/* Who has 10.0.2.2, tell 10.0.2.15 (broadcast); true once the reply came. */
static bool arp_exchange(struct nic *n, uint64_t *took)
{
	static const uint8_t broadcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t f[ETH_HLEN + ARP_LEN] = { 0 };
	eth_header(f, broadcast, n->mac, ETHERTYPE_ARP);
	uint8_t *a = f + ETH_HLEN;
	put16(a, ARP_HTYPE_ETHER);
	put16(a + 2, ETHERTYPE_IPV4);
	a[4] = ETH_ALEN;
	a[5] = IPV4_ALEN;
	put16(a + 6, ARP_OP_REQUEST);
	memcpy(a + 8, n->mac, ETH_ALEN);
	put32(a + 14, GUEST_IP);
	put32(a + 24, GATEWAY_IP); /* target hardware address stays zero */
	return exchange(n, "arp-sent", "arp", f, sizeof(f), arp_answered, took);
}

/* An echo request to the gateway with sequence number seq, into f. */
static void echo_request(const struct nic *n, uint16_t seq, uint8_t f[ETH_HLEN + IPV4_HLEN + ICMP_HLEN + PING_DATA])
{
	memset(f, 0, ETH_HLEN + IPV4_HLEN + ICMP_HLEN + PING_DATA);
	eth_header(f, seen.gateway_mac, n->mac, ETHERTYPE_IPV4);
	uint8_t *ip = f + ETH_HLEN, *icmp = ip + IPV4_HLEN;
	ip[0] = IPV4_VERSION_IHL;
	put16(ip + 2, IPV4_HLEN + ICMP_HLEN + PING_DATA);
	put16(ip + 4, seq); /* identification */
	ip[8] = IPV4_TTL;
	ip[9] = IPPROTO_ICMP;
	put32(ip + 12, GUEST_IP);
	put32(ip + 16, GATEWAY_IP);
	put16(ip + 10, inet_sum(ip, IPV4_HLEN));
	icmp[0] = ICMP_ECHO_REQUEST;
	put16(icmp + 4, PING_ID);
	put16(icmp + 6, seq);
	for (unsigned i = 0; i < PING_DATA; i++)
		icmp[ICMP_HLEN + i] = (uint8_t)i;
	put16(icmp + 2, inet_sum(icmp, ICMP_HLEN + PING_DATA));
}

static bool ping(struct nic *n, uint64_t *took)
{
	uint8_t f[ETH_HLEN + IPV4_HLEN + ICMP_HLEN + PING_DATA];
	echo_request(n, PING_SEQ, f);
	return exchange(n, "ping-sent", "ping", f, sizeof(f), echo_answered, took);
}

/* ROUNDS rounds of ROUND_PINGS echo requests back to back, each round's replies awaited. */
static void ping_rounds(struct nic *n)
{
	uint8_t f[ETH_HLEN + IPV4_HLEN + ICMP_HLEN + PING_DATA];
	int err = 0;
	unsigned round = 0;
	for (; round < ROUNDS; round++) {
		for (unsigned j = 0; j < ROUND_PINGS && !err; j++) {
			echo_request(n, (uint16_t)(ROUNDS_SEQ + round * ROUND_PINGS + j), f);
			send(n, f, sizeof(f), &err);
		}
		seen.replies_wanted = (round + 1) * ROUND_PINGS;
		seen.round_done = seen.replies >= seen.replies_wanted;
		if (err || !wait_for(round_answered, n, REPLY_WAIT_NS))
			break;
	}
	check(n, "ping-rounds", round == ROUNDS, "round %u of %u: %s; %u of %u replies", round + 1, ROUNDS,
	      err ? "the driver refused a frame" : "replies missing", seen.replies, ROUNDS_TOTAL);
}

/* With the pool empty, the reply to a ping is lost and counted (the ring slot keeps its
 * buffer); with buffers back, the next ping is answered through the same ring. */
static void no_buffer(struct nic *n)
{
	static struct netbuf *hoard[NETTEST_BUFFERS];
	uint8_t f[ETH_HLEN + IPV4_HLEN + ICMP_HLEN + PING_DATA];
	struct netbuf *b = netbuf_get();
	unsigned held = 0;
	int err = -1;
	if (b) {
		echo_request(n, PING_SEQ, f);
		memcpy(b->data, f, sizeof(f));
		b->len = sizeof(f);
		netbuf_ref(b); /* kept past the send, so that its reclaim does not refill the pool */
		while (held < NETTEST_BUFFERS && (hoard[held] = netbuf_get()))
			held++;
		err = n->ops->tx(n, b);
		if (err)
			netbuf_put(b);
	}
	seen.echo_reply = false;
	bool lost = !err && wait_for(frame_lost_for_no_buffer, n, REPLY_WAIT_NS);
	check(n, "rx-no-buffer", lost && !seen.echo_reply, "%s", err ? "could not send" : "no frame was counted lost");
	while (held)
		netbuf_put(hoard[--held]);
	if (b)
		netbuf_put(b);
	uint64_t took;
	seen.echo_reply = false;
	exchange(n, "ping-after-no-buffer-sent", "ping-after-no-buffer", f, sizeof(f), echo_answered, &took);
}

void selftest_interrupt_window(uint64_t ns)
{
	uint64_t end = time_ns() + ns;
	while (time_ns() < end)
		__asm__ volatile("sti; nop; cli" ::: "memory"); /* (nop: the sti shadow; pause would keep it closed on QEMU) */
}

/* Quiet NICs (nic_quiet, while the one app on an uplink runs): a ping's reply is found by
 * polling alone, with no interrupt; back on, the next reply comes by interrupt again. */
static void quiet(struct nic *n)
{
	uint8_t f[ETH_HLEN + IPV4_HLEN + ICMP_HLEN + PING_DATA];
	int err;
	echo_request(n, PING_SEQ, f);
	nic_quiet(true);
	uint64_t irqs = n->stats.irqs;
	seen.echo_reply = false;
	bool sent = send(n, f, sizeof(f), &err);
	bool polled = sent && wait_for(echo_answered, n, REPLY_WAIT_NS); /* (pending stays set: it polls, never halts) */
	selftest_interrupt_window(SELFTEST_WINDOW_NS); /* the reply raised nothing to take */
	uint64_t quiet_irqs = n->stats.irqs - irqs;
	nic_quiet(false);
	check(n, "quiet-poll", polled && quiet_irqs == 0, "%s; %llu interrupts while quiet",
	      !sent ? "the driver refused the frame" : polled ? "the reply came" : "no reply by polling",
	      (unsigned long long)quiet_irqs);
	selftest_interrupt_window(SELFTEST_WINDOW_NS); /* (what came while quiet may interrupt now) */
	nic_poll_pending(false);  /* the pass nic_quiet(false) leaves pending */
	irqs = n->stats.irqs;
	seen.echo_reply = false;
	uint64_t took;
	if (exchange(n, "ping-after-quiet-sent", "ping-after-quiet", f, sizeof(f), echo_answered, &took))
		check(n, "irq-after-quiet", n->stats.irqs > irqs, "the reply came without an interrupt");
}

/* One line of the NIC's counters. */
static void print_counters(const struct nic *n)
{
	const struct nic_stats *s = &n->stats;
	kprintf("nettest: %s counters rx_frames=%llu rx_bytes=%llu tx_frames=%llu tx_bytes=%llu rx_errors=%llu "
		"rx_no_buffer=%llu tx_ring_full=%llu irqs=%llu\n",
		n->name, (unsigned long long)s->rx_frames, (unsigned long long)s->rx_bytes,
		(unsigned long long)s->tx_frames, (unsigned long long)s->tx_bytes, (unsigned long long)s->rx_errors,
		(unsigned long long)s->rx_no_buffer, (unsigned long long)s->tx_ring_full, (unsigned long long)s->irqs);
}

/* Every check of one NIC; those after the link only if it came up, the ping only after the ARP. */
static void test_nic(struct nic *n)
{
	static const uint8_t zero[ETH_ALEN];
	memset(&seen, 0, sizeof(seen));
	n->rx = on_frame;
	n->rx_ctx = 0;
	const uint8_t *m = n->mac;
	check(n, "mac", memcmp(m, zero, ETH_ALEN) && !(m[0] & ETH_GROUP_BIT), "%02x:%02x:%02x:%02x:%02x:%02x is zero or multicast",
	      m[0], m[1], m[2], m[3], m[4], m[5]);
	bool up = wait_for(link_is_up, n, LINK_WAIT_NS);
	if (check(n, "link", up, "down after %llu ms", (unsigned long long)(LINK_WAIT_NS / 1000000))) {
		uint64_t arp_ns = 0, ping_ns = 0;
		if (arp_exchange(n, &arp_ns) && ping(n, &ping_ns)) {
			const uint8_t *g = seen.gateway_mac;
			kprintf("nettest: %s gateway 10.0.2.2 at %02x:%02x:%02x:%02x:%02x:%02x: arp %llu us, ping %llu us\n",
				n->name, g[0], g[1], g[2], g[3], g[4], g[5], (unsigned long long)(arp_ns / NS_PER_US),
				(unsigned long long)(ping_ns / NS_PER_US));
			ping_rounds(n);
			no_buffer(n);
			quiet(n);
		}
		/* Frames came in, and each was seen through an interrupt, not a timer. */
		if (n->stats.rx_frames)
			check(n, "irq", n->stats.irqs > 0, "frames came in but no interrupt was counted");
	}
	print_counters(n);
}

void selftest_net(void)
{
	failures = 0;
	time_lapic_hz(); /* closes the LAPIC timer's calibration window before the timer is used here */
	int r = netbuf_pool_init(NETTEST_BUFFERS);
	unsigned n = r ? 0 : nic_init();
	check(0, "nics", n > 0, r ? "no frame buffers (%d)" : "no NIC came up (%d PCI devices)", r ? r : (int)pci_count());
	for (unsigned i = 0; i < n; i++)
		test_nic(nic_get(i));
	struct netbuf_stats st;
	netbuf_get_stats(&st);
	kprintf("nettest: netbufs total=%u free=%u low_water=%u exhausted=%llu\n", st.total, st.free, st.low_water,
		(unsigned long long)st.exhausted);
	kprintf("nettest: done, %d failed\n", failures);
}
