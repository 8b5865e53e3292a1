/* tests/apps/sockcheck/local.c: socket API checks that need no network outside the app: loopback TCP and UDP, errno values, options, poll, select, resolver, threads. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/select.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <uv_thread.h>
#include <uv_net.h>
#include <univisor.h>
#include "sockcheck.h"

static int lfd = -1;      /* a listener on 127.0.0.1:lport */
static uint16_t lport;

static struct sockaddr_in loop_addr(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static const char *c_start(void)
{
	int r = uv_net_start();
	return r ? FAILF("uv_net_start: %d", r) : NULL;
}

static const char *c_fd_above_stdio(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 3)
		return FAILF("socket() = %d (errno %d): not above stdin/stdout/stderr", fd, errno);
	close(fd);
	return NULL;
}

static const char *c_inet_pton_ntop(void)
{
	struct in_addr a;
	char buf[INET_ADDRSTRLEN];
	if (inet_pton(AF_INET, "10.1.2.3", &a) != 1 || ntohl(a.s_addr) != 0x0a010203)
		return FAILF("inet_pton(10.1.2.3) wrong");
	if (!inet_ntop(AF_INET, &a, buf, sizeof(buf)) || strcmp(buf, "10.1.2.3"))
		return FAILF("inet_ntop gave '%s'", buf);
	if (inet_pton(AF_INET, "1.2.3", &a) != 0 || inet_pton(AF_INET, "1.2.3.256", &a) != 0)
		return FAILF("inet_pton accepted a bad address");
	return NULL;
}

static const char *c_bind_listen_getsockname(void)
{
	struct sockaddr_in a = loop_addr(0), got;
	socklen_t len = sizeof(got);
	int one = 1;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 8))
		return FAILF("socket/bind/listen: errno %d", errno);
	if (getsockname(lfd, (struct sockaddr *)&got, &len) || got.sin_family != AF_INET || got.sin_port == 0 ||
	    got.sin_addr.s_addr != htonl(INADDR_LOOPBACK))
		return FAILF("getsockname: errno %d family %d port %d", errno, got.sin_family, ntohs(got.sin_port));
	lport = ntohs(got.sin_port);
	return NULL;
}

static const char *c_nonblock_accept_eagain(void)
{
	int fl = fcntl(lfd, F_GETFL, 0);
	if (fl < 0 || fcntl(lfd, F_SETFL, fl | O_NONBLOCK) < 0 || !(fcntl(lfd, F_GETFL, 0) & O_NONBLOCK))
		return FAILF("fcntl O_NONBLOCK: errno %d", errno);
	errno = 0;
	int r = accept(lfd, NULL, NULL);
	int e = errno;
	fcntl(lfd, F_SETFL, fl);
	if (r != -1 || (e != EAGAIN && e != EWOULDBLOCK))
		return FAILF("accept with nothing pending = %d errno %d, want -1 EAGAIN", r, e);
	return NULL;
}

static const char *c_poll_select_idle(void)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	if (poll(&p, 1, 0) != 0)
		return FAILF("poll on an idle listener: revents %#x", p.revents);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(lfd, &rd);
	struct timeval tv = { 0, 0 };
	if (select(lfd + 1, &rd, NULL, NULL, &tv) != 0)
		return FAILF("select on an idle listener was not 0");
	struct pollfd o = { .fd = 1, .events = POLLOUT };
	if (poll(&o, 1, 0) != 1 || !(o.revents & POLLOUT))
		return FAILF("poll: stdout not writable");
	return NULL;
}

static const char *c_loopback_tcp(void)
{
	struct sockaddr_in a = loop_addr(lport), peer;
	socklen_t pl = sizeof(peer);
	char buf[16] = { 0 };
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return FAILF("connect to 127.0.0.1:%u: errno %d", lport, errno);
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	if (poll(&p, 1, 2000) != 1 || !(p.revents & POLLIN))
		return FAILF("poll did not see the pending connection");
	int s = accept(lfd, (struct sockaddr *)&peer, &pl);
	if (s < 0 || peer.sin_addr.s_addr != htonl(INADDR_LOOPBACK))
		return FAILF("accept: %d errno %d", s, errno);
	if (write(c, "ping", 4) != 4 || read(s, buf, sizeof(buf)) != 4 || memcmp(buf, "ping", 4))
		return FAILF("write/read over loopback: '%s' errno %d", buf, errno);
	if (send(s, "pong", 4, 0) != 4 || recv(c, buf, sizeof(buf), 0) != 4 || memcmp(buf, "pong", 4))
		return FAILF("send/recv over loopback errno %d", errno);
	if (shutdown(c, SHUT_WR) || read(s, buf, sizeof(buf)) != 0)
		return FAILF("after shutdown(SHUT_WR) the peer did not read end of file");
	int one = 1, v = 0;
	socklen_t vl = sizeof(v);
	if (setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
	    getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &vl) || !v)
		return FAILF("TCP_NODELAY set/get: errno %d v %d", errno, v);
	v = 0;
	if (setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &vl) || !v)
		return FAILF("SO_KEEPALIVE set/get: errno %d", errno);
	struct timeval tv = { 0, 100000 };
	if (setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return FAILF("SO_RCVTIMEO: errno %d", errno);
	int r = close(c), e;
	errno = 0;
	if (r || (r = (int)recv(s, buf, sizeof(buf), 0)) > 0)
		return FAILF("close or recv after the peer closed: %d", r);
	if (close(s) || close(s) != -1 || (e = errno) != EBADF)
		return FAILF("a second close of a socket: errno %d, want EBADF", errno);
	return NULL;
}

static const char *c_rcvtimeo_eagain(void)
{
	struct sockaddr_in a = loop_addr(lport);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return FAILF("connect: errno %d", errno);
	int s = accept(lfd, NULL, NULL);
	struct timeval tv = { 0, 100000 };
	char b;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	int64_t t0 = uv_monotonic_ns();
	ssize_t r = recv(s, &b, 1, 0);
	int e = errno;
	int64_t dt = uv_monotonic_ns() - t0;
	close(c);
	close(s);
	if (r != -1 || (e != EAGAIN && e != EWOULDBLOCK))
		return FAILF("recv with a 100 ms timeout = %ld errno %d, want -1 EAGAIN", (long)r, e);
	if (dt < 90000000)
		return FAILF("recv timed out after %lld ns, before 100 ms", (long long)dt);
	return NULL;
}

static const char *c_connect_refused(void)
{
	struct sockaddr_in a = loop_addr(1);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	int r = connect(c, (struct sockaddr *)&a, sizeof(a)), e = errno;
	close(c);
	if (r != -1 || e != ECONNREFUSED)
		return FAILF("connect to a closed port = %d errno %d, want ECONNREFUSED", r, e);
	return NULL;
}

static const char *c_bad_fds(void)
{
	char b;
	if (read(500, &b, 1) != -1 || errno != EBADF)
		return FAILF("read(500) errno %d, want EBADF", errno);
	if (send(500, &b, 1, 0) != -1 || errno != EBADF)
		return FAILF("send(500) errno %d, want EBADF", errno);
	if (write(1, "", 0) != 0)
		return FAILF("write(1) no longer goes to the console");
	if (socket(AF_INET, 12345, 0) != -1)
		return FAILF("a bad socket type was accepted");
	return NULL;
}

static const char *c_loopback_udp(void)
{
	struct sockaddr_in a = loop_addr(0), got, from;
	socklen_t len = sizeof(got), fl = sizeof(from);
	char buf[32];
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	if (u < 0 || bind(u, (struct sockaddr *)&a, sizeof(a)) || getsockname(u, (struct sockaddr *)&got, &len))
		return FAILF("udp socket/bind: errno %d", errno);
	if (sendto(u, "datagram", 8, 0, (struct sockaddr *)&got, len) != 8)
		return FAILF("sendto: errno %d", errno);
	ssize_t n = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	close(u);
	if (n != 8 || memcmp(buf, "datagram", 8) || from.sin_port != got.sin_port)
		return FAILF("recvfrom: %ld errno %d", (long)n, errno);
	return NULL;
}

static const char *c_getaddrinfo_numeric(void)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res = NULL;
	int r = getaddrinfo("192.0.2.7", "8080", &hints, &res);
	if (r || !res || res->ai_family != AF_INET)
		return FAILF("getaddrinfo(192.0.2.7, 8080) = %d (%s)", r, gai_strerror(r));
	struct sockaddr_in *s = (struct sockaddr_in *)res->ai_addr;
	int ok = ntohs(s->sin_port) == 8080 && ntohl(s->sin_addr.s_addr) == 0xc0000207;
	freeaddrinfo(res);
	if (!ok)
		return FAILF("getaddrinfo gave the wrong address or port");
	hints.ai_flags = AI_PASSIVE;
	if ((r = getaddrinfo(NULL, "80", &hints, &res)) || ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr != 0)
		return FAILF("getaddrinfo(NULL, 80, AI_PASSIVE) = %d", r);
	freeaddrinfo(res);
	hints.ai_flags = AI_NUMERICHOST;
	if ((r = getaddrinfo("not-a-number", "80", &hints, &res)) == 0)
		return FAILF("AI_NUMERICHOST accepted a name");
	return NULL;
}

/* Threads: four workers add under a mutex and wait on a condition; errno stays per thread. */
static struct uv_mutex mu;
static struct uv_cond cv;
static int counter, go;

static void *worker(void *arg)
{
	errno = (int)(intptr_t)arg;
	uv_mutex_lock(&mu);
	while (!go)
		uv_cond_wait(&cv, &mu, 0);
	for (int i = 0; i < 1000; i++) {
		counter++;
		if (i % 100 == 0) {
			uv_mutex_unlock(&mu);
			uv_thread_yield();
			uv_mutex_lock(&mu);
		}
	}
	uv_mutex_unlock(&mu);
	return (void *)(intptr_t)errno;
}

static const char *c_threads(void)
{
	struct uv_thread *t[4];
	for (int i = 0; i < 4; i++)
		if (uv_thread_create(&t[i], worker, (void *)(intptr_t)(100 + i), 0))
			return FAILF("uv_thread_create %d failed", i);
	errno = 7;
	uv_thread_yield();
	uv_mutex_lock(&mu);
	go = 1;
	uv_cond_broadcast(&cv);
	uv_mutex_unlock(&mu);
	for (int i = 0; i < 4; i++) {
		void *ret;
		if (uv_thread_join(t[i], &ret) || (intptr_t)ret != 100 + i)
			return FAILF("thread %d: errno %ld after its run, want %d", i, (long)(intptr_t)ret, 100 + i);
	}
	if (errno != 7)
		return FAILF("main's errno %d changed by other threads", errno);
	if (counter != 4000)
		return FAILF("counter %d, want 4000", counter);
	int64_t t0 = uv_monotonic_ns();
	usleep(20000);
	if (uv_monotonic_ns() - t0 < 20000000)
		return FAILF("usleep(20 ms) came back early");
	return NULL;
}

void checks_local(void)
{
	check_run("sock.start", c_start);
	check_run("sock.fd-above-stdio", c_fd_above_stdio);
	check_run("sock.inet-pton-ntop", c_inet_pton_ntop);
	check_run("sock.bind-listen-getsockname", c_bind_listen_getsockname);
	check_run("sock.nonblock-accept-eagain", c_nonblock_accept_eagain);
	check_run("sock.poll-select-idle", c_poll_select_idle);
	check_run("sock.loopback-tcp", c_loopback_tcp);
	check_run("sock.rcvtimeo-eagain", c_rcvtimeo_eagain);
	check_run("sock.connect-refused", c_connect_refused);
	check_run("sock.bad-fds-ebadf", c_bad_fds);
	check_run("sock.loopback-udp", c_loopback_udp);
	check_run("sock.getaddrinfo-numeric", c_getaddrinfo_numeric);
	check_run("sock.threads", c_threads);
	close(lfd);
}
