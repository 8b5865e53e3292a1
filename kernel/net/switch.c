/* kernel/net/switch.c: the virtual switch: built from the manifest's net records, it checks each frame at the door, learns sources, forwards within the segment and queues for vNICs. */
#include "kernel/net/switch.h"
#include "kernel/net/csum.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/nospec.h"
#include "include/abi/uv_errno.h"

/* A (MAC, segment) key: the six bytes as a little-endian integer in bits 0..47, the
 * segment in bits 48..55, bit 63 set so that 0 means an empty slot. */
#define KEY_SEGMENT_SHIFT 48
#define KEY_USED (1ull << 63)
/* 2^64 divided by the golden ratio: multiplicative (Fibonacci) hashing, Knuth TAOCP vol. 3
 * 6.4; the top bits of the product are the hash. */
#define HASH_MUL 0x9e3779b97f4a7c15ull
/* 01-80-C2-00-00-00..0F as a key's MAC bits: the last byte's low nibble masked off. */
#define MAC_RESERVED_BITS 0xc28001ull
#define MAC_RESERVED_MASK (~(0xfull << 40) & 0xffffffffffffull)
#define PORT_NONE (-1)

_Static_assert(SW_MAX_PORTS <= 64 * SW_MASK_WORDS, "a port set holds every port");
_Static_assert(SW_MAX_PORTS < UINT8_MAX, "port indexes (and index + 1 in app_vnic) fit a byte");
_Static_assert(UV_MANIFEST_MAX_PORTS <= INT8_MAX, "uplink_of holds a port index");
_Static_assert(UV_MANIFEST_MAX_SEGMENTS <= 256, "a segment fits bits 48..55 of a key");
_Static_assert(SW_VNIC_SLOTS >= 2 * UV_MANIFEST_MAX_VNICS, "the vNIC hash stays at most half full");
_Static_assert(ETH_FRAME_MAX_TAGGED <= NETBUF_FRAME_MAX, "every frame the switch takes fits a netbuf");
_Static_assert(ETH_ZLEN <= NETBUF_BYTES, "padding stays inside the buffer");

/* The six bytes at mac as an integer, first byte lowest (x86 is little-endian). */
static inline uint64_t mac_bits(const uint8_t *mac)
{
	uint32_t lo;
	uint16_t hi;
	__builtin_memcpy(&lo, mac, sizeof(lo));
	__builtin_memcpy(&hi, mac + sizeof(lo), sizeof(hi));
	return (uint64_t)lo | (uint64_t)hi << 32;
}

static inline uint64_t mac_key(uint64_t bits, unsigned segment)
{
	return bits | (uint64_t)segment << KEY_SEGMENT_SHIFT | KEY_USED;
}

static inline unsigned hash_top(uint64_t key, unsigned bits)
{
	return (unsigned)((key * HASH_MUL) >> (64 - bits));
}

static inline void set_add(uint64_t *set, unsigned i) { set[i / 64] |= 1ull << (i % 64); }

static inline bool set_any(const uint64_t *set)
{
	uint64_t any = 0;
	for (unsigned w = 0; w < SW_MASK_WORDS; w++)
		any |= set[w];
	return any;
}

static inline void count_drop(struct sw_port *p, enum sw_drop why) { p->stats.drops[why]++; }

/* ---- The vNICs' own MACs: open addressing, linear probing, filled once by sw_setup ---- */

/* The vNIC port whose MAC and segment make key, or PORT_NONE. */
static int vnic_lookup(const struct sw *s, uint64_t key)
{
	unsigned h = hash_top(key, SW_VNIC_BITS);
	for (unsigned n = 0; n < SW_VNIC_SLOTS; n++) {
		const struct sw_vnic_slot *v = &s->vnic_hash[h];
		if (v->key == key)
			return v->port;
		if (!v->key)
			return PORT_NONE;
		h = (h + 1) & (SW_VNIC_SLOTS - 1);
	}
	return PORT_NONE;
}

/* Records key -> port. -UV_EINVAL if key is there already (a MAC twice in a segment). */
static int vnic_insert(struct sw *s, uint64_t key, unsigned port)
{
	unsigned h = hash_top(key, SW_VNIC_BITS);
	for (unsigned n = 0; n < SW_VNIC_SLOTS; n++) {
		struct sw_vnic_slot *v = &s->vnic_hash[h];
		if (v->key == key)
			return -UV_EINVAL;
		if (!v->key) {
			v->key = key;
			v->port = (uint16_t)port;
			return 0;
		}
		h = (h + 1) & (SW_VNIC_SLOTS - 1);
	}
	return -UV_EINVAL; /* full: more vNICs than the static assert allows */
}

/* ---- Learned sources: SW_LEARN_WAYS-way buckets, aged on lookup ---- */

static inline bool aged(const struct sw_learned *e, uint64_t now_ns)
{
	return now_ns > e->seen_ns && now_ns - e->seen_ns > SW_LEARN_AGE_NS;
}

static inline struct sw_learned *bucket_of(struct sw *s, uint64_t key)
{
	return &s->learned[hash_top(key, SW_LEARN_BUCKET_BITS) * SW_LEARN_WAYS];
}

unsigned sw_learn_bucket(const uint8_t mac[ETH_ALEN], unsigned segment)
{
	return hash_top(mac_key(mac_bits(mac), segment), SW_LEARN_BUCKET_BITS);
}

/* The port key was learned behind and is still fresh at now_ns, or PORT_NONE. */
static int learn_lookup(struct sw *s, uint64_t key, uint64_t now_ns)
{
	const struct sw_learned *e = bucket_of(s, key);
	for (unsigned i = 0; i < SW_LEARN_WAYS; i++)
		if (e[i].key == key)
			return aged(&e[i], now_ns) ? PORT_NONE : e[i].port;
	return PORT_NONE;
}

/* Records that key was seen behind port at now_ns: refreshes (or moves) its entry, or
 * takes the bucket's first empty or aged slot, or else the one seen longest ago. */
static void learn(struct sw *s, uint64_t key, unsigned port, uint64_t now_ns)
{
	struct sw_learned *e = bucket_of(s, key), *slot = 0, *oldest = &e[0];
	for (unsigned i = 0; i < SW_LEARN_WAYS; i++) {
		if (e[i].key == key) {
			if (aged(&e[i], now_ns))
				s->learn.learned++;
			else if (e[i].port != port)
				s->learn.moved++;
			e[i].port = (uint16_t)port;
			e[i].seen_ns = now_ns;
			return;
		}
		if (!slot && (!e[i].key || aged(&e[i], now_ns)))
			slot = &e[i];
		if (e[i].seen_ns < oldest->seen_ns)
			oldest = &e[i];
	}
	if (!slot) {
		slot = oldest;
		s->learn.replaced++;
	}
	slot->key = key;
	slot->port = (uint16_t)port;
	slot->seen_ns = now_ns;
	s->learn.learned++;
}

/* Records that key was seen behind the segment's uplink: ends a live entry elsewhere. */
static void forget(struct sw *s, uint64_t key, uint64_t now_ns)
{
	struct sw_learned *e = bucket_of(s, key);
	for (unsigned i = 0; i < SW_LEARN_WAYS; i++) {
		if (e[i].key == key) {
			if (!aged(&e[i], now_ns))
				s->learn.moved++;
			e[i].key = 0;
			return;
		}
	}
}

unsigned sw_learned_count(const struct sw *s, uint64_t now_ns)
{
	unsigned n = 0;
	for (unsigned i = 0; i < SW_LEARN_SLOTS; i++)
		n += s->learned[i].key && !aged(&s->learned[i], now_ns);
	return n;
}

/* ---- Building the switch ---- */

static void sw_clear(struct sw *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < UV_MANIFEST_MAX_PORTS; i++)
		s->uplink_of[i] = PORT_NONE;
}

static void copy_name(char *dst, const char *src)
{
	memcpy(dst, src, UV_MANIFEST_NAME_MAX);
	dst[UV_MANIFEST_NAME_MAX - 1] = 0;
}

/* Adds the uplink port for manifest port rec_index (record rec) to segment seg. */
static void add_uplink(struct sw *s, unsigned seg, unsigned rec_index, const struct uv_manifest_port *rec)
{
	unsigned i = s->n_ports++;
	struct sw_port *p = &s->ports[i];
	copy_name(p->name, rec->name);
	p->is_uplink = true;
	p->index = (uint8_t)i;
	p->segment = (uint16_t)seg;
	p->manifest_index = rec_index;
	s->uplink_of[rec_index] = (int8_t)i;
	s->segments[seg].uplink = (int)i;
	set_add(s->segments[seg].members, i);
	s->n_uplinks++;
}

/* Adds the vNIC port for manifest vNIC rec_index, after checking every field it uses. */
static int add_vnic(struct sw *s, unsigned n_apps, unsigned rec_index, const struct uv_manifest_vnic *rec,
		    void *(*alloc)(uint64_t bytes))
{
	if (rec->segment >= s->n_segments || rec->app >= n_apps || rec->queue < 1 || rec->queue > UV_VNIC_QUEUE_MAX ||
	    (rec->flags & ~UV_VNIC_FLAGS_KNOWN) || eth_is_group(rec->mac) || eth_is_zero(rec->mac))
		return -UV_EINVAL;
	unsigned handle = 0;
	while (handle < UV_APP_MAX_VNICS && s->app_vnic[rec->app][handle])
		handle++;
	if (handle == UV_APP_MAX_VNICS)
		return -UV_EINVAL;
	unsigned i = s->n_ports;
	if (vnic_insert(s, mac_key(mac_bits(rec->mac), rec->segment), i))
		return -UV_EINVAL;
	struct netbuf **q = alloc((uint64_t)rec->queue * sizeof(*q));
	if (!q)
		return -UV_ENOMEM;
	s->n_ports++;
	s->n_vnics++;
	struct sw_port *p = &s->ports[i];
	copy_name(p->name, rec->name);
	p->index = (uint8_t)i;
	p->segment = (uint16_t)rec->segment;
	p->manifest_index = rec_index;
	p->app = rec->app;
	p->handle = handle;
	memcpy(p->mac, rec->mac, ETH_ALEN);
	p->flags = rec->flags;
	p->queue = q;
	p->depth = rec->queue;
	s->app_vnic[rec->app][handle] = (uint8_t)(i + 1);
	set_add(s->segments[rec->segment].members, i);
	if (rec->flags & UV_VNIC_PROMISC)
		set_add(s->segments[rec->segment].promisc, i);
	return 0;
}

int sw_setup(struct sw *s, const struct uv_manifest *m, void *(*alloc)(uint64_t bytes),
	     void (*release)(void *p, uint64_t bytes))
{
	sw_clear(s);
	uint32_t np = m->n_ports, ns = m->n_segments, nv = m->n_vnics;
	if (np > UV_MANIFEST_MAX_PORTS || ns > UV_MANIFEST_MAX_SEGMENTS || nv > UV_MANIFEST_MAX_VNICS)
		return -UV_EINVAL;
	uint64_t size = np * sizeof(struct uv_manifest_port) + ns * sizeof(struct uv_manifest_segment) +
			nv * sizeof(struct uv_manifest_vnic);
	if (m->net.size != size || m->net.off > m->total_size || size > m->total_size - m->net.off)
		return -UV_EINVAL;
	if (!size)
		return 0;
	/* The records may sit at any alignment in the blob: each is copied out before use. */
	const uint8_t *ports = (const uint8_t *)m + m->net.off;
	const uint8_t *segs = ports + np * sizeof(struct uv_manifest_port);
	const uint8_t *vnics = segs + ns * sizeof(struct uv_manifest_segment);
	unsigned n_apps = m->n_apps < UV_MANIFEST_MAX_APPS ? m->n_apps : UV_MANIFEST_MAX_APPS;
	int r = -UV_EINVAL;

	s->n_segments = ns;
	for (unsigned i = 0; i < ns; i++) {
		struct uv_manifest_segment rec;
		memcpy(&rec, segs + i * sizeof(rec), sizeof(rec));
		copy_name(s->segments[i].name, rec.name);
		s->segments[i].uplink = PORT_NONE;
		if (rec.port == UV_SEGMENT_INTERNAL)
			continue;
		if (rec.port >= np || s->uplink_of[rec.port] != PORT_NONE)
			goto fail; /* no such port, or a port bridging two segments */
		struct uv_manifest_port prec;
		memcpy(&prec, ports + rec.port * sizeof(prec), sizeof(prec));
		add_uplink(s, i, rec.port, &prec);
	}
	for (unsigned i = 0; i < nv; i++) {
		struct uv_manifest_vnic rec;
		memcpy(&rec, vnics + i * sizeof(rec), sizeof(rec));
		r = add_vnic(s, n_apps, i, &rec, alloc);
		if (r)
			goto fail;
	}
	return 0;
fail:
	sw_free(s, release);
	return r;
}

void sw_free(struct sw *s, void (*release)(void *p, uint64_t bytes))
{
	for (unsigned i = 0; i < s->n_ports && i < SW_MAX_PORTS; i++) {
		struct sw_port *p = &s->ports[i];
		if (p->queue) {
			sw_vnic_flush(p);
			release(p->queue, (uint64_t)p->depth * sizeof(*p->queue));
		}
	}
	sw_clear(s);
}

struct sw_port *sw_uplink(struct sw *s, unsigned manifest_port)
{
	if (manifest_port >= UV_MANIFEST_MAX_PORTS)
		return 0;
	int i = s->uplink_of[nospec_index(manifest_port, UV_MANIFEST_MAX_PORTS)];
	return i == PORT_NONE || (unsigned)i >= s->n_ports ? 0 : &s->ports[i];
}

struct sw_port *sw_vnic(struct sw *s, unsigned manifest_vnic)
{
	if (manifest_vnic >= s->n_vnics)
		return 0;
	return &s->ports[s->n_uplinks + nospec_index(manifest_vnic, s->n_vnics)];
}

struct sw_port *sw_app_vnic(struct sw *s, unsigned app, uint64_t handle)
{
	if (app >= UV_MANIFEST_MAX_APPS || handle >= UV_APP_MAX_VNICS)
		return 0;
	unsigned v = s->app_vnic[nospec_index(app, UV_MANIFEST_MAX_APPS)][nospec_index(handle, UV_APP_MAX_VNICS)];
	return v == 0 || v > s->n_ports ? 0 : &s->ports[v - 1];
}

void sw_bind_uplink(struct sw_port *p, int (*tx)(void *ctx, struct netbuf *b), bool (*link_up)(void *ctx), void *ctx)
{
	p->tx = tx;
	p->link_up = link_up;
	p->ctx = ctx;
}

/* ---- Frames ---- */

/* Whether b's size suits port in (the rules above sw_input); pads a short uplink frame. */
static bool size_ok(const struct sw_port *in, struct netbuf *b)
{
	unsigned len = b->len;
	if (len < (in->is_uplink ? ETH_HLEN : ETH_ZLEN))
		return false;
	if (len > ETH_FRAME_MAX && (len > ETH_FRAME_MAX_TAGGED || eth_type(b->data) != ETH_P_8021Q))
		return false;
	if (len < ETH_ZLEN) {
		/* IEEE 802.3 3.2.8: a short frame is padded up to minFrameSize; with zeros, so no
		 * earlier contents of the buffer go out. */
		memset(b->data + len, 0, ETH_ZLEN - len);
		b->len = ETH_ZLEN;
	}
	return true;
}

/* Whether port in may send with the source address src (the rules above sw_input);
 * learns it when in is an uplink or an ANY_SRC vNIC (the learning rules in switch.h). */
static bool source_ok(struct sw *s, struct sw_port *in, const uint8_t *src, uint64_t now_ns)
{
	uint64_t bits = mac_bits(src);
	if (eth_is_group(src) || !bits)
		return false;
	if (!in->is_uplink && !(in->flags & UV_VNIC_ANY_SRC))
		return bits == mac_bits(in->mac);
	uint64_t key = mac_key(bits, in->segment);
	int owner = vnic_lookup(s, key);
	if (owner != PORT_NONE)
		return owner == in->index;
	if (in->is_uplink)
		forget(s, key, now_ns);
	else
		learn(s, key, in->index, now_ns);
	return true;
}

/* Hands b to port p (a reference of its own), or counts why p could not take it. */
static void deliver(struct sw *s, struct sw_port *p, struct netbuf *b)
{
	if (p->is_uplink) {
		if (!p->tx) {
			count_drop(p, SW_DROP_NO_PORT);
			return;
		}
		net_csum_complete(b); /* a NIC gets what a wire carries: the checksum done */
		netbuf_ref(b);
		int r = p->tx(p->ctx, b);
		if (r) {
			netbuf_put(b);
			count_drop(p, r == -UV_ENETDOWN ? SW_DROP_LINK_DOWN : SW_DROP_TX_FULL);
			return;
		}
	} else {
		if (p->count >= p->depth) {
			count_drop(p, SW_DROP_QUEUE_FULL);
			return;
		}
		unsigned slot = p->head + p->count;
		if (slot >= p->depth)
			slot -= p->depth;
		netbuf_ref(b);
		p->queue[slot] = b;
		p->count++;
	}
	p->stats.tx_frames++;
	p->stats.tx_bytes += b->len;
	if (p->capture) {
		net_csum_complete(b); /* a capture shows the frame as a wire would carry it */
		p->capture(p, b, true);
	}
	if (!p->is_uplink && s->queued)
		s->queued(s->queued_ctx, p);
}

/* Whether in points at one of s's ports (not into another switch, nor between two ports). */
static bool port_of(const struct sw *s, const struct sw_port *in)
{
	uintptr_t off = (uintptr_t)in - (uintptr_t)s->ports;
	return off < s->n_ports * sizeof(*in) && off % sizeof(*in) == 0;
}

int sw_input(struct sw *s, struct sw_port *in, struct netbuf *b, uint64_t now_ns)
{
	int r = 0;
	if (!port_of(s, in)) {
		r = -UV_EINVAL;
		goto out;
	}
	if (!size_ok(in, b)) {
		count_drop(in, SW_DROP_SIZE);
		r = -UV_EMSGSIZE;
		goto out;
	}
	if (in->capture) {
		net_csum_complete(b);
		in->capture(in, b, false);
	}
	const uint8_t *dst = b->data + ETH_DST_OFF;
	uint64_t dst_bits = mac_bits(dst);
	bool group = eth_is_group(dst);
	if (group && (dst_bits & MAC_RESERVED_MASK) == MAC_RESERVED_BITS) {
		count_drop(in, SW_DROP_RESERVED);
		r = -UV_EPERM;
		goto out;
	}
	if (!source_ok(s, in, b->data + ETH_SRC_OFF, now_ns)) {
		count_drop(in, SW_DROP_SPOOFED);
		r = -UV_EPERM;
		goto out;
	}
	in->stats.rx_frames++;
	in->stats.rx_bytes += b->len;

	const struct sw_segment *seg = &s->segments[in->segment];
	uint64_t to[SW_MASK_WORDS] = { 0 };
	if (group) {
		for (unsigned w = 0; w < SW_MASK_WORDS; w++)
			to[w] = seg->members[w];
	} else {
		uint64_t key = mac_key(dst_bits, in->segment);
		int p = vnic_lookup(s, key);
		if (p == PORT_NONE)
			p = learn_lookup(s, key, now_ns);
		if (p == PORT_NONE)
			p = seg->uplink;
		if (p == PORT_NONE || p == in->index) {
			count_drop(in, SW_DROP_NO_DEST);
			p = PORT_NONE;
		}
		/* The common case, one port at most and nobody listening in: no set to walk. */
		if (!set_any(seg->promisc)) {
			if (p != PORT_NONE)
				deliver(s, &s->ports[p], b);
			goto out;
		}
		if (p != PORT_NONE)
			set_add(to, (unsigned)p);
	}
	/* The set of ports it goes to: each bit once, so no port gets it twice. */
	for (unsigned w = 0; w < SW_MASK_WORDS; w++)
		to[w] |= seg->promisc[w];
	to[in->index / 64] &= ~(1ull << (in->index % 64));
	for (unsigned w = 0; w < SW_MASK_WORDS; w++) {
		for (uint64_t bits = to[w]; bits; bits &= bits - 1) {
			unsigned i = w * 64 + (unsigned)__builtin_ctzll(bits);
			if (i < s->n_ports)
				deliver(s, &s->ports[i], b);
		}
	}
out:
	netbuf_put(b);
	return r;
}

/* ---- vNIC queues ---- */

struct netbuf *sw_vnic_take(struct sw_port *p)
{
	if (!p || !p->count)
		return 0;
	struct netbuf *b = p->queue[p->head];
	p->queue[p->head] = 0;
	if (++p->head == p->depth)
		p->head = 0;
	p->count--;
	return b;
}

void sw_vnic_flush(struct sw_port *p)
{
	for (struct netbuf *b; (b = sw_vnic_take(p));)
		netbuf_put(b);
}

void sw_port_drop(struct sw_port *p, enum sw_drop why)
{
	if (p && (unsigned)why < SW_DROP_COUNT)
		count_drop(p, why);
}
