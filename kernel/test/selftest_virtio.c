/* kernel/test/selftest_virtio.c: the virtio-net self-test (command line virtiotest[=linkdown]): the NICs come up, an ARP request to the user-mode network's gateway is answered by interrupt, a NIC started without link sends nothing until its link comes up. */
#include "kernel/test/selftest.h"
#include "kernel/arch/cpu.h"
#include "kernel/console/console.h"
#include "kernel/dev/lapic.h"
#include "kernel/dev/netbuf.h"
#include "kernel/dev/nic.h"
#include "kernel/dev/pci.h"
#include "kernel/dev/time.h"
#include "kernel/dev/virtio_net.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"

#define NETBUFS 256                    /* the pool, when the boot has not made one */
#define ARP_WAIT_NS 2000000000ull      /* the reply comes within QEMU's own event loop */
#define LINK_WAIT_NS 20000000000ull    /* the harness sets the link up seconds after it sees the line */
#define NS_PER_S 1000000000ull
#define NIC_PREFIX "virtio-net"
#define ARP_FRAME_BYTES 60             /* 42 bytes of ARP over Ethernet, padded to the minimum */
#define TOO_LONG_FRAME (NETBUF_FRAME_MAX + 1)

/* RFC 826 over Ethernet (RFC 894 type 0x0806), with QEMU's user-mode network addresses. */
#define ETH_TYPE_ARP 0x0806
#define ETH_TYPE_LOCAL 0x88b5          /* IEEE 802 local experimental: QEMU's user network ignores it */
#define QUIET_FRAMES 8
#define QUIET_WAIT_NS 50000000ull      /* long enough for QEMU to send them all and interrupt, were it asked */
#define ETH_TYPE_OFF 12
#define ARP_OFF 14
#define ARP_HTYPE_ETHER 1
#define ARP_PTYPE_IPV4 0x0800
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2
#define ARP_BYTES 28
static const uint8_t guest_ip[4] = { 10, 0, 2, 15 };
static const uint8_t gateway_ip[4] = { 10, 0, 2, 2 };

static unsigned failed;

/* Prints "virtiotest: <nic>.<name> ok" or "... FAILED: <why>", and counts the failures. */
static void check(const struct nic *n, const char *name, bool ok, const char *why)
{
	if (ok)
		kprintf("virtiotest: %s.%s ok\n", n->name, name);
	else
		kprintf("virtiotest: %s.%s FAILED: %s\n", n->name, name, why);
	failed += !ok;
}

/* Big-endian (network order) 16-bit fields. */
static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* A zeroed minimum-size broadcast frame from n of this ethertype, or NULL (the pool is empty). */
static struct netbuf *broadcast_frame(const struct nic *n, uint16_t type)
{
	struct netbuf *b = netbuf_get();
	if (!b)
		return 0;
	memset(b->data, 0, ARP_FRAME_BYTES);
	memset(b->data, 0xff, 6);
	memcpy(b->data + 6, n->mac, 6);
	put16(b->data + ETH_TYPE_OFF, type);
	b->len = ARP_FRAME_BYTES;
	return b;
}

/* An ARP request for the gateway from n's MAC, in a fresh netbuf (NULL if none). */
static struct netbuf *arp_request(const struct nic *n)
{
	struct netbuf *b = broadcast_frame(n, ETH_TYPE_ARP);
	if (!b)
		return 0;
	uint8_t *a = b->data + ARP_OFF;
	put16(a, ARP_HTYPE_ETHER);
	put16(a + 2, ARP_PTYPE_IPV4);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, ARP_OP_REQUEST);
	memcpy(a + 8, n->mac, 6);
	memcpy(a + 14, guest_ip, 4);
	memcpy(a + 24, gateway_ip, 4);
	return b;
}

/* What the receive hook saw. */
struct seen {
	unsigned frames, replies;
	uint8_t gateway_mac[6];
};

/* n->rx: counts frames and recognises the gateway's ARP reply addressed to n. */
static void rx_hook(struct nic *n, struct netbuf *b, void *ctx)
{
	struct seen *s = ctx;
	const uint8_t *f = b->data, *a = f + ARP_OFF;
	s->frames++;
	if (b->len >= ARP_OFF + ARP_BYTES && get16(f + ETH_TYPE_OFF) == ETH_TYPE_ARP && get16(a + 6) == ARP_OP_REPLY &&
	    !memcmp(f, n->mac, 6) && !memcmp(a + 14, gateway_ip, 4) && !memcmp(a + 18, n->mac, 6) &&
	    !memcmp(a + 24, guest_ip, 4)) {
		s->replies++;
		memcpy(s->gateway_mac, a + 8, 6);
	}
	netbuf_put(b);
}

/* LAPIC timer ticks in ns nanoseconds (no overflow for any ns). */
static uint64_t ns_to_lapic(uint64_t ns)
{
	uint64_t hz = time_lapic_hz();
	return (ns / NS_PER_S) * hz + (ns % NS_PER_S) * hz / NS_PER_S;
}

/* TSC ticks of the last poll that wait_for made (under QEMU's -icount shift=0, guest
 * instructions: the driver's own cost, the device's work is QEMU's). */
static uint64_t last_poll_ticks;

/* Halts until done(n) holds or ns pass: the LAPIC timer only bounds the wait; a NIC is
 * polled only after its interrupt marked it pending. True if done in time. */
static bool wait_for(struct nic *n, bool (*done)(const struct nic *n), uint64_t ns)
{
	uint64_t end = time_ns() + ns;
	while (!done(n)) {
		uint64_t now = time_ns();
		if (now >= end)
			return false;
		if (!nic_any_pending()) {
			lapic_timer_oneshot(ns_to_lapic(end - now) + 1);
			__asm__ volatile("sti; hlt; cli" ::: "memory");
			lapic_timer_stop();
		}
		uint64_t t0 = rdtsc();
		nic_poll_pending(false);
		last_poll_ticks = rdtsc() - t0;
	}
	return true;
}

/* Conditions for wait_for. */
static bool replied(const struct nic *n) { return ((const struct seen *)n->rx_ctx)->replies > 0; }
static bool tx_idle(const struct nic *n)
{
	struct virtio_net_info vi;
	virtio_net_get_info(n, &vi);
	return vi.tx_in_flight == 0;
}

/* Frame buffers the virtio-net NICs hold now (receive buffers posted, frames in flight). */
static unsigned held_by_nics(void)
{
	unsigned held = 0;
	for (unsigned i = 0;; i++) {
		struct nic *n = nic_find(NIC_PREFIX, i);
		if (!n)
			return held;
		struct virtio_net_info vi;
		virtio_net_get_info(n, &vi);
		held += vi.rx_posted + vi.tx_in_flight;
	}
}
static bool link_is_up(const struct nic *n) { return n->link_up; }

/* The ARP exchange with the gateway, answered by interrupt. */
static void test_arp(struct nic *n, struct seen *s)
{
	struct netbuf_stats ps;
	struct netbuf *b = arp_request(n);
	check(n, "arp-request-built", b != 0, "the frame-buffer pool is empty");
	if (!b)
		return;
	uint64_t irqs = n->stats.irqs, t0 = rdtsc();
	int r = n->ops->tx(n, b);
	uint64_t tx_ticks = rdtsc() - t0;
	check(n, "arp-request-sent", r == 0, "tx refused the request");
	if (r) {
		netbuf_put(b);
		return;
	}
	bool ok = wait_for(n, replied, ARP_WAIT_NS);
	check(n, "arp-reply-by-interrupt", ok && n->stats.irqs > irqs,
	      ok ? "the reply came without an interrupt" : "no ARP reply from 10.0.2.2 before the deadline");
	if (ok) {
		kprintf("virtiotest: %s 10.0.2.2 is at %02x:%02x:%02x:%02x:%02x:%02x\n", n->name, s->gateway_mac[0],
			s->gateway_mac[1], s->gateway_mac[2], s->gateway_mac[3], s->gateway_mac[4], s->gateway_mac[5]);
		kprintf("virtiotest: %s cost in TSC ticks: tx %llu, the poll that took the reply %llu\n", n->name,
			(unsigned long long)tx_ticks, (unsigned long long)last_poll_ticks);
	}
	/* The sent buffer comes back on its used entry (an interrupt too): nothing leaks. */
	ok = wait_for(n, tx_idle, ARP_WAIT_NS);
	struct virtio_net_info vi;
	virtio_net_get_info(n, &vi);
	netbuf_get_stats(&ps);
	check(n, "sent-buffer-reclaimed", ok && ps.free + held_by_nics() == ps.total,
	      "the transmit buffer was not given back to the pool");
	kprintf("virtiotest: %s counters rx=%llu tx=%llu irqs=%llu config-irqs=%llu rx_errors=%llu rx_no_buffer=%llu "
		"tx_ring_full=%llu\n", n->name, (unsigned long long)n->stats.rx_frames, (unsigned long long)n->stats.tx_frames,
		(unsigned long long)n->stats.irqs, (unsigned long long)vi.config_irqs, (unsigned long long)n->stats.rx_errors,
		(unsigned long long)n->stats.rx_no_buffer, (unsigned long long)n->stats.tx_ring_full);
}

static bool never(const struct nic *n) { (void)n; return false; }

/* Sent frames raise no interrupt (the TX queue says NO_INTERRUPT): a burst that draws no
 * answer leaves the interrupt count as it was, and the next poll takes every buffer back.
 * The count is the queue vector's, receive included: the harness's user network sends
 * nothing unasked, and the frames' ethertype is one it ignores. */
static void test_tx_quiet(struct nic *n)
{
	uint64_t irqs = n->stats.irqs;
	unsigned sent = 0;
	for (unsigned i = 0; i < QUIET_FRAMES; i++) {
		struct netbuf *b = broadcast_frame(n, ETH_TYPE_LOCAL);
		if (!b)
			break;
		if (n->ops->tx(n, b)) {
			netbuf_put(b);
			break;
		}
		sent++;
	}
	wait_for(n, never, QUIET_WAIT_NS);
	struct virtio_net_info vi;
	virtio_net_get_info(n, &vi);
	uint64_t in_flight = vi.tx_in_flight;
	check(n, "tx-raises-no-interrupt", sent == QUIET_FRAMES && n->stats.irqs == irqs,
	      sent < QUIET_FRAMES ? "the burst could not be sent" : "sent frames raised an interrupt");
	n->ops->poll(n, 0);
	struct netbuf_stats ps;
	netbuf_get_stats(&ps);
	virtio_net_get_info(n, &vi);
	check(n, "tx-reclaimed-by-poll", vi.tx_in_flight == 0 && ps.free + held_by_nics() == ps.total,
	      "a sent buffer stayed in the transmit queue after a poll");
	kprintf("virtiotest: %s quiet burst: %u frames, irqs %llu -> %llu, %llu in flight before the poll\n", n->name,
		sent, (unsigned long long)irqs, (unsigned long long)n->stats.irqs, (unsigned long long)in_flight);
}

/* Quiet (nic_quiet): the receive queue asks for no interrupt, so a second ARP exchange is
 * found by polling alone; back on, a third one comes by interrupt again. */
static void test_rx_quiet(struct nic *n, struct seen *s)
{
	bool polled = false, by_irq = false;
	nic_quiet(true);
	uint64_t irqs = n->stats.irqs;
	s->replies = 0;
	struct netbuf *b = arp_request(n);
	if (b && n->ops->tx(n, b)) {
		netbuf_put(b);
		b = 0;
	}
	if (b)
		polled = wait_for(n, replied, ARP_WAIT_NS); /* (quiet: pending stays set, it never halts) */
	selftest_interrupt_window(SELFTEST_WINDOW_NS); /* the reply raised nothing to take */
	uint64_t quiet_irqs = n->stats.irqs - irqs;
	nic_quiet(false);
	check(n, "rx-quiet-by-poll", polled && quiet_irqs == 0,
	      !b ? "the request could not be sent" : polled ? "the reply came with an interrupt while quiet" :
		   "no reply by polling");
	selftest_interrupt_window(SELFTEST_WINDOW_NS); /* (what came while quiet may interrupt now) */
	nic_poll_pending(false);  /* the pass nic_quiet(false) leaves pending */
	irqs = n->stats.irqs;
	s->replies = 0;
	if ((b = arp_request(n)) && n->ops->tx(n, b)) {
		netbuf_put(b);
		b = 0;
	}
	if (b)
		by_irq = wait_for(n, replied, ARP_WAIT_NS) && n->stats.irqs > irqs;
	check(n, "rx-irq-after-quiet", by_irq, b ? "no reply by interrupt" : "the request could not be sent");
}

/* Transmit refuses what it must not take, and keeps the caller's reference then. */
static void test_tx_refusals(struct nic *n)
{
	struct netbuf *b = netbuf_get();
	if (!b)
		return;
	b->len = TOO_LONG_FRAME;
	int r = n->ops->tx(n, b);
	check(n, "tx-too-long-refused", r == -UV_EMSGSIZE && b->refs == 1, "a frame over NETBUF_FRAME_MAX was taken");
	netbuf_put(b);
}

/* A NIC whose link QEMU holds down: link down, nothing sent; then the harness sets it
 * up and the configuration-change interrupt brings the link. */
static void test_link_down(struct nic *n)
{
	struct virtio_net_info vi;
	check(n, "link-down-at-start", !n->link_up, "the link was up");
	struct netbuf *b = arp_request(n);
	if (b) {
		int r = n->ops->tx(n, b);
		virtio_net_get_info(n, &vi);
		check(n, "tx-refused-without-link", r == -UV_ENETDOWN && b->refs == 1,
		      "tx took a frame while the link is down");
		check(n, "nothing-sent-without-link", vi.tx_offered == 0 && n->stats.tx_frames == 0,
		      "a frame reached the transmit queue");
		if (r)
			netbuf_put(b);
	}
	kprintf("virtiotest: waiting for the link of %s (set_link on)\n", n->name);
	bool up = wait_for(n, link_is_up, LINK_WAIT_NS);
	virtio_net_get_info(n, &vi);
	bool by_irq = vi.vectors == 2 ? vi.config_irqs > 0 : n->stats.irqs > 0;
	check(n, "link-up-by-config-interrupt", up && by_irq && vi.link_changes == 1,
	      up ? "the link came up without a configuration interrupt" : "the link did not come up in time");
}

/* Every check of one NIC: what it negotiated, its queues, then link and traffic. */
static void test_nic(struct nic *n, bool link_down)
{
	static struct seen seen[8];
	struct virtio_net_info vi;
	virtio_net_get_info(n, &vi);
	kprintf("virtiotest: %s mac %02x:%02x:%02x:%02x:%02x:%02x link %s, %u MSI-X vector%s, rx %u/%u tx %u/%u\n",
		n->name, n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5], n->link_up ? "up" : "down",
		vi.vectors, vi.vectors == 1 ? "" : "s", vi.rx_size, vi.rx_device_max, vi.tx_size, vi.tx_device_max);
	check(n, "features", vi.features == VIRTIO_NET_FEATURES, "not exactly VERSION_1, MAC and STATUS");
	check(n, "queues", vi.rx_size && vi.rx_size <= VIRTQ_SIZE_MAX && vi.rx_size <= vi.rx_device_max &&
				   vi.tx_size && vi.tx_size <= VIRTQ_SIZE_MAX && vi.rx_posted > 0,
	      "a queue size is beyond what the device or the driver allows, or no receive buffer is posted");
	struct seen *s = &seen[n->index % 8];
	memset(s, 0, sizeof(*s));
	n->rx = rx_hook;
	n->rx_ctx = s;
	if (link_down) {
		test_link_down(n);
		if (!n->link_up)
			return;
	} else {
		check(n, "link-up", n->link_up, "the link is down");
	}
	test_tx_refusals(n);
	test_arp(n, s);
	test_tx_quiet(n);
	test_rx_quiet(n, s);
	n->rx = 0;
}

void selftest_virtio(const char *mode)
{
	bool link_down = !strcmp(mode, "linkdown");
	kprintf("virtiotest: start%s\n", link_down ? " (link down at first)" : "");
	/* NICs (and the PCI scan they need) come up only for an appliance's ports or a self-test
	 * (both calls leave what is already there as it is). */
	if (netbuf_pool_init(NETBUFS))
		kprintf("virtiotest: FAILED: no memory for the frame-buffer pool\n");
	nic_init();
	unsigned devices = 0, tested = 0;
	for (unsigned i = 0; i < pci_count(); i++) {
		const struct pci_dev *d = pci_get(i);
		devices += d->vendor == VIRTIO_PCI_VENDOR &&
			   (d->device == VIRTIO_NET_PCI_DEVICE || d->device == VIRTIO_NET_PCI_TRANSITIONAL);
	}
	for (unsigned i = 0;; i++) {
		struct nic *n = nic_find(NIC_PREFIX, i);
		if (!n)
			break;
		test_nic(n, link_down);
		tested++;
	}
	if (!devices)
		kprintf("virtiotest: no virtio-net device on the PCI bus: the driver was not probed\n");
	else if (!tested)
		kprintf("virtiotest: none of the %u virtio-net device%s came up\n", devices, devices == 1 ? "" : "s");
	kprintf("virtiotest: done, %u NIC%s tested, %u failed\n", tested, tested == 1 ? "" : "s", failed);
}
