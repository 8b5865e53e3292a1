/* tests/apps/v6check/dns.c: names through lwIP's resolver against tests/apps/dnsd: A and AAAA, a missing name, no data, a timeout, hostile answers (truncated, wrong id, pointer loops), malformed queries at the responder. */
#include <errno.h>
#include <time.h>
#include <string.h>
#include <unistd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <uv_net.h>
#include "v6check.h"

#define NS_PER_MS 1000000ll
#define ANSWER_FAST_MS 1000   /* an answer from the segment comes well within one retry interval */
#define TIMEOUT_MIN_MS 6000   /* lwIP asks one server for 7 s (dns_lookup.c): EAI_AGAIN not before 6.5 s */
#define DNS_PORT 53

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* getaddrinfo(name, "80", family): the first address as text into out, the result, the ms it took. */
static int lookup(const char *name, int family, char *out, size_t outlen, long *ms)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_STREAM }, *res = NULL;
	int64_t t0 = now_ns();
	int r = getaddrinfo(name, "80", &hints, &res);
	*ms = (long)((now_ns() - t0) / NS_PER_MS);
	out[0] = 0;
	if (r == 0 && res) {
		const void *a = res->ai_family == AF_INET ? (const void *)&((struct sockaddr_in *)res->ai_addr)->sin_addr
							  : (const void *)&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr;
		inet_ntop(res->ai_family, a, out, (socklen_t)outlen);
		int port = res->ai_family == AF_INET ? ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port)
						     : ntohs(((struct sockaddr_in6 *)res->ai_addr)->sin6_port);
		if (port != 80)
			snprintf(out, outlen, "port %d", port);
		freeaddrinfo(res);
	} else if (res) {
		snprintf(out, outlen, "a list despite error %d", r);
	}
	return r;
}

/* The check that name resolves to want (family), fast. */
static void resolves(const char *check, const char *name, int family, const char *want)
{
	char got[INET6_ADDRSTRLEN + 32];
	long ms;
	int r = lookup(name, family, got, sizeof(got), &ms);
	ck(r == 0 && !strcmp(got, want) && ms < ANSWER_FAST_MS, check, "%s: %d (%s) '%s' in %ld ms, want %s", name, r,
	   gai_strerror(r), got, ms, want);
}

/* The check that name fails with want (and, for EAI_NONAME, fast). */
static void fails(const char *check, const char *name, int family, int want)
{
	char got[INET6_ADDRSTRLEN + 32];
	long ms;
	int r = lookup(name, family, got, sizeof(got), &ms);
	int timing = want == EAI_AGAIN ? ms >= TIMEOUT_MIN_MS : ms < ANSWER_FAST_MS;
	ck(r == want && timing, check, "%s: %d (%s) '%s' in %ld ms, want %d", name, r, gai_strerror(r), got, ms, want);
}

/* Datagrams no resolver should send, straight at the responder's port. */
static void malformed_queries(const char *server)
{
	static const uint8_t bad[][24] = {
		{ 0x12, 0x34, 0x01 },                                                   /* shorter than a header */
		{ 0x12, 0x34, 0x01, 0, 0, 5, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1 }, /* five questions */
		{ 0x12, 0x34, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1 },  /* a pointer to itself */
		{ 0x12, 0x34, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0, 64, 'a', 'b' },          /* a 64-byte label */
		{ 0x12, 0x34, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0, 9, 'a', 'b', 'c' },      /* runs off the end */
	};
	static const size_t len[] = { 3, 19, 18, 15, 16 };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(DNS_PORT) };
	inet_pton(AF_INET, server, &a.sin_addr);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), sent = 0;
	for (size_t i = 0; i < sizeof(len) / sizeof(len[0]); i++)
		sent += sendto(fd, bad[i], len[i], 0, (struct sockaddr *)&a, sizeof(a)) == (ssize_t)len[i];
	close(fd);
	ck(sent == (int)(sizeof(len) / sizeof(len[0])), "dns.malformed-sent", "%d of 5 sent", sent);
}

void checks_dns(const char *server)
{
	resolves("dns.a", "www.uv.test", AF_INET, "10.5.0.80");
	resolves("dns.aaaa", "www.uv.test", AF_INET6, "fd00:5::50");
	resolves("dns.case-insensitive", "WWW.Uv.Test", AF_INET, "10.5.0.80");
	resolves("dns.unspec-a-first", "v4only.uv.test", AF_UNSPEC, "10.5.0.81");
	fails("dns.no-aaaa-record", "v4only.uv.test", AF_INET6, EAI_NONAME);
	fails("dns.missing-name", "missing.uv.test", AF_INET, EAI_NONAME);
	fails("dns.timeout", "silent.uv.test", AF_INET, EAI_AGAIN);
	resolves("dns.truncated-answer-ignored", "trunc.uv.test", AF_INET, "10.5.0.82");
	resolves("dns.wrong-id-ignored", "badid.uv.test", AF_INET, "10.5.0.83");
	resolves("dns.question-pointer-loop-ignored", "loop.uv.test", AF_INET, "10.5.0.84");
	resolves("dns.answer-pointer-loop-not-followed", "aloop.uv.test", AF_INET, "10.5.0.85");
	char longname[300];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	fails("dns.name-too-long", longname, AF_INET, EAI_NONAME);
	fails("dns.empty-name", "", AF_INET, EAI_NONAME);
	resolves("dns.localhost", "localhost", AF_INET, "127.0.0.1");
	malformed_queries(server);
	resolves("dns.responder-alive-after-malformed", "after.uv.test", AF_INET, "10.5.0.86");
	ck(!strcmp(gai_strerror(EAI_AGAIN), "Temporary failure in name resolution"), "dns.gai-strerror", "'%s'",
	   gai_strerror(EAI_AGAIN));
	fails("dns.quit-responder", "quit.uv.test", AF_INET, EAI_NONAME);
}
