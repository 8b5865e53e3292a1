/* apps/vault/request.c: the vault's pure logic: a request checked before anything reads it, and the rate limit's token bucket. */
#include <string.h>
#include "vault.h"

#define MILLI 1000u
#define NS_PER_MS 1000000ll

enum vault_status vault_parse(const uint8_t *m, size_t n, struct vault_hdr *h, const uint8_t **msg, size_t *len)
{
	if (n < sizeof(*h))
		return VAULT_MALFORMED;
	memcpy(h, m, sizeof(*h));
	if ((h->op != VAULT_OP_SIGN && h->op != VAULT_OP_PUBKEY) || h->reserved || h->len != n - sizeof(*h))
		return VAULT_MALFORMED;
	if (h->op == VAULT_OP_PUBKEY && h->len)
		return VAULT_MALFORMED;
	if (h->len > VAULT_MSG_MAX)
		return VAULT_TOO_LONG;
	*msg = m + sizeof(*h);
	*len = h->len;
	return VAULT_OK;
}

void vault_bucket_init(struct vault_bucket *b, uint32_t rate, uint32_t burst, int64_t now_ns)
{
	b->rate = rate;
	b->burst = burst;
	b->tokens_milli = (uint64_t)burst * MILLI;
	b->last_ns = now_ns;
}

bool vault_bucket_take(struct vault_bucket *b, int64_t now_ns)
{
	if (now_ns > b->last_ns) {
		/* Whole milliseconds only, so that no time is lost to rounding between calls. */
		int64_t ms = (now_ns - b->last_ns) / NS_PER_MS;
		b->last_ns += ms * NS_PER_MS;
		/* rate a second is rate/1000 tokens a ms: rate milli-tokens. ms >= cap fills the bucket
		 * whatever the rate (>= 1), so the product is taken only below it (no overflow). */
		uint64_t cap = (uint64_t)b->burst * MILLI, add = (uint64_t)ms >= cap ? cap : (uint64_t)ms * b->rate;
		b->tokens_milli = b->tokens_milli + add > cap ? cap : b->tokens_milli + add;
	}
	if (b->tokens_milli < MILLI)
		return false;
	b->tokens_milli -= MILLI;
	return true;
}
