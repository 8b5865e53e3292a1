/* apps/httpd/main.c: a static-file HTTP/1.1 server: one poll() loop over every connection, keep-alive, bounded connections, time limits. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include "http.h"
#include "files.h"
#if __has_include(<uv_net.h>) /* libos; the same program also builds for Linux (tools/bench: the HTTP figure) */
#include <uv_net.h>
#define HAVE_UV_NET 1
#endif

#define DEFAULT_PORT 80
#define MAX_CONNS 256          /* open connections; the one idle longest makes room for a new one */
#define ACCEPT_BATCH 16        /* accepts per loop turn */
#define HEAD_TIMEOUT_MS 10000  /* a request head must arrive whole within this (slow clients) */
#define IDLE_TIMEOUT_MS 15000  /* keep-alive: a connection without a request this long is closed */
#define SEND_TIMEOUT_MS 30000  /* an answer that makes no progress this long is abandoned */
#define DRAIN_MS 2000          /* after an error answer: read and drop what the client still sends, then close */
#define NS_PER_MS 1000000ll
#define HDR_MAX 512

struct conn {
	int fd;                     /* -1: free */
	char in[HTTP_HEAD_MAX];
	size_t in_len;
	char hdr[HDR_MAX];          /* the answer's status line and fields */
	size_t hdr_len, hdr_off;
	const unsigned char *body;  /* the answer's body (a file, or an error text) */
	size_t body_len, body_off;
	int sending, close_after;
	int draining;               /* answered and shut down for writing: reading to the end (lingering close) */
	int64_t drain_start_ns;
	int64_t last_ns;            /* the last progress: bytes in or out */
	int64_t head_start_ns;      /* the first byte of a request head not yet complete, or 0 */
	int live_pos;               /* its index in live[] while open */
};

static struct conn conns[MAX_CONNS];
static struct pollfd pfd[MAX_CONNS + 2]; /* the IPv4 and IPv6 listeners, then the connections */
static int live[MAX_CONNS]; /* the open connections' indices in conns[], live[0 .. n_open - 1]: the loop visits only these */
static int n_open;
static unsigned long n_requests, n_evicted, n_timeouts, n_errors;
static int exit_when_idle_s; /* --exit-when-idle S: end once no connection is open and none came for S s (tests, demos) */

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
	int last = live[--n_open]; /* the last open one takes its place in live[] */
	live[c->live_pos] = last;
	conns[last].live_pos = c->live_pos;
}

/* The Date field's value now, *sec the second it names: formatted once a second, not once an answer. */
static const char *date_now(time_t *sec)
{
	static char date[HTTP_DATE_LEN + 8];
	static time_t date_of = (time_t)-1;
	time_t t = time(NULL);
	if (t != date_of) {
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm); /* RFC 9110 5.6.7 IMF-fixdate */
		date_of = t;
	}
	*sec = t;
	return date;
}

/* Prepares an answer: status line, fields and body (HEAD: no body). The head of the last
 * answer is kept: the next one with the same fields and Date (same second) is a copy of it. */
static void answer(struct conn *c, int status, const char *type, const unsigned char *body, size_t len, int keep,
		   int head_only)
{
	static struct {
		int status, keep;
		const char *type;
		time_t sec;
		size_t len, hdr_len;
		char hdr[HDR_MAX];
	} last;
	time_t sec;
	const char *date = date_now(&sec);
	if (last.hdr_len && last.status == status && last.keep == keep && last.type == type && last.len == len &&
	    last.sec == sec) {
		memcpy(c->hdr, last.hdr, last.hdr_len);
		c->hdr_len = last.hdr_len;
	} else {
		c->hdr_len = http_head(c->hdr, sizeof(c->hdr), status, date, type, len, keep);
		last.status = status, last.keep = keep, last.type = type, last.len = len, last.sec = sec;
		last.hdr_len = c->hdr_len;
		memcpy(last.hdr, c->hdr, c->hdr_len);
	}
	c->hdr_off = 0;
	c->body = head_only ? NULL : body;
	c->body_len = head_only ? 0 : len;
	c->body_off = 0;
	c->sending = 1;
	c->close_after = !keep;
}

static void answer_error(struct conn *c, int status)
{
	static char text[128];
	int n = snprintf(text, sizeof(text), "%d %s\n", status, http_reason(status));
	answer(c, status, "text/plain; charset=utf-8", (const unsigned char *)text, (size_t)n, 0, 0);
	n_errors++;
}

/* Takes the next complete request from c->in, if any, and prepares its answer. */
static void next_request(struct conn *c, int64_t now)
{
	struct http_req r;
	if (c->sending || c->in_len == 0)
		return;
	int n = http_parse(c->in, c->in_len, &r);
	if (n == 0) {
		if (!c->head_start_ns)
			c->head_start_ns = now;
		return;
	}
	c->head_start_ns = 0;
	if (n < 0) {
		c->in_len = 0;
		answer_error(c, -n);
		return;
	}
	memmove(c->in, c->in + n, c->in_len - (size_t)n); /* pipelined requests stay */
	c->in_len -= (size_t)n;
	n_requests++;
	const struct file *f = files_find(r.path);
	if (!f) {
		static const char nf[] = "404 Not Found\n";
		answer(c, 404, "text/plain; charset=utf-8", (const unsigned char *)nf, sizeof(nf) - 1, r.keep_alive,
		       r.method == HTTP_HEAD);
		return;
	}
	answer(c, 200, f->type, f->data, f->size, r.keep_alive, r.method == HTTP_HEAD);
}

static void on_writable(struct conn *c, int64_t now);

static void on_readable(struct conn *c, int64_t now)
{
	if (c->draining) {
		static char sink[4096];
		ssize_t n = recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			conn_close(c);
		return;
	}
	if (c->in_len == sizeof(c->in)) /* full and still no answer: next_request gave 413 */
		return;
	ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
		conn_close(c); /* the client went away (or reset the connection) */
		return;
	}
	if (n > 0) {
		c->in_len += (size_t)n;
		c->last_ns = now;
		next_request(c, now);
		if (c->sending)
			on_writable(c, now); /* the answer goes out now, not after another poll() */
	}
}

/* Sends what is left of the answer, head and body in one sendmsg (one segment when they fit one). */
static void on_writable(struct conn *c, int64_t now)
{
	while (c->sending) {
		struct iovec iov[2];
		struct msghdr m = { .msg_iov = iov };
		if (c->hdr_off < c->hdr_len)
			iov[m.msg_iovlen++] = (struct iovec){ c->hdr + c->hdr_off, c->hdr_len - c->hdr_off };
		if (c->body_off < c->body_len)
			iov[m.msg_iovlen++] = (struct iovec){ (void *)(uintptr_t)(c->body + c->body_off), c->body_len - c->body_off };
		if (m.msg_iovlen == 0) {
			c->sending = 0;
			if (c->close_after) {
				/* RFC 9112 9.6: close in two steps, so that unread request bytes do not make
				 * the stack reset the connection before the client has read the answer. */
				shutdown(c->fd, SHUT_WR);
				c->draining = 1;
				c->drain_start_ns = now;
				return;
			}
			next_request(c, now);
			continue;
		}
		ssize_t n = sendmsg(c->fd, &m, MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				conn_close(c);
			return;
		}
		c->last_ns = now;
		size_t in_hdr = c->hdr_len - c->hdr_off < (size_t)n ? c->hdr_len - c->hdr_off : (size_t)n;
		c->hdr_off += in_hdr;
		c->body_off += (size_t)n - in_hdr;
	}
}

/* A slot for a new connection: a free one, else the one idle longest is closed. */
static struct conn *slot(void)
{
	struct conn *oldest = NULL;
	if (n_open < MAX_CONNS) {
		for (int i = 0; i < MAX_CONNS; i++)
			if (conns[i].fd < 0)
				return &conns[i];
	}
	for (int i = 0; i < MAX_CONNS; i++)
		if (!oldest || conns[i].last_ns < oldest->last_ns)
			oldest = &conns[i];
	conn_close(oldest);
	n_evicted++;
	return oldest;
}

static void accept_some(int lfd, int64_t now)
{
	for (int k = 0; k < ACCEPT_BATCH; k++) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			return; /* EAGAIN: none left; ENFILE/ENOMEM: try again next turn */
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		struct conn *c = slot();
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		c->last_ns = now;
		c->live_pos = n_open;
		live[n_open++] = (int)(c - conns);
	}
}

/* Closes connections past their time limits; returns ms until the next limit (for poll), -1 when none is open (no limit). */
static int expire(int64_t now)
{
	int64_t next = now + IDLE_TIMEOUT_MS * NS_PER_MS;
	for (int i = n_open - 1; i >= 0; i--) { /* downwards: a close moves the last one into slot i, seen already */
		struct conn *c = &conns[live[i]];
		int64_t limit = c->draining ? c->drain_start_ns + DRAIN_MS * NS_PER_MS
			      : c->sending ? c->last_ns + SEND_TIMEOUT_MS * NS_PER_MS
			      : c->head_start_ns ? c->head_start_ns + HEAD_TIMEOUT_MS * NS_PER_MS
						 : c->last_ns + IDLE_TIMEOUT_MS * NS_PER_MS;
		if (now >= limit) {
			n_timeouts += !c->draining;
			if (c->head_start_ns && !c->sending && !c->draining) {
				c->in_len = 0;
				c->head_start_ns = 0;
				answer_error(c, 408); /* RFC 9110 15.5.9: then close */
				c->last_ns = now;
				continue;
			}
			conn_close(c);
		} else if (limit < next) {
			next = limit;
		}
	}
	return n_open ? (int)((next - now) / NS_PER_MS) + 1 : -1;
}

int main(int argc, char **argv)
{
	int port = DEFAULT_PORT, one = 1;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--exit-when-idle"))
			exit_when_idle_s = atoi(argv[i + 1]);
	}
	if (port <= 0 || port > 65535 || exit_when_idle_s < 0) {
		printf("httpd: usage: httpd [--port 1-65535] [--exit-when-idle SECONDS]\n");
		return 2;
	}
	files_init();
	for (int i = 0; i < MAX_CONNS; i++)
		conns[i].fd = -1;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 64) || fcntl(lfd, F_SETFL, O_NONBLOCK)) {
		printf("httpd: cannot listen on port %d: %s\n", port, strerror(errno));
		return 1;
	}
	int lfd6 = -1; /* IPv6 on a listener of its own (IPV6_V6ONLY), when the config gives IPv6 */
#ifdef HAVE_UV_NET
	if (uv_net_has_ipv6()) {
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_addr = IN6ADDR_ANY_INIT };
		lfd6 = socket(AF_INET6, SOCK_STREAM, 0);
		if (lfd6 < 0 || setsockopt(lfd6, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    setsockopt(lfd6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) || bind(lfd6, (struct sockaddr *)&a6, sizeof(a6)) ||
		    listen(lfd6, 64) || fcntl(lfd6, F_SETFL, O_NONBLOCK)) {
			printf("httpd: cannot listen on IPv6 port %d: %s\n", port, strerror(errno));
			return 1;
		}
	}
#endif
	printf("httpd: serving %d files on port %d%s (at most %d connections)\n", 5, port, lfd6 >= 0 ? ", IPv4 and IPv6" : "",
	       MAX_CONNS);
	fflush(stdout);
	int64_t last_report = now_ns(), last_busy = last_report;
	unsigned long reported = 0; /* n_requests at the last report: an idle server stays quiet */
	for (;;) {
		int64_t now = now_ns();
		int timeout = expire(now);
		if (exit_when_idle_s && (timeout < 0 || timeout > 1000))
			timeout = 1000; /* look at the idle time at least every second */
		int map[MAX_CONNS + 2], n = 0, first = lfd6 >= 0 ? 2 : 1; /* the listeners come first */
		pfd[n].fd = lfd;
		pfd[n++].events = POLLIN;
		if (lfd6 >= 0) {
			pfd[n].fd = lfd6;
			pfd[n++].events = POLLIN;
		}
		for (int i = 0; i < n_open; i++) {
			struct conn *c = &conns[live[i]];
			pfd[n].fd = c->fd;
			pfd[n].events = c->sending ? POLLOUT : POLLIN;
			map[n++] = live[i];
		}
		int r = poll(pfd, (nfds_t)n, timeout);
		if (r < 0) {
			printf("httpd: poll: %s\n", strerror(errno));
			usleep(10000);
			continue;
		}
		now = now_ns();
		for (int k = first; k < n; k++) {
			struct conn *c = &conns[map[k]];
			if (c->fd != pfd[k].fd || !pfd[k].revents)
				continue;
			if (pfd[k].revents & (POLLERR | POLLNVAL)) {
				conn_close(c);
				continue;
			}
			if (c->sending)
				on_writable(c, now);
			else
				on_readable(c, now);
		}
		if (pfd[0].revents & POLLIN)
			accept_some(lfd, now);
		if (lfd6 >= 0 && (pfd[1].revents & POLLIN))
			accept_some(lfd6, now);
		if (n_open)
			last_busy = now;
		if (exit_when_idle_s && n_requests && !n_open && now - last_busy > exit_when_idle_s * 1000 * NS_PER_MS) {
			printf("httpd: requests=%lu open=%d evicted=%lu timeouts=%lu errors=%lu; idle for %d s, exiting\n",
			       n_requests, n_open, n_evicted, n_timeouts, n_errors, exit_when_idle_s);
			return 0;
		}
		if (now - last_report > 10000 * NS_PER_MS && n_requests != reported) {
			reported = n_requests;
#ifdef HAVE_UV_NET
			struct uv_net_stats ns;
			uv_net_stats(&ns);
			printf("httpd: requests=%lu open=%d evicted=%lu timeouts=%lu errors=%lu; frames in %llu (dropped %llu) "
			       "out %llu (dropped %llu, retried %llu)\n",
			       n_requests, n_open, n_evicted, n_timeouts, n_errors, (unsigned long long)ns.rx_frames,
			       (unsigned long long)(ns.rx_dropped_nobuf + ns.rx_errors), (unsigned long long)ns.tx_frames,
			       (unsigned long long)ns.tx_dropped, (unsigned long long)ns.tx_retries);
#else
			printf("httpd: requests=%lu open=%d evicted=%lu timeouts=%lu errors=%lu\n", n_requests, n_open,
			       n_evicted, n_timeouts, n_errors);
#endif
			last_report = now;
		}
	}
}
