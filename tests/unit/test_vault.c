/* tests/unit/test_vault.c: the vault's request check and rate limit (apps/vault/request.c). */
#include "tests/unit/unit.h"
#include "apps/vault/vault.h"

static size_t req(uint8_t *b, uint32_t id, uint8_t op, uint8_t reserved, uint16_t len, size_t body)
{
	struct vault_hdr h = { id, op, reserved, len };
	memcpy(b, &h, sizeof(h));
	memset(b + sizeof(h), 'x', body);
	return sizeof(h) + body;
}

TEST(vault_parse_requests)
{
	static uint8_t b[sizeof(struct vault_hdr) + VAULT_MSG_MAX + 8];
	struct vault_hdr h;
	const uint8_t *msg;
	size_t len;
	size_t n = req(b, 7, VAULT_OP_SIGN, 0, 5, 5);
	CHECK_EQ(vault_parse(b, n, &h, &msg, &len), VAULT_OK);
	CHECK(h.id == 7 && len == 5 && msg == b + sizeof(h));
	CHECK_EQ(vault_parse(b, 0, &h, &msg, &len), VAULT_MALFORMED);
	CHECK_EQ(vault_parse(b, sizeof(h) - 1, &h, &msg, &len), VAULT_MALFORMED);
	n = req(b, 7, 9, 0, 5, 5);
	CHECK_EQ(vault_parse(b, n, &h, &msg, &len), VAULT_MALFORMED);
	n = req(b, 8, VAULT_OP_PUBKEY, 0, 0, 0);
	CHECK_EQ(vault_parse(b, n, &h, &msg, &len), VAULT_OK);
	CHECK(h.id == 8 && h.op == VAULT_OP_PUBKEY && len == 0);
	n = req(b, 8, VAULT_OP_PUBKEY, 0, 1, 1); /* a public-key request carries nothing */
	CHECK_EQ(vault_parse(b, n, &h, &msg, &len), VAULT_MALFORMED);
	n = req(b, 7, VAULT_OP_SIGN, 1, 5, 5);
	CHECK_EQ(vault_parse(b, n, &h, &msg, &len), VAULT_MALFORMED);
	n = req(b, 7, VAULT_OP_SIGN, 0, 6, 5);
	CHECK_EQ(vault_parse(b, n, &h, &msg, &len), VAULT_MALFORMED);
	n = req(b, 7, VAULT_OP_SIGN, 0, 4, 5);
	CHECK_EQ(vault_parse(b, n, &h, &msg, &len), VAULT_MALFORMED);
	n = req(b, 7, VAULT_OP_SIGN, 0, 0, 0); /* an empty message is signed too */
	CHECK_EQ(vault_parse(b, n, &h, &msg, &len), VAULT_OK);
	n = req(b, 7, VAULT_OP_SIGN, 0, VAULT_MSG_MAX, VAULT_MSG_MAX);
	CHECK_EQ(vault_parse(b, n, &h, &msg, &len), VAULT_OK);
	n = req(b, 7, VAULT_OP_SIGN, 0, VAULT_MSG_MAX + 1, VAULT_MSG_MAX + 1);
	CHECK_EQ(vault_parse(b, n, &h, &msg, &len), VAULT_TOO_LONG);
}

TEST(vault_rate_limit)
{
	struct vault_bucket b;
	const int64_t ms = 1000000;
	vault_bucket_init(&b, 2, 3, 0);
	CHECK(vault_bucket_take(&b, 0) && vault_bucket_take(&b, 0) && vault_bucket_take(&b, 0));
	CHECK(!vault_bucket_take(&b, 0));
	CHECK(!vault_bucket_take(&b, 499 * ms)); /* 2 a second: one token every 500 ms */
	CHECK(vault_bucket_take(&b, 500 * ms));
	CHECK(!vault_bucket_take(&b, 500 * ms));
	/* Many calls a fraction of a millisecond apart lose no time to rounding. */
	int got = 0;
	for (int64_t t = 500 * ms; t <= 1501 * ms; t += ms / 3)
		got += vault_bucket_take(&b, t);
	CHECK_EQ(got, 2);
	/* A long idle time fills the bucket to its burst, no more, and does not overflow. */
	CHECK(vault_bucket_take(&b, INT64_MAX / 2) && vault_bucket_take(&b, INT64_MAX / 2) && vault_bucket_take(&b, INT64_MAX / 2));
	CHECK(!vault_bucket_take(&b, INT64_MAX / 2));
	/* Time going backwards takes nothing and gives nothing. */
	CHECK(!vault_bucket_take(&b, 0));
}
