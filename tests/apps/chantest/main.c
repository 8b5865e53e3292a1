/* tests/apps/chantest/main.c: the channel test app (tests/boot/chan.sh), one role per argv[1]: client/server (errors, order, full and empty, wake-ups), flood/sink, watch/rs (resets), caller/answerer (chan_sendrecv), mwait/msend (the kernel's page memos across a restart). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <univisor.h>
#include "../check_lines.h"

#define MSG_MAX 64   /* the req and rep channels of chan.conf */
#define DEPTH 4
#define ROUNDS 1000  /* client/server round trips after the first four */
#define SINK_STEPS 1000
#define SINK_STEP_NS 10000000ll /* 10 ms */

/* Blocks until handle h is ready (yield with no deadline); returns yield's mask. */
static long wait_for(uint64_t h)
{
	return uv_hc_yield(UV_YIELD_FOREVER, UV_HANDLE_CHAN(h));
}

/* Receives on h, waiting while it is empty; the length or a negative UV_E* other than EAGAIN. */
static long recv_wait(uint64_t h, void *buf, size_t len)
{
	for (;;) {
		long r = uv_hc_chan_recv(h, buf, len);
		if (r != -UV_EAGAIN)
			return r;
		wait_for(h);
	}
}

/* Message i of the client: 8 bytes of sequence number, then a pattern, 8..64 bytes long. */
static size_t fill(uint8_t *m, uint64_t i)
{
	size_t n = 8 + i % (MSG_MAX - 7);
	memcpy(m, &i, 8);
	for (size_t k = 8; k < n; k++)
		m[k] = (uint8_t)(i * 7 + k);
	return n;
}

static bool is_msg(const uint8_t *m, long n, uint64_t i, uint8_t xor)
{
	uint8_t want[MSG_MAX];
	size_t wn = fill(want, i);
	if (n != (long)wn)
		return false;
	for (size_t k = 0; k < wn; k++)
		if ((uint8_t)(m[k] ^ xor) != want[k])
			return false;
	return true;
}

/* Handles: 0 = req (it sends), 1 = rep (it receives). */
static int client(void)
{
	const struct uv_boot_info *bi = uv_boot_info();
	struct uv_chan_info info;
	uint8_t m[MSG_MAX + 8];
	ck(bi->n_chans == 2, "n-chans", "boot info says %u channels", bi->n_chans);
	long r = uv_hc_chan_info(0, &info);
	ck(r == 0 && info.flags == UV_CHAN_SEND && info.msg_max == MSG_MAX && info.depth == DEPTH &&
	   !strcmp(info.name, "req") && info.epoch == 0 && info.queued == 0, "info-send-end",
	   "r=%ld flags=%u msg_max=%u depth=%u name=%s epoch=%u", r, info.flags, info.msg_max, info.depth, info.name, info.epoch);
	r = uv_hc_chan_info(1, &info);
	ck(r == 0 && info.flags == UV_CHAN_RECV && !strcmp(info.name, "rep"), "info-recv-end", "r=%ld flags=%u", r, info.flags);
	ck(uv_hc_chan_info(2, &info) == -UV_ENOENT, "info-no-such-handle", "not -ENOENT");
	ck(uv_hc_chan_info(0, (void *)(uintptr_t)(bi->mem_size - 8)) == -UV_EFAULT, "info-bad-pointer", "not -EFAULT");
	ck(uv_hc_chan_recv(0, m, sizeof(m)) == -UV_EBADF, "recv-on-send-end", "not -EBADF");
	ck(uv_hc_chan_send(1, m, 8) == -UV_EBADF, "send-on-recv-end", "not -EBADF");
	ck(uv_hc_chan_send(7, m, 8) == -UV_ENOENT, "send-no-such-handle", "not -ENOENT");
	ck(uv_hc_chan_send(0, m, MSG_MAX + 1) == -UV_EMSGSIZE, "send-too-long", "not -EMSGSIZE");
	ck(uv_hc_chan_send(0, (void *)(uintptr_t)(bi->mem_size - 10), 20) == -UV_EFAULT, "send-bad-pointer", "not -EFAULT");
	ck(uv_hc_chan_send(0, (void *)(uintptr_t)(UINT64_MAX - 3), 8) == -UV_EFAULT, "send-wrapping-pointer", "not -EFAULT");
	ck(uv_hc_yield(UV_YIELD_FOREVER, UV_HANDLE_CHAN(5)) == -UV_EBADF, "yield-unknown-channel", "not -EBADF");
	ck(uv_hc_chan_recv(1, m, sizeof(m)) == -UV_EAGAIN, "recv-empty", "not -EAGAIN");
	/* Fill the queue: four go in, the fifth is refused. Each buffer is scribbled on after
	 * its send: the server must see what was sent, not what the buffer holds later. */
	bool sent = true;
	for (uint64_t i = 0; i < DEPTH; i++) {
		size_t n = fill(m, i);
		sent &= uv_hc_chan_send(0, m, n) == (long)n;
		memset(m, 0xee, sizeof(m));
	}
	ck(sent, "send-four", "a send of the first four failed");
	ck(uv_hc_chan_send(0, m, 8) == -UV_EAGAIN, "send-full", "not -EAGAIN");
	ck(uv_hc_chan_info(0, &info) == 0 && info.queued == DEPTH, "info-queued", "queued=%u", info.queued);
	r = wait_for(0);
	ck(r == (long)UV_HANDLE_CHAN(0), "sender-woken-by-room", "yield returned %#lx", r);
	bool order = true;
	for (uint64_t i = 0; i < DEPTH; i++) {
		r = recv_wait(1, m, sizeof(m));
		order &= is_msg(m, r, i, 0x5a);
	}
	ck(order, "first-four-replies-in-order", "a reply was out of order or changed");
	/* Round trips: each reply is the request XOR 0x5a, in order. */
	uint64_t bad = 0;
	for (uint64_t i = DEPTH; i < DEPTH + ROUNDS && bad == 0; i++) {
		size_t n = fill(m, i);
		if (uv_hc_chan_send(0, m, n) != (long)n)
			bad = i;
		memset(m, 0xee, sizeof(m));
		r = recv_wait(1, m, sizeof(m));
		if (!is_msg(m, r, i, 0x5a))
			bad = i;
	}
	ck(bad == 0, "round-trips-in-order", "round trip %llu failed", (unsigned long long)bad);
	/* The end: a zero-length message, answered with "ack" before this app exits. */
	ck(uv_hc_chan_send(0, m, 0) == 0, "send-zero-length", "not 0");
	r = recv_wait(1, m, sizeof(m));
	ck(r == 3 && !memcmp(m, "ack", 3), "ack", "r=%ld", r);
	return checks_done();
}

/* Handles: 0 = req (it receives), 1 = rep (it sends). */
static int server(void)
{
	const struct uv_boot_info *bi = uv_boot_info();
	uint8_t m[MSG_MAX + 8];
	long r = wait_for(0);
	ck(r == (long)UV_HANDLE_CHAN(0), "receiver-woken-by-message", "yield returned %#lx", r);
	ck(uv_hc_chan_recv(0, (void *)(uintptr_t)(bi->mem_size - 8), MSG_MAX) == -UV_EFAULT, "recv-bad-pointer", "not -EFAULT");
	ck(uv_hc_chan_recv(0, (void *)(uintptr_t)(UINT64_MAX - 10), MSG_MAX) == -UV_EFAULT, "recv-wrapping-pointer",
	   "not -EFAULT");
	ck(uv_hc_chan_recv(0, m, 3) == -UV_EMSGSIZE, "recv-short-buffer", "not -EMSGSIZE");
	ck(uv_hc_chan_send(0, m, 8) == -UV_EBADF, "send-on-recv-end", "not -EBADF");
	/* The refused calls left the first message queued: all four arrive in order. */
	bool order = true;
	uint64_t i = 0;
	for (; i < DEPTH; i++) {
		r = uv_hc_chan_recv(0, m, sizeof(m));
		order &= is_msg(m, r, i, 0);
		for (long k = 0; k < r; k++)
			m[k] ^= 0x5a;
		order &= uv_hc_chan_send(1, m, (size_t)r) == r;
	}
	ck(order, "first-four-in-order", "a message was out of order, changed or not answered");
	ck(uv_hc_chan_recv(0, m, sizeof(m)) == -UV_EAGAIN, "recv-empty", "not -EAGAIN");
	uint64_t bad = 0;
	for (;; i++) {
		r = recv_wait(0, m, sizeof(m));
		if (r == 0)
			break; /* the end */
		if (!is_msg(m, r, i, 0) && !bad)
			bad = i;
		for (long k = 0; k < r; k++)
			m[k] ^= 0x5a;
		if (uv_hc_chan_send(1, m, (size_t)r) != r && !bad)
			bad = i;
	}
	ck(bad == 0 && i == DEPTH + ROUNDS, "requests-in-order", "request %llu of %llu was wrong", (unsigned long long)bad,
	   (unsigned long long)i);
	ck(uv_hc_chan_send(1, "ack", 3) == 3, "ack", "not sent");
	/* The client exits after the ack: the reset reaches this end once. */
	wait_for(0);
	r = uv_hc_chan_recv(0, m, sizeof(m));
	ck(r == -UV_ECONNRESET, "told-client-stopped", "recv returned %ld", r);
	ck(uv_hc_chan_recv(0, m, sizeof(m)) == -UV_EAGAIN, "told-once", "a second notice");
	return checks_done();
}

/* Handle 0 = spam: sends count 4 KiB messages as fast as it can to a sink that never reads. */
static int flood(long count)
{
	static uint8_t m[4096];
	long ok = 0, full = 0, other = 0;
	for (long i = 0; i < count; i++) {
		long r = uv_hc_chan_send(0, m, sizeof(m));
		ok += r == (long)sizeof(m);
		full += r == -UV_EAGAIN;
		other += r != (long)sizeof(m) && r != -UV_EAGAIN;
	}
	ck(ok == 8 && full == count - 8 && other == 0, "flood-bounded", "ok=%ld full=%ld other=%ld", ok, full, other);
	printf("flood of %ld messages done\n", count);
	return checks_done();
}

/* Handle 0 = spam (it receives, never reads): waits until the flooder has stopped. */
static int sink(void)
{
	struct uv_chan_info info;
	uint32_t most = 0;
	for (int i = 0; i < SINK_STEPS; i++) {
		if (uv_hc_chan_info(0, &info) || info.epoch)
			break;
		most = info.queued > most ? info.queued : most;
		uv_hc_yield((uint64_t)(uv_monotonic_ns() + SINK_STEP_NS), 0);
	}
	ck(info.epoch == 1 && info.queued == 0, "flooder-stopped-queue-dropped", "epoch=%u queued=%u", info.epoch, info.queued);
	ck(most <= 8, "queue-never-past-depth", "saw %u queued", most);
	return checks_done();
}

/* Handles: 0 = rst (it sends to rs), 1 = rst2 (it receives from rs). rs fails once and restarts. */
static int watch(void)
{
	struct uv_chan_info info;
	char m[32];
	bool sent = true;
	for (int i = 0; i < DEPTH; i++)
		sent &= uv_hc_chan_send(0, "m0m1m2m3" + 2 * i, 2) == 2;
	ck(sent && uv_hc_chan_send(0, "m4", 2) == -UV_EAGAIN, "filled", "the queue did not take four and refuse a fifth");
	wait_for(0); /* rs takes m0, sends x and fails: the reset frees the queue */
	long r = uv_hc_chan_send(0, "after", 5);
	ck(r == -UV_ECONNRESET, "sender-told", "send returned %ld", r);
	ck(uv_hc_chan_info(0, &info) == 0 && info.epoch == 1 && info.queued == 0, "epoch-after-reset",
	   "epoch=%u queued=%u", info.epoch, info.queued);
	ck(uv_hc_chan_send(0, "after", 5) == 5, "send-after-reset", "refused");
	r = uv_hc_chan_recv(1, m, sizeof(m));
	ck(r == -UV_ECONNRESET, "receiver-told", "recv returned %ld", r);
	ck(uv_hc_chan_recv(1, m, sizeof(m)) == -UV_EAGAIN, "message-of-failed-run-dropped", "not -EAGAIN");
	r = recv_wait(1, m, sizeof(m));
	ck(r == 11 && !memcmp(m, "hello-again", 11), "restarted-peer-talks", "r=%ld", r);
	return checks_done();
}

#define RS_FIRST_RUN_CHECKS 1
/* Handles: 0 = rst (it receives), 1 = rst2 (it sends). The first run fails on purpose. */
static int rs(void)
{
	const struct uv_boot_info *bi = uv_boot_info();
	struct uv_chan_info info;
	char m[32];
	if (bi->restart_count == 0) {
		long r = recv_wait(0, m, sizeof(m));
		ck(r == 2 && !memcmp(m, "m0", 2), "first.got-m0", "r=%ld", r);
		uv_hc_chan_send(1, "x", 1);
		return 1; /* a failure: restarted; m1..m3 and x are dropped */
	}
	n_checks = RS_FIRST_RUN_CHECKS;
	ck(uv_hc_chan_info(0, &info) == 0 && info.epoch == 1, "second.epoch", "epoch=%u", info.epoch);
	long r = recv_wait(0, m, sizeof(m));
	ck(r == 5 && !memcmp(m, "after", 5), "second.got-after-reset", "r=%ld (an old message, or a notice for itself)", r);
	ck(uv_hc_chan_send(1, "hello-again", 11) == 11, "second.sent", "refused");
	wait_for(0);
	r = uv_hc_chan_recv(0, m, sizeof(m));
	ck(r == -UV_ECONNRESET, "second.told-watch-stopped", "recv returned %ld", r);
	return checks_done();
}

#define SR_ROUNDS 1000
#define SR_SLOW_NS 50000000ll  /* the answerer's delay before a slow answer: 50 ms */
#define SR_WAIT_NS 20000000ll  /* the caller's deadline for it: 20 ms */

/* chan_sendrecv(send, recv) with a buffer for any message and no deadline. */
static long sendrecv(uint32_t send, const void *m, size_t n, uint32_t recv, void *r)
{
	return uv_hc_chan_sendrecv(UV_CHAN_ENDS(send, recv), m, n, r, MSG_MAX, UV_YIELD_FOREVER);
}

/* Handles: 0 = call (it sends), 1 = answer (it receives). The answerer waits in chan_sendrecv. */
static int caller(void)
{
	const struct uv_boot_info *bi = uv_boot_info();
	struct uv_chan_info info;
	/* Both buffers straddle a page boundary (at other offsets than the answerer's): the kernel
	 * copies app to app a page piece at a time. */
	static uint8_t pages[2][2 * 4096] __attribute__((aligned(4096)));
	uint8_t *m = pages[0] + 4096 - 10, *r = pages[1] + 4096 - 50;
	const uint64_t top = bi->mem_size;
	/* Refused calls send nothing: the answerer, waiting, is not woken (its first request is R0). */
	memcpy(m, "X", 1);
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 0), m, 1, r, MSG_MAX, 0) == -UV_EBADF, "sr.recv-on-send-end", "not -EBADF");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(1, 1), m, 1, r, MSG_MAX, 0) == -UV_EBADF, "sr.send-on-recv-end", "not -EBADF");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 5), m, 1, r, MSG_MAX, 0) == -UV_ENOENT, "sr.no-such-handle", "not -ENOENT");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(7, 1), m, 1, r, MSG_MAX, 0) == -UV_ENOENT, "sr.no-such-send-handle", "not -ENOENT");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), m, MSG_MAX + 1, r, MSG_MAX, 0) == -UV_EMSGSIZE, "sr.send-too-long",
	   "not -EMSGSIZE");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), m, 1, r, MSG_MAX - 1, 0) == -UV_EMSGSIZE, "sr.recv-buffer-short",
	   "not -EMSGSIZE");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), (void *)(uintptr_t)(top - 4), 8, r, MSG_MAX, 0) == -UV_EFAULT,
	   "sr.send-bad-pointer", "not -EFAULT");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), m, 1, (void *)(uintptr_t)(top - 32), MSG_MAX, 0) == -UV_EFAULT,
	   "sr.recv-bad-pointer", "not -EFAULT");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), m, 1, (void *)(uintptr_t)(UINT64_MAX - 8), MSG_MAX, 0) == -UV_EFAULT,
	   "sr.recv-wrapping-pointer", "not -EFAULT");
	ck(uv_hc_chan_info(0, &info) == 0 && info.queued == 0, "sr.refused-sent-nothing", "queued=%u", info.queued);
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(UV_CHAN_NO_SEND, 1), 0, 0, r, MSG_MAX, 0) == -UV_ETIMEDOUT, "sr.poll-empty",
	   "not -ETIMEDOUT");
	/* Round trips: even ones in one call each; odd ones send with chan_send (which must hand the
	 * message to the waiting answerer too) and wait with nothing to send. Each answer is the
	 * request XOR 0x33. */
	uint64_t bad = 0;
	for (uint64_t i = 0; i < SR_ROUNDS && !bad; i++) {
		size_t n = fill(m, i);
		m[0] = 'R';
		long got;
		if (i % 2 == 0) {
			got = sendrecv(0, m, n, 1, r);
		} else {
			got = uv_hc_chan_send(0, m, n) == (long)n ? sendrecv(UV_CHAN_NO_SEND, 0, 0, 1, r) : -1;
		}
		bool ok = got == (long)n;
		for (size_t k = 0; ok && k < n; k++)
			ok = (uint8_t)(r[k] ^ 0x33) == m[k];
		if (!ok)
			bad = i + 1;
	}
	ck(bad == 0, "sr.round-trips", "round trip %llu failed", (unsigned long long)bad - 1);
	/* The kernel remembers the ends of the last good call: other ends are still checked in
	 * full, and a refused call (a bad length or buffer with the remembered ends) sends nothing. */
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(1, 1), m, 1, r, MSG_MAX, 0) == -UV_EBADF, "sr.memo.send-on-recv-end",
	   "not -EBADF");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 0), m, 1, r, MSG_MAX, 0) == -UV_EBADF, "sr.memo.recv-on-send-end",
	   "not -EBADF");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1) + (4ull << 32), m, 1, r, MSG_MAX, 0) == -UV_ENOENT, "sr.memo.no-such-handle",
	   "not -ENOENT");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), m, MSG_MAX + 1, r, MSG_MAX, 0) == -UV_EMSGSIZE, "sr.memo.send-too-long",
	   "not -EMSGSIZE");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), (void *)(uintptr_t)(top - 4), 8, r, MSG_MAX, 0) == -UV_EFAULT,
	   "sr.memo.send-bad-pointer", "not -EFAULT");
	ck(uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), m, 1, (void *)(uintptr_t)(top - 32), MSG_MAX, 0) == -UV_EFAULT,
	   "sr.memo.recv-bad-pointer", "not -EFAULT");
	ck(uv_hc_chan_info(0, &info) == 0 && info.queued == 0, "sr.memo.refused-sent-nothing", "queued=%u", info.queued);
	/* A slow answer: the deadline passes first (the request was sent), then it arrives. */
	int64_t t0 = uv_monotonic_ns();
	long got = uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), "S", 1, r, MSG_MAX, (uint64_t)(t0 + SR_WAIT_NS));
	int64_t waited = uv_monotonic_ns() - t0;
	ck(got == -UV_ETIMEDOUT && waited >= SR_WAIT_NS && waited < SR_SLOW_NS, "sr.deadline", "got %ld after %lld ns", got,
	   (long long)waited);
	got = sendrecv(UV_CHAN_NO_SEND, 0, 0, 1, r);
	ck(got == 4 && !memcmp(r, "slow", 4), "sr.late-answer-arrives", "got %ld", got);
	/* A full queue sends nothing: the answerer holds off (not waiting) while two fill it. */
	got = sendrecv(0, "H", 1, 1, r);
	ck(got == 4 && !memcmp(r, "held", 4), "sr.hold-acked", "got %ld", got);
	bool filled = uv_hc_chan_send(0, "f1", 2) == 2 && uv_hc_chan_send(0, "f2", 2) == 2;
	got = uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), "f3", 2, r, MSG_MAX, UV_YIELD_FOREVER);
	ck(filled && got == -UV_EAGAIN, "sr.full-queue", "filled=%d got %ld", filled, got);
	ck(uv_hc_chan_info(0, &info) == 0 && info.queued == 2, "sr.full-sent-nothing", "queued=%u", info.queued);
	got = sendrecv(UV_CHAN_NO_SEND, 0, 0, 1, r);
	ck(got == 9 && !memcmp(r, "drained 2", 9), "sr.drained", "got %ld: %.*s", got, (int)(got > 0 ? got : 0), r);
	/* The answerer exits on "B" without answering: the reset wakes this call, once. */
	got = sendrecv(0, "B", 1, 1, r);
	ck(got == -UV_ECONNRESET, "sr.reset-wakes-waiter", "got %ld", got);
	got = uv_hc_chan_sendrecv(UV_CHAN_ENDS(UV_CHAN_NO_SEND, 1), 0, 0, r, MSG_MAX, 0);
	ck(got == -UV_ETIMEDOUT, "sr.reset-told-once", "got %ld", got);
	got = uv_hc_chan_sendrecv(UV_CHAN_ENDS(0, 1), "x", 1, r, MSG_MAX, 0);
	ck(got == -UV_ECONNRESET, "sr.send-end-told", "got %ld", got);
	return checks_done();
}

/* Handles: 0 = call (it receives), 1 = answer (it sends). Answers and waits in one call. */
static int answerer(void)
{
	static uint8_t pages[2 * 4096] __attribute__((aligned(4096)));
	uint8_t *in = pages + 4096 - 30, out[MSG_MAX];
	long n = sendrecv(UV_CHAN_NO_SEND, 0, 0, 0, in), out_len = -1;
	ck(n == 8 && in[0] == 'R', "sr.first-request-intact", "got %ld bytes, first '%c'", n, n > 0 ? in[0] : '?');
	for (long rounds = 0; n >= 1; rounds++) {
		switch (in[0]) {
		case 'R':
			for (long k = 0; k < n; k++)
				out[k] = in[k] ^ 0x33;
			out_len = n;
			break;
		case 'S':
			uv_hc_yield((uint64_t)(uv_monotonic_ns() + SR_SLOW_NS), 0);
			memcpy(out, "slow", out_len = 4);
			break;
		case 'H': {
			ck(uv_hc_chan_send(1, "held", 4) == 4, "sr.hold", "not sent");
			uv_hc_yield((uint64_t)(uv_monotonic_ns() + SR_SLOW_NS), 0);
			int drained = 0;
			while (uv_hc_chan_recv(0, in, MSG_MAX) > 0)
				drained++;
			out_len = snprintf((char *)out, sizeof(out), "drained %d", drained);
			break;
		}
		case 'B':
			ck(rounds == SR_ROUNDS + 2, "sr.requests-counted", "%ld requests before the end", rounds);
			return checks_done();
		default:
			ck(false, "sr.request-kind", "unknown request '%c'", in[0]);
			return checks_done();
		}
		n = sendrecv(1, out, (size_t)out_len, 0, in);
	}
	ck(false, "sr.answerer-loop", "sendrecv returned %ld", n);
	return checks_done();
}

/* The memo pair (mwait, msend): the kernel remembers the last page of an app's RAM it read a
 * message from and the last it wrote one into (guestmem.h guest_page_span). mwait's pages lie
 * deep in its heap (untouched by libos): Q it sends from, P and P2 it receives into. Its first
 * run fails after the kernel reached Q and P; its second starts with new RAM: a message sent
 * from its untouched Q must be zeros (not the first run's bytes through a stale read memo),
 * one written into P must be there and P zero around it (a stale write memo would put it in
 * the first run's page, where the second run's first touch zeroes it away). */
#define MEMO_BASE_BELOW_HEAP_END (256u << 10)
#define MEMO_PAGE 4096u
#define MEMO_P_OFF 200u   /* where in P the messages land */
#define MEMO_P2_OFF 1000u /* where in P2 */
#define MEMO_RESTART_BOUND_NS 2000000000ll /* msend's wait for mwait's second run */
#define MW_FIRST_RUN_CHECKS 2

static uint8_t *memo_page(unsigned k)
{
	uint64_t end = uv_boot_info()->heap_end & ~(uint64_t)(MEMO_PAGE - 1);
	return (uint8_t *)(uintptr_t)(end - MEMO_BASE_BELOW_HEAP_END + k * 2 * MEMO_PAGE);
}

/* Whether page p is zero but for [at, at+n). */
static bool zero_around(const uint8_t *p, size_t at, size_t n)
{
	for (size_t k = 0; k < MEMO_PAGE; k++)
		if ((k < at || k >= at + n) && p[k])
			return false;
	return true;
}

/* Handles: 0 = mq (it receives), 1 = mr (it sends). Fails once, on purpose. */
static int mwait(void)
{
	uint8_t *q = memo_page(0), *p = memo_page(1), *p2 = memo_page(2);
	if (uv_boot_info()->restart_count == 0) {
		strcpy((char *)q, "ready1");
		long r = sendrecv(1, q, 7, 0, p2 + MEMO_P2_OFF); /* a page nobody reached yet */
		ck(r == 4 && !memcmp(p2 + MEMO_P2_OFF, "one", 4) && zero_around(p2, MEMO_P2_OFF, 4), "memo.fresh-page",
		   "r=%ld '%.4s'", r, (char *)p2 + MEMO_P2_OFF);
		strcpy((char *)q + 100, "ack");
		r = sendrecv(1, q + 100, 4, 0, p + MEMO_P_OFF);
		ck(r == 4 && !memcmp(p + MEMO_P_OFF, "two", 4), "memo.moved-page", "r=%ld '%.4s'", r, (char *)p + MEMO_P_OFF);
		memset(p, 0xaa, MEMO_PAGE);
		return 1; /* restarted: new RAM, the kernel's memos of this run must be gone */
	}
	n_checks = MW_FIRST_RUN_CHECKS;
	long r = sendrecv(1, q, 8, 0, p + MEMO_P_OFF); /* q: never written in this run */
	ck(r == 6 && !memcmp(p + MEMO_P_OFF, "three", 6) && zero_around(p, MEMO_P_OFF, 6), "memo.write-forgotten",
	   "r=%ld '%.6s', page %s", r, (char *)p + MEMO_P_OFF, zero_around(p, MEMO_P_OFF, 6) ? "zero around" : "not zero");
	return checks_done();
}

/* Handles: 0 = mq (it sends), 1 = mr (it receives). */
static int msend(void)
{
	uint8_t m[MSG_MAX];
	long r = sendrecv(UV_CHAN_NO_SEND, 0, 0, 1, m);
	ck(r == 7 && !strcmp((char *)m, "ready1"), "memo.first", "r=%ld", r);
	r = sendrecv(0, "one", 4, 1, m);
	ck(r == 4 && !strcmp((char *)m, "ack"), "memo.ack", "r=%ld", r);
	r = sendrecv(0, "two", 4, 1, m);
	ck(r == -UV_ECONNRESET, "memo.peer-failed", "r=%ld", r);
	/* mwait restarts after its back-off: polled, so the CPU never idles meanwhile (the idle
	 * scrub would zero its freed RAM and hide a stale memo). */
	int64_t until = uv_monotonic_ns() + MEMO_RESTART_BOUND_NS;
	do
		r = uv_hc_chan_sendrecv(UV_CHAN_ENDS(UV_CHAN_NO_SEND, 1), 0, 0, m, MSG_MAX, 0);
	while (r == -UV_ETIMEDOUT && uv_monotonic_ns() < until);
	static const uint8_t zeros[8];
	ck(r == 8 && !memcmp(m, zeros, 8), "memo.read-forgotten", "r=%ld, bytes %02x %02x %02x %02x", r, m[0], m[1], m[2],
	   m[3]);
	r = uv_hc_chan_send(0, "three", 6);
	ck(r == -UV_ECONNRESET, "memo.sender-told", "r=%ld", r);
	r = uv_hc_chan_send(0, "three", 6);
	ck(r == 6, "memo.sent-to-second-run", "r=%ld", r);
	return checks_done();
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	if (!strcmp(role, "client"))
		return client();
	if (!strcmp(role, "server"))
		return server();
	if (!strcmp(role, "flood"))
		return flood(argc > 2 ? atol(argv[2]) : 20000);
	if (!strcmp(role, "sink"))
		return sink();
	if (!strcmp(role, "watch"))
		return watch();
	if (!strcmp(role, "rs"))
		return rs();
	if (!strcmp(role, "caller"))
		return caller();
	if (!strcmp(role, "answerer"))
		return answerer();
	if (!strcmp(role, "mwait"))
		return mwait();
	if (!strcmp(role, "msend"))
		return msend();
	printf("chantest: unknown role '%s'\n", role);
	return 2;
}
