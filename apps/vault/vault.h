/* apps/vault/vault.h: the vault's parts: crypto set-up, request checking and the rate limit. */
#ifndef VAULT_H
#define VAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vault_proto.h"

/* Points libsodium's random bytes at the random hypercall and initialises it; 0 or -1. */
int vault_crypto_init(void);

/* What a request of n bytes at m asks: VAULT_OK with *h (h->op: which request), *msg and *len set, or why not. */
enum vault_status vault_parse(const uint8_t *m, size_t n, struct vault_hdr *h, const uint8_t **msg, size_t *len);

/* A token bucket: burst requests at once, refilled at rate a second. */
struct vault_bucket {
	uint32_t rate, burst;
	uint64_t tokens_milli;   /* tokens x 1000 */
	int64_t last_ns;
};
void vault_bucket_init(struct vault_bucket *b, uint32_t rate, uint32_t burst, int64_t now_ns);
/* Whether a request at now_ns may go ahead (it takes a token). */
bool vault_bucket_take(struct vault_bucket *b, int64_t now_ns);

#endif
