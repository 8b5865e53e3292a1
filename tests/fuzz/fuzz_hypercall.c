/* tests/fuzz/fuzz_hypercall.c: libFuzzer target: kernel/hc/hypercall.c's hypercall_dispatch over random numbers, arguments, grants and guest RAM; checks grants, ranges and side effects. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/hc/hypercall.h"
#include "kernel/arch/percpu.h"
#include "tests/fuzz/fake_hypercall.h"
#include "kernel/dev/netbuf.h"
#include "kernel/net/switch.h"
#include "kernel/chan/chan.h"

/*
 * Input (little-endian), then the bytes written into guest RAM at the overlay offset:
 *   [0]       call number: < 0xe0 -> that value mod (UV_HC_COUNT + 2); else the value at [94..102]
 *   [1]       RAM layout (sizes[] below: one chunk, or a 2 MiB chunk and a short one)
 *   [2..10]   grants (a value: 1 mode byte + 8 bytes)
 *   [11..64]  six arguments, each a value; for net_read the top 4 bits of the first one's
 *             mode byte [11] are or'ed into it as UV_NET_READ_MARKS, _WAIT, _SEND and _LIST
 *   [65..93]  app_now_ns, time_ns - app_now_ns, time_wall_ns (8 bytes each), random seed (1),
 *             overlay offset (4, mod RAM size)
 *   [94..102] a call number (a value), used when [0] >= 0xe0
 *   [103]     frames the peer sends the app's vNIC 0 first (low 3 bits) and their length
 *             (60 + the rest), to give net_read and yield something to find
 *   [104]     the app's channels: messages queued for it on handle 1 (low 2 bits), a reset
 *             to report on handle 0 (bit 2), handle 0's queue full (bit 3)
 * A value is a mode byte and 8 bytes v; the mode picks v itself or an address near an
 * edge (0, the RAM size, the chunk boundary, the top of the address space, a length limit).
 */
#define HDR 105
#define CHUNK GUESTMEM_CHUNK

static const uint64_t sizes[8] = { 4096, 8192, 3 * 4096, 16 * 4096, 4096, CHUNK, CHUNK + 4096, CHUNK + 3 * 4096 };

/* Each layout's RAM (the real guestmem_alloc over the host heap) and a copy that must stay equal. */
static struct layout {
	struct guestmem g;
	uint8_t *shadow;
} layouts[8];

static struct layout *get_layout(unsigned i)
{
	struct layout *l = &layouts[i];
	if (!l->shadow) {
		if (guestmem_alloc(&l->g, sizes[i]))
			abort();
		l->shadow = malloc(sizes[i]);
		for (uint64_t a = 0; a < sizes[i]; a++)
			l->shadow[a] = (uint8_t)((a * 131) ^ (a >> 9));
		if (guest_copy_out(&l->g, 0, l->shadow, sizes[i]))
			abort();
	}
	return l;
}

/* The fuzzed app's channel ends: handle 0 sends to the peer (granted), handle 1 receives
 * from it (granted), handle 2 receives from it (not granted). */
enum { CS_MAX = 64, CS_DEPTH = 2, CR_MAX = 100, CR_DEPTH = 4 };
static struct uv_manifest_chan chan_rec[3] = {
	{ "cs", 0, 1, CS_MAX, CS_DEPTH, UV_MCHAN_SENDER_GRANTED | UV_MCHAN_RECEIVER_GRANTED, 0 },
	{ "cr", 1, 0, CR_MAX, CR_DEPTH, UV_MCHAN_SENDER_GRANTED | UV_MCHAN_RECEIVER_GRANTED, 0 },
	{ "cu", 1, 0, CR_MAX, CR_DEPTH, UV_MCHAN_SENDER_GRANTED, 0 },
};
static struct chan chans[3];
static uint64_t chan_mem[3][(CR_DEPTH * (CR_MAX + 4) + 7) / 8 + 8];

static void chans_setup(struct app *a, struct app *peer, uint8_t state)
{
	for (int i = 0; i < 3; i++) {
		struct chan *c = &chans[i];
		memset(c, 0, sizeof(*c));
		c->rec = &chan_rec[i];
		chanq_init(&c->q, chan_mem[i], chan_rec[i].msg_max, chan_rec[i].depth);
		c->end[CHAN_SENDER] = i == 0 ? a : peer;
		c->end[CHAN_RECEIVER] = i == 0 ? peer : a;
		a->chan[i] = c;
	}
	a->n_chans = 3;
	for (unsigned k = 0; k < (state & 3u); k++) {
		uint8_t *slot = chanq_tail(&chans[1].q);
		memset(slot, 0xa0 + k, 10 + 30 * k);
		chanq_commit(&chans[1].q, 10 + 30 * k);
	}
	if (state & 4)
		chans[0].epoch = 1; /* the peer stopped once: not told yet */
	while ((state & 8) && chanq_tail(&chans[0].q))
		chanq_commit(&chans[0].q, 1);
}

static bool ram_equals_shadow(const struct layout *l)
{
	for (uint64_t i = 0; i < l->g.n_chunks; i++)
		if (memcmp((void *)(uintptr_t)l->g.chunk_hpa[i], l->shadow + i * CHUNK, guestmem_chunk_size(&l->g, i)))
			return false;
	return true;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t value(const uint8_t *p, uint64_t ram)
{
	uint64_t v = get64(p + 1), small = v % 64;
	switch (p[0] % 8) {
	case 0: return v;
	case 1: return small;
	case 2: return ram - small;
	case 3: return ram + small;
	case 4: return UINT64_MAX - small;
	case 5: return CHUNK - 32 + small;
	case 6: return ((v & 1) ? UV_CONSOLE_WRITE_MAX : UV_RANDOM_MAX) + (v >> 1) % 5 - 2;
	default: return v % (ram + 1);
	}
}

/* A marked result's bits for n frames queued behind it: UV_NET_RX_MORE and UV_NET_RX_BEHIND. */
static uint64_t rx_behind(uint64_t n)
{
	return n ? UV_NET_RX_MORE | (n < UV_NET_RX_BEHIND_MAX ? n : UV_NET_RX_BEHIND_MAX) << UV_NET_RX_BEHIND_SHIFT : 0;
}

/* [gaddr, gaddr+len) inside [0, ram) without wrapping: computed wide, not like guestmem.h. */
static bool inside(uint64_t gaddr, uint64_t len, uint64_t ram)
{
	return (unsigned __int128)gaddr + len <= ram;
}

/* The ABI's pointer arguments (include/abi/uv_hypercall.h): which argument, its length (an
 * argument, or a fixed struct size) and the longest a call takes (0 = no limit). */
static const struct {
	int ptr, len_arg;
	uint64_t fixed_len, max;
} ptr_args[UV_HC_COUNT] = {
	[UV_HC_VERSION] = { -1, -1, 0, 0 },
	[UV_HC_EXIT] = { -1, -1, 0, 0 },
	[UV_HC_CONSOLE_WRITE] = { 0, 1, 0, UV_CONSOLE_WRITE_MAX },
	[UV_HC_CLOCK_MONOTONIC] = { -1, -1, 0, 0 },
	[UV_HC_CLOCK_WALL] = { -1, -1, 0, 0 },
	[UV_HC_YIELD] = { -1, -1, 0, 0 },
	[UV_HC_RANDOM] = { 0, 1, 0, UV_RANDOM_MAX },
	[UV_HC_NET_INFO] = { 1, -1, sizeof(struct uv_net_info), 0 },
	[UV_HC_NET_READ] = { 1, 2, 0, 0 },     /* the range is len capped at UV_NET_FRAME_MAX_VLAN */
	[UV_HC_NET_WRITE] = { 1, 2, 0, 0 },
	[UV_HC_CHAN_INFO] = { 1, -1, sizeof(struct uv_chan_info), 0 },
	[UV_HC_CHAN_SEND] = { 1, 2, 0, 0 },
	[UV_HC_CHAN_RECV] = { 1, 2, 0, 0 },
	[UV_HC_CHAN_SENDRECV] = { -1, -1, 0, 0 }, /* two ranges: checked on their own below */
};
static const uint32_t call_grant[UV_HC_COUNT] = {
#define GRANT(NAME, name, nr, grant) [nr] = grant,
	UV_HYPERCALLS(GRANT)
#undef GRANT
};

#define CHECK(c)                   \
	do {                       \
		if (!(c))          \
			abort();   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct app a, before;
	static struct uv_manifest_app rec;
	static uint8_t bounce[PAGE_SIZE]; /* the CPU's bounce page, as appliance_run gives it */
	this_cpu()->hc_buf = bounce;
	if (size < HDR)
		return 0;
	struct layout *l = get_layout(data[1] % 8);
	uint64_t ram = l->g.size;
	uint64_t nr = data[0] < 0xe0 ? data[0] % (UV_HC_COUNT + 2) : value(data + 94, ram);
	uint64_t grants = value(data + 2, ram);
	uint64_t arg[6];
	for (int i = 0; i < 6; i++)
		arg[i] = value(data + 11 + 9 * i, ram);
	if (nr == UV_HC_NET_READ)
		arg[0] |= (uint64_t)(data[11] >> 4) << 32;
	_Static_assert(UV_NET_READ_MARKS == 1ull << 32 && UV_NET_READ_WAIT == 1ull << 33 && UV_NET_READ_SEND == 1ull << 34 &&
			       UV_NET_READ_LIST == 1ull << 35 && UV_NET_READ_FLAGS == 0xfull << 32,
		       "net_read's flags, from [11]");
	fake_hc.now_ns = get64(data + 65);
	fake_hc.time_ns = fake_hc.now_ns + get64(data + 73); /* the kernel's clock started before the app's */
	if (fake_hc.time_ns < fake_hc.now_ns)
		fake_hc.time_ns = UINT64_MAX;
	fake_hc.wall_ns = get64(data + 81);
	fake_hc.random_seed = data[89];
	/* The overlay: the rest of the input, into RAM (and the shadow) at an offset. */
	uint64_t off = (get64(data + 86) >> 32) % ram;
	size_t n = size - HDR < ram - off ? size - HDR : ram - off;
	memcpy(l->shadow + off, data + HDR, n);
	CHECK(guest_copy_out(&l->g, off, data + HDR, n) == 0);

	/* The app: only what hypercall.c may touch is meaningful; the rest is a pattern. */
	memset(&a, 0, sizeof(a));
	struct sw *sw = fake_net_switch();
	struct sw_port *v0 = fake_net_vnic(0), *peer = fake_net_vnic(2);
	a.nic[0] = v0;
	a.nic[1] = fake_net_vnic(1);
	a.n_nics = 2;
	unsigned queued = data[103] & 7, flen = 60 + (data[103] >> 3);
	for (unsigned i = 0; i < queued; i++) {
		struct netbuf *b = netbuf_get();
		CHECK(b);
		memset(b->data, 0, flen);
		memcpy(b->data, v0->mac, 6);
		memcpy(b->data + 6, peer->mac, 6);
		b->len = (uint16_t)flen;
		sw_input(sw, peer, b, 0);
	}
	unsigned depth_before = v0->count;
	static struct app chan_peer;
	chans_setup(&a, &chan_peer, data[104]);
	struct chanq q0 = chans[0].q, q1 = chans[1].q, q2 = chans[2].q;
	uint32_t epoch0 = chans[0].epoch, told0 = chans[0].told[CHAN_SENDER];
	struct netbuf_stats pool;
	rec.grants = grants;
	a.rec = &rec;
	a.grants = grants | UV_GRANT_BASE; /* as app_start sets it */
	a.mem = l->g;
	a.vcpu = (struct hv_vcpu *)&rec; /* any distinct pointer: the fake only records it */
	a.state = APP_RUNNABLE;
	a.exit_status = 0x1122334455667788;
	a.wake_ns = 0x0102030405060708;
	a.wait_mask = 0x8070605040302010;
	a.start_tsc = 77;
	a.stats.hypercalls = 1000;
	a.stats.denied = 10;
	memcpy(&before, &a, sizeof(a));
	fake_hc_reset();

	enum hc_action act = hypercall_dispatch(&a, nr, arg);

	/* The result register: set once, on this vCPU, unless the app exited. */
	int64_t ret = (int64_t)fake_hc.rax;
	if (act == HC_EXIT) {
		CHECK(fake_hc.set_rax_calls == 0);
		CHECK(nr == UV_HC_EXIT);
	} else {
		CHECK(act == HC_CONTINUE || act == HC_YIELD || act == HC_BLOCK);
		CHECK(fake_hc.set_rax_calls == 1 && fake_hc.rax_vcpu == a.vcpu);
	}
	CHECK(a.stats.hypercalls == before.stats.hypercalls + 1);

	bool granted = nr < UV_HC_COUNT && ((grants | UV_GRANT_BASE) & call_grant[nr]);
	CHECK(a.stats.denied == before.stats.denied + (nr < UV_HC_COUNT && !granted));
	if (nr >= UV_HC_COUNT)
		CHECK(ret == -UV_ENOSYS && act == HC_CONTINUE);
	else if (!granted)
		CHECK(ret == -UV_EPERM && act == HC_CONTINUE);

	/* Pointer arguments: a range outside the RAM (or wrapping) never succeeds. net_read's
	 * UV_NET_READ_LIST (buf: a struct uv_net_recv): the list in RAM, count 1..16, reserved 0
	 * and every buffer in RAM for len bytes, else -UV_EFAULT / -UV_EINVAL. */
	bool bad_ptr = false, rlisted = granted && nr == UV_HC_NET_READ && (arg[0] & UV_NET_READ_LIST);
	struct uv_net_recv rl = { 0 };
	uint64_t gaddr = 0, len = 0;
	if (granted && ptr_args[nr].ptr >= 0) {
		gaddr = arg[ptr_args[nr].ptr];
		len = ptr_args[nr].len_arg >= 0 ? arg[ptr_args[nr].len_arg] : ptr_args[nr].fixed_len;
		if (nr == UV_HC_NET_READ && len > UV_NET_FRAME_MAX_VLAN)
			len = UV_NET_FRAME_MAX_VLAN;
		if (nr == UV_HC_NET_WRITE)
			len &= UV_NET_LEN_MASK; /* the bits above are a checksum mark (ABI 1.4) */
		if (nr == UV_HC_CHAN_RECV && len > CR_MAX) /* the only end it may receive on: msg_max caps the range */
			len = CR_MAX;
		bool too_long = ptr_args[nr].max && len > ptr_args[nr].max;
		bad_ptr = too_long || !inside(gaddr, rlisted ? sizeof(rl) : len, ram);
		if (rlisted && !bad_ptr) {
			memcpy(&rl, l->shadow + gaddr, sizeof(rl));
			bool counted = rl.count >= 1 && rl.count <= UV_NET_RECV_MAX && !rl.reserved;
			bool bufs = counted;
			for (uint32_t i = 0; bufs && i < rl.count; i++)
				bufs = inside(rl.buf[i], len, ram);
			bad_ptr = !bufs;
			if ((arg[0] & ~UV_NET_READ_FLAGS) == 0) /* (the granted vNIC: past the handle's checks) */
				CHECK(bufs || ret == (counted ? -UV_EFAULT : -UV_EINVAL));
		}
		if (bad_ptr)
			CHECK(ret < 0 && act == HC_CONTINUE);
		if (nr == UV_HC_CONSOLE_WRITE || nr == UV_HC_RANDOM)
			CHECK(ret == (too_long ? -UV_E2BIG : bad_ptr ? -UV_EFAULT : (int64_t)len));
	}

	/* Output: console_write prints exactly its guest bytes, and nothing else prints. */
	bool printed = granted && nr == UV_HC_CONSOLE_WRITE && ret >= 0;
	CHECK(fake_hc.console_calls == printed);
	if (printed)
		CHECK(fake_hc.console_len == len && !memcmp(fake_hc.console, l->shadow + gaddr, len));

	/* Guest RAM: random writes exactly its range with the generator's bytes; nothing else writes. */
	if (granted && nr == UV_HC_RANDOM && ret >= 0) {
		CHECK(fake_hc.random_calls == 1 && fake_hc.random_len == len);
		uint8_t got[UV_RANDOM_MAX];
		CHECK(guest_copy_in(&l->g, got, gaddr, len) == 0 && !memcmp(got, fake_hc.random, len));
		CHECK(guest_copy_out(&l->g, gaddr, l->shadow + gaddr, len) == 0); /* back to the shadow */
	}
	/* net_read with UV_NET_READ_SEND on the granted vNIC, its buffer fine: a list inside the
	 * RAM with count <= UV_NET_SEND_MAX and reserved 0 gets sent and error written, and
	 * they agree (all went: error 0), unless the frames read or their results land on them; any other list
	 * is refused and nothing is written. (Before the frame's check, which puts its bytes
	 * back from the shadow: the shadow takes what the kernel wrote here first.) */
	if (granted && nr == UV_HC_NET_READ && (arg[0] & UV_NET_READ_SEND) &&
	    (arg[0] & ~UV_NET_READ_FLAGS) == 0 && !bad_ptr) {
		struct uv_net_send was, now;
		bool listed = inside(arg[5], sizeof(was), ram);
		if (listed)
			memcpy(&was, l->shadow + arg[5], sizeof(was));
		bool taken = listed && was.count <= UV_NET_SEND_MAX && was.reserved == 0;
		CHECK(taken || ret == (listed ? -UV_EINVAL : -UV_EFAULT));
		if (taken) {
			uint64_t out = arg[5] + offsetof(struct uv_net_send, sent);
			bool overwritten = ret > 0 && !rlisted && gaddr < out + 8 && out < gaddr + (ret & UV_NET_LEN_MASK);
			for (int64_t i = 0; rlisted && i < ret && i < UV_NET_RECV_MAX; i++)
				overwritten |= rl.buf[i] < out + 8 && out < rl.buf[i] + flen;
			/* A read by a list writes its results after the frames, over a send list that shares them. */
			uint64_t res = gaddr + offsetof(struct uv_net_recv, result);
			overwritten |= rlisted && ret > 0 && res < out + 8 && out < res + 8 * (uint64_t)ret;
			CHECK(guest_copy_in(&l->g, &now, arg[5], sizeof(now)) == 0);
			CHECK(overwritten ||
			      (now.sent <= was.count && (now.error == 0) == (now.sent == was.count) && now.error <= 0));
			memcpy(l->shadow + out, &now.sent, 8);
		}
	}
	/* net_read with a list: as many frames as queued and buffers, the results written after
	 * them; nothing else (put back from the shadow: frames, then the results). */
	if (rlisted && ret > 0) {
		bool marks = arg[0] & UV_NET_READ_MARKS;
		uint64_t n = depth_before < rl.count ? depth_before : rl.count, res = gaddr + offsetof(struct uv_net_recv, result);
		CHECK((arg[0] & ~UV_NET_READ_FLAGS) == 0 && (uint64_t)ret == n && v0->count == depth_before - n && flen <= len);
		uint64_t got[UV_NET_RECV_MAX];
		CHECK(guest_copy_in(&l->g, got, res, 8 * n) == 0);
		for (uint64_t i = 0; i < n; i++) {
			CHECK(got[i] == (flen | (marks ? rx_behind(depth_before - i - 1) : 0)));
			CHECK(guest_copy_out(&l->g, rl.buf[i], l->shadow + rl.buf[i], flen) == 0);
		}
		CHECK(guest_copy_out(&l->g, res, l->shadow + res, 8 * n) == 0);
	} else if (granted && nr == UV_HC_NET_READ && ret > 0) {
	/* net_read: a frame goes to the app's RAM only when one was queued and the call took it. */
		/* with UV_NET_READ_MARKS the result also says whether another frame waits (the peer's carry no mark) */
		bool marks = arg[0] & UV_NET_READ_MARKS;
		uint64_t more = marks ? rx_behind(v0->count) : 0;
		CHECK((arg[0] & ~UV_NET_READ_FLAGS) == 0 && depth_before > 0 && v0->count == depth_before - 1 &&
		      (uint64_t)ret == (flen | more));
		ret = (int64_t)flen;
		CHECK(guest_copy_out(&l->g, gaddr, l->shadow + gaddr, (uint64_t)ret) == 0);
	} else {
		CHECK(v0->count == depth_before || (granted && nr == UV_HC_NET_WRITE && ret > 0));
	}
	/* net_info: the vNIC's MAC, written where asked. */
	if (granted && nr == UV_HC_NET_INFO && ret == 0) {
		struct uv_net_info info;
		CHECK(arg[0] == 0 && guest_copy_in(&l->g, &info, gaddr, sizeof(info)) == 0 && !memcmp(info.mac, v0->mac, 6));
		CHECK(guest_copy_out(&l->g, gaddr, l->shadow + gaddr, sizeof(info)) == 0);
	}
	/* net_write: taken only at a size the ABI allows, from inside the RAM, on the granted vNIC. */
	if (granted && nr == UV_HC_NET_WRITE && ret >= 0)
		CHECK(arg[0] == 0 && (arg[2] & UV_NET_LEN_MASK) >= UV_NET_FRAME_MIN &&
		      (arg[2] & UV_NET_LEN_MASK) <= UV_NET_FRAME_MAX_VLAN && (uint64_t)ret == (arg[2] & UV_NET_LEN_MASK));
	/* The channels: a message goes in only from inside the RAM, at most msg_max, on the
	 * granted sending end with room; one comes out only when queued, on the granted
	 * receiving end; a reset is told once, and only when one happened. */
	bool sr = granted && nr == UV_HC_CHAN_SENDRECV;
	uint64_t send_h = nr == UV_HC_CHAN_SENDRECV ? arg[0] & UV_CHAN_NO_SEND : arg[0], recv_h = nr == UV_HC_CHAN_SENDRECV ? arg[0] >> 32 : arg[0];
	/* chan_sendrecv went through (sent, then received, timed out or blocked) only with both
	 * ranges inside the RAM, a short enough message and a buffer for any message. */
	bool sr_through = sr && (ret >= 0 || ret == -UV_ETIMEDOUT || act == HC_BLOCK);
	if (sr_through)
		CHECK(recv_h == 1 && arg[4] >= CR_MAX && inside(arg[3], CR_MAX, ram) &&
		      (send_h == UV_CHAN_NO_SEND || (send_h == 0 && arg[2] <= CS_MAX && inside(arg[1], arg[2], ram))));
	bool told = (nr == UV_HC_CHAN_SEND || nr == UV_HC_CHAN_RECV || nr == UV_HC_CHAN_SENDRECV) && ret == -UV_ECONNRESET;
	CHECK(!told || (granted && send_h == 0 && epoch0 != told0 && chans[0].told[CHAN_SENDER] == chans[0].epoch));
	if (!told)
		CHECK(chans[0].told[CHAN_SENDER] == told0);
	bool sent = (granted && nr == UV_HC_CHAN_SEND && ret >= 0) || (sr_through && send_h == 0);
	if (sent) {
		uint64_t sbuf = arg[1], slen = arg[2];
		CHECK(send_h == 0 && slen <= CS_MAX && (nr != UV_HC_CHAN_SEND || (uint64_t)ret == slen) && inside(sbuf, slen, ram));
		CHECK(epoch0 == told0 && chans[0].q.count == q0.count + 1);
		const struct chanq *q = &chans[0].q; /* the new message is the last one */
		const uint8_t *m = q->data + (uint64_t)((q->head + q->count - 1) % CS_DEPTH) * q->stride;
		CHECK(q->len[(q->head + q->count - 1) % CS_DEPTH] == slen && !memcmp(m, l->shadow + sbuf, slen));
	} else {
		CHECK(chans[0].q.count == q0.count && chans[0].q.st.sent == q0.st.sent);
	}
	if (granted && (nr == UV_HC_CHAN_RECV || nr == UV_HC_CHAN_SENDRECV) && ret >= 0) {
		if (nr == UV_HC_CHAN_SENDRECV)
			gaddr = arg[3];
		CHECK(recv_h == 1 && q1.count > 0 && chans[1].q.count == q1.count - 1 && ret == 10);
		CHECK(inside(gaddr, 10, ram) && (nr == UV_HC_CHAN_SENDRECV ? arg[4] : arg[2]) >= 10);
		uint8_t want[10];
		memset(want, 0xa0, sizeof(want));
		uint8_t got[10];
		CHECK(guest_copy_in(&l->g, got, gaddr, 10) == 0 && !memcmp(got, want, 10));
		CHECK(guest_copy_out(&l->g, gaddr, l->shadow + gaddr, 10) == 0);
	} else {
		CHECK(chans[1].q.count == q1.count && chans[1].q.head == q1.head);
	}
	CHECK(chans[2].q.count == q2.count && chans[2].q.head == q2.head);
	if (granted && nr == UV_HC_CHAN_INFO && ret == 0) {
		struct uv_chan_info info;
		CHECK(arg[0] < 2 && guest_copy_in(&l->g, &info, gaddr, sizeof(info)) == 0);
		CHECK(info.flags == (arg[0] == 0 ? UV_CHAN_SEND : UV_CHAN_RECV) && !strcmp(info.name, chan_rec[arg[0]].name));
		CHECK(guest_copy_out(&l->g, gaddr, l->shadow + gaddr, sizeof(info)) == 0);
	}
	CHECK(ram_equals_shadow(l));
	/* Every frame buffer back in the pool once the queues are emptied. */
	for (unsigned v = 0; v < 3; v++)
		sw_vnic_flush(fake_net_vnic(v));
	netbuf_get_stats(&pool);
	CHECK(pool.free == pool.total);

	/* The app: a rejected call changes nothing but the counters; an accepted one only what it must. */
	before.stats = a.stats;
	if (ret >= 0 || act == HC_EXIT) {
		if (act == HC_EXIT)
			CHECK(a.exit_status == (int64_t)arg[0]);
		before.exit_status = a.exit_status;
		if (act == HC_BLOCK) {
			before.wake_ns = a.wake_ns, before.wait_mask = a.wait_mask, before.state = a.state;
			/* A deadline in the future never becomes a wake-up time in the past (before
			 * f3c6f80, time_ns() + (deadline - now) wrapped for deadlines near UINT64_MAX). */
			if (nr == UV_HC_YIELD)
				CHECK(a.wake_ns >= fake_hc.time_ns);
		}
	}
	/* chan_sendrecv waits only with nothing to receive, on the receiving end, for rbuf. */
	if (sr && act == HC_BLOCK) {
		CHECK(ret == -UV_ETIMEDOUT && q1.count == 0 && a.state == before.state);
		CHECK(a.chan_wait.active && a.chan_wait.chan == &chans[1] && a.chan_wait.rbuf == arg[3]);
		CHECK(a.wait_mask == 0 && a.wake_ns >= fake_hc.time_ns);
		before.wake_ns = a.wake_ns, before.wait_mask = a.wait_mask, before.chan_wait = a.chan_wait;
	}
	/* net_read with UV_NET_READ_WAIT waits only with no frame queued, for a buffer inside the
	 * RAM, recording where the frame is to go; it ends with -UV_EAGAIN unless one comes. */
	if (granted && nr == UV_HC_NET_READ && act == HC_BLOCK) {
		uint64_t nic = arg[0] & ~UV_NET_READ_FLAGS;
		CHECK((arg[0] & UV_NET_READ_WAIT) && arg[3] && ret == -UV_EAGAIN && depth_before == 0 && !bad_ptr);
		CHECK(a.net_wait.active && a.net_wait.handle == nic && a.net_wait.buf == arg[1] && a.net_wait.len == len &&
		      a.net_wait.flags == (uint32_t)(arg[0] >> 32));
		CHECK((a.wait_mask & UV_HANDLE_NIC(nic)) && a.wake_ns >= fake_hc.time_ns);
		before.wake_ns = a.wake_ns, before.wait_mask = a.wait_mask, before.net_wait = a.net_wait;
	}
	/* The memos (a cache: what they remember must be what a lookup finds): chan_sendrecv's
	 * ends only after a call that passed the handle checks; each RAM page its host page. */
	if (a.chan_memo.recv) {
		CHECK(!before.chan_memo.recv && sr && (ret >= 0 || ret == -UV_EMSGSIZE || ret == -UV_EFAULT ||
						       ret == -UV_ECONNRESET || ret == -UV_EAGAIN || ret == -UV_ETIMEDOUT));
		CHECK(a.chan_memo.ends == arg[0] && a.chan_memo.recv == &chans[1] &&
		      a.chan_memo.send == ((arg[0] & UV_CHAN_NO_SEND) == UV_CHAN_NO_SEND ? NULL : &chans[0]));
	}
	for (unsigned d = 0; d < 2; d++) {
		const struct guestmem_memo *m = &a.mem.memo[d];
		if (m->page != GUESTMEM_MEMO_NONE)
			CHECK(m->page % GUESTMEM_PAGE == 0 && m->page < a.mem.size &&
			      m->host == (uint8_t *)(uintptr_t)a.mem.chunk_hpa[m->page / GUESTMEM_CHUNK] + m->page % GUESTMEM_CHUNK);
	}
	before.chan_memo = a.chan_memo;
	memcpy(before.mem.memo, a.mem.memo, sizeof(a.mem.memo));
	before.nic[0] = a.nic[0], before.nic[1] = a.nic[1], before.n_nics = a.n_nics;
	CHECK(!memcmp(&a, &before, sizeof(a)));
	return 0;
}
