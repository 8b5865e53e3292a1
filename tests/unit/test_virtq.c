/* tests/unit/test_virtq.c: split virtqueues against a simulated device: layout, chains, 16-bit index wrap, and used entries a device must not be believed on. */
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "kernel/dev/virtq.h"
#include "include/abi/uv_errno.h"

static struct virtq q;
static _Alignas(16) uint8_t ring_mem[16384];

/* The device's side: what it took from the available ring so far. */
static uint16_t dev_avail_seen;

static void setup(uint16_t size)
{
	memset(ring_mem, 0xa5, sizeof(ring_mem));
	dev_avail_seen = 0;
	if (virtq_init(&q, size, ring_mem, sizeof(ring_mem)))
		abort();
}

/* The device takes the next head the driver made available (or -1 when none is). */
static int dev_take(void)
{
	if (q.avail->idx == dev_avail_seen)
		return -1;
	return q.avail->ring[dev_avail_seen++ & (q.size - 1)];
}

/* The device returns a chain: the entry first, then the idx (2.7.8.2). */
static void dev_use(uint32_t id, uint32_t len)
{
	uint16_t i = q.used->idx;
	q.used->ring[i & (q.size - 1)].id = id;
	q.used->ring[i & (q.size - 1)].len = len;
	q.used->idx = (uint16_t)(i + 1);
}

static int add_rx(uint64_t addr, void *token)
{
	struct virtq_buf b[2] = { { addr, 12, true }, { addr + 64, 2048, true } };
	return virtq_add(&q, b, 2, token);
}

static int add_tx(uint64_t addr, uint32_t len, void *token)
{
	struct virtq_buf b[2] = { { addr, 12, false }, { addr + 64, len, false } };
	return virtq_add(&q, b, 2, token);
}

TEST(pick_size)
{
	CHECK_EQ(virtq_pick_size(0, 256), 0);        /* the queue does not exist */
	CHECK_EQ(virtq_pick_size(1024, 256), 256);   /* cut to what the driver allocates */
	CHECK_EQ(virtq_pick_size(256, 256), 256);
	CHECK_EQ(virtq_pick_size(128, 256), 128);
	CHECK_EQ(virtq_pick_size(100, 256), 64);     /* not a power of two: the next one down */
	CHECK_EQ(virtq_pick_size(1, 256), 1);
	CHECK_EQ(virtq_pick_size(65535, 32768), 32768);
}

TEST(layout_alignment_and_sizes)
{
	struct virtq_layout l;
	CHECK_EQ(virtq_layout(256, &l), 0);
	CHECK_EQ(l.desc, 0);
	CHECK_EQ(l.avail, 16 * 256);
	CHECK_EQ(l.used % 4, 0);
	CHECK(l.used >= l.avail + 6 + 2 * 256);
	CHECK_EQ(l.bytes, l.used + 6 + 8 * 256);
	for (uint32_t s = 1; s <= 32768; s <<= 1) {
		CHECK_EQ(virtq_layout((uint16_t)s, &l), 0);
		CHECK_EQ(l.avail % 2, 0);
		CHECK_EQ(l.used % 4, 0);
		CHECK(l.used >= l.avail + 6 + 2 * s);
	}
	CHECK_EQ(virtq_layout(0, &l), -UV_EINVAL);
	CHECK_EQ(virtq_layout(3, &l), -UV_EINVAL);
	CHECK_EQ(virtq_layout(65535, &l), -UV_EINVAL);
}

TEST(init_refuses_bad_sizes_and_memory)
{
	CHECK_EQ(virtq_init(&q, 0, ring_mem, sizeof(ring_mem)), -UV_EINVAL);
	CHECK_EQ(virtq_init(&q, 48, ring_mem, sizeof(ring_mem)), -UV_EINVAL);
	CHECK_EQ(virtq_init(&q, 512, ring_mem, sizeof(ring_mem)), -UV_EINVAL); /* over VIRTQ_SIZE_MAX */
	CHECK_EQ(virtq_init(&q, 256, ring_mem, 4096), -UV_EINVAL);             /* too small a block */
	CHECK_EQ(virtq_init(&q, 16, ring_mem + 8, 4096), -UV_EINVAL);          /* misaligned */
	CHECK_EQ(virtq_init(&q, 256, ring_mem, sizeof(ring_mem)), 0);
	CHECK_EQ(q.num_free, 256);
	CHECK_EQ(q.used->flags, 0); /* 2.7.10.1: zeroed, whatever was there */
	CHECK_EQ(q.avail->idx, 0);
}

TEST(chain_is_built_and_published)
{
	setup(8);
	int tok;
	CHECK_EQ(add_rx(0x10000, &tok), 0);
	CHECK_EQ(q.avail->idx, 1);
	int head = dev_take();
	CHECK(head >= 0 && head < 8);
	volatile struct virtq_desc *d = &q.desc[head];
	CHECK_EQ(d->addr, 0x10000);
	CHECK_EQ(d->len, 12);
	CHECK_EQ(d->flags, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT);
	volatile struct virtq_desc *d2 = &q.desc[d->next];
	CHECK(d->next < 8 && d->next != head);
	CHECK_EQ(d2->addr, 0x10040);
	CHECK_EQ(d2->len, 2048);
	CHECK_EQ(d2->flags, VIRTQ_DESC_F_WRITE);
	CHECK_EQ(q.num_free, 6);
	CHECK_EQ(virtq_in_flight(&q), 1);
	/* A device-readable chain has no WRITE flag anywhere. */
	CHECK_EQ(add_tx(0x20000, 60, &tok), 0);
	head = dev_take();
	CHECK_EQ(q.desc[head].flags, VIRTQ_DESC_F_NEXT);
	CHECK_EQ(q.desc[q.desc[head].next].flags, 0);
	CHECK_EQ(q.desc[q.desc[head].next].len, 60);
}

TEST(malformed_chains_change_nothing)
{
	setup(8);
	int tok;
	struct virtq_buf wr_then_rd[2] = { { 0x1000, 12, true }, { 0x2000, 60, false } };
	struct virtq_buf zero[1] = { { 0x1000, 0, false } };
	struct virtq_buf big[2] = { { 0x1000, 0x80000000u, true }, { 0x2000, 0x80000000u, true } };
	struct virtq_buf five[5] = { { 1, 1, false }, { 1, 1, false }, { 1, 1, false }, { 1, 1, false }, { 1, 1, false } };
	CHECK_EQ(virtq_add(&q, wr_then_rd, 2, &tok), -UV_EINVAL);
	CHECK_EQ(virtq_add(&q, zero, 1, &tok), -UV_EINVAL);
	CHECK_EQ(virtq_add(&q, big, 2, &tok), -UV_EINVAL);
	CHECK_EQ(virtq_add(&q, five, 5, &tok), -UV_EINVAL);
	CHECK_EQ(virtq_add(&q, five, 0, &tok), -UV_EINVAL);
	CHECK_EQ(virtq_add(&q, five, 1, NULL), -UV_EINVAL);
	CHECK_EQ(q.num_free, 8);
	CHECK_EQ(q.avail->idx, 0);
	CHECK_EQ(virtq_in_flight(&q), 0);
}

TEST(full_ring_is_eagain)
{
	setup(8);
	int tok[5];
	for (int i = 0; i < 4; i++)
		CHECK_EQ(add_rx(0x1000 * (uint64_t)(i + 1), &tok[i]), 0);
	CHECK_EQ(q.num_free, 0);
	CHECK_EQ(add_rx(0x9000, &tok[4]), -UV_EAGAIN);
	CHECK_EQ(q.avail->idx, 4);
	/* One back, one more fits. */
	int h = dev_take();
	dev_use((uint32_t)h, 100);
	void *t;
	uint32_t len;
	CHECK_EQ(virtq_get(&q, &t, &len), 0);
	CHECK(t == &tok[0]);
	CHECK_EQ(len, 100);
	CHECK_EQ(add_rx(0x9000, &tok[4]), 0);
}

TEST(nothing_used_is_eagain)
{
	setup(8);
	void *t;
	uint32_t len;
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EAGAIN);
	int tok;
	CHECK_EQ(add_rx(0x1000, &tok), 0);
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EAGAIN);
}

TEST(out_of_order_completion)
{
	setup(16);
	int tok[3];
	int heads[3];
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(add_rx(0x1000 * (uint64_t)(i + 1), &tok[i]), 0);
		heads[i] = dev_take();
	}
	dev_use((uint32_t)heads[2], 30);
	dev_use((uint32_t)heads[0], 10);
	void *t;
	uint32_t len;
	CHECK_EQ(virtq_get(&q, &t, &len), 0);
	CHECK(t == &tok[2]);
	CHECK_EQ(len, 30);
	CHECK_EQ(virtq_get(&q, &t, &len), 0);
	CHECK(t == &tok[0]);
	CHECK_EQ(len, 10);
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EAGAIN);
	CHECK_EQ(virtq_in_flight(&q), 1);
	CHECK_EQ(q.num_free, 14);
}

/* The 16-bit indices wrap at 65536 (2.7.13.3): a long run through a small ring. */
TEST(indices_wrap)
{
	setup(4);
	static int tok[2];
	for (uint32_t i = 0; i < 70000; i++) {
		CHECK_EQ(add_tx(0x1000, 60, &tok[i & 1]), 0);
		int h = dev_take();
		CHECK(h >= 0 && h < 4);
		dev_use((uint32_t)h, 0);
		void *t;
		uint32_t len;
		CHECK_EQ(virtq_get(&q, &t, &len), 0);
		CHECK(t == &tok[i & 1]);
		CHECK_EQ(virtq_in_flight(&q), 0);
	}
	CHECK_EQ(q.avail_idx, (uint16_t)70000);
	CHECK_EQ(q.last_used, (uint16_t)70000);
	CHECK_EQ(q.num_free, 4);
	/* Full again across the wrap point. */
	for (int i = 0; i < 2; i++)
		CHECK_EQ(add_tx(0x1000, 60, &tok[0]), 0);
	CHECK_EQ(add_tx(0x1000, 60, &tok[0]), -UV_EAGAIN);
	CHECK_EQ(virtq_distance(65535, 1), 2);
}

TEST(length_beyond_the_buffer_is_refused)
{
	setup(8);
	int tok;
	CHECK_EQ(add_rx(0x1000, &tok), 0);
	dev_use((uint32_t)dev_take(), 12 + 2048 + 1);
	void *t = NULL;
	uint32_t len = 77;
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EMSGSIZE);
	CHECK(t == &tok); /* the buffer comes back for reuse; its data is not believed */
	CHECK_EQ(len, 0);
	CHECK_EQ(q.num_free, 8);
	CHECK(!q.broken);
	/* Exactly the buffer is fine; a read-only chain may report nothing written. */
	CHECK_EQ(add_rx(0x1000, &tok), 0);
	dev_use((uint32_t)dev_take(), 12 + 2048);
	CHECK_EQ(virtq_get(&q, &t, &len), 0);
	CHECK_EQ(len, 2060);
	CHECK_EQ(add_tx(0x1000, 60, &tok), 0);
	dev_use((uint32_t)dev_take(), 1);
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EMSGSIZE);
}

TEST(descriptor_out_of_range_breaks_the_queue)
{
	setup(8);
	int tok;
	CHECK_EQ(add_rx(0x1000, &tok), 0);
	dev_take();
	dev_use(8, 100); /* one past the table */
	void *t = NULL;
	uint32_t len;
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EIO);
	CHECK(q.broken);
	CHECK(q.why != NULL);
	CHECK(t == NULL);
	/* Nothing more is taken or offered on it. */
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EIO);
	CHECK_EQ(add_rx(0x1000, &tok), -UV_EIO);
	setup(8);
	CHECK_EQ(add_rx(0x1000, &tok), 0);
	dev_take();
	dev_use(0xffffffffu, 100);
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EIO);
}

TEST(descriptor_not_in_flight_breaks_the_queue)
{
	setup(8);
	int tok;
	CHECK_EQ(add_rx(0x1000, &tok), 0);
	int h = dev_take();
	/* The second descriptor of the chain is no head; a free one is none either. */
	dev_use(q.desc[h].next, 100);
	void *t;
	uint32_t len;
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EIO);
	CHECK(q.broken);
	/* The same head twice: the second time it is no longer in flight. */
	setup(8);
	int tok2;
	CHECK_EQ(add_rx(0x1000, &tok), 0);
	CHECK_EQ(add_rx(0x2000, &tok2), 0);
	h = dev_take();
	dev_use((uint32_t)h, 100);
	dev_use((uint32_t)h, 100);
	CHECK_EQ(virtq_get(&q, &t, &len), 0);
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EIO);
	CHECK_EQ(q.num_free, 6); /* the first came back once, nothing more */
}

TEST(used_index_running_ahead_breaks_the_queue)
{
	setup(8);
	int tok;
	CHECK_EQ(add_rx(0x1000, &tok), 0);
	CHECK_EQ(add_rx(0x2000, &tok), 0);
	q.used->idx = 3; /* three used, two offered */
	void *t;
	uint32_t len;
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EIO);
	CHECK(q.broken);
	/* Far ahead (a wrapped or garbage idx) likewise. */
	setup(8);
	CHECK_EQ(add_rx(0x1000, &tok), 0);
	q.used->idx = 0x8000;
	CHECK_EQ(virtq_get(&q, &t, &len), -UV_EIO);
}

TEST(notification_suppression)
{
	setup(8);
	int tok;
	CHECK_EQ(add_rx(0x1000, &tok), 0);
	CHECK(virtq_kick_needed(&q));
	q.used->flags = VIRTQ_USED_F_NO_NOTIFY;
	CHECK(!virtq_kick_needed(&q));
}

TEST(next_head_and_detach)
{
	setup(8);
	int tok[3];
	uint16_t h = virtq_next_head(&q);
	CHECK_EQ(add_rx(0x1000, &tok[0]), 0);
	CHECK_EQ(dev_take(), h);
	CHECK_EQ(add_rx(0x2000, &tok[1]), 0);
	CHECK_EQ(add_rx(0x3000, &tok[2]), 0);
	unsigned n = 0, seen = 0;
	for (void *t; (t = virtq_detach(&q)) && n < 10; n++)
		seen |= 1u << ((int *)t - tok);
	CHECK_EQ(n, 3);
	CHECK_EQ(seen, 7);
	CHECK_EQ(q.num_free, 8);
	CHECK(virtq_detach(&q) == NULL);
}
