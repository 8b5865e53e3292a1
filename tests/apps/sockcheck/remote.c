/* tests/apps/sockcheck/remote.c: checks against another machine: a connection out to a host listener, and a client of an echo server (TCP stream with a checksum, UDP datagrams). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <uv_thread.h>
#include "sockcheck.h"

#define FNV32_BASIS 2166136261u
#define FNV32_PRIME 16777619u
#define CHUNK 8192
#define IO_TIMEOUT_MS 30000

static struct sockaddr_in target;
static long want_bytes, want_udp;

static int parse_hostport(const char *hp, struct sockaddr_in *a)
{
	char host[32];
	const char *colon = strchr(hp, ':');
	if (!colon || (size_t)(colon - hp) >= sizeof(host))
		return -1;
	memcpy(host, hp, (size_t)(colon - hp));
	host[colon - hp] = 0;
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)atoi(colon + 1));
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

static uint32_t fnv(uint32_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV32_PRIME;
	return h;
}

static unsigned char pattern(long i)
{
	return (unsigned char)(i * 7 + (i >> 9));
}

static const char *c_connect_out(void)
{
	char buf[64] = { 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&target, sizeof(target)))
		return FAILF("connect to %s:%u: errno %d", inet_ntoa(target.sin_addr), ntohs(target.sin_port), errno);
	const char *hello = "hello from univisor\n";
	if (write(fd, hello, strlen(hello)) != (ssize_t)strlen(hello))
		return FAILF("write: errno %d", errno);
	size_t got = 0;
	while (got < sizeof(buf) - 1 && !strchr(buf, '\n')) {
		ssize_t n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (strcmp(buf, "hello back\n"))
		return FAILF("the host answered '%.40s'", buf);
	return NULL;
}

/* Sends want_bytes of the pattern and reads the echo at once (poll), comparing checksums. */
static const char *c_tcp_stream(void)
{
	static unsigned char out[CHUNK], in[CHUNK];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&target, sizeof(target)))
		return FAILF("connect: errno %d", errno);
	long sent = 0, recvd = 0;
	uint32_t hs = FNV32_BASIS, hr = FNV32_BASIS;
	while (recvd < want_bytes) {
		struct pollfd p = { .fd = fd, .events = POLLIN | (sent < want_bytes ? POLLOUT : 0) };
		if (poll(&p, 1, IO_TIMEOUT_MS) <= 0)
			return FAILF("no progress for %d ms at %ld sent, %ld received", IO_TIMEOUT_MS, sent, recvd);
		if ((p.revents & POLLOUT) && sent < want_bytes) {
			size_t n = want_bytes - sent < CHUNK ? (size_t)(want_bytes - sent) : CHUNK;
			for (size_t i = 0; i < n; i++)
				out[i] = pattern(sent + (long)i);
			ssize_t w = send(fd, out, n, MSG_DONTWAIT);
			if (w > 0) {
				hs = fnv(hs, out, (size_t)w);
				sent += w;
			} else if (errno != EAGAIN) {
				return FAILF("send: errno %d", errno);
			}
		}
		if (p.revents & (POLLIN | POLLERR | POLLHUP)) {
			ssize_t r = recv(fd, in, sizeof(in), MSG_DONTWAIT);
			if (r == 0)
				return FAILF("the server closed at %ld of %ld bytes", recvd, want_bytes);
			if (r > 0) {
				hr = fnv(hr, in, (size_t)r);
				recvd += r;
			} else if (errno != EAGAIN) {
				return FAILF("recv: errno %d", errno);
			}
		}
	}
	close(fd);
	if (hs != hr)
		return FAILF("%ld bytes echoed with checksum %08x, sent %08x", recvd, hr, hs);
	printf("sockcheck: %ld bytes echoed, fnv32 %08x\n", recvd, hr);
	return NULL;
}

static const char *c_udp(void)
{
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct timeval tv = { 1, 0 };
	setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	long answered = 0;
	for (long i = 0; i < want_udp; i++) {
		char msg[64], buf[64];
		int len = snprintf(msg, sizeof(msg), "datagram %ld", i);
		for (int attempt = 0; attempt < 3; attempt++) {
			sendto(u, msg, (size_t)len, 0, (struct sockaddr *)&target, sizeof(target));
			ssize_t n = recv(u, buf, sizeof(buf), 0);
			if (n == len && !memcmp(buf, msg, (size_t)len)) {
				answered++;
				break;
			}
		}
	}
	close(u);
	if (answered != want_udp)
		return FAILF("%ld of %ld datagrams echoed", answered, want_udp);
	return NULL;
}

void checks_connect_out(const char *hostport)
{
	if (parse_hostport(hostport, &target)) {
		printf("check remote.connect-out FAIL: bad connect=%s\n", hostport);
		return;
	}
	check_run("remote.connect-out", c_connect_out);
}

void checks_client(const char *hostport, long bytes, long udp)
{
	if (parse_hostport(hostport, &target)) {
		printf("check remote.client FAIL: bad client=%s\n", hostport);
		return;
	}
	want_bytes = bytes;
	want_udp = udp;
	if (udp) /* first: the echo server of the internal test ends after one TCP connection */
		check_run("remote.udp-echo", c_udp);
	if (bytes)
		check_run("remote.tcp-stream-checksum", c_tcp_stream);
}

static int scan_lo, scan_hi;
static char get_path[128];

/* Connects to every port of [scan_lo, scan_hi] in turn: exactly the one in want_open may answer. */
static const char *c_scan(void)
{
	int open = 0, first_open = 0, refused = 0;
	for (int port = scan_lo; port <= scan_hi; port++) {
		struct sockaddr_in a = target;
		a.sin_port = htons((uint16_t)port);
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return FAILF("socket at port %d: errno %d", port, errno);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
			if (!open++)
				first_open = port;
		} else if (errno == ECONNREFUSED) {
			refused++;
		} else {
			int e = errno;
			close(fd);
			return FAILF("connect to port %d: errno %d (neither open nor refused)", port, e);
		}
		close(fd);
	}
	printf("sockcheck: scanned ports %d-%d: %d open (first %d), %d refused\n", scan_lo, scan_hi, open, first_open,
	       refused);
	if (open != 1 || first_open != 80)
		return FAILF("%d ports open (first %d), want only 80", open, first_open);
	return NULL;
}

/* GET get_path with HTTP/1.1 and reads the whole answer (Connection: close). */
static const char *c_get(void)
{
	static char buf[4096];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&target, sizeof(target)))
		return FAILF("connect: errno %d", errno);
	char req[256];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", get_path);
	if (write(fd, req, (size_t)n) != n)
		return FAILF("write: errno %d", errno);
	size_t got = 0;
	ssize_t r;
	while (got < sizeof(buf) - 1 && (r = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)r;
	buf[got] = 0;
	close(fd);
	const char *body = strstr(buf, "\r\n\r\n");
	if (strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) || !body || strcmp(body + 4, "hello, world\n"))
		return FAILF("answer '%.60s'", buf);
	return NULL;
}

void checks_scan(const char *spec)
{
	char host[40];
	const char *colon = strchr(spec, ':');
	if (!colon || sscanf(colon + 1, "%d-%d", &scan_lo, &scan_hi) != 2 || (size_t)(colon - spec) >= sizeof(host) ||
	    scan_lo < 1 || scan_hi > 65535 || scan_lo > scan_hi) {
		printf("sockcheck: bad scan=%s\n", spec);
		return;
	}
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = 0;
	memset(&target, 0, sizeof(target));
	target.sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &target.sin_addr) != 1) {
		printf("sockcheck: bad scan host %s\n", host);
		return;
	}
	check_run("remote.port-scan", c_scan);
}

void checks_get(const char *spec)
{
	char hp[64];
	const char *slash = strchr(spec, '/');
	if (!slash || (size_t)(slash - spec) >= sizeof(hp) || strlen(slash) >= sizeof(get_path) ||
	    (memcpy(hp, spec, (size_t)(slash - spec)), hp[slash - spec] = 0, parse_hostport(hp, &target))) {
		printf("sockcheck: bad get=%s\n", spec);
		return;
	}
	strcpy(get_path, slash);
	check_run("remote.http-get-after-scan", c_get);
}

static int hold_n;

/*
 * Opens hold_n connections that send nothing and never read (what fills a server's
 * connection table), then wants a normal GET answered while they are open. They ask for
 * nothing: answers nobody reads would fill this app's own receive buffers first.
 */
static const char *c_hold(void)
{
	static int fds[1100];
	int n = 0;
	for (; n < hold_n; n++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&target, sizeof(target))) {
			if (fd >= 0)
				close(fd);
			break;
		}
		fds[n] = fd;
	}
	printf("sockcheck: holding %d idle connections\n", n);
	strcpy(get_path, "/hello.txt");
	const char *why = c_get();
	for (int i = 0; i < n; i++)
		close(fds[i]);
	if (n < hold_n)
		return FAILF("only %d of %d connections opened (errno %d)", n, hold_n, errno);
	return why;
}

void checks_hold(const char *spec)
{
	char hp[64];
	const char *last = strrchr(spec, ':');
	if (!last || (size_t)(last - spec) >= sizeof(hp) || (hold_n = atoi(last + 1)) <= 0 || hold_n > 1100) {
		printf("sockcheck: bad hold=%s\n", spec);
		return;
	}
	memcpy(hp, spec, (size_t)(last - spec));
	hp[last - spec] = 0;
	if (parse_hostport(hp, &target)) {
		printf("sockcheck: bad hold=%s\n", spec);
		return;
	}
	check_run("remote.answers-while-held", c_hold);
}

static int churn_n;

/* churn_n connections one after another, each a GET answered and closed by the server (its TIME-WAIT pile). */
static const char *c_churn(void)
{
	for (int i = 0; i < churn_n; i++) {
		const char *why = c_get();
		if (why)
			return FAILF("connection %d of %d: %s", i + 1, churn_n, why);
	}
	printf("sockcheck: %d connections, each a GET, one after another\n", churn_n);
	return NULL;
}

void checks_churn(const char *spec)
{
	char hp[64];
	const char *slash = strchr(spec, '/'), *last = strrchr(spec, ':');
	if (!slash || !last || last < slash || (size_t)(slash - spec) >= sizeof(hp) ||
	    (size_t)(last - slash) >= sizeof(get_path) || (churn_n = atoi(last + 1)) <= 0) {
		printf("sockcheck: bad churn=%s\n", spec);
		return;
	}
	memcpy(hp, spec, (size_t)(slash - spec));
	hp[slash - spec] = 0;
	memcpy(get_path, slash, (size_t)(last - slash));
	get_path[last - slash] = 0;
	if (parse_hostport(hp, &target)) {
		printf("sockcheck: bad churn=%s\n", spec);
		return;
	}
	check_run("remote.connection-churn", c_churn);
}
