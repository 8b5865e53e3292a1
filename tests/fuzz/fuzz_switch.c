/* tests/fuzz/fuzz_switch.c: libFuzzer target: kernel/net/switch.c over random topologies, frames from random ports, queue takes, flushes, time jumps and NIC failures; checks isolation, the door rules, counters and that no buffer leaks. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/net/switch.h"
#include "kernel/dev/netbuf.h"
#include "tests/unit/netgen.h"
#include "include/abi/uv_errno.h"

/*
 * Input: VNICS bytes of topology, then operations of OP_BYTES each.
 *   topology byte i (vNIC i): bits 0..1 segment (3 = the first again), bit 2 promiscuous,
 *     bit 3 ANY_SRC, bits 4..7 queue depth - 1. Segments: 0 bridged to port 0, 1 internal,
 *     2 bridged to port 1; the apps own vNICs in turn.
 *   op [0] kind (below), [1] port, [2] destination, [3] source (address selectors),
 *     [4..5] length (selector), [6] flags (bit 0: 802.1Q tag), [7] time step.
 * An address selector's low 4 bits pick vNIC n's MAC (0..VNICS-1), broadcast, multicast,
 * a reserved address, zero, or one of 16 outside hosts (the high bits say which).
 */
#define VNICS 10
#define OP_BYTES 8
#define NICS 2
#define POOL 512
#define HELD_MAX 8 /* frames a fake NIC holds before it "completes" the oldest */

enum { OP_INPUT0, OP_INPUT1, OP_INPUT2, OP_INPUT3, OP_TAKE, OP_FLUSH, OP_NIC_MODE, OP_TIME };
enum { NIC_OK, NIC_FULL, NIC_DOWN, NIC_UNBOUND };

#define CHECK(c)                   \
	do {                       \
		if (!(c))          \
			abort();   \
	} while (0)

static struct sw s;
static struct nic {
	int mode;
	struct netbuf *held[HELD_MAX];
	unsigned n;
} nics[NICS];

/* What the switch is doing with the frame now going through sw_input. */
static struct {
	bool active;
	unsigned in;
	uint64_t seen[SW_MASK_WORDS]; /* ports it came out of */
	unsigned outs;
} cur;

static int nic_tx(void *ctx, struct netbuf *b)
{
	struct nic *n = ctx;
	if (n->mode == NIC_FULL)
		return -UV_EAGAIN;
	if (n->mode == NIC_DOWN)
		return -UV_ENETDOWN;
	if (n->n == HELD_MAX) {
		netbuf_put(n->held[0]);
		memmove(n->held, n->held + 1, (HELD_MAX - 1) * sizeof(n->held[0]));
		n->n--;
	}
	n->held[n->n++] = b;
	return 0;
}

static void nic_drain(struct nic *n)
{
	while (n->n)
		netbuf_put(n->held[--n->n]);
}

static bool is_local_vnic_mac(const uint8_t *mac, unsigned segment, unsigned *which)
{
	for (unsigned i = s.n_uplinks; i < s.n_ports; i++) {
		if (s.ports[i].segment == segment && !memcmp(s.ports[i].mac, mac, ETH_ALEN)) {
			*which = i;
			return true;
		}
	}
	return false;
}

/* Every frame out: inside the ingress segment, never back, once per port, sizes sane, a
 * plain vNIC gets only its own unicast and group frames, an uplink never a local vNIC's. */
static void capture(const struct sw_port *p, const struct netbuf *b, bool out)
{
	CHECK(cur.active);
	CHECK(b->len >= ETH_ZLEN && b->len <= ETH_FRAME_MAX_TAGGED);
	if (!out) {
		CHECK(p->index == cur.in);
		return;
	}
	const struct sw_port *in = &s.ports[cur.in];
	CHECK(p->index != cur.in);
	CHECK(p->segment == in->segment);
	CHECK(!(cur.seen[p->index / 64] & (1ull << (p->index % 64))));
	cur.seen[p->index / 64] |= 1ull << (p->index % 64);
	cur.outs++;
	const uint8_t *dst = b->data;
	unsigned owner;
	CHECK(!(dst[0] == 0x01 && dst[1] == 0x80 && dst[2] == 0xc2 && !dst[3] && !dst[4] && dst[5] < 0x10));
	if (!eth_is_group(dst)) {
		bool local = is_local_vnic_mac(dst, in->segment, &owner);
		if (p->is_uplink) {
			CHECK(!local);
		} else if (!(p->flags & UV_VNIC_PROMISC)) {
			if (local)
				CHECK(owner == p->index);
			else
				CHECK(p->flags & UV_VNIC_ANY_SRC); /* learned behind it: only a bridge */
		}
	}
}

static void mac_for(uint8_t mac[ETH_ALEN], uint8_t sel)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	unsigned k = sel & 15, hi = sel >> 4;
	memset(mac, 0, ETH_ALEN);
	if (k < VNICS) {
		memcpy(mac, s.ports[s.n_uplinks + k].mac, ETH_ALEN);
	} else if (k == 10) {
		memcpy(mac, bcast, 6);
	} else if (k == 11) {
		memcpy(mac, mcast, 6);
		mac[5] = (uint8_t)hi;
	} else if (k == 12) {
		const uint8_t r[6] = { 0x01, 0x80, 0xc2, 0, 0, (uint8_t)hi };
		memcpy(mac, r, 6);
	} else if (k == 13) {
		/* zero */
	} else {
		const uint8_t h[6] = { 0x02, 0x77, 0, 0, (uint8_t)(k & 1), (uint8_t)hi };
		memcpy(mac, h, 6);
	}
}

static unsigned length_for(const uint8_t *p)
{
	static const unsigned edges[] = { 0, 13, 14, 59, 60, 61, 1514, 1515, 1518, 1519, NETBUF_BYTES, UINT16_MAX };
	unsigned v = (unsigned)p[0] | (unsigned)p[1] << 8;
	if (v & 0x8000)
		return edges[(v & 0xff) % (sizeof(edges) / sizeof(edges[0]))];
	return v % 1600;
}

static void *malloc_zero(uint64_t bytes) { return calloc(1, bytes); }
static void free_sized(void *p, uint64_t bytes)
{
	(void)bytes;
	free(p);
}

static struct netbuf *held_by[POOL]; /* scratch: one holder count per buffer */
static unsigned holders[POOL];

/* References: each buffer's count equals its holders (queue slots, NIC holds); the pool's
 * free count equals the buffers nobody holds. */
static void check_refs(void)
{
	struct netbuf_stats st;
	netbuf_get_stats(&st);
	memset(holders, 0, sizeof(holders));
	unsigned distinct = 0;
	for (unsigned i = 0; i < s.n_ports; i++) {
		struct sw_port *p = &s.ports[i];
		CHECK(p->count <= p->depth);
		for (unsigned k = 0; k < p->count; k++) {
			struct netbuf *b = p->queue[(p->head + k) % p->depth];
			CHECK(b && b->index < POOL);
			distinct += !holders[b->index]++;
			held_by[b->index] = b;
		}
	}
	for (unsigned n = 0; n < NICS; n++) {
		for (unsigned k = 0; k < nics[n].n; k++) {
			struct netbuf *b = nics[n].held[k];
			distinct += !holders[b->index]++;
			held_by[b->index] = b;
		}
	}
	for (unsigned i = 0; i < POOL; i++)
		if (holders[i])
			CHECK(held_by[i]->refs == holders[i]);
	CHECK(st.total - st.free == distinct);
}

/* Live learned entries: hosts behind ANY_SRC vNICs of their segment only, never a vNIC's
 * own MAC (the rules in switch.h). */
static void check_learned(uint64_t now)
{
	for (unsigned i = 0; i < SW_LEARN_SLOTS; i++) {
		const struct sw_learned *e = &s.learned[i];
		if (!e->key || now - e->seen_ns > SW_LEARN_AGE_NS)
			continue;
		uint8_t mac[ETH_ALEN];
		for (unsigned k = 0; k < ETH_ALEN; k++)
			mac[k] = (uint8_t)(e->key >> (8 * k));
		unsigned owner, seg = (unsigned)(e->key >> 48) & 0xff;
		CHECK(!is_local_vnic_mac(mac, seg, &owner));
		CHECK(e->port < s.n_ports && s.ports[e->port].segment == seg);
		CHECK(!s.ports[e->port].is_uplink && (s.ports[e->port].flags & UV_VNIC_ANY_SRC));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < VNICS)
		return 0;
	netbuf_pool_init(POOL);
	struct netgen g;
	memset(&g, 0, sizeof(g));
	g.n_apps = 4;
	unsigned p0 = netgen_port(&g, "wan"), p1 = netgen_port(&g, "lan");
	netgen_segment(&g, "outside", p0);
	netgen_segment(&g, "inside", UV_SEGMENT_INTERNAL);
	netgen_segment(&g, "dmz", p1);
	for (unsigned i = 0; i < VNICS; i++) {
		uint8_t t = data[i], mac[6] = { 0x52, 0x54, 0, 0, 0, (uint8_t)(i + 1) };
		uint32_t flags = (t & 4 ? UV_VNIC_PROMISC : 0) | (t & 8 ? UV_VNIC_ANY_SRC : 0);
		netgen_vnic(&g, "v", i % g.n_apps, (t & 3) % 3, mac, flags, 1 + (t >> 4));
	}
	struct uv_manifest *m = netgen_build(&g);
	CHECK(sw_setup(&s, m, malloc_zero, free_sized) == 0);
	free(m);
	for (unsigned n = 0; n < NICS; n++) {
		nics[n].mode = NIC_OK;
		sw_bind_uplink(&s.ports[n], nic_tx, 0, &nics[n]);
	}
	for (unsigned i = 0; i < s.n_ports; i++)
		s.ports[i].capture = capture;

	uint64_t now = 1, inputs = 0;
	for (size_t off = VNICS; off + OP_BYTES <= size; off += OP_BYTES) {
		const uint8_t *op = data + off;
		struct sw_port *p = &s.ports[op[1] % s.n_ports];
		switch (op[0] % 8) {
		case OP_TAKE: {
			struct netbuf *b = sw_vnic_take(p);
			if (b)
				netbuf_put(b);
			break;
		}
		case OP_FLUSH:
			sw_vnic_flush(p);
			break;
		case OP_NIC_MODE:
			nics[op[1] % NICS].mode = op[2] % 4;
			sw_bind_uplink(&s.ports[op[1] % NICS], nics[op[1] % NICS].mode == NIC_UNBOUND ? 0 : nic_tx, 0,
				       &nics[op[1] % NICS]);
			break;
		case OP_TIME:
			now += op[7] & 0x80 ? (SW_LEARN_AGE_NS / 2) * (op[7] & 3) : (uint64_t)op[7] * 1000;
			break;
		default: {
			struct netbuf *b = netbuf_get();
			if (!b)
				break;
			uint8_t dst[6], src[6];
			mac_for(dst, op[2]);
			mac_for(src, op[3]);
			memset(b->data, op[7], NETBUF_BYTES);
			memcpy(b->data + ETH_DST_OFF, dst, 6);
			memcpy(b->data + ETH_SRC_OFF, src, 6);
			if (op[6] & 1)
				b->data[ETH_TYPE_OFF] = 0x81, b->data[ETH_TYPE_OFF + 1] = 0x00;
			unsigned len = length_for(op + 4);
			b->len = (uint16_t)len;
			memset(&cur, 0, sizeof(cur));
			cur.active = true;
			cur.in = p->index;
			uint64_t rx_before = p->stats.rx_frames;
			int r = sw_input(&s, p, b, now);
			cur.active = false;
			inputs++;
			/* The door: a plain vNIC never gets a foreign source through; refusals deliver nothing. */
			if (!p->is_uplink && !(p->flags & UV_VNIC_ANY_SRC) && memcmp(src, p->mac, 6))
				CHECK(r != 0);
			CHECK(r == 0 || r == -UV_EMSGSIZE || r == -UV_EPERM);
			if (r) {
				CHECK(cur.outs == 0 && p->stats.rx_frames == rx_before);
			} else {
				/* Taken in: a unicast source that no other local vNIC owns. */
				unsigned owner;
				CHECK(p->stats.rx_frames == rx_before + 1);
				CHECK(!eth_is_group(src) && !eth_is_zero(src));
				CHECK(!is_local_vnic_mac(src, p->segment, &owner) || owner == p->index);
			}
			break;
		}
		}
		check_refs();
	}
	check_learned(now);

	/* Every input counted once: taken in, or refused at the door. */
	uint64_t counted = 0;
	for (unsigned i = 0; i < s.n_ports; i++) {
		const struct sw_port_stats *st = &s.ports[i].stats;
		counted += st->rx_frames + st->drops[SW_DROP_SIZE] + st->drops[SW_DROP_SPOOFED] + st->drops[SW_DROP_RESERVED];
	}
	CHECK(counted == inputs);

	/* Nothing leaks: with the queues and NICs emptied every buffer is back. */
	sw_free(&s, free_sized);
	for (unsigned n = 0; n < NICS; n++)
		nic_drain(&nics[n]);
	struct netbuf_stats st;
	netbuf_get_stats(&st);
	CHECK(st.free == st.total);
	return 0;
}
