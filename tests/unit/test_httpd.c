/* tests/unit/test_httpd.c: the httpd's request-head parser (apps/httpd/http.c) and libos's strict inet_pton (libos/net/inet4.c). */
#include <string.h>
#include "tests/unit/unit.h"
#include "apps/httpd/http.h"
#include "libos/libos.h"

static int parse(const char *s, struct http_req *r)
{
	return http_parse(s, strlen(s), r);
}

TEST(http_parses_a_get_and_keep_alive_rules)
{
	struct http_req r;
	const char *g = "GET /index.html?x=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: t\r\n\r\nGET / HTTP/1.1\r\n";
	CHECK_EQ(parse(g, &r), (int)(strstr(g, "\r\n\r\n") + 4 - g));
	CHECK_EQ(r.method, HTTP_GET);
	CHECK_STR(r.path, "/index.html");
	CHECK_EQ(r.minor, 1);
	CHECK_EQ(r.keep_alive, 1);
	CHECK(parse("HEAD / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n", &r) > 0 && r.method == HTTP_HEAD && !r.keep_alive);
	CHECK(parse("GET / HTTP/1.0\r\n\r\n", &r) > 0 && !r.keep_alive && r.minor == 0);
	CHECK(parse("GET / HTTP/1.0\r\nConnection: foo, Keep-Alive\r\n\r\n", &r) > 0 && r.keep_alive);
	CHECK(parse("GET / HTTP/1.1\nHost: a\n\n", &r) > 0);       /* bare LF (RFC 9112 2.2) */
	CHECK(parse("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", &r) > 0); /* a leading empty line */
	CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", &r) > 0);
}

TEST(http_waits_for_a_whole_head)
{
	struct http_req r;
	CHECK_EQ(parse("", &r), 0);
	CHECK_EQ(parse("GET / HTTP/1.1", &r), 0);
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\n", &r), 0);
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\n\r", &r), 0);
}

TEST(http_refuses_bad_requests_with_their_status)
{
	struct http_req r;
	CHECK_EQ(parse("GET / HTTP/1.1\r\n\r\n", &r), -400);                   /* no Host */
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET index HTTP/1.1\r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost : a\r\n\r\n", &r), -400);        /* space before the colon */
	CHECK_EQ(parse("GET / HTTP/1.1\r\nno colon\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET / HTTP/1.1x\r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("GET /\x01 HTTP/1.1\r\nHost: a\r\n\r\n", &r), -400);
	CHECK_EQ(parse("POST / HTTP/1.1\r\nHost: a\r\n\r\n", &r), -405);
	CHECK_EQ(parse("get / HTTP/1.1\r\nHost: a\r\n\r\n", &r), -405);         /* methods are case-sensitive */
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", &r), -413);
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", &r), -501);
	CHECK_EQ(parse("GET / HTTP/2.0\r\nHost: a\r\n\r\n", &r), -505);
	CHECK_EQ(parse("GET / HTTP/1.2\r\nHost: a\r\n\r\n", &r), -505);
}

TEST(http_limits_size_fields_and_target)
{
	static char big[HTTP_HEAD_MAX + 100];
	struct http_req r;
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	CHECK_EQ(http_parse(big, sizeof(big), &r), -413);           /* a request line longer than the head limit */
	CHECK_EQ(http_parse(big, HTTP_HEAD_MAX - 1, &r), 0);        /* not yet at the limit: wait */
	char head[4096] = "GET / HTTP/1.1\r\nHost: a\r\n";
	for (int i = 0; i < HTTP_FIELDS_MAX; i++)
		strcat(head, "X-A: b\r\n");
	strcat(head, "\r\n");
	CHECK_EQ(parse(head, &r), -431);                            /* Host + 32 more fields */
	char path[HTTP_PATH_MAX + 64] = "GET /";
	memset(path + 5, 'p', HTTP_PATH_MAX);
	strcpy(path + 5 + HTTP_PATH_MAX, " HTTP/1.1\r\nHost: a\r\n\r\n");
	CHECK_EQ(parse(path, &r), -414);
	CHECK_STR(http_reason(413), "Content Too Large");
	CHECK_STR(http_reason(999), "Unknown");
}

TEST(inet_pton4_takes_only_dotted_decimal)
{
	uint8_t a[4] = { 9, 9, 9, 9 };
	CHECK_EQ(uv_inet_pton4("10.0.2.15", a), 1);
	CHECK(a[0] == 10 && a[1] == 0 && a[2] == 2 && a[3] == 15);
	CHECK_EQ(uv_inet_pton4("255.255.255.255", a), 1);
	CHECK_EQ(uv_inet_pton4("0.0.0.0", a), 1);
	const char *bad[] = { "1.2.3", "1.2.3.4.", "1.2.3.4 ", "256.1.1.1", "01.2.3.4", "1.2.3.0x1", "", "1..2.3",
			      "1.2.3.1000", "a.b.c.d", "-1.2.3.4" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a[0] = 7;
		CHECK_EQ(uv_inet_pton4(bad[i], a), 0);
		CHECK_EQ(a[0], 7);
	}
}

TEST(http_head_writes_the_fields_and_refuses_what_does_not_fit)
{
	char b[256];
	const char *date = "Mon, 01 Jan 2024 00:00:00 GMT";
	static const char want[] = "HTTP/1.1 200 OK\r\nServer: univisor-httpd\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
				   "Content-Type: text/html\r\nContent-Length: 1024\r\nConnection: keep-alive\r\n\r\n";
	size_t n = http_head(b, sizeof(b), 200, date, "text/html", 1024, 1);
	CHECK_EQ(n, sizeof(want) - 1);
	CHECK(memcmp(b, want, n) == 0);
	n = http_head(b, sizeof(b), 404, date, "text/plain", 0, 0);
	b[n] = 0;
	CHECK(strstr(b, "HTTP/1.1 404 Not Found\r\n") == b);
	CHECK(strstr(b, "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n") != NULL);
	n = http_head(b, sizeof(b), 200, date, "x", 18446744073709551615ull, 1);
	b[n] = 0;
	CHECK(strstr(b, "Content-Length: 18446744073709551615\r\n") != NULL);
	CHECK_EQ(http_head(b, sizeof(want) - 2, 200, date, "text/html", 1024, 1), 0); /* one byte short */
	CHECK_EQ(http_head(b, sizeof(want) - 1, 200, date, "text/html", 1024, 1), sizeof(want) - 1);
	CHECK_EQ(http_head(b, sizeof(b), 99, date, "x", 0, 1), 0);
	CHECK_EQ(http_head(b, sizeof(b), 1000, date, "x", 0, 1), 0);
}
