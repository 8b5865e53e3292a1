/* tests/apps/v6check/main.c: IPv6 in an app, against apps/echo on an internal segment: text forms, getaddrinfo of literals, TCP and UDP over the link-local and the static address, IPv4 beside it; then the resolver's checks (dns.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <uv_net.h>
#include "v6check.h"
#define CHECK_LINES_EXTERN_CK
#include "../check_lines.h"

#define CHUNK 1024            /* bytes written, then read back, per round of the stream */
#define UDP_PAYLOAD 200
#define UDP_TRIES 3           /* sends of one datagram before it counts as lost */
#define RECV_TIMEOUT_S 5
#define CONNECT_TRIES 100     /* connects refused before the server counts as not listening (10 s) */
#define CONNECT_RETRY_MS 100

char check_why[256];

void ck(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vck(ok, name, fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* FNV-1a, 32 bits, over a stream in pieces. */
static uint32_t fnv32(uint32_t h, const uint8_t *p, size_t n)
{
	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void set_timeout(int fd)
{
	struct timeval tv = { .tv_sec = RECV_TIMEOUT_S, .tv_usec = 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* A stream of bytes to the echo server at sa and back, compared: NULL, or why it failed (in check_why). */
static const char *tcp_echo(const struct sockaddr *sa, socklen_t len, long bytes, struct sockaddr_in6 *local)
{
	/* The server starts beside this app and listens only once its own duplicate address
	 * detection is done: a refusal (its stack is up, its listener not yet) is tried again. */
	int fd = -1;
	for (int tries = 0;; tries++) {
		fd = socket(sa->sa_family, SOCK_STREAM, 0);
		if (fd < 0)
			return WHY("socket: %s", strerror(errno));
		set_timeout(fd);
		if (connect(fd, sa, len) == 0)
			break;
		int e = errno;
		close(fd);
		if (e != ECONNREFUSED || tries + 1 >= CONNECT_TRIES)
			return WHY("connect: %s (%d tries)", strerror(e), tries + 1);
		usleep(CONNECT_RETRY_MS * 1000);
	}
	if (local) {
		socklen_t ll = sizeof(*local);
		if (getsockname(fd, (struct sockaddr *)local, &ll) < 0 || ll != sizeof(*local)) {
			close(fd);
			return WHY("getsockname: %s, length %u", strerror(errno), (unsigned)ll);
		}
	}
	uint8_t out[CHUNK], in[CHUNK];
	uint32_t sent_h = 2166136261u, got_h = 2166136261u;
	const char *why = NULL;
	for (long done = 0; done < bytes && !why;) {
		size_t n = bytes - done < CHUNK ? (size_t)(bytes - done) : CHUNK;
		for (size_t i = 0; i < n; i++)
			out[i] = (uint8_t)((done + (long)i) * 7 + 3);
		sent_h = fnv32(sent_h, out, n);
		if (write(fd, out, n) != (ssize_t)n) {
			why = WHY("write at %ld: %s", done, strerror(errno));
			break;
		}
		for (size_t got = 0; got < n;) {
			ssize_t r = read(fd, in + got, n - got);
			if (r <= 0) {
				why = WHY("read at %ld: %s", done, r ? strerror(errno) : "end of stream");
				break;
			}
			got += (size_t)r;
		}
		got_h = fnv32(got_h, in, n);
		done += (long)n;
	}
	close(fd);
	if (!why && sent_h != got_h)
		why = WHY("echoed bytes differ: fnv32 %08x sent, %08x back", sent_h, got_h);
	return why;
}

/* n datagrams to the echo server at sa, each echoed back from sa's address and port. */
static const char *udp_echo(const struct sockaddr *sa, socklen_t len, int n)
{
	int fd = socket(sa->sa_family, SOCK_DGRAM, 0);
	if (fd < 0)
		return WHY("socket: %s", strerror(errno));
	struct timeval tv = { .tv_sec = 1, .tv_usec = 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	const char *why = NULL;
	for (int i = 0; i < n && !why; i++) {
		char msg[UDP_PAYLOAD], back[UDP_PAYLOAD + 1];
		memset(msg, 'a' + i % 26, sizeof(msg));
		snprintf(msg, sizeof(msg), "datagram %d", i);
		int ok = 0;
		for (int t = 0; t < UDP_TRIES && !ok; t++) {
			if (sendto(fd, msg, sizeof(msg), 0, sa, len) != (ssize_t)sizeof(msg)) {
				why = WHY("sendto %d: %s", i, strerror(errno));
				break;
			}
			struct sockaddr_storage from;
			socklen_t fl = sizeof(from);
			ssize_t r = recvfrom(fd, back, sizeof(back), 0, (struct sockaddr *)&from, &fl);
			if (r < 0)
				continue; /* lost: again */
			if (r != (ssize_t)sizeof(msg) || memcmp(back, msg, sizeof(msg)))
				why = WHY("datagram %d came back as %zd different bytes", i, r);
			else if (fl != len || sockaddr_differs((struct sockaddr *)&from, sa))
				why = WHY("datagram %d came back from another address (length %u)", i, (unsigned)fl);
			ok = 1;
		}
		if (!ok && !why)
			why = WHY("datagram %d: no echo after %d tries", i, UDP_TRIES);
	}
	close(fd);
	return why;
}

int sockaddr_differs(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return 1;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port != y->sin_port || x->sin_addr.s_addr != y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
	return x->sin6_port != y->sin6_port || memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
}

static struct sockaddr_in6 six(const char *text, int port, unsigned scope)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_scope_id = scope };
	inet_pton(AF_INET6, text, &a.sin6_addr);
	return a;
}

/* inet_pton / inet_ntop for AF_INET6 (RFC 4291 2.2 in, RFC 5952 out). */
static void checks_text(void)
{
	struct in6_addr a;
	char t[INET6_ADDRSTRLEN];
	int r1 = inet_pton(AF_INET6, "FD00:0006:0:0:0:0:0:0001", &a);
	const char *o = r1 == 1 ? inet_ntop(AF_INET6, &a, t, sizeof(t)) : NULL;
	ck(o && !strcmp(o, "fd00:6::1"), "v6.text.canonical", "pton %d, ntop '%s'", r1, o ? o : "(null)");
	int r2 = inet_pton(AF_INET6, "fd00::6::1", &a), r3 = inet_pton(AF_INET6, "fe80::1%eth0", &a);
	ck(r2 == 0 && r3 == 0, "v6.text.refuses", "pton of two '::' %d, of a zone %d (want 0, 0)", r2, r3);
	inet_pton(AF_INET6, "fd00:6::1", &a);
	errno = 0;
	o = inet_ntop(AF_INET6, &a, t, 9);
	ck(!o && errno == ENOSPC, "v6.text.ntop-room", "ntop into 9 bytes gave %s, errno %d", o ? o : "NULL", errno);
	ck(!memcmp(&in6addr_any, &(struct in6_addr)IN6ADDR_ANY_INIT, sizeof(in6addr_any)) && in6addr_any.s6_addr[0] == 0,
	   "v6.text.in6addr-any", "in6addr_any is not ::");
}

/* getaddrinfo of IPv6 literals and the passive IPv6 any address. */
static void checks_getaddrinfo(const char *echo6, int port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST }, *res = NULL;
	char ps[12], t[INET6_ADDRSTRLEN] = "";
	snprintf(ps, sizeof(ps), "%d", port);
	int r = getaddrinfo(echo6, ps, &hints, &res);
	const struct sockaddr_in6 *s6 = res ? (const void *)res->ai_addr : NULL;
	if (s6)
		inet_ntop(AF_INET6, &s6->sin6_addr, t, sizeof(t));
	ck(r == 0 && res && res->ai_family == AF_INET6 && res->ai_addrlen == sizeof(struct sockaddr_in6) &&
		   s6->sin6_family == AF_INET6 && ntohs(s6->sin6_port) == port && !strcmp(t, echo6),
	   "v6.getaddrinfo.literal", "getaddrinfo %d (%s): family %d, length %u, %s port %d", r, gai_strerror(r),
	   res ? res->ai_family : -1, res ? (unsigned)res->ai_addrlen : 0, t, s6 ? ntohs(s6->sin6_port) : -1);
	if (res)
		freeaddrinfo(res);
	res = NULL;
	hints.ai_family = AF_INET;
	r = getaddrinfo(echo6, ps, &hints, &res);
	ck(r == EAI_NONAME && !res, "v6.getaddrinfo.family-mismatch", "an IPv6 literal for AF_INET gave %d (%s)", r,
	   gai_strerror(r));
	hints.ai_flags = 0; /* the same without AI_NUMERICHOST: no server is asked for a literal */
	res = NULL;
	r = getaddrinfo(echo6, ps, &hints, &res);
	ck(r == EAI_NONAME && !res, "v6.getaddrinfo.family-mismatch-not-asked", "gave %d (%s)", r, gai_strerror(r));
	hints = (struct addrinfo){ .ai_family = AF_INET6, .ai_socktype = SOCK_DGRAM };
	res = NULL;
	r = getaddrinfo(echo6, ps, &hints, &res);
	ck(r == 0 && res && res->ai_family == AF_INET6, "v6.getaddrinfo.literal-not-numeric-flag", "gave %d (%s)", r,
	   gai_strerror(r));
	if (res)
		freeaddrinfo(res);
	hints = (struct addrinfo){ .ai_family = AF_INET6, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	res = NULL;
	r = getaddrinfo(NULL, ps, &hints, &res);
	s6 = res ? (const void *)res->ai_addr : NULL;
	ck(r == 0 && s6 && s6->sin6_family == AF_INET6 && !memcmp(&s6->sin6_addr, &in6addr_any, sizeof(in6addr_any)),
	   "v6.getaddrinfo.passive-any", "getaddrinfo(NULL, AI_PASSIVE, AF_INET6) gave %d", r);
	if (res)
		freeaddrinfo(res);
}

/* A TCP connection from family fam to addr (port in it) is accepted by listener l: the accepted peer into peer. */
static const char *accept_from(int l, int fam, const struct sockaddr *addr, socklen_t len, struct sockaddr_in6 *peer,
			       socklen_t *plen)
{
	int c = socket(fam, SOCK_STREAM, 0);
	if (connect(c, addr, len) < 0) {
		int e = errno;
		close(c);
		return WHY("connect: %s", strerror(e));
	}
	int a = accept(l, (struct sockaddr *)peer, plen);
	int e = errno;
	close(c);
	if (a < 0)
		return WHY("accept: %s", strerror(e));
	close(a);
	return NULL;
}

/* Over loopback: ::1, an AF_INET6 listener on :: taking IPv4 as ::ffff:a.b.c.d, and IPV6_V6ONLY refusing it. */
static void checks_dual_stack(void)
{
	int l = socket(AF_INET6, SOCK_STREAM, 0), l6 = socket(AF_INET6, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in6 any = six("::", V6CHECK_DUAL_PORT, 0), any6 = six("::", V6CHECK_DUAL_PORT + 1, 0), peer;
	setsockopt(l6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	int ok = bind(l, (struct sockaddr *)&any, sizeof(any)) == 0 && listen(l, 4) == 0 &&
		 bind(l6, (struct sockaddr *)&any6, sizeof(any6)) == 0 && listen(l6, 4) == 0;
	ck(ok, "v6.dual.listen", "bind/listen on [::]:%d: %s", V6CHECK_DUAL_PORT, strerror(errno));
	struct sockaddr_in6 lo = six("::1", V6CHECK_DUAL_PORT, 0);
	socklen_t pl = sizeof(peer);
	const char *why = accept_from(l, AF_INET6, (struct sockaddr *)&lo, sizeof(lo), &peer, &pl);
	char t[INET6_ADDRSTRLEN] = "";
	inet_ntop(AF_INET6, &peer.sin6_addr, t, sizeof(t));
	ck(!why && pl == sizeof(peer) && !strcmp(t, "::1"), "v6.dual.loopback-v6", "%s; peer %s, length %u", why ? why : "",
	   t, (unsigned)pl);
	struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_port = htons(V6CHECK_DUAL_PORT) };
	inet_pton(AF_INET, "127.0.0.1", &v4.sin_addr);
	pl = sizeof(peer);
	why = accept_from(l, AF_INET, (struct sockaddr *)&v4, sizeof(v4), &peer, &pl);
	t[0] = 0;
	inet_ntop(AF_INET6, &peer.sin6_addr, t, sizeof(t));
	ck(!why && pl == sizeof(peer) && peer.sin6_family == AF_INET6 && !strcmp(t, "::ffff:127.0.0.1"),
	   "v6.dual.ipv4-mapped", "%s; peer %s, length %u", why ? why : "", t, (unsigned)pl);
	v4.sin_port = htons(V6CHECK_DUAL_PORT + 1);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	int r = connect(c, (struct sockaddr *)&v4, sizeof(v4)), e = errno;
	close(c);
	ck(r < 0 && e == ECONNREFUSED, "v6.dual.v6only-refuses-ipv4", "connect: %d, %s", r, strerror(e));
	close(l);
	close(l6);
}

/* TCP and UDP over the link-local address (with the vNIC's scope id, and refused without), then the static one, then IPv4. */
static void checks_echo(const char *ll, const char *echo6, const char *echo4, int port, long bytes, int udp)
{
	unsigned scope = uv_net_scope_id(0);
	struct sockaddr_in6 a = six(ll, port, scope), local;
	ck(scope != 0, "v6.scope-id", "vNIC 0 has no scope id");
	const char *why = tcp_echo((struct sockaddr *)&a, sizeof(a), bytes, &local);
	ck(!why, "v6.ll.tcp", "%s", why);
	char t[INET6_ADDRSTRLEN] = "";
	inet_ntop(AF_INET6, &local.sin6_addr, t, sizeof(t));
	ck(!why && !strncmp(t, "fe80::", 6) && local.sin6_family == AF_INET6, "v6.ll.local-address",
	   "the connection's own address is %s", t);
	why = udp_echo((struct sockaddr *)&a, sizeof(a), udp);
	ck(!why, "v6.ll.udp", "%s", why);
	a.sin6_scope_id = 0;
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	errno = 0;
	int r = connect(fd, (struct sockaddr *)&a, sizeof(a));
	int e = errno;
	close(fd);
	ck(r < 0 && e == EHOSTUNREACH, "v6.ll.needs-scope", "connect to %s without a scope id: %d, %s", ll, r, strerror(e));

	a = six(echo6, port, 0);
	why = tcp_echo((struct sockaddr *)&a, sizeof(a), bytes, &local);
	ck(!why, "v6.static.tcp", "%s", why);
	inet_ntop(AF_INET6, &local.sin6_addr, t, sizeof(t));
	ck(!why && !strcmp(t, V6CHECK_OWN_STATIC), "v6.static.local-address", "the connection's own address is %s", t);
	why = udp_echo((struct sockaddr *)&a, sizeof(a), udp);
	ck(!why, "v6.static.udp", "%s", why);

	struct sockaddr_in b = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, echo4, &b.sin_addr);
	why = udp_echo((struct sockaddr *)&b, sizeof(b), udp);
	ck(!why, "v6.ipv4-beside.udp", "%s", why);
	why = tcp_echo((struct sockaddr *)&b, sizeof(b), bytes, NULL);
	ck(!why, "v6.ipv4-beside.tcp", "%s", why);
}

/* With tests/apps/nd6rogue redirecting echo's static address to itself and advertising itself as a router
 * for a while: TCP and UDP to echo still go to echo, and libos counts what it refused. */
static void checks_rogue(const char *echo6, int port, int settle_ms)
{
	usleep((useconds_t)settle_ms * 1000); /* the rogue's frames keep coming meanwhile */
	struct sockaddr_in6 a = six(echo6, port, 0);
	const char *why = udp_echo((struct sockaddr *)&a, sizeof(a), 4); /* before TCP: echo may end after that connection */
	ck(!why, "v6.rogue.static-udp-unmoved", "%s", why);
	why = tcp_echo((struct sockaddr *)&a, sizeof(a), CHUNK * 16, NULL);
	ck(!why, "v6.rogue.static-tcp-unmoved", "%s", why);
	struct uv_net_stats st;
	uv_net_stats(&st);
	ck(st.rx_ip6_refused >= 3, "v6.rogue.refused-counted", "%llu IPv6 packets refused (want the rogue's >= 3)",
	   (unsigned long long)st.rx_ip6_refused);
}

/* args: [ll=ADDR echo6=ADDR echo4=A.B.C.D port=N bytes=N udp=N] [dns=A.B.C.D (tests/apps/dnsd there)] [late=MS] [finally4=A.B.C.D:PORT] [rogue=MS: wait, then the checks under attack] */
int main(int argc, char **argv)
{
	const char *ll = NULL, *echo6 = NULL, *echo4 = NULL, *dns = NULL, *finally4 = NULL;
	int port = 0, udp = 0, late_ms = 0, rogue_ms = 0;
	long bytes = 0;
	for (int i = 1; i < argc; i++) {
		const char *v = strchr(argv[i], '=');
		if (!v) {
			printf("v6check: bad argument '%s'\n", argv[i]);
			return 2;
		}
		v++;
		if (!strncmp(argv[i], "ll=", 3))
			ll = v;
		else if (!strncmp(argv[i], "echo6=", 6))
			echo6 = v;
		else if (!strncmp(argv[i], "echo4=", 6))
			echo4 = v;
		else if (!strncmp(argv[i], "dns=", 4))
			dns = v;
		else if (!strncmp(argv[i], "port=", 5))
			port = atoi(v);
		else if (!strncmp(argv[i], "bytes=", 6))
			bytes = atol(v);
		else if (!strncmp(argv[i], "udp=", 4))
			udp = atoi(v);
		else if (!strncmp(argv[i], "late=", 5))
			late_ms = atoi(v);
		else if (!strncmp(argv[i], "finally4=", 9))
			finally4 = v;
		else if (!strncmp(argv[i], "rogue=", 6))
			rogue_ms = atoi(v);
		else {
			printf("v6check: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if ((!ll || !echo6 || !echo4 || port <= 0) && !dns && !late_ms && !finally4) {
		printf("v6check: usage: v6check [ll=ADDR echo6=ADDR echo4=A.B.C.D port=N [bytes=N] [udp=N]] [dns=A.B.C.D] "
		       "[late=MS] [finally4=A.B.C.D:PORT]\n");
		return 2;
	}
	if (late_ms)
		usleep((useconds_t)late_ms * 1000); /* start the stack (and its duplicate address detection) that late */
	if (uv_net_start() < 0) {
		printf("v6check: the network did not start\n");
		return 1;
	}
	if (ll && echo6 && echo4 && port > 0) {
		checks_text();
		checks_getaddrinfo(echo6, port);
		checks_dual_stack();
		checks_echo(ll, echo6, echo4, port, bytes, udp);
		if (rogue_ms)
			checks_rogue(echo6, port, rogue_ms);
	}
	if (dns)
		checks_dns(dns);
	if (finally4) { /* A.B.C.D:PORT: a last TCP echo over IPv4 (tells the server this app is done) */
		char host[INET_ADDRSTRLEN] = "";
		const char *colon = strchr(finally4, ':');
		struct sockaddr_in b = { .sin_family = AF_INET, .sin_port = htons((uint16_t)(colon ? atoi(colon + 1) : 0)) };
		if (colon && (size_t)(colon - finally4) < sizeof(host))
			memcpy(host, finally4, (size_t)(colon - finally4));
		const char *why = inet_pton(AF_INET, host, &b.sin_addr) == 1 ? tcp_echo((struct sockaddr *)&b, sizeof(b), CHUNK, NULL)
									  : WHY("bad finally4=%s", finally4);
		ck(!why, "v6.finally-ipv4", "%s", why);
	}
	fflush(stdout);
	return checks_done();
}
