/* tests/unit/test_signer.c: the signer's strict request-head parser (apps/signer/sreq.c). */
#include <string.h>
#include "tests/unit/unit.h"
#include "apps/signer/sreq.h"

#define BODY_MAX 1024

static int parse(const char *s, struct sreq *r)
{
	return sreq_parse(s, strlen(s), BODY_MAX, r);
}

TEST(sreq_parses_sign_and_pubkey)
{
	struct sreq r;
	const char *p = "POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Type: x\r\n\r\nhelloGET";
	CHECK_EQ(parse(p, &r), (int)(strstr(p, "hello") - p));
	CHECK(r.route == SREQ_SIGN && r.body_len == 5 && r.keep_alive);
	CHECK(parse("POST /sign HTTP/1.1\r\nhost:a\r\ncontent-length:\t0001024 \r\n\r\n", &r) > 0 && r.body_len == BODY_MAX);
	CHECK(parse("GET /pubkey HTTP/1.1\r\nHost: a\r\nConnection: x, Close\r\n\r\n", &r) > 0 && r.route == SREQ_PUBKEY &&
	      !r.keep_alive && r.body_len == 0);
	CHECK(parse("GET /pubkey HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", &r) > 0);
	CHECK(parse("GET /pubkey HTTP/1.0\r\n\r\n", &r) > 0 && !r.keep_alive);
	CHECK(parse("GET /pubkey HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &r) > 0 && r.keep_alive);
}

TEST(sreq_waits_for_a_whole_head)
{
	struct sreq r;
	CHECK_EQ(parse("", &r), 0);
	CHECK_EQ(parse("POST /sign HTTP/1.1", &r), 0);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r", &r), 0);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n", &r), 0);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r", &r), 0);
}

TEST(sreq_refuses_with_the_right_status)
{
	struct sreq r;
	/* Routes and methods. */
	CHECK_EQ(parse("GET /sign HTTP/1.1\r\nHost: a\r\n\r\n", &r), -405);
	CHECK_EQ(r.route, SREQ_SIGN);
	CHECK_EQ(parse("POST /pubkey HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n", &r), -405);
	CHECK_EQ(r.route, SREQ_PUBKEY);
	CHECK_EQ(parse("post /sign HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n", &r), -405); /* case-sensitive */
	CHECK_EQ(parse("POST /sign/ HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n", &r), -404);
	CHECK_EQ(parse("POST /sign?x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n", &r), -404);
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n", &r), -404);
	CHECK_EQ(r.route, 0);
	/* Lengths. */
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\n\r\n", &r), -411);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", &r), -411);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", &r), -411);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n", &r), -413);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999999\r\n\r\n", &r), -413);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", &r), -400);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", &r), -400);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", &r), -400);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", &r), -400);
	CHECK_EQ(parse("POST /sign HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET /pubkey HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n", &r), -400);
	/* Syntax. */
	CHECK_EQ(parse("GET /pubkey HTTP/1.1\r\n\r\n", &r), -400); /* no Host */
	CHECK_EQ(parse("GET /pubkey HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET /pubkey HTTP/1.1\nHost: a\n\n", &r), -400); /* bare LF */
	CHECK_EQ(parse("GET /pubkey HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", &r), -400); /* bare CR */
	CHECK_EQ(parse("\r\nGET /pubkey HTTP/1.1\r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET /pubkey HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", &r), -400); /* obs-fold */
	CHECK_EQ(parse("GET /pubkey HTTP/1.1\r\nHost : a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET /pubkey HTTP/1.1\r\nHost: a\x01\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET /pub\x7fkey HTTP/1.1\r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET  /pubkey HTTP/1.1\r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("G(T /pubkey HTTP/1.1\r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET /pubkey HTTP/1.1 \r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET /pubkey http/1.1\r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET /pubkey HTTP/2.0\r\nHost: a\r\n\r\n", &r), -505);
	CHECK_EQ(parse("GET /pubkey HTTP/1.2\r\nHost: a\r\n\r\n", &r), -505);
}

TEST(sreq_limits_the_head)
{
	static char b[SREQ_HEAD_MAX + 64];
	struct sreq r;
	/* Fields: SREQ_FIELDS_MAX pass, one more is 431. */
	size_t n = (size_t)snprintf(b, sizeof(b), "GET /pubkey HTTP/1.1\r\nHost: a\r\n");
	for (int i = 1; i < SREQ_FIELDS_MAX; i++)
		n += (size_t)snprintf(b + n, sizeof(b) - n, "X-%d: y\r\n", i);
	snprintf(b + n, sizeof(b) - n, "\r\n");
	CHECK(parse(b, &r) > 0);
	snprintf(b + n, sizeof(b) - n, "X-last: y\r\n\r\n");
	CHECK_EQ(parse(b, &r), -431);
	/* A head that does not end within SREQ_HEAD_MAX bytes is 431; one just below it passes. */
	n = (size_t)snprintf(b, sizeof(b), "GET /pubkey HTTP/1.1\r\nHost: a\r\nX: ");
	memset(b + n, 'y', SREQ_HEAD_MAX - n);
	b[SREQ_HEAD_MAX] = 0;
	CHECK_EQ(sreq_parse(b, SREQ_HEAD_MAX - 1, BODY_MAX, &r), 0);
	CHECK_EQ(sreq_parse(b, SREQ_HEAD_MAX, BODY_MAX, &r), -431);
	memcpy(b + SREQ_HEAD_MAX - 5, "\r\n\r\n", 4);
	CHECK_EQ(sreq_parse(b, SREQ_HEAD_MAX, BODY_MAX, &r), SREQ_HEAD_MAX - 1);
	CHECK_STR(sreq_reason(429), "Too Many Requests");
	CHECK_STR(sreq_reason(299), "Unknown");
}
