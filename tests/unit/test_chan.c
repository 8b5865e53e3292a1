/* tests/unit/test_chan.c: the channel queue (kernel/chan/chanq.c) and the ends' logic (kernel/chan/chan_end.c): order, full and empty, wrapping, resets told once, readiness for yield, a receiver waiting in chan_sendrecv woken by a reset. */
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "kernel/chan/chan.h"
#include "hv/hv.h"

/* The register a woken waiter's call returns (chan_end.c sets it through hv). */
static uint64_t set_rax_value;
static struct hv_vcpu *set_rax_vcpu;
void hv_vcpu_set_rax(struct hv_vcpu *vcpu, uint64_t rax) { set_rax_vcpu = vcpu, set_rax_value = rax; }

static uint64_t mem[4096];

static void send(struct chanq *q, uint8_t v, uint32_t len)
{
	uint8_t *s = chanq_tail(q);
	memset(s, v, len);
	chanq_commit(q, len);
}

TEST(queue_in_order_full_empty_wrap)
{
	struct chanq q;
	CHECK_EQ(chanq_bytes(10, 3), 3 * (16 + 4));
	chanq_init(&q, mem, 10, 3);
	uint32_t len;
	CHECK(chanq_empty(&q) && chanq_peek(&q, &len) == NULL);
	/* 100 rounds of two in, two out: head and tail go round the 3 slots many times. */
	for (unsigned r = 0; r < 100; r++) {
		send(&q, (uint8_t)(2 * r), r % 11);
		send(&q, (uint8_t)(2 * r + 1), 10);
		const uint8_t *m = chanq_peek(&q, &len);
		CHECK(m && len == r % 11 && (len == 0 || (m[0] == (uint8_t)(2 * r) && m[len - 1] == (uint8_t)(2 * r))));
		chanq_pop(&q);
		m = chanq_peek(&q, &len);
		CHECK(m && len == 10 && m[9] == (uint8_t)(2 * r + 1));
		chanq_pop(&q);
		CHECK(chanq_empty(&q));
	}
	send(&q, 1, 1);
	send(&q, 2, 2);
	send(&q, 3, 3);
	CHECK(chanq_full(&q) && chanq_tail(&q) == NULL);
	CHECK_EQ(q.st.sent, 203);
	CHECK_EQ(q.st.received, 200);
	CHECK_EQ(q.st.peak, 3);
	/* Slots never overlap: each message kept its bytes. */
	for (uint8_t k = 1; k <= 3; k++) {
		const uint8_t *m = chanq_peek(&q, &len);
		CHECK(len == k && m[0] == k && m[len - 1] == k);
		chanq_pop(&q);
	}
}

TEST(queue_depth_one_and_reset)
{
	struct chanq q;
	chanq_init(&q, mem, 1, 1);
	send(&q, 7, 1);
	CHECK(chanq_full(&q));
	chanq_reset(&q);
	CHECK(chanq_empty(&q) && chanq_tail(&q) != NULL);
	CHECK_EQ(q.st.dropped, 1);
	CHECK_EQ(q.st.resets, 1);
	chanq_reset(&q); /* nothing more to drop */
	CHECK_EQ(q.st.dropped, 1);
	CHECK_EQ(q.st.resets, 2);
	send(&q, 9, 1);
	uint32_t len;
	CHECK(chanq_peek(&q, &len)[0] == 9);
}

/* The largest queue the ABI allows fits its count exactly. */
TEST(queue_bytes_match_abi)
{
	CHECK_EQ(chanq_bytes(UV_CHAN_MSG_MAX, UV_CHAN_DEPTH_MAX), UV_CHAN_QUEUE_BYTES(UV_CHAN_MSG_MAX, UV_CHAN_DEPTH_MAX));
	CHECK_EQ(chanq_bytes(13, 7), UV_CHAN_QUEUE_BYTES(13, 7));
}

/* a sends to b on c (depth 2, 8 bytes), both ends granted by rec: each app's handle 0. */
static void two_ends(struct app *a, struct app *b, struct chan *c, const struct uv_manifest_chan *rec)
{
	memset(a, 0, sizeof(*a));
	memset(b, 0, sizeof(*b));
	memset(c, 0, sizeof(*c));
	c->rec = rec;
	chanq_init(&c->q, mem, 8, 2);
	c->end[CHAN_SENDER] = a;
	c->end[CHAN_RECEIVER] = b;
	a->chan[a->n_chans++] = c;
	b->chan[b->n_chans++] = c;
}

TEST(ends_reset_told_once_and_ready)
{
	static struct app a, b;
	static struct uv_manifest_chan rec = { "c", 0, 1, 8, 2, UV_MCHAN_SENDER_GRANTED | UV_MCHAN_RECEIVER_GRANTED, 0 };
	static struct chan c;
	two_ends(&a, &b, &c, &rec);
	CHECK_EQ(chan_side_of(&c, &a), CHAN_SENDER);
	CHECK_EQ(chan_side_of(&c, &b), CHAN_RECEIVER);
	/* Empty: the sender may send, the receiver has nothing. */
	CHECK_EQ(chan_ready_mask(&a), UV_HANDLE_CHAN(0));
	CHECK_EQ(chan_ready_mask(&b), 0);
	send(&c.q, 1, 8);
	send(&c.q, 2, 8);
	CHECK_EQ(chan_ready_mask(&a), 0);
	CHECK_EQ(chan_ready_mask(&b), UV_HANDLE_CHAN(0));
	/* The receiver stops: the queue drops, the sender is told (ready until then), the receiver is not. */
	chan_app_stopped(&b);
	CHECK(chanq_empty(&c.q) && c.q.st.dropped == 2 && c.epoch == 1);
	CHECK(chan_reset_pending(&c, CHAN_SENDER) && !chan_reset_pending(&c, CHAN_RECEIVER));
	send(&c.q, 3, 8);
	send(&c.q, 4, 8); /* full again, but the reset still makes the sender ready */
	CHECK_EQ(chan_ready_mask(&a), UV_HANDLE_CHAN(0));
	/* Masks: the one handle is fine, a bit past it is -EBADF; an ungranted end is -EPERM. */
	CHECK_EQ(chan_check_mask(&a, 1), 0);
	CHECK_EQ(chan_check_mask(&a, 2), -UV_EBADF);
	CHECK_EQ(chan_check_mask(&a, 1ull << 31), -UV_EBADF);
	rec.flags = UV_MCHAN_RECEIVER_GRANTED;
	CHECK_EQ(chan_check_mask(&a, 1), -UV_EPERM);
	CHECK_EQ(chan_ready_mask(&a), 0); /* an ungranted end is never ready */
	CHECK_EQ(chan_check_mask(&b, 1), 0);
	rec.flags = UV_MCHAN_SENDER_GRANTED | UV_MCHAN_RECEIVER_GRANTED;
}

TEST(reset_wakes_a_sendrecv_waiter_once)
{
	static struct app a, b;
	static struct uv_manifest_chan rec = { "c", 0, 1, 8, 2, UV_MCHAN_SENDER_GRANTED | UV_MCHAN_RECEIVER_GRANTED, 0 };
	static struct chan c;
	two_ends(&a, &b, &c, &rec);
	b.vcpu = (struct hv_vcpu *)&b;
	/* The receiver stopping wakes nobody (the sender does not wait on c). */
	set_rax_vcpu = 0;
	chan_app_stopped(&b);
	CHECK(set_rax_vcpu == 0 && chan_reset_pending(&c, CHAN_SENDER));
	c.told[CHAN_SENDER] = c.epoch;
	/* b waits in chan_sendrecv on c; the sender stops: b runs again with -ECONNRESET, told. */
	b.state = APP_BLOCKED;
	b.chan_wait.active = true;
	b.chan_wait.chan = &c;
	chan_app_stopped(&a);
	CHECK(set_rax_vcpu == b.vcpu && set_rax_value == (uint64_t)-UV_ECONNRESET);
	CHECK(b.state == APP_RUNNABLE && !b.chan_wait.active && !chan_reset_pending(&c, CHAN_RECEIVER));
	/* Blocked for something else (a console write): a reset only marks it to be told. */
	set_rax_vcpu = 0;
	b.state = APP_BLOCKED;
	chan_app_stopped(&a);
	CHECK(set_rax_vcpu == 0 && b.state == APP_BLOCKED && chan_reset_pending(&c, CHAN_RECEIVER));
	/* The app that stops no longer waits, and remembers no chan_sendrecv ends. */
	a.chan_wait.active = true;
	a.chan_memo.recv = &c;
	chan_app_stopped(&a);
	CHECK(!a.chan_wait.active && !a.chan_memo.recv);
}
