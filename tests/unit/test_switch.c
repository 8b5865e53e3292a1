/* tests/unit/test_switch.c: the virtual switch (kernel/net/switch.c) over the real netbuf pool: setup, the forwarding matrix, isolation, spoofing, learning and ageing, queues, sizes, references, counters. */
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "tests/unit/netgen.h"
#include "tests/unit/fake_console.h"
#include "kernel/net/switch.h"
#include "kernel/dev/netbuf.h"
#include "include/abi/uv_errno.h"

#define POOL_BUFFERS 512
#define T0 1000000000ull /* a start time well above 0 */

/* ---- The pool, allocations, a fake NIC ---- */

/* Free buffers now; fails the test (returns 0) when the pool cannot be had. */
static unsigned pool_free(void)
{
	struct netbuf_stats st;
	netbuf_pool_init(POOL_BUFFERS); /* once: later calls add nothing */
	netbuf_get_stats(&st);
	return st.total >= 256 ? st.free : 0;
}

static long alloc_live;   /* allocations not yet released */
static int alloc_fail_at; /* the nth call of fake_alloc fails (0: none) */
static int alloc_calls;

static void *fake_alloc(uint64_t bytes)
{
	if (++alloc_calls == alloc_fail_at)
		return 0;
	alloc_live++;
	return calloc(1, bytes);
}

static void fake_release(void *p, uint64_t bytes)
{
	(void)bytes;
	alloc_live--;
	free(p);
}

/* An uplink's NIC: takes frames (holding their references) or answers result. */
struct fake_nic {
	int result;
	unsigned held, taken;
	struct netbuf *bufs[4096];
	bool sink; /* put taken frames at once instead of holding them */
	bool link;
};

static int fake_tx(void *ctx, struct netbuf *b)
{
	struct fake_nic *n = ctx;
	if (n->result)
		return n->result;
	n->taken++;
	if (n->sink || n->held == sizeof(n->bufs) / sizeof(n->bufs[0]))
		netbuf_put(b);
	else
		n->bufs[n->held++] = b;
	return 0;
}

static bool fake_link(void *ctx) { return ((struct fake_nic *)ctx)->link; }

static void nic_drain(struct fake_nic *n)
{
	while (n->held)
		netbuf_put(n->bufs[--n->held]);
}

/* ---- The topology most tests use ----
 * segment outside: uplink wan; A, B (queue 4), BR (a bridge: ANY_SRC), P (promiscuous)
 * segment inside (internal): C, D, E (promiscuous)
 * segment dmz: uplink lan; F
 * manifest port 2 ("spare") bridges nothing. Switch ports: wan, lan, then the vNICs. */
enum { WAN, LAN, A, B, BR, P, C, D, E, F, N_PORTS };
#define BIT(p) (1ull << (p))
#define B_QUEUE 4

static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t MCAST[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t HOST_H[6] = { 0x02, 0xaa, 0, 0, 0, 0x01 }; /* behind BR */
static const uint8_t HOST_X[6] = { 0x02, 0xbb, 0, 0, 0, 0x01 }; /* behind wan */
static const uint8_t UNKNOWN[6] = { 0x02, 0xcc, 0, 0, 0, 0x01 };

static void mac_of(uint8_t mac[6], unsigned n)
{
	const uint8_t m[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, (uint8_t)n };
	memcpy(mac, m, 6);
}

struct ctx {
	struct sw s;
	struct fake_nic wan, lan;
	unsigned free0; /* the pool's free buffers before */
	long alloc0;    /* allocations live before (a failed test before this one may leak) */
	uint64_t now;
};

static struct ctx *ctx_new_with(struct netgen *g)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct uv_manifest *m = netgen_build(g);
	c->free0 = pool_free();
	c->alloc0 = alloc_live;
	alloc_calls = alloc_fail_at = 0;
	int r = sw_setup(&c->s, m, fake_alloc, fake_release);
	free(m);
	if (r || !c->free0) {
		free(c);
		return 0;
	}
	c->wan.link = c->lan.link = true;
	sw_bind_uplink(&c->s.ports[WAN], fake_tx, fake_link, &c->wan);
	sw_bind_uplink(&c->s.ports[LAN], fake_tx, fake_link, &c->lan);
	c->now = T0;
	return c;
}

static void topo_gen(struct netgen *g)
{
	uint8_t mac[6];
	memset(g, 0, sizeof(*g));
	g->n_apps = 4;
	unsigned wan = netgen_port(g, "wan"), lan = netgen_port(g, "lan");
	netgen_port(g, "spare");
	unsigned out = netgen_segment(g, "outside", wan);
	unsigned in = netgen_segment(g, "inside", UV_SEGMENT_INTERNAL);
	unsigned dmz = netgen_segment(g, "dmz", lan);
	mac_of(mac, 1), netgen_vnic(g, "a", 0, out, mac, UV_VNIC_GRANTED, 64);
	mac_of(mac, 2), netgen_vnic(g, "b", 1, out, mac, UV_VNIC_GRANTED, B_QUEUE);
	mac_of(mac, 3), netgen_vnic(g, "br", 1, out, mac, UV_VNIC_ANY_SRC, 64);
	mac_of(mac, 4), netgen_vnic(g, "p", 2, out, mac, UV_VNIC_PROMISC, 64);
	mac_of(mac, 5), netgen_vnic(g, "c", 0, in, mac, 0, 64);
	mac_of(mac, 6), netgen_vnic(g, "d", 1, in, mac, 0, 64);
	mac_of(mac, 7), netgen_vnic(g, "e", 2, in, mac, UV_VNIC_PROMISC, 64);
	mac_of(mac, 8), netgen_vnic(g, "f", 3, dmz, mac, 0, 64);
}

static struct ctx *topo(void)
{
	struct netgen g;
	topo_gen(&g);
	return ctx_new_with(&g);
}

/* Empties every queue and NIC; true if every buffer is back in the pool and every queue
 * allocation released. Frees c. */
static bool ctx_done(struct ctx *c)
{
	nic_drain(&c->wan);
	nic_drain(&c->lan);
	sw_free(&c->s, fake_release);
	bool ok = pool_free() == c->free0 && alloc_live == c->alloc0;
	free(c);
	return ok;
}

/* A frame of len bytes (at least 14) from src to dst, its payload bytes seq-stamped. */
static struct netbuf *frame(const uint8_t *dst, const uint8_t *src, unsigned len, uint32_t seq)
{
	struct netbuf *b = netbuf_get();
	if (!b)
		abort();
	memset(b->data, 0xee, NETBUF_BYTES);
	memcpy(b->data, dst, 6);
	memcpy(b->data + 6, src, 6);
	b->data[12] = 0x08, b->data[13] = 0x00;
	memcpy(b->data + 14, &seq, sizeof(seq));
	b->len = (uint16_t)len;
	return b;
}

static const uint8_t *mac(struct ctx *c, unsigned port) { return c->s.ports[port].mac; }

static int send_len(struct ctx *c, unsigned from, const uint8_t *dst, const uint8_t *src, unsigned len)
{
	return sw_input(&c->s, &c->s.ports[from], frame(dst, src, len, 0), c->now);
}

static int send(struct ctx *c, unsigned from, const uint8_t *dst, const uint8_t *src)
{
	return send_len(c, from, dst, src, 100);
}

/* The ports that got something since the last call, as a mask (a port that got more than
 * one frame sets bit 63); then empties the queues and NICs. */
static uint64_t got(struct ctx *c)
{
	uint64_t mask = 0;
	for (unsigned i = 0; i < c->s.n_ports; i++) {
		struct sw_port *p = &c->s.ports[i];
		unsigned n = p->is_uplink ? (i == WAN ? c->wan.held : c->lan.held) : p->count;
		if (n)
			mask |= BIT(i);
		if (n > 1)
			mask |= BIT(63);
		sw_vnic_flush(p);
	}
	nic_drain(&c->wan);
	nic_drain(&c->lan);
	return mask;
}

/* Sends one frame and returns the ports it reached, as got() does; with REFUSED set if
 * sw_input refused it at the door. */
#define REFUSED BIT(62)
static uint64_t route(struct ctx *c, unsigned from, const uint8_t *dst, const uint8_t *src)
{
	int r = send(c, from, dst, src);
	return got(c) | (r ? REFUSED : 0);
}

/* ---- Setup ---- */

TEST(setup_maps_ports_vnics_and_handles)
{
	struct ctx *c = topo();
	CHECK(c);
	struct sw *s = &c->s;
	CHECK_EQ(s->n_ports, N_PORTS);
	CHECK_EQ(s->n_uplinks, 2);
	CHECK_EQ(s->n_vnics, 8);
	CHECK(sw_uplink(s, 0) == &s->ports[WAN]);
	CHECK(sw_uplink(s, 1) == &s->ports[LAN]);
	CHECK(sw_uplink(s, 2) == 0); /* bridges no segment */
	CHECK(sw_uplink(s, 3) == 0);
	CHECK(sw_uplink(s, 1000) == 0);
	CHECK(sw_vnic(s, 0) == &s->ports[A]);
	CHECK(sw_vnic(s, 7) == &s->ports[F]);
	CHECK(sw_vnic(s, 8) == 0);
	CHECK(sw_app_vnic(s, 0, 0) == &s->ports[A]);
	CHECK(sw_app_vnic(s, 0, 1) == &s->ports[C]);
	CHECK(sw_app_vnic(s, 1, 0) == &s->ports[B]);
	CHECK(sw_app_vnic(s, 1, 1) == &s->ports[BR]);
	CHECK(sw_app_vnic(s, 1, 2) == &s->ports[D]);
	CHECK(sw_app_vnic(s, 1, 3) == 0);
	CHECK(sw_app_vnic(s, 3, 0) == &s->ports[F]);
	CHECK(sw_app_vnic(s, 4, 0) == 0);
	CHECK(sw_app_vnic(s, UV_MANIFEST_MAX_APPS, 0) == 0);
	CHECK(sw_app_vnic(s, 0, 1ull << 40) == 0);
	CHECK_EQ(s->ports[D].handle, 2);
	CHECK_EQ(s->ports[D].app, 1);
	CHECK_EQ(s->ports[D].manifest_index, 5);
	CHECK_EQ(s->ports[B].depth, B_QUEUE);
	CHECK_STR(s->ports[BR].name, "br");
	CHECK_STR(s->ports[LAN].name, "lan");
	CHECK(s->ports[LAN].is_uplink);
	CHECK_EQ(s->ports[LAN].manifest_index, 1);
	CHECK_EQ(s->n_segments, 3);
	CHECK_STR(s->segments[1].name, "inside");
	CHECK_EQ(s->segments[0].uplink, WAN);
	CHECK_EQ(s->segments[1].uplink, -1);
	CHECK_EQ(s->segments[2].uplink, LAN);
	CHECK_EQ(s->ports[F].segment, 2);
	CHECK(ctx_done(c));
}

/* Records at an odd offset (the blob need not be aligned) give the same switch. */
TEST(setup_reads_unaligned_records)
{
	struct netgen g;
	topo_gen(&g);
	g.net_pad = 3;
	struct ctx *c = ctx_new_with(&g);
	CHECK(c);
	CHECK_EQ(c->s.n_ports, N_PORTS);
	CHECK_STR(c->s.ports[F].name, "f");
	CHECK_EQ(c->s.ports[F].mac[5], 8);
	CHECK(ctx_done(c));
}

TEST(setup_without_network_is_empty)
{
	struct netgen g;
	memset(&g, 0, sizeof(g));
	g.n_apps = 1;
	struct uv_manifest *m = netgen_build(&g);
	static struct sw s;
	CHECK_EQ(sw_setup(&s, m, fake_alloc, fake_release), 0);
	free(m);
	CHECK_EQ(s.n_ports, 0);
	CHECK(sw_uplink(&s, 0) == 0);
	CHECK(sw_vnic(&s, 0) == 0);
	CHECK(sw_app_vnic(&s, 0, 0) == 0);
	unsigned free0 = pool_free();
	struct netbuf *b = netbuf_get();
	b->len = 100;
	CHECK_EQ(sw_input(&s, &s.ports[0], b, T0), -UV_EINVAL);
	CHECK_EQ(pool_free(), free0);
}

/* Builds topo, lets spoil spoil it, and returns sw_setup's result; *clean tells whether a
 * failed setup left nothing allocated and the switch empty. */
static int setup_spoiled(void (*spoil)(struct netgen *, struct uv_manifest **), bool *clean)
{
	struct netgen g;
	topo_gen(&g);
	struct uv_manifest *m = 0;
	spoil(&g, &m);
	if (!m)
		m = netgen_build(&g);
	spoil(0, &m);
	static struct sw s;
	long alloc0 = alloc_live;
	alloc_calls = 0;
	int r = sw_setup(&s, m, fake_alloc, fake_release);
	free(m);
	if (r)
		*clean = alloc_live == alloc0 && s.n_ports == 0 && s.n_vnics == 0 && sw_uplink(&s, 0) == 0;
	else
		sw_free(&s, fake_release);
	return r;
}

/* Each spoiler is called twice: with the generator (before the build), then with g NULL
 * and the built manifest. */
#define SPOIL(name, before, after)                                                  \
	static void spoil_##name(struct netgen *g, struct uv_manifest **mp)         \
	{                                                                           \
		struct uv_manifest *m = *mp;                                        \
		(void)m;                                                            \
		if (g) {                                                            \
			before;                                                     \
		} else {                                                            \
			after;                                                      \
		}                                                                   \
	}
SPOIL(vnic_segment, g->vnics[3].segment = 3, )
SPOIL(vnic_segment_huge, g->vnics[0].segment = 0xffffffffu, )
SPOIL(segment_port, g->segments[1].port = 3, )
SPOIL(port_twice, g->segments[1].port = 0, )
SPOIL(queue_zero, g->vnics[2].queue = 0, )
SPOIL(queue_big, g->vnics[2].queue = UV_VNIC_QUEUE_MAX + 1, )
SPOIL(flags, g->vnics[1].flags = 8, )
SPOIL(mac_multicast, g->vnics[1].mac[0] |= 1, )
SPOIL(mac_zero, memset(g->vnics[1].mac, 0, 6), )
SPOIL(mac_twice, memcpy(g->vnics[1].mac, g->vnics[0].mac, 6), )
SPOIL(app, g->vnics[7].app = 4, )
SPOIL(app_huge, g->vnics[7].app = 0x80000000u, )
SPOIL(too_many_counts, , m->n_vnics = UV_MANIFEST_MAX_VNICS + 1)
SPOIL(too_many_ports, , m->n_ports = UV_MANIFEST_MAX_PORTS + 1)
SPOIL(too_many_segments, , m->n_segments = UV_MANIFEST_MAX_SEGMENTS + 1)
SPOIL(net_size, , m->net.size -= 1)
SPOIL(net_off, , m->net.off = m->total_size + 1)
SPOIL(net_past_end, , m->net.off += 8)
SPOIL(net_wraps, , m->net.off = UINT64_MAX - 8)
static void spoil_nine_vnics(struct netgen *g, struct uv_manifest **mp)
{
	(void)mp;
	if (!g)
		return;
	for (unsigned i = 0; i < UV_APP_MAX_VNICS; i++) { /* app 3 has f already: one too many */
		uint8_t mac[6] = { 0x52, 0x54, 0x01, 0, 0, (uint8_t)i };
		netgen_vnic(g, "more", 3, 2, mac, 0, 1);
	}
}

TEST(setup_rejects_bad_records_and_keeps_nothing)
{
	static const struct {
		const char *name;
		void (*spoil)(struct netgen *, struct uv_manifest **);
	} cases[] = {
		{ "vnic_segment", spoil_vnic_segment }, { "vnic_segment_huge", spoil_vnic_segment_huge },
		{ "segment_port", spoil_segment_port }, { "port_twice", spoil_port_twice },
		{ "queue_zero", spoil_queue_zero }, { "queue_big", spoil_queue_big }, { "flags", spoil_flags },
		{ "mac_multicast", spoil_mac_multicast }, { "mac_zero", spoil_mac_zero },
		{ "mac_twice", spoil_mac_twice }, { "app", spoil_app }, { "app_huge", spoil_app_huge },
		{ "too_many_counts", spoil_too_many_counts }, { "too_many_ports", spoil_too_many_ports },
		{ "too_many_segments", spoil_too_many_segments }, { "net_size", spoil_net_size },
		{ "net_off", spoil_net_off }, { "net_past_end", spoil_net_past_end }, { "net_wraps", spoil_net_wraps },
		{ "nine_vnics", spoil_nine_vnics },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool clean = false;
		int r = setup_spoiled(cases[i].spoil, &clean);
		if (r != -UV_EINVAL || !clean) {
			char why[128];
			snprintf(why, sizeof(why), "%s: sw_setup gave %d, clean %d", cases[i].name, r, clean);
			unit_fail(__FILE__, __LINE__, why);
			return;
		}
	}
}

/* The same MAC on two segments is no conflict for the switch (each segment is apart). */
TEST(setup_same_mac_on_two_segments)
{
	struct netgen g;
	topo_gen(&g);
	memcpy(g.vnics[4].mac, g.vnics[0].mac, 6); /* c (inside) takes a's MAC (outside) */
	struct ctx *c = ctx_new_with(&g);
	CHECK(c);
	CHECK_EQ(route(c, B, mac(c, A), mac(c, B)), BIT(A) | BIT(P));
	CHECK_EQ(route(c, D, mac(c, C), mac(c, D)), BIT(C) | BIT(E));
	CHECK(ctx_done(c));
}

TEST(setup_out_of_memory_releases_everything)
{
	for (int k = 1; k <= 8; k++) {
		struct netgen g;
		topo_gen(&g);
		struct uv_manifest *m = netgen_build(&g);
		static struct sw s;
		long alloc0 = alloc_live;
		alloc_calls = 0;
		alloc_fail_at = k;
		int r = sw_setup(&s, m, fake_alloc, fake_release);
		alloc_fail_at = 0;
		free(m);
		CHECK_EQ(r, -UV_ENOMEM);
		CHECK_EQ(alloc_live, alloc0);
		CHECK_EQ(s.n_ports, 0);
	}
}

/* ---- The forwarding matrix ---- */

TEST(unicast_to_a_vnic)
{
	struct ctx *c = topo();
	CHECK(c);
	CHECK_EQ(send(c, A, mac(c, B), mac(c, A)), 0);
	/* One buffer, one reference per holder: b's queue and p's. */
	struct netbuf *qb = sw_vnic_peek(&c->s.ports[B]);
	CHECK(qb && qb == sw_vnic_peek(&c->s.ports[P]));
	CHECK_EQ(qb->refs, 2);
	CHECK_EQ(got(c), BIT(B) | BIT(P));
	CHECK_EQ(c->s.ports[A].stats.rx_frames, 1);
	CHECK_EQ(c->s.ports[A].stats.rx_bytes, 100);
	CHECK_EQ(c->s.ports[B].stats.tx_frames, 1);
	CHECK_EQ(c->s.ports[B].stats.tx_bytes, 100);
	CHECK_EQ(c->s.ports[WAN].stats.tx_frames, 0);
	CHECK(ctx_done(c));
}

TEST(unicast_to_where_it_was_learned)
{
	struct ctx *c = topo();
	CHECK(c);
	/* h behind the bridge, x behind wan: each announces itself with a broadcast. */
	CHECK_EQ(route(c, BR, BCAST, HOST_H), BIT(A) | BIT(B) | BIT(P) | BIT(WAN));
	CHECK_EQ(route(c, WAN, BCAST, HOST_X), BIT(A) | BIT(B) | BIT(BR) | BIT(P));
	/* Only h takes an entry: behind the uplink is where no entry points anyway. */
	CHECK_EQ(c->s.learn.learned, 1);
	CHECK_EQ(sw_learned_count(&c->s, c->now), 1);
	CHECK_EQ(route(c, A, HOST_H, mac(c, A)), BIT(BR) | BIT(P)); /* not out of wan */
	CHECK_EQ(route(c, B, HOST_X, mac(c, B)), BIT(WAN) | BIT(P));
	CHECK_EQ(route(c, WAN, HOST_H, HOST_X), BIT(BR) | BIT(P)); /* from outside to the bridge's far side */
	CHECK(ctx_done(c));
}

TEST(unknown_unicast_goes_to_the_uplink_or_nowhere)
{
	struct ctx *c = topo();
	CHECK(c);
	CHECK_EQ(route(c, A, UNKNOWN, mac(c, A)), BIT(WAN) | BIT(P));
	CHECK_EQ(c->s.ports[A].stats.drops[SW_DROP_NO_DEST], 0);
	/* inside has no uplink: only the promiscuous e sees it, and c's frame counts as no-dest. */
	CHECK_EQ(route(c, C, UNKNOWN, mac(c, C)), BIT(E));
	CHECK_EQ(c->s.ports[C].stats.drops[SW_DROP_NO_DEST], 1);
	CHECK_EQ(c->s.ports[C].stats.rx_frames, 1);
	CHECK(ctx_done(c));
}

TEST(broadcast_floods_its_segment_only)
{
	struct ctx *c = topo();
	CHECK(c);
	CHECK_EQ(route(c, A, BCAST, mac(c, A)), BIT(B) | BIT(BR) | BIT(P) | BIT(WAN));
	CHECK_EQ(route(c, C, BCAST, mac(c, C)), BIT(D) | BIT(E));
	CHECK_EQ(route(c, F, BCAST, mac(c, F)), BIT(LAN));
	CHECK_EQ(route(c, LAN, BCAST, HOST_X), BIT(F));
	CHECK_EQ(route(c, WAN, BCAST, HOST_X), BIT(A) | BIT(B) | BIT(BR) | BIT(P));
	CHECK(ctx_done(c));
}

TEST(multicast_floods_its_segment_only)
{
	static const uint8_t v6[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	struct ctx *c = topo();
	CHECK(c);
	CHECK_EQ(route(c, B, MCAST, mac(c, B)), BIT(A) | BIT(BR) | BIT(P) | BIT(WAN));
	CHECK_EQ(route(c, D, v6, mac(c, D)), BIT(C) | BIT(E));
	/* Not reserved: 01-80-C2-00-00-10 is past the link-local block. */
	static const uint8_t all_bridges[6] = { 0x01, 0x80, 0xc2, 0, 0, 0x10 };
	CHECK_EQ(route(c, A, all_bridges, mac(c, A)), BIT(B) | BIT(BR) | BIT(P) | BIT(WAN));
	CHECK(ctx_done(c));
}

TEST(reserved_link_local_destinations_are_refused)
{
	struct ctx *c = topo();
	CHECK(c);
	for (uint8_t last = 0; last < 0x10; last++) {
		const uint8_t dst[6] = { 0x01, 0x80, 0xc2, 0, 0, last };
		CHECK_EQ(send(c, A, dst, mac(c, A)), -UV_EPERM);
		CHECK_EQ(send(c, WAN, dst, HOST_X), -UV_EPERM);
	}
	CHECK_EQ(got(c), 0);
	CHECK_EQ(c->s.ports[A].stats.drops[SW_DROP_RESERVED], 16);
	CHECK_EQ(c->s.ports[WAN].stats.drops[SW_DROP_RESERVED], 16);
	CHECK_EQ(c->s.ports[A].stats.rx_frames, 0);
	CHECK(ctx_done(c));
}

TEST(no_frame_crosses_segments)
{
	struct ctx *c = topo();
	CHECK(c);
	/* To a vNIC of another segment: as unknown in its own. */
	CHECK_EQ(route(c, A, mac(c, C), mac(c, A)), BIT(WAN) | BIT(P));
	CHECK_EQ(route(c, C, mac(c, A), mac(c, C)), BIT(E));
	CHECK_EQ(route(c, WAN, mac(c, F), HOST_X), BIT(P)); /* f is behind lan, not wan */
	CHECK_EQ(route(c, F, mac(c, A), mac(c, F)), BIT(LAN));
	/* Learned in one segment means nothing in another. */
	CHECK(!(route(c, BR, BCAST, HOST_H) & REFUSED));
	CHECK_EQ(route(c, C, HOST_H, mac(c, C)), BIT(E));
	CHECK_EQ(route(c, F, HOST_H, mac(c, F)), BIT(LAN));
	/* A MAC seen on lan does not move h out of outside. */
	CHECK_EQ(route(c, LAN, BCAST, HOST_H), BIT(F));
	CHECK_EQ(route(c, A, HOST_H, mac(c, A)), BIT(BR) | BIT(P));
	CHECK_EQ(c->s.learn.moved, 0);
	CHECK(ctx_done(c));
}

TEST(promiscuous_vnic_sees_its_segment_once)
{
	struct ctx *c = topo();
	CHECK(c);
	CHECK_EQ(route(c, A, mac(c, B), mac(c, A)), BIT(B) | BIT(P));
	CHECK_EQ(route(c, WAN, mac(c, A), HOST_X), BIT(A) | BIT(P));
	/* Addressed to p itself: once, not twice. */
	CHECK_EQ(route(c, A, mac(c, P), mac(c, A)), BIT(P));
	/* p's own frames do not come back to p. */
	CHECK_EQ(route(c, P, BCAST, mac(c, P)), BIT(A) | BIT(B) | BIT(BR) | BIT(WAN));
	CHECK_EQ(route(c, P, mac(c, B), mac(c, P)), BIT(B));
	/* e (inside) sees nothing of outside. */
	CHECK_EQ(c->s.ports[E].stats.tx_frames, 0);
	CHECK_EQ(c->s.ports[P].stats.tx_frames, 3);
	CHECK(ctx_done(c));
}

/* ---- Sources ---- */

TEST(spoofed_sources_are_dropped)
{
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	static const uint8_t zero[6] = { 0 };
	struct ctx *c = topo();
	CHECK(c);
	CHECK_EQ(send(c, A, mac(c, B), other), -UV_EPERM);
	CHECK_EQ(send(c, A, BCAST, mac(c, B)), -UV_EPERM); /* another vNIC's MAC */
	CHECK_EQ(send(c, A, BCAST, MCAST), -UV_EPERM);
	CHECK_EQ(send(c, A, BCAST, zero), -UV_EPERM);
	CHECK_EQ(got(c), 0);
	CHECK_EQ(c->s.ports[A].stats.drops[SW_DROP_SPOOFED], 4);
	CHECK_EQ(c->s.ports[A].stats.rx_frames, 0);
	/* The bridge may send for others, but never with a group, zero or local vNIC's address. */
	CHECK_EQ(route(c, BR, mac(c, A), other), BIT(A) | BIT(P));
	CHECK_EQ(route(c, BR, mac(c, A), mac(c, BR)), BIT(A) | BIT(P));
	CHECK_EQ(send(c, BR, mac(c, A), MCAST), -UV_EPERM);
	CHECK_EQ(send(c, BR, mac(c, A), zero), -UV_EPERM);
	CHECK_EQ(send(c, BR, mac(c, B), mac(c, A)), -UV_EPERM);
	CHECK_EQ(c->s.ports[BR].stats.drops[SW_DROP_SPOOFED], 3);
	/* From outside: a local vNIC's MAC as source is a spoof (or a loop) too. */
	CHECK_EQ(send(c, WAN, mac(c, B), mac(c, A)), -UV_EPERM);
	CHECK_EQ(send(c, WAN, mac(c, B), MCAST), -UV_EPERM);
	CHECK_EQ(send(c, WAN, mac(c, B), zero), -UV_EPERM);
	CHECK_EQ(got(c), 0);
	CHECK_EQ(c->s.ports[WAN].stats.drops[SW_DROP_SPOOFED], 3);
	CHECK_EQ(send(c, C, mac(c, D), mac(c, A)), -UV_EPERM); /* a vNIC of another segment's MAC */
	/* Only the bridge's far side was learned, never a vNIC's own MAC. */
	CHECK_EQ(c->s.learn.learned, 1);
	CHECK_EQ(route(c, B, mac(c, A), mac(c, B)), BIT(A) | BIT(P));
	CHECK(ctx_done(c));
}

TEST(learned_entries_move_and_age)
{
	struct ctx *c = topo();
	CHECK(c);
	CHECK(!(route(c, WAN, mac(c, A), HOST_X) & REFUSED));
	CHECK_EQ(route(c, A, HOST_X, mac(c, A)), BIT(WAN) | BIT(P));
	/* x moves behind the bridge, then back outside. */
	CHECK(!(route(c, BR, mac(c, A), HOST_X) & REFUSED));
	CHECK_EQ(route(c, A, HOST_X, mac(c, A)), BIT(BR) | BIT(P));
	CHECK(!(route(c, WAN, mac(c, A), HOST_X) & REFUSED));
	CHECK_EQ(c->s.learn.moved, 1);
	CHECK_EQ(sw_learned_count(&c->s, c->now), 0);
	CHECK_EQ(route(c, A, HOST_X, mac(c, A)), BIT(WAN) | BIT(P));
	/* Fresh up to SW_LEARN_AGE_NS after it was last seen, gone after. */
	CHECK(!(route(c, BR, mac(c, A), HOST_H) & REFUSED));
	uint64_t seen = c->now;
	c->now = seen + SW_LEARN_AGE_NS;
	CHECK_EQ(route(c, A, HOST_H, mac(c, A)), BIT(BR) | BIT(P));
	CHECK_EQ(sw_learned_count(&c->s, c->now), 1);
	c->now = seen + SW_LEARN_AGE_NS + 1;
	CHECK_EQ(sw_learned_count(&c->s, c->now), 0);
	CHECK_EQ(route(c, A, HOST_H, mac(c, A)), BIT(WAN) | BIT(P));
	/* An aged entry seen outside is no move. */
	CHECK(!(route(c, WAN, mac(c, A), HOST_H) & REFUSED));
	CHECK_EQ(c->s.learn.moved, 1);
	/* Seeing it again refreshes it: still there one full age after the first sighting. */
	CHECK(!(route(c, BR, mac(c, A), HOST_H) & REFUSED));
	seen = c->now;
	c->now += SW_LEARN_AGE_NS / 2;
	CHECK(!(route(c, BR, mac(c, A), HOST_H) & REFUSED));
	c->now = seen + SW_LEARN_AGE_NS + 1;
	CHECK_EQ(route(c, A, HOST_H, mac(c, A)), BIT(BR) | BIT(P));
	CHECK(ctx_done(c));
}

/* Between two bridges on an internal segment: the newest sighting wins. */
TEST(learned_entry_moves_between_bridges)
{
	struct netgen g;
	uint8_t m[6];
	memset(&g, 0, sizeof(g));
	g.n_apps = 2;
	unsigned seg = netgen_segment(&g, "lan", UV_SEGMENT_INTERNAL);
	mac_of(m, 1), netgen_vnic(&g, "a", 0, seg, m, 0, 8);
	mac_of(m, 2), netgen_vnic(&g, "br1", 1, seg, m, UV_VNIC_ANY_SRC, 8);
	mac_of(m, 3), netgen_vnic(&g, "br2", 1, seg, m, UV_VNIC_ANY_SRC, 8);
	struct ctx *c = ctx_new_with(&g);
	CHECK(c);
	struct sw_port *a = &c->s.ports[0], *br1 = &c->s.ports[1], *br2 = &c->s.ports[2];
	CHECK_EQ(sw_input(&c->s, br1, frame(a->mac, HOST_H, 100, 0), c->now), 0);
	CHECK_EQ(sw_input(&c->s, a, frame(HOST_H, a->mac, 100, 0), c->now), 0);
	CHECK(br1->count == 1 && br2->count == 0);
	CHECK_EQ(sw_input(&c->s, br2, frame(a->mac, HOST_H, 100, 0), c->now), 0);
	CHECK_EQ(c->s.learn.moved, 1);
	CHECK_EQ(sw_input(&c->s, a, frame(HOST_H, a->mac, 100, 0), c->now), 0);
	CHECK(br1->count == 1 && br2->count == 1);
	CHECK_EQ(sw_learned_count(&c->s, c->now), 1);
	CHECK(ctx_done(c));
}

/* However many sources come in from outside, the hosts behind a bridge keep their entries
 * (else frames to them would go out of the uplink). */
TEST(outside_flood_cannot_push_out_bridge_hosts)
{
	struct ctx *c = topo();
	CHECK(c);
	CHECK(!(route(c, BR, mac(c, A), HOST_H) & REFUSED));
	for (unsigned i = 0; i < 20000; i++) {
		uint8_t src[6] = { 0x02, 0xef, 0, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
		c->now++;
		CHECK_EQ(send(c, WAN, UNKNOWN, src), 0);
	}
	CHECK_EQ(c->s.ports[WAN].stats.drops[SW_DROP_NO_DEST], 20000);
	CHECK_EQ(c->s.learn.replaced, 0);
	CHECK_EQ(sw_learned_count(&c->s, c->now), 1);
	sw_vnic_flush(&c->s.ports[P]);
	CHECK_EQ(route(c, A, HOST_H, mac(c, A)), BIT(BR) | BIT(P));
	CHECK(ctx_done(c));
}

/* count MACs 02:dd:00:00:hi:lo that all land in one bucket of segment seg. */
static void same_bucket(uint8_t macs[][6], unsigned count, unsigned seg)
{
	unsigned n = 0, want = ~0u;
	for (unsigned i = 0; n < count && i < 0x10000; i++) {
		uint8_t m[6] = { 0x02, 0xdd, 0, 0, (uint8_t)(i >> 8), (uint8_t)i };
		unsigned bucket = sw_learn_bucket(m, seg);
		if (want == ~0u)
			want = bucket;
		if (bucket == want)
			memcpy(macs[n++], m, 6);
	}
	if (n < count)
		abort();
}

TEST(full_bucket_replaces_the_one_seen_longest_ago)
{
	uint8_t m[SW_LEARN_WAYS + 1][6];
	same_bucket(m, SW_LEARN_WAYS + 1, 0);
	struct ctx *c = topo();
	CHECK(c);
	for (unsigned i = 0; i < SW_LEARN_WAYS; i++) {
		c->now = T0 + i;
		CHECK_EQ(send(c, BR, mac(c, A), m[i]), 0);
	}
	c->now = T0 + 10;
	CHECK_EQ(send(c, BR, mac(c, A), m[0]), 0); /* m[0] refreshed: m[1] is now the oldest */
	CHECK_EQ(c->s.learn.replaced, 0);
	c->now = T0 + 11;
	CHECK(!(route(c, BR, mac(c, A), m[SW_LEARN_WAYS]) & REFUSED));
	CHECK_EQ(c->s.learn.replaced, 1);
	CHECK_EQ(c->s.learn.learned, SW_LEARN_WAYS + 1);
	for (unsigned i = 0; i <= SW_LEARN_WAYS; i++) {
		CHECK_EQ(send(c, A, m[i], mac(c, A)), 0);
		CHECK_EQ(got(c), (i == 1 ? BIT(WAN) : BIT(BR)) | BIT(P));
	}
	/* Aged entries are free slots: no live entry is pushed out for m[1] then. */
	c->now = T0 + 11 + SW_LEARN_AGE_NS + 1;
	CHECK(!(route(c, BR, mac(c, A), m[1]) & REFUSED));
	CHECK_EQ(c->s.learn.replaced, 1);
	CHECK_EQ(sw_learned_count(&c->s, c->now), 1);
	CHECK(ctx_done(c));
}

TEST(learn_table_stays_bounded_when_flooded_with_sources)
{
	enum { SOURCES = 20000 };
	struct ctx *c = topo();
	CHECK(c);
	uint8_t last[6];
	for (unsigned i = 0; i < SOURCES; i++) {
		uint8_t src[6] = { 0x02, 0xee, 0, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
		c->now++;
		/* To the bridge's own MAC: nowhere to go but the promiscuous p; still learned. */
		CHECK_EQ(send(c, BR, mac(c, BR), src), 0);
		memcpy(last, src, 6);
	}
	CHECK_EQ(c->s.learn.learned, SOURCES);
	CHECK_EQ(sw_learned_count(&c->s, c->now), SW_LEARN_SLOTS); /* every bucket full */
	CHECK_EQ(c->s.learn.replaced, SOURCES - SW_LEARN_SLOTS);
	CHECK_EQ(c->s.ports[BR].stats.drops[SW_DROP_NO_DEST], SOURCES);
	sw_vnic_flush(&c->s.ports[P]);
	CHECK_EQ(route(c, A, last, mac(c, A)), BIT(BR) | BIT(P)); /* the newest is always in */
	CHECK(ctx_done(c));
}

/* ---- Queues ---- */

TEST(full_queue_drops_and_counts)
{
	struct ctx *c = topo();
	CHECK(c);
	for (uint32_t i = 0; i < 10; i++)
		CHECK_EQ(sw_input(&c->s, &c->s.ports[A], frame(mac(c, B), mac(c, A), 100, i), c->now), 0);
	struct sw_port *b = &c->s.ports[B];
	CHECK_EQ(b->count, B_QUEUE);
	CHECK_EQ(b->stats.drops[SW_DROP_QUEUE_FULL], 10 - B_QUEUE);
	CHECK_EQ(b->stats.tx_frames, B_QUEUE);
	CHECK_EQ(c->s.ports[P].count, 10);
	CHECK_EQ(c->s.ports[A].stats.rx_frames, 10);
	/* Oldest first; a taken slot takes a new frame, which comes last. */
	struct netbuf *nb = sw_vnic_take(b);
	uint32_t seq;
	CHECK(nb);
	memcpy(&seq, nb->data + 14, 4);
	CHECK_EQ(seq, 0);
	netbuf_put(nb);
	CHECK_EQ(sw_input(&c->s, &c->s.ports[A], frame(mac(c, B), mac(c, A), 100, 77), c->now), 0);
	for (uint32_t want = 1; want <= B_QUEUE; want++) {
		nb = sw_vnic_take(b);
		CHECK(nb);
		memcpy(&seq, nb->data + 14, 4);
		CHECK_EQ(seq, want == B_QUEUE ? 77 : want);
		netbuf_put(nb);
	}
	CHECK(sw_vnic_take(b) == 0);
	CHECK(sw_vnic_peek(b) == 0);
	CHECK_EQ(b->stats.drops[SW_DROP_QUEUE_FULL], 10 - B_QUEUE);
	CHECK(ctx_done(c));
}

TEST(flood_into_a_full_queue_is_bounded_and_counted)
{
	enum { FRAMES = 100000 };
	struct ctx *c = topo();
	CHECK(c);
	for (unsigned i = 0; i < FRAMES; i++)
		if (send(c, A, mac(c, B), mac(c, A)))
			break;
	CHECK_EQ(c->s.ports[A].stats.rx_frames, FRAMES);
	CHECK_EQ(c->s.ports[B].count, B_QUEUE);
	CHECK_EQ(c->s.ports[B].stats.drops[SW_DROP_QUEUE_FULL], FRAMES - B_QUEUE);
	CHECK_EQ(c->s.ports[P].count, 64);
	CHECK_EQ(c->s.ports[P].stats.drops[SW_DROP_QUEUE_FULL], FRAMES - 64);
	/* Only the queued frames hold buffers: b's four are p's first four. */
	CHECK_EQ(pool_free(), c->free0 - 64);
	CHECK(ctx_done(c));
}

TEST(flush_returns_every_buffer)
{
	struct ctx *c = topo();
	CHECK(c);
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(send(c, A, BCAST, mac(c, A)), 0);
	CHECK_EQ(c->s.ports[B].count, 3);
	/* Each broadcast is one buffer held by b, br, p and wan's NIC. */
	CHECK_EQ(pool_free(), c->free0 - 3);
	CHECK_EQ(sw_vnic_peek(&c->s.ports[B])->refs, 4);
	sw_vnic_flush(&c->s.ports[B]);
	CHECK_EQ(c->s.ports[B].count, 0);
	CHECK_EQ(c->s.ports[B].stats.drops[SW_DROP_QUEUE_FULL], 0);
	CHECK_EQ(sw_vnic_peek(&c->s.ports[P])->refs, 3);
	sw_vnic_flush(&c->s.ports[BR]);
	sw_vnic_flush(&c->s.ports[P]);
	CHECK_EQ(pool_free(), c->free0 - 3); /* wan's NIC still holds them */
	nic_drain(&c->wan);
	CHECK_EQ(pool_free(), c->free0);
	sw_vnic_flush(&c->s.ports[P]); /* empty: nothing happens */
	CHECK(sw_vnic_take(&c->s.ports[WAN]) == 0);
	CHECK(ctx_done(c));
}

static void count_queued(void *ctx, struct sw_port *p) { ((unsigned *)ctx)[p->index]++; }

TEST(queued_callback_names_each_vnic)
{
	static unsigned calls[N_PORTS];
	struct ctx *c = topo();
	CHECK(c);
	memset(calls, 0, sizeof(calls));
	c->s.queued = count_queued;
	c->s.queued_ctx = calls;
	CHECK_EQ(send(c, A, BCAST, mac(c, A)), 0);
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(send(c, A, mac(c, B), mac(c, A)), 0);
	CHECK_EQ(calls[B], B_QUEUE); /* each frame queued, none of the dropped */
	CHECK_EQ(calls[BR], 1);
	CHECK_EQ(calls[P], 6);
	CHECK_EQ(calls[WAN], 0);
	CHECK_EQ(calls[A], 0);
	got(c);
	CHECK(ctx_done(c));
}

/* ---- Never back where it came from ---- */

TEST(hairpin_never_back_out_of_the_ingress_port)
{
	struct ctx *c = topo();
	CHECK(c);
	CHECK_EQ(route(c, A, mac(c, A), mac(c, A)), BIT(P));
	CHECK_EQ(c->s.ports[A].stats.drops[SW_DROP_NO_DEST], 1);
	/* x learned behind wan: wan's frame to x stays outside the switch. */
	CHECK(!(route(c, WAN, BCAST, HOST_X) & REFUSED));
	CHECK_EQ(route(c, WAN, HOST_X, UNKNOWN), BIT(P));
	CHECK_EQ(c->s.ports[WAN].stats.drops[SW_DROP_NO_DEST], 1);
	/* Unknown unicast from wan would go to wan: nowhere. */
	CHECK_EQ(route(c, WAN, HOST_H, HOST_X), BIT(P));
	CHECK_EQ(c->s.ports[WAN].stats.drops[SW_DROP_NO_DEST], 2);
	/* h behind the bridge: the bridge's frame to h comes not back. */
	CHECK(!(route(c, BR, BCAST, HOST_H) & REFUSED));
	CHECK_EQ(route(c, BR, HOST_H, mac(c, BR)), BIT(P));
	CHECK_EQ(c->s.ports[WAN].stats.tx_frames, 1);
	CHECK(ctx_done(c));
}

/* ---- Sizes ---- */

static int send_sized(struct ctx *c, unsigned from, unsigned len, bool tagged)
{
	const uint8_t *src = c->s.ports[from].is_uplink ? HOST_X : mac(c, from);
	struct netbuf *b = frame(from == A ? mac(c, B) : mac(c, A), src, len, 0);
	if (tagged)
		b->data[12] = 0x81, b->data[13] = 0x00;
	return sw_input(&c->s, &c->s.ports[from], b, c->now);
}

TEST(sizes_from_a_vnic)
{
	static const struct { unsigned len; bool tagged; int want; } cases[] = {
		{ 0, false, -UV_EMSGSIZE }, { 13, false, -UV_EMSGSIZE }, { 14, false, -UV_EMSGSIZE },
		{ 59, false, -UV_EMSGSIZE }, { 60, false, 0 }, { 1514, false, 0 }, { 1515, false, -UV_EMSGSIZE },
		{ 1515, true, 0 }, { 1518, true, 0 }, { 1518, false, -UV_EMSGSIZE }, { 1519, true, -UV_EMSGSIZE },
		{ 1519, false, -UV_EMSGSIZE }, { NETBUF_BYTES, true, -UV_EMSGSIZE }, { UINT16_MAX, true, -UV_EMSGSIZE },
	};
	struct ctx *c = topo();
	CHECK(c);
	unsigned ok = 0, bad = 0;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = send_sized(c, A, cases[i].len, cases[i].tagged);
		if (r != cases[i].want) {
			char why[96];
			snprintf(why, sizeof(why), "len %u tagged %d: %d, not %d", cases[i].len, cases[i].tagged, r, cases[i].want);
			unit_fail(__FILE__, __LINE__, why);
			return;
		}
		if (r == 0) {
			struct netbuf *b = sw_vnic_take(&c->s.ports[B]);
			CHECK(b && b->len == cases[i].len);
			netbuf_put(b);
			ok++;
		} else {
			bad++;
		}
	}
	CHECK_EQ(c->s.ports[A].stats.drops[SW_DROP_SIZE], bad);
	CHECK_EQ(c->s.ports[A].stats.rx_frames, ok);
	CHECK_EQ(c->s.ports[B].stats.tx_frames, ok);
	got(c);
	CHECK(ctx_done(c));
}

TEST(sizes_from_an_uplink_short_frames_padded)
{
	static const struct { unsigned len; bool tagged; int want; unsigned out; } cases[] = {
		{ 0, false, -UV_EMSGSIZE, 0 }, { 13, false, -UV_EMSGSIZE, 0 }, { 14, false, 0, 60 },
		{ 59, false, 0, 60 }, { 60, false, 0, 60 }, { 1514, false, 0, 1514 },
		{ 1515, false, -UV_EMSGSIZE, 0 }, { 1518, true, 0, 1518 }, { 1518, false, -UV_EMSGSIZE, 0 },
		{ 1519, true, -UV_EMSGSIZE, 0 }, { NETBUF_BYTES, false, -UV_EMSGSIZE, 0 },
	};
	struct ctx *c = topo();
	CHECK(c);
	unsigned bad = 0;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = send_sized(c, WAN, cases[i].len, cases[i].tagged);
		CHECK_EQ(r, cases[i].want);
		if (r) {
			bad++;
			continue;
		}
		struct netbuf *b = sw_vnic_take(&c->s.ports[A]);
		CHECK(b);
		CHECK_EQ(b->len, cases[i].out);
		/* The padding is zeros, whatever the buffer held before. */
		for (unsigned k = cases[i].len; k < ETH_ZLEN; k++)
			CHECK_EQ(b->data[k], 0);
		netbuf_put(b);
	}
	CHECK_EQ(c->s.ports[WAN].stats.drops[SW_DROP_SIZE], bad);
	got(c);
	CHECK(ctx_done(c));
}

TEST(tagged_frames_forward_like_any_other)
{
	struct ctx *c = topo();
	CHECK(c);
	struct netbuf *b = frame(BCAST, mac(c, A), 1518, 0);
	b->data[12] = 0x81, b->data[13] = 0x00;
	CHECK_EQ(sw_input(&c->s, &c->s.ports[A], b, c->now), 0);
	CHECK_EQ(got(c), BIT(B) | BIT(BR) | BIT(P) | BIT(WAN));
	CHECK(ctx_done(c));
}

/* ---- Uplinks ---- */

TEST(uplink_results_are_counted_and_references_returned)
{
	struct ctx *c = topo();
	CHECK(c);
	struct sw_port *w = &c->s.ports[WAN];
	c->wan.result = -UV_EAGAIN;
	CHECK_EQ(send(c, A, UNKNOWN, mac(c, A)), 0);
	c->wan.result = -UV_ENETDOWN;
	CHECK_EQ(send(c, A, UNKNOWN, mac(c, A)), 0);
	CHECK_EQ(send(c, A, UNKNOWN, mac(c, A)), 0);
	c->wan.result = -UV_EIO;
	CHECK_EQ(send(c, A, UNKNOWN, mac(c, A)), 0);
	CHECK_EQ(w->stats.drops[SW_DROP_TX_FULL], 2);
	CHECK_EQ(w->stats.drops[SW_DROP_LINK_DOWN], 2);
	CHECK_EQ(w->stats.tx_frames, 0);
	CHECK_EQ(got(c), BIT(P) | BIT(63));
	CHECK_EQ(pool_free(), c->free0);
	c->wan.result = 0;
	CHECK_EQ(send(c, A, UNKNOWN, mac(c, A)), 0);
	CHECK_EQ(w->stats.tx_frames, 1);
	CHECK_EQ(c->wan.held, 1);
	CHECK_EQ(c->wan.bufs[0]->refs, 2); /* the NIC's and p's */
	got(c);
	sw_bind_uplink(w, 0, 0, 0);
	CHECK_EQ(send(c, A, UNKNOWN, mac(c, A)), 0);
	CHECK_EQ(w->stats.drops[SW_DROP_NO_PORT], 1);
	CHECK_EQ(got(c), BIT(P));
	CHECK(ctx_done(c));
}

/* ---- Capture ---- */

static struct { unsigned port[16]; bool out[16]; unsigned len[16]; unsigned n; } cap;

static void capture(const struct sw_port *p, const struct netbuf *b, bool out)
{
	if (cap.n < 16) {
		cap.port[cap.n] = p->index;
		cap.out[cap.n] = out;
		cap.len[cap.n] = b->len;
	}
	cap.n++;
}

TEST(capture_sees_frames_in_and_out)
{
	struct ctx *c = topo();
	CHECK(c);
	memset(&cap, 0, sizeof(cap));
	c->s.ports[A].capture = capture;
	c->s.ports[B].capture = capture;
	c->s.ports[WAN].capture = capture;
	CHECK_EQ(send(c, A, mac(c, B), mac(c, A)), 0);
	CHECK_EQ(cap.n, 2);
	CHECK(cap.port[0] == A && !cap.out[0]);
	CHECK(cap.port[1] == B && cap.out[1]);
	/* Short frames from an uplink are captured padded, as forwarded. */
	CHECK_EQ(send_len(c, WAN, mac(c, B), HOST_X, 20), 0);
	CHECK_EQ(cap.n, 4);
	CHECK(cap.port[2] == WAN && !cap.out[2] && cap.len[2] == ETH_ZLEN);
	CHECK(cap.port[3] == B && cap.out[3]);
	/* A refused source is still seen coming in; a bad size is not a frame; a dropped
	 * output is not seen going out. */
	CHECK_EQ(send(c, A, mac(c, B), HOST_X), -UV_EPERM);
	CHECK_EQ(cap.n, 5);
	CHECK_EQ(send_len(c, A, mac(c, B), mac(c, A), 20), -UV_EMSGSIZE);
	CHECK_EQ(cap.n, 5);
	c->wan.result = -UV_EAGAIN;
	CHECK_EQ(send(c, B, UNKNOWN, mac(c, B)), 0);
	CHECK_EQ(cap.n, 6);
	CHECK(cap.port[5] == B && !cap.out[5]);
	got(c);
	CHECK(ctx_done(c));
}

/* ---- Bad callers ---- */

TEST(input_from_a_foreign_port_is_refused)
{
	static struct sw other;
	struct ctx *c = topo();
	CHECK(c);
	memcpy(&other, &c->s, sizeof(other)); /* the same ports, somewhere else */
	unsigned free0 = pool_free();
	CHECK_EQ(sw_input(&c->s, &other.ports[A], frame(BCAST, mac(c, A), 100, 0), c->now), -UV_EINVAL);
	CHECK_EQ(sw_input(&c->s, 0, frame(BCAST, mac(c, A), 100, 0), c->now), -UV_EINVAL);
	struct sw_port *odd = (struct sw_port *)((char *)&c->s.ports[A] + 1);
	CHECK_EQ(sw_input(&c->s, odd, frame(BCAST, mac(c, A), 100, 0), c->now), -UV_EINVAL);
	CHECK_EQ(sw_input(&c->s, &c->s.ports[N_PORTS], frame(BCAST, mac(c, A), 100, 0), c->now), -UV_EINVAL);
	CHECK_EQ(pool_free(), free0);
	CHECK_EQ(got(c), 0);
	CHECK_EQ(other.ports[A].stats.rx_frames + other.ports[A].stats.drops[SW_DROP_SIZE], 0);
	CHECK(ctx_done(c));
}

/* ---- Counters and the summary ---- */

TEST(drop_names_are_distinct)
{
	for (unsigned i = 0; i < SW_DROP_COUNT; i++) {
		CHECK(strcmp(sw_drop_name((enum sw_drop)i), "unknown"));
		for (unsigned j = 0; j < i; j++)
			CHECK(strcmp(sw_drop_name((enum sw_drop)i), sw_drop_name((enum sw_drop)j)));
	}
	CHECK_STR(sw_drop_name(SW_DROP_COUNT), "unknown");
	CHECK_STR(sw_drop_name((enum sw_drop)-1), "unknown");
	CHECK_STR(sw_drop_name(SW_DROP_QUEUE_FULL), "queue-full");
}

TEST(port_drop_counts_outside_drops)
{
	struct ctx *c = topo();
	CHECK(c);
	sw_port_drop(&c->s.ports[A], SW_DROP_NO_BUFFER);
	sw_port_drop(&c->s.ports[A], SW_DROP_COUNT);
	sw_port_drop(0, SW_DROP_NO_BUFFER);
	CHECK_EQ(c->s.ports[A].stats.drops[SW_DROP_NO_BUFFER], 1);
	uint64_t sum = 0;
	for (unsigned d = 0; d < SW_DROP_COUNT; d++)
		sum += c->s.ports[A].stats.drops[d];
	CHECK_EQ(sum, 1);
	CHECK(ctx_done(c));
}

TEST(summary_lines_name_ports_and_non_zero_drops)
{
	struct ctx *c = topo();
	CHECK(c);
	char line[512];
	CHECK_EQ(send(c, A, BCAST, mac(c, A)), 0);
	CHECK_EQ(send(c, A, BCAST, HOST_X), -UV_EPERM);
	sw_format_port(&c->s, &c->s.ports[A], line, sizeof(line));
	CHECK_STR(line, "vnic a app 0 nic 0 seg outside mac 52:54:00:00:00:01 queued 0/64: in 1/100B out 0/0B drops spoofed=1");
	sw_format_port(&c->s, &c->s.ports[P], line, sizeof(line));
	CHECK_STR(line, "vnic p app 2 nic 0 seg outside mac 52:54:00:00:00:04 promisc queued 1/64: in 0/0B out 1/100B");
	sw_format_port(&c->s, &c->s.ports[WAN], line, sizeof(line));
	CHECK_STR(line, "port wan uplink seg outside link up: in 0/0B out 1/100B");
	c->lan.link = false;
	sw_format_port(&c->s, &c->s.ports[LAN], line, sizeof(line));
	CHECK_STR(line, "port lan uplink seg dmz link down: in 0/0B out 0/0B");
	sw_bind_uplink(&c->s.ports[LAN], 0, 0, 0);
	CHECK_EQ(send(c, F, UNKNOWN, mac(c, F)), 0);
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(send(c, A, mac(c, B), mac(c, A)), 0);
	CHECK_EQ(send(c, A, mac(c, B), mac(c, A)), 0);
	CHECK_EQ(send(c, A, mac(c, B), mac(c, A)), 0);
	sw_format_port(&c->s, &c->s.ports[LAN], line, sizeof(line));
	CHECK_STR(line, "port lan uplink seg dmz unbound: in 0/0B out 0/0B drops no-port=1");
	sw_format_port(&c->s, &c->s.ports[B], line, sizeof(line));
	CHECK_STR(line, "vnic b app 1 nic 0 seg outside mac 52:54:00:00:00:02 queued 4/4: in 0/0B out 4/400B drops queue-full=2");
	sw_format_port(&c->s, &c->s.ports[BR], line, sizeof(line));
	CHECK_STR(line, "vnic br app 1 nic 1 seg outside mac 52:54:00:00:00:03 any-src queued 1/64: in 0/0B out 1/100B");
	/* Truncated like snprintf: the full length back, the buffer terminated. */
	size_t n = sw_format_port(&c->s, &c->s.ports[B], line, 10);
	CHECK(n > 10);
	CHECK_STR(line, "vnic b ap");
	CHECK_EQ(sw_format_port(&c->s, &c->s.ports[B], line, 0), n);
	fake_console_reset();
	sw_print(&c->s, "sw: ", c->now);
	unsigned lines = 0;
	for (const char *q = fake_console_out; (q = strchr(q, '\n')); q++)
		lines++;
	CHECK_EQ(lines, N_PORTS + 1);
	CHECK(strstr(fake_console_out, "sw: port wan uplink seg outside link up: in 0/0B out 1/100B\n"));
	CHECK(strstr(fake_console_out, "sw: vnic f app 3 nic 0 seg dmz mac 52:54:00:00:00:08 queued 0/64: in 1/100B out 0/0B\n"));
	CHECK(strstr(fake_console_out, "sw: learned 0 of 256 (new 0, moved 0, replaced 0)\n"));
	got(c);
	CHECK(ctx_done(c));
}

TEST(free_releases_queues_and_their_frames)
{
	struct ctx *c = topo();
	CHECK(c);
	unsigned free0 = c->free0;
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(send(c, A, BCAST, mac(c, A)), 0);
	nic_drain(&c->wan);
	CHECK_EQ(alloc_live, c->alloc0 + 8);
	CHECK_EQ(pool_free(), free0 - 5);
	sw_free(&c->s, fake_release);
	CHECK_EQ(alloc_live, c->alloc0);
	CHECK_EQ(pool_free(), free0);
	CHECK_EQ(c->s.n_ports, 0);
	CHECK(sw_uplink(&c->s, 0) == 0);
	free(c);
}
