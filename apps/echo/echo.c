/* apps/echo/echo.c: TCP and UDP echo server (RFC 862) on one port, IPv4 and (when the config gives IPv6) IPv6: a thread per TCP connection, one per UDP socket. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <uv_thread.h>
#include <uv_net.h>

#define DEFAULT_PORT 7          /* RFC 862 */
#define DEFAULT_MAX_CLIENTS 200
#define BUF_SIZE 4096
#define UDP_BUF_SIZE 1472       /* the largest datagram without IP fragmentation on a 1500-byte MTU */
#define CONN_STACK (32u << 10)
#define IDLE_TIMEOUT_S 60       /* a connection silent this long is closed */

static int max_clients = DEFAULT_MAX_CLIENTS;
static int exit_after_s;     /* --exit-after S: end the app after S seconds (timed demos and tests) */
static long exit_after_conns; /* --exit-after-conns N: end it once N TCP connections have been served */
static int clients;
static unsigned long served;

/* Echoes one connection until the peer closes it, an error, or the idle timeout. */
static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[BUF_SIZE];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w <= 0)
				goto out;
			off += w;
		}
	}
out:
	close(fd);
	clients--;
	served++;
	if (exit_after_conns && (long)served >= exit_after_conns) {
		printf("echo: served %lu connections, %d open; exiting\n", served, clients);
		exit(0);
	}
	return NULL;
}

static void *udp_echo(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[UDP_BUF_SIZE];
	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (n < 0) {
			printf("echo: udp recvfrom: %s\n", strerror(errno));
			continue;
		}
		if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl) < 0)
			printf("echo: udp sendto: %s\n", strerror(errno));
	}
	return NULL;
}

/* Ends the app after exit_after_s seconds, saying how many connections it served. */
static void *timer(void *arg)
{
	(void)arg;
	sleep((unsigned)exit_after_s);
	printf("echo: served %lu connections, %d open; exiting after %d s\n", served, clients, exit_after_s);
	exit(0);
}

/* A bound (and for TCP listening) socket of family (AF_INET, or AF_INET6 for IPv6 only) on port; exits on failure. */
static int open_socket(int family, int type, int port)
{
	int fd = socket(family, type, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_addr = IN6ADDR_ANY_INIT };
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	int six = family == AF_INET6;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (six && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    bind(fd, six ? (struct sockaddr *)&a6 : (struct sockaddr *)&a, six ? sizeof(a6) : sizeof(a)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 64) < 0)) {
		printf("echo: cannot open %s%s port %d: %s\n", type == SOCK_STREAM ? "tcp" : "udp", six ? "6" : "", port,
		       strerror(errno));
		exit(1);
	}
	return fd;
}

/* Accepts connections on listening socket arg for ever, a thread each. */
static void *accept_loop(void *arg)
{
	int lfd = (int)(intptr_t)arg;
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			printf("echo: accept: %s\n", strerror(errno));
			usleep(10000);
			continue;
		}
		struct timeval tv = { .tv_sec = IDLE_TIMEOUT_S, .tv_usec = 0 };
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		struct uv_thread *t;
		if (clients >= max_clients || uv_thread_create(&t, serve, (void *)(intptr_t)fd, CONN_STACK)) {
			close(fd); /* over the limit: refuse this one, keep serving the others */
			continue;
		}
		uv_thread_detach(t);
		clients++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int port = DEFAULT_PORT;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--max-clients"))
			max_clients = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--exit-after"))
			exit_after_s = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--exit-after-conns"))
			exit_after_conns = atol(argv[i + 1]);
	}
	if (port <= 0 || port > 65535 || max_clients <= 0 || exit_after_s < 0 || exit_after_conns < 0) {
		printf("echo: usage: echo [--port 1-65535] [--max-clients N] [--exit-after SECONDS] [--exit-after-conns N]\n");
		return 2;
	}
	int lfd = open_socket(AF_INET, SOCK_STREAM, port), ufd = open_socket(AF_INET, SOCK_DGRAM, port);
	struct uv_thread *ut;
	if (uv_thread_create(&ut, udp_echo, (void *)(intptr_t)ufd, CONN_STACK)) {
		printf("echo: cannot start the udp thread\n");
		return 1;
	}
	int six = uv_net_has_ipv6(); /* a second pair of sockets, IPv6 only: the IPv4 path stays as it is */
	if (six) {
		int lfd6 = open_socket(AF_INET6, SOCK_STREAM, port), ufd6 = open_socket(AF_INET6, SOCK_DGRAM, port);
		if (uv_thread_create(&ut, udp_echo, (void *)(intptr_t)ufd6, CONN_STACK) ||
		    uv_thread_create(&ut, accept_loop, (void *)(intptr_t)lfd6, CONN_STACK)) {
			printf("echo: cannot start the IPv6 threads\n");
			return 1;
		}
	}
	if (exit_after_s && uv_thread_create(&ut, timer, NULL, CONN_STACK)) {
		printf("echo: cannot start the timer thread\n");
		return 1;
	}
	printf("echo: listening on tcp and udp port %d%s (at most %d clients)\n", port, six ? ", IPv4 and IPv6" : "",
	       max_clients);
	fflush(stdout);
	accept_loop((void *)(intptr_t)lfd);
}
