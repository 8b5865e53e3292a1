/* apps/vault/main.c: the key vault: makes an Ed25519 key from the random hypercall, prints its public key, and signs what its request channel brings, within a rate limit; it has no network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <univisor.h>
#include "vault.h"

/* Channel handles (config/vault.conf: the request channel's section comes first). */
#define H_REQ 0
#define H_REP 1
#define REQ_BUF 4096 /* the request channel's msg_max may be up to this (checked at start) */
#define RATE_DEFAULT 20   /* requests a second */
#define BURST_DEFAULT 10
#define VAULT_ARG_MAX 1000000u  /* rate= and burst= at most (vault_bucket_take's arithmetic) */

static uint8_t sk[crypto_sign_SECRETKEYBYTES];
static uint8_t pk[crypto_sign_PUBLICKEYBYTES];
_Static_assert(sizeof(pk) == VAULT_PK_BYTES && crypto_sign_BYTES == VAULT_SIG_BYTES, "vault_proto.h sizes");
static struct {
	unsigned long signed_, pubkeys, malformed, too_long, limited, resets, lost;
} count;

/* key=N among the args (1..VAULT_ARG_MAX), or def. */
static uint32_t arg_u32(int argc, char **argv, const char *key, uint32_t def)
{
	size_t k = strlen(key);
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], key, k) && argv[i][k] == '=') {
			unsigned long v = strtoul(argv[i] + k + 1, NULL, 10);
			return v >= 1 && v <= VAULT_ARG_MAX ? (uint32_t)v : def;
		}
	return def;
}

static void hex(const char *label, const uint8_t *p, size_t n)
{
	char s[2 * VAULT_SIG_BYTES + 1];
	for (size_t i = 0; i < n && i < VAULT_SIG_BYTES; i++)
		snprintf(s + 2 * i, 3, "%02x", p[i]);
	printf("%s %s\n", label, s);
}

/* Answers one request of n bytes (copied out of the kernel's queue: it cannot change now). */
static void answer(const uint8_t *m, long n, struct vault_bucket *b)
{
	uint8_t out[sizeof(struct vault_hdr) + VAULT_SIG_BYTES];
	struct vault_hdr h = { 0 };
	const uint8_t *msg;
	size_t len;
	enum vault_status st = vault_parse(m, (size_t)n, &h, &msg, &len);
	if (st == VAULT_OK && h.op == VAULT_OP_SIGN && !vault_bucket_take(b, uv_monotonic_ns()))
		st = VAULT_RATE_LIMITED;
	struct vault_hdr r = { .id = h.id, .op = (uint8_t)st };
	if (st == VAULT_OK && h.op == VAULT_OP_PUBKEY) {
		memcpy(out + sizeof(r), pk, sizeof(pk));
		r.len = sizeof(pk);
		count.pubkeys++;
	} else if (st == VAULT_OK) {
		crypto_sign_detached(out + sizeof(r), NULL, msg, len, sk);
		r.len = VAULT_SIG_BYTES;
		count.signed_++;
	} else {
		count.malformed += st == VAULT_MALFORMED;
		count.too_long += st == VAULT_TOO_LONG;
		count.limited += st == VAULT_RATE_LIMITED;
	}
	memcpy(out, &r, sizeof(r));
	long s = uv_hc_chan_send(H_REP, out, sizeof(r) + r.len);
	while (s == -UV_EAGAIN) { /* the client has not taken its replies yet: wait for room */
		uv_hc_yield(UV_YIELD_FOREVER, UV_HANDLE_CHAN(H_REP));
		s = uv_hc_chan_send(H_REP, out, sizeof(r) + r.len);
	}
	if (s < 0)
		count.lost++; /* the client stopped: its channel was reset, the reply is for nobody */
}

int main(int argc, char **argv)
{
	static uint8_t m[REQ_BUF];
	if (vault_crypto_init()) {
		printf("cannot initialise libsodium\n");
		return 1;
	}
	/* A new key at every start: it lives in this app's RAM only, which no other app and no
	 * device can reach, and is scrubbed when the app stops. */
	struct uv_chan_info req, rep;
	if (uv_hc_chan_info(H_REQ, &req) || uv_hc_chan_info(H_REP, &rep) || req.flags != UV_CHAN_RECV ||
	    rep.flags != UV_CHAN_SEND || req.msg_max > REQ_BUF || rep.msg_max < sizeof(struct vault_hdr) + VAULT_SIG_BYTES) { /* >= the public key's reply too */
		printf("needs a request channel (handle 0, msg_max <= %u) it receives on and a reply channel "
		       "(handle 1, msg_max >= %zu) it sends on\n", REQ_BUF, sizeof(struct vault_hdr) + VAULT_SIG_BYTES);
		return 1;
	}
	crypto_sign_keypair(pk, sk);
	hex("public key", pk, sizeof(pk));
	struct vault_bucket b;
	vault_bucket_init(&b, arg_u32(argc, argv, "rate", RATE_DEFAULT), arg_u32(argc, argv, "burst", BURST_DEFAULT),
			  uv_monotonic_ns());
	printf("serving sign requests (rate %u/s, burst %u)\n", b.rate, b.burst);
	for (;;) {
		long n = uv_hc_chan_recv(H_REQ, m, sizeof(m));
		if (n == -UV_EAGAIN) {
			uv_hc_yield(UV_YIELD_FOREVER, UV_HANDLE_CHAN(H_REQ));
			continue;
		}
		if (n == -UV_ECONNRESET || n == -UV_EMSGSIZE) {
			/* A reset: the client restarted or stopped (what it had sent is gone). A message
			 * longer than our buffer cannot come: the channel's msg_max is smaller. */
			count.resets += n == -UV_ECONNRESET;
			printf("client channel reset; signed=%lu pubkeys=%lu malformed=%lu too-long=%lu limited=%lu lost=%lu\n",
			       count.signed_, count.pubkeys, count.malformed, count.too_long, count.limited, count.lost);
			if (n == -UV_EMSGSIZE)
				return 1;
			continue;
		}
		if (n < 0) {
			printf("chan_recv failed: %ld\n", n);
			return 1;
		}
		answer(m, n, &b);
	}
}
