/* apps/signer/main.c: the key vault's HTTP/1.1 front end: POST /sign and GET /pubkey, a cooperative thread per connection, the vault reached over channels (vlink.c). */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <univisor.h>
#include <uv_thread.h>
#include "sreq.h"
#include "vlink.h"

#define DEFAULT_PORT 80
#define DEFAULT_MAX_CLIENTS 64 /* connections served at once; more wait in the listen backlog */
#define LISTEN_BACKLOG 64
#define CONN_STACK (32u << 10)
#define REQUEST_TIMEOUT_MS 10000 /* a request, head and body, must arrive whole within this (slow clients: 408) */
#define IDLE_TIMEOUT_MS 15000    /* keep-alive: a connection without a request this long is closed */
#define VAULT_TIMEOUT_MS 5000    /* the vault's turn and reply (then 504) */
#define SEND_TIMEOUT_MS 10000    /* an answer the client does not take this long is abandoned */
#define DRAIN_MS 2000            /* after an error answer: read and drop what the client still sends, then close */
#define RETRY_AFTER_S 1          /* a 429's Retry-After (RFC 6585 4) */
#define NS_PER_MS 1000000ll
#define MS_PER_S 1000
#define ANSWER_MAX 512
#define HEX_SIG (2 * VAULT_SIG_BYTES)

struct conn {
	int fd;
	char in[SREQ_HEAD_MAX + VAULT_MSG_MAX]; /* a whole request: its head (<= SREQ_HEAD_MAX) and body */
	size_t in_len;
};

static int max_clients = DEFAULT_MAX_CLIENTS, clients, exit_when_idle_s;
static struct uv_waitq room; /* the accepting thread waits here while max_clients are served */
static int64_t last_busy_ns;
static struct {
	unsigned long requests, signed_, pubkeys, limited, errors, vault_failed;
} count;

static int64_t now_ns(void)
{
	return uv_monotonic_ns();
}

/* Milliseconds from now to deadline for poll(): at least 0; -1 (forever) for INT64_MAX or beyond an int. */
static int ms_until(int64_t deadline)
{
	if (deadline == INT64_MAX)
		return -1;
	int64_t d = deadline - now_ns();
	return d <= 0 ? 0 : d / NS_PER_MS >= INT_MAX ? -1 : (int)(d / NS_PER_MS) + 1;
}

/* Waits until fd is ready for events or deadline; 1 ready, 0 timed out, -1 error or hang-up without data. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r = poll(&p, 1, ms_until(deadline));
	if (r < 0 || (p.revents & (POLLERR | POLLNVAL)))
		return -1;
	return r > 0;
}

/* Reads what the client sent into c->in; > 0 bytes, 0 at the deadline, -1 closed or failed. */
static ssize_t read_some(struct conn *c, int64_t deadline)
{
	for (;;) {
		int w = wait_fd(c->fd, POLLIN, deadline);
		if (w <= 0)
			return w;
		ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);
		if (n > 0) {
			c->in_len += (size_t)n;
			return n;
		}
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return -1;
	}
}

/* Sends all of [p, p+n) by the deadline; 0, or -1. */
static int send_all(int fd, const char *p, size_t n, int64_t deadline)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_DONTWAIT);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (wait_fd(fd, POLLOUT, deadline) <= 0)
			return -1;
	}
	return 0;
}

/* Answers status with a text/plain body; route (or 0) names the resource for a 405's Allow. 0, or -1. */
static int answer(struct conn *c, int status, const char *body, int keep, enum sreq_route route)
{
	char out[ANSWER_MAX], date[64], extra[64] = "";
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm); /* RFC 9110 5.6.7 IMF-fixdate */
	if (status == 405) /* RFC 9110 15.5.6: name the methods the resource takes */
		snprintf(extra, sizeof(extra), "Allow: %s\r\n", route == SREQ_PUBKEY ? "GET" : "POST");
	else if (status == 429)
		snprintf(extra, sizeof(extra), "Retry-After: %d\r\n", RETRY_AFTER_S);
	int n = snprintf(out, sizeof(out),
			 "HTTP/1.1 %d %s\r\nServer: univisor-signer\r\nDate: %s\r\nContent-Type: text/plain\r\n"
			 "Content-Length: %zu\r\nConnection: %s\r\n%s\r\n%s",
			 status, sreq_reason(status), date, strlen(body), keep ? "keep-alive" : "close", extra, body);
	if (n <= 0 || (size_t)n >= sizeof(out))
		return -1;
	count.errors += status >= 400;
	return send_all(c->fd, out, (size_t)n, now_ns() + SEND_TIMEOUT_MS * NS_PER_MS);
}

/* An error answer: the status and its reason as the body. */
static int answer_error(struct conn *c, int status, int keep, enum sreq_route route)
{
	char text[64];
	snprintf(text, sizeof(text), "%d %s\n", status, sreq_reason(status));
	return answer(c, status, text, keep, route);
}

static void to_hex(char *s, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 0xf];
	}
	s[2 * n] = '\n';
	s[2 * n + 1] = 0;
}

/* The answer to a complete, valid request (its body at body): the vault's signature or key. 0, or -1. */
static int serve_request(struct conn *c, const struct sreq *r, const char *body)
{
	uint8_t out[VAULT_SIG_BYTES];
	char hex[HEX_SIG + 2];
	size_t out_len = r->route == SREQ_SIGN ? VAULT_SIG_BYTES : VAULT_PK_BYTES;
	enum vlink_result v = vlink_ask(r->route == SREQ_SIGN ? VAULT_OP_SIGN : VAULT_OP_PUBKEY, body, r->body_len, out,
					out_len, now_ns() + VAULT_TIMEOUT_MS * NS_PER_MS);
	switch (v) {
	case VLINK_OK:
		count.signed_ += r->route == SREQ_SIGN;
		count.pubkeys += r->route == SREQ_PUBKEY;
		to_hex(hex, out, out_len);
		return answer(c, 200, hex, r->keep_alive, r->route);
	case VLINK_LIMITED:
		count.limited++;
		return answer_error(c, 429, r->keep_alive, r->route);
	case VLINK_TIMEOUT:
		count.vault_failed++;
		return answer_error(c, 504, r->keep_alive, r->route);
	case VLINK_RESET:
	case VLINK_REFUSED:
	default:
		count.vault_failed++;
		return answer_error(c, 502, r->keep_alive, r->route);
	}
}

/* Closes in two steps after an error answer (RFC 9112 9.6), so that unread request bytes do not reset the connection before the client read the answer. */
static void linger_close(struct conn *c)
{
	int64_t end = now_ns() + DRAIN_MS * NS_PER_MS;
	shutdown(c->fd, SHUT_WR);
	for (;;) {
		c->in_len = 0;
		if (read_some(c, end) <= 0)
			break;
	}
}

/* Serves one connection: requests in turn (keep-alive), until the client closes, an error or a time limit. */
static void *serve(void *arg)
{
	struct conn *c = arg;
	int64_t idle_since = now_ns(), head_since = 0;
	for (;;) {
		struct sreq r;
		int n = sreq_parse(c->in, c->in_len, VAULT_MSG_MAX, &r);
		if (n == 0) {
			if (c->in_len && !head_since)
				head_since = now_ns();
			int64_t deadline = c->in_len ? head_since + REQUEST_TIMEOUT_MS * NS_PER_MS
						     : idle_since + IDLE_TIMEOUT_MS * NS_PER_MS;
			ssize_t got = read_some(c, deadline);
			if (got < 0)
				break;
			if (got == 0) {
				if (c->in_len && !answer_error(c, 408, 0, 0)) /* RFC 9110 15.5.9: then close */
					linger_close(c);
				break;
			}
			continue;
		}
		count.requests++;
		if (n < 0) {
			if (!answer_error(c, -n, 0, r.route))
				linger_close(c);
			break;
		}
		if (!head_since)
			head_since = now_ns();
		size_t whole = (size_t)n + r.body_len; /* <= sizeof(c->in): n <= SREQ_HEAD_MAX, body_len <= VAULT_MSG_MAX */
		ssize_t got = 1;
		while (c->in_len < whole && (got = read_some(c, head_since + REQUEST_TIMEOUT_MS * NS_PER_MS)) > 0)
			;
		if (got < 0)
			break;
		if (got == 0) {
			if (!answer_error(c, 408, 0, 0))
				linger_close(c);
			break;
		}
		if (serve_request(c, &r, c->in + n) || !r.keep_alive)
			break;
		memmove(c->in, c->in + whole, c->in_len - whole); /* a pipelined request stays */
		c->in_len -= whole;
		idle_since = now_ns();
		head_since = 0;
	}
	close(c->fd);
	free(c);
	clients--;
	last_busy_ns = now_ns();
	uv_waitq_wake_one(&room);
	return NULL;
}

static void report(const char *why)
{
	struct vlink_stats v;
	vlink_stats(&v);
	printf("signer: requests=%lu signed=%lu pubkeys=%lu limited=%lu errors=%lu vault-failed=%lu; vault asked=%lu "
	       "stale=%lu resets=%lu timeouts=%lu%s\n",
	       count.requests, count.signed_, count.pubkeys, count.limited, count.errors, count.vault_failed, v.asked,
	       v.stale, v.resets, v.timeouts, why);
}

/* Starts a thread for the new connection fd; without memory for it, a 503 and close. */
static void start_conn(int fd)
{
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	struct conn *c = calloc(1, sizeof(*c));
	struct uv_thread *t;
	if (c) {
		c->fd = fd;
		if (!uv_thread_create(&t, serve, c, CONN_STACK)) {
			uv_thread_detach(t); /* it frees itself when serve returns */
			clients++;
			return;
		}
		answer_error(c, 503, 0, 0);
		free(c);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	int port = DEFAULT_PORT, one = 1;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--max-clients"))
			max_clients = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--exit-when-idle"))
			exit_when_idle_s = atoi(argv[i + 1]);
	}
	if (port <= 0 || port > 65535 || max_clients <= 0 || exit_when_idle_s < 0) {
		printf("signer: usage: signer [--port 1-65535] [--max-clients N] [--exit-when-idle SECONDS]\n");
		return 2;
	}
	if (vlink_init())
		return 1;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, LISTEN_BACKLOG)) {
		printf("signer: cannot listen on port %d: %s\n", port, strerror(errno));
		return 1;
	}
	printf("signer: POST /sign (1-%u bytes) and GET /pubkey on port %d (at most %d clients)\n", VAULT_MSG_MAX, port,
	       max_clients);
	fflush(stdout);
	last_busy_ns = now_ns();
	for (;;) {
		while (clients >= max_clients)
			uv_waitq_wait(&room, 0);
		/* With --exit-when-idle, look at the idle time every second. */
		int w = wait_fd(lfd, POLLIN, exit_when_idle_s ? now_ns() + MS_PER_S * NS_PER_MS : INT64_MAX);
		if (w > 0) {
			int fd = accept(lfd, NULL, NULL);
			if (fd >= 0)
				start_conn(fd);
			last_busy_ns = now_ns();
		}
		if (exit_when_idle_s && count.requests && !clients &&
		    now_ns() - last_busy_ns > (int64_t)exit_when_idle_s * MS_PER_S * NS_PER_MS) {
			char why[64];
			snprintf(why, sizeof(why), "; idle for %d s, exiting", exit_when_idle_s);
			report(why);
			return 0;
		}
	}
}
