/* tests/apps/signclient/main.c: a client of apps/vault over its channels: signs each argument and prints message and signature for the host to verify, asks the public key, then sends malformed, oversized and too many requests. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <univisor.h>
#include "../check_lines.h"
#include "../../../apps/vault/vault_proto.h"

#define H_REQ 0 /* sign_req: it sends */
#define H_REP 1 /* sign_rep: it receives */
#define BURST 20          /* requests sent as fast as the vault answers */
#define OVERSIZED 1500    /* more than VAULT_MSG_MAX, less than the channel's msg_max */
#define TOO_LONG_FOR_CHAN 5000

static uint32_t next_id = 1;

/* Sends a raw request of n bytes and waits for its reply; the reply's length (or < 0) into rep. */
static long exchange(const void *req, size_t n, uint8_t *rep, size_t replen)
{
	long r;
	while ((r = uv_hc_chan_send(H_REQ, req, n)) == -UV_EAGAIN)
		uv_hc_yield(UV_YIELD_FOREVER, UV_HANDLE_CHAN(H_REQ));
	if (r < 0)
		return r;
	while ((r = uv_hc_chan_recv(H_REP, rep, replen)) == -UV_EAGAIN)
		uv_hc_yield(UV_YIELD_FOREVER, UV_HANDLE_CHAN(H_REP));
	return r;
}

/* A sign request for msg; the reply's status (or a negative UV_E*), the signature into sig. */
static int sign(const void *msg, size_t len, uint8_t sig[VAULT_SIG_BYTES])
{
	static uint8_t req[sizeof(struct vault_hdr) + OVERSIZED];
	uint8_t rep[sizeof(struct vault_hdr) + VAULT_SIG_BYTES];
	struct vault_hdr h = { .id = next_id++, .op = VAULT_OP_SIGN, .len = (uint16_t)len };
	memcpy(req, &h, sizeof(h));
	memcpy(req + sizeof(h), msg, len);
	long r = exchange(req, sizeof(h) + len, rep, sizeof(rep));
	if (r < 0)
		return (int)r;
	struct vault_hdr rh;
	memcpy(&rh, rep, sizeof(rh));
	if (r < (long)sizeof(rh) || rh.id != h.id)
		return -1000; /* not the reply to this request */
	if (rh.op == VAULT_OK && rh.len == VAULT_SIG_BYTES && r == (long)(sizeof(rh) + VAULT_SIG_BYTES))
		memcpy(sig, rep + sizeof(rh), VAULT_SIG_BYTES);
	return rh.op;
}

static void put_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

int main(int argc, char **argv)
{
	uint8_t sig[VAULT_SIG_BYTES];
	/* The arguments: each signed, message and signature printed in hex for the host. */
	bool all = argc > 1;
	for (int i = 1; i < argc; i++) {
		int st = sign(argv[i], strlen(argv[i]), sig);
		all &= st == VAULT_OK;
		if (st != VAULT_OK)
			continue;
		printf("signature msg=");
		put_hex((const uint8_t *)argv[i], strlen(argv[i]));
		printf(" sig=");
		put_hex(sig, sizeof(sig));
		printf("\n");
	}
	ck(all, "signs", "a sign request was refused");
	/* The public key over the channel: the host compares it with the vault's console line. */
	struct vault_hdr ph = { .id = next_id++, .op = VAULT_OP_PUBKEY };
	uint8_t prep[sizeof(ph) + VAULT_SIG_BYTES];
	long pr = exchange(&ph, sizeof(ph), prep, sizeof(prep));
	struct vault_hdr prh = { 0 };
	if (pr >= (long)sizeof(prh))
		memcpy(&prh, prep, sizeof(prh));
	bool pk_ok = pr == (long)(sizeof(prh) + VAULT_PK_BYTES) && prh.id == ph.id && prh.op == VAULT_OK && prh.len == VAULT_PK_BYTES;
	ck(pk_ok, "pubkey", "r=%ld id=%u status=%u len=%u", pr, prh.id, prh.op, prh.len);
	if (pk_ok) {
		printf("channel public key ");
		put_hex(prep + sizeof(prh), VAULT_PK_BYTES);
		printf("\n");
	}
	/* Malformed: too short, an unknown op, a length that is not the rest's. */
	uint8_t rep[sizeof(struct vault_hdr) + VAULT_SIG_BYTES];
	struct vault_hdr h = { .id = 77, .op = VAULT_OP_SIGN, .len = 5 };
	long r = exchange(&h, 4, rep, sizeof(rep));
	ck(r == sizeof(h) && rep[4] == VAULT_MALFORMED, "short-request-refused", "r=%ld status=%u", r, rep[4]);
	uint8_t req[sizeof(h) + 5] = { 0 };
	h.op = 9;
	memcpy(req, &h, sizeof(h));
	r = exchange(req, sizeof(req), rep, sizeof(rep));
	ck(r == sizeof(h) && rep[4] == VAULT_MALFORMED && !memcmp(rep, &h.id, 4), "unknown-op-refused", "r=%ld status=%u", r, rep[4]);
	h.op = VAULT_OP_SIGN;
	h.len = 6;
	memcpy(req, &h, sizeof(h));
	r = exchange(req, sizeof(req), rep, sizeof(rep));
	ck(r == sizeof(h) && rep[4] == VAULT_MALFORMED, "bad-length-refused", "r=%ld status=%u", r, rep[4]);
	/* Oversized: the vault refuses it; longer than the channel takes, the kernel does. */
	static uint8_t big[TOO_LONG_FOR_CHAN];
	int st = sign(big, OVERSIZED, sig);
	ck(st == VAULT_TOO_LONG, "oversized-refused", "status %d", st);
	ck(uv_hc_chan_send(H_REQ, big, sizeof(big)) == -UV_EMSGSIZE, "too-long-for-channel", "not -EMSGSIZE");
	/* The rate limit: a burst gets some signatures and then refusals. */
	int ok = 0, limited = 0, other = 0;
	for (int i = 0; i < BURST; i++) {
		st = sign("burst", 5, sig);
		ok += st == VAULT_OK;
		limited += st == VAULT_RATE_LIMITED;
		other += st != VAULT_OK && st != VAULT_RATE_LIMITED;
	}
	printf("burst of %d: %d signed, %d rate-limited\n", BURST, ok, limited);
	ck(limited >= BURST / 2 && other == 0, "rate-limited", "ok=%d limited=%d other=%d", ok, limited, other);
	return checks_done();
}
