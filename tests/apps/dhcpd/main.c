/* tests/apps/dhcpd/main.c: a one-address DHCP server (RFC 2131) for tests/boot/dhcp.sh: short leases so that renewal, rebinding and a lease's end happen within minutes of virtual time; it prints every message it gets and what it did. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define SERVER_PORT 67
#define CLIENT_PORT 68
#define BOOTP_FIXED 236      /* RFC 2131 2: op .. file, before the options */
#define COOKIE_OFF BOOTP_FIXED
#define OPTIONS_OFF (BOOTP_FIXED + 4)
#define BOOTP_MIN 300        /* RFC 1542 2.1: BOOTP messages are at least 300 octets */
#define MSG_MAX 576          /* RFC 2131 2: a client accepts at least this */
#define OP_REQUEST 1
#define OP_REPLY 2
#define HTYPE_ETHER 1
#define HLEN_ETHER 6
#define OFF_XID 4
#define OFF_FLAGS 10
#define OFF_CIADDR 12
#define OFF_YIADDR 16
#define OFF_GIADDR 24
#define OFF_CHADDR 28
#define CHADDR_LEN 16
static const uint8_t cookie[4] = { 99, 130, 83, 99 }; /* RFC 2131 3 */
/* RFC 2132 options */
#define OPT_PAD 0
#define OPT_MASK 1
#define OPT_ROUTER 3
#define OPT_DNS 6
#define OPT_REQUESTED 50
#define OPT_LEASE 51
#define OPT_MSG_TYPE 53
#define OPT_SERVER_ID 54
#define OPT_T1 58
#define OPT_T2 59
#define OPT_END 255
enum { DISCOVER = 1, OFFER = 2, REQUEST = 3, DECLINE = 4, ACK = 5, NAK = 6, RELEASE = 7, INFORM = 8 };

static struct {
	struct in_addr self, pool;
	uint32_t lease, t1, t2; /* seconds */
	long acks_max;          /* answer this many REQUESTs, then nothing at all (-1: no limit) */
	long quit_s;            /* end after this long */
} cfg = { .lease = 180, .t1 = 60, .t2 = 120, .acks_max = -1, .quit_s = 200 };
static unsigned long n_discover, n_request, n_acks, n_ignored, n_malformed;
static struct timespec t0;
static const char IGNORED[] = "ignored"; /* what handle() did when it answered nothing */

static long elapsed_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - t0.tv_sec);
}

/* The options after the cookie: the message type, requested address and server id (0 when absent); -1 when malformed. */
static int parse_options(const uint8_t *m, size_t len, uint8_t *type, struct in_addr *req, struct in_addr *sid)
{
	*type = 0;
	req->s_addr = sid->s_addr = 0;
	if (len < OPTIONS_OFF || memcmp(m + COOKIE_OFF, cookie, sizeof(cookie)))
		return -1;
	for (size_t i = OPTIONS_OFF; i < len;) {
		uint8_t code = m[i];
		if (code == OPT_END)
			return *type ? 0 : -1;
		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + m[i + 1] > len)
			return -1;
		const uint8_t *v = m + i + 2;
		uint8_t n = m[i + 1];
		if (code == OPT_MSG_TYPE && n == 1)
			*type = v[0];
		else if (code == OPT_REQUESTED && n == 4)
			memcpy(&req->s_addr, v, 4);
		else if (code == OPT_SERVER_ID && n == 4)
			memcpy(&sid->s_addr, v, 4);
		i += 2 + n;
	}
	return -1; /* no END */
}

static uint8_t *put_opt(uint8_t *p, uint8_t code, const void *v, uint8_t n)
{
	*p++ = code;
	*p++ = n;
	memcpy(p, v, n);
	return p + n;
}

static uint8_t *put_u32(uint8_t *p, uint8_t code, uint32_t v)
{
	uint32_t be = htonl(v);
	return put_opt(p, code, &be, 4);
}

/* Answers the request q (len bytes) with an OFFER or an ACK of the pool's address. */
static void reply(int fd, const uint8_t *q, uint8_t type)
{
	uint8_t r[MSG_MAX] = { 0 };
	r[0] = OP_REPLY;
	r[1] = HTYPE_ETHER;
	r[2] = HLEN_ETHER;
	memcpy(r + OFF_XID, q + OFF_XID, 4);
	memcpy(r + OFF_FLAGS, q + OFF_FLAGS, 2);
	if (type == ACK)
		memcpy(r + OFF_CIADDR, q + OFF_CIADDR, 4);
	memcpy(r + OFF_YIADDR, &cfg.pool.s_addr, 4);
	memcpy(r + OFF_GIADDR, q + OFF_GIADDR, 4);
	memcpy(r + OFF_CHADDR, q + OFF_CHADDR, CHADDR_LEN);
	memcpy(r + COOKIE_OFF, cookie, sizeof(cookie));
	uint8_t *p = r + OPTIONS_OFF;
	uint32_t mask = htonl(0xffffff00u);
	p = put_opt(p, OPT_MSG_TYPE, &type, 1);
	p = put_opt(p, OPT_SERVER_ID, &cfg.self.s_addr, 4);
	p = put_u32(p, OPT_LEASE, cfg.lease);
	p = put_u32(p, OPT_T1, cfg.t1);
	p = put_u32(p, OPT_T2, cfg.t2);
	p = put_opt(p, OPT_MASK, &mask, 4);
	p = put_opt(p, OPT_ROUTER, &cfg.self.s_addr, 4);
	p = put_opt(p, OPT_DNS, &cfg.self.s_addr, 4);
	*p++ = OPT_END;
	size_t len = (size_t)(p - r) < BOOTP_MIN ? BOOTP_MIN : (size_t)(p - r);
	/* RFC 2131 4.1: to a client with an address (renewing) unicast, else broadcast */
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(CLIENT_PORT) };
	uint32_t ci;
	memcpy(&ci, q + OFF_CIADDR, 4);
	to.sin_addr.s_addr = ci ? ci : htonl(INADDR_BROADCAST);
	if (sendto(fd, r, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len)
		printf("dhcpd: sendto: %s\n", strerror(errno));
}

static void handle(int fd, const uint8_t *m, size_t len)
{
	uint8_t type;
	struct in_addr req, sid, ci;
	if (len < OPTIONS_OFF || m[0] != OP_REQUEST || m[1] != HTYPE_ETHER || m[2] != HLEN_ETHER ||
	    parse_options(m, len, &type, &req, &sid)) {
		n_malformed++;
		return;
	}
	memcpy(&ci.s_addr, m + OFF_CIADDR, 4);
	int answering = cfg.acks_max < 0 || (long)n_acks < cfg.acks_max;
	char cis[INET_ADDRSTRLEN], reqs[INET_ADDRSTRLEN], sids[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &ci, cis, sizeof(cis));
	inet_ntop(AF_INET, &req, reqs, sizeof(reqs));
	inet_ntop(AF_INET, &sid, sids, sizeof(sids));
	const char *did = IGNORED;
	if (type == DISCOVER) {
		n_discover++;
		if (answering) {
			reply(fd, m, OFFER);
			did = "OFFER";
		}
		printf("dhcpd: t=%ld DISCOVER -> %s\n", elapsed_s(), did);
	} else if (type == REQUEST) {
		n_request++;
		/* selecting names its server (RFC 2131 4.3.2); renewing and rebinding carry ciaddr */
		int ours = sid.s_addr ? sid.s_addr == cfg.self.s_addr : 1;
		if (answering && ours) {
			reply(fd, m, ACK);
			n_acks++;
			did = "ACK";
		}
		printf("dhcpd: t=%ld REQUEST ciaddr %s requested %s server %s -> %s\n", elapsed_s(), cis, reqs, sids, did);
	} else {
		printf("dhcpd: t=%ld message type %u -> ignored\n", elapsed_s(), type);
	}
	if (did == IGNORED)
		n_ignored++;
	fflush(stdout);
}

/* args: self=A pool=A [lease=S t1=S t2=S] [acks=N] [quit=S] */
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "self=", 5))
			inet_pton(AF_INET, a + 5, &cfg.self);
		else if (!strncmp(a, "pool=", 5))
			inet_pton(AF_INET, a + 5, &cfg.pool);
		else if (!strncmp(a, "lease=", 6))
			cfg.lease = (uint32_t)strtoul(a + 6, NULL, 10);
		else if (!strncmp(a, "t1=", 3))
			cfg.t1 = (uint32_t)strtoul(a + 3, NULL, 10);
		else if (!strncmp(a, "t2=", 3))
			cfg.t2 = (uint32_t)strtoul(a + 3, NULL, 10);
		else if (!strncmp(a, "acks=", 5))
			cfg.acks_max = strtol(a + 5, NULL, 10);
		else if (!strncmp(a, "quit=", 5))
			cfg.quit_s = strtol(a + 5, NULL, 10);
	}
	if (!cfg.self.s_addr || !cfg.pool.s_addr) {
		printf("dhcpd: usage: dhcpd self=A.B.C.D pool=A.B.C.D [lease=S t1=S t2=S] [acks=N] [quit=S]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(SERVER_PORT) };
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		printf("dhcpd: cannot listen on port %d: %s\n", SERVER_PORT, strerror(errno));
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	printf("dhcpd: serving %s, lease %u s (renew %u, rebind %u), %s\n", inet_ntoa(cfg.pool), cfg.lease, cfg.t1,
	       cfg.t2, cfg.acks_max < 0 ? "always" : "then silent");
	fflush(stdout);
	while (elapsed_s() < cfg.quit_s) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left_ms = (cfg.quit_s - elapsed_s()) * 1000;
		if (poll(&p, 1, left_ms > 0 ? (int)left_ms : 0) <= 0)
			continue;
		static uint8_t m[MSG_MAX];
		ssize_t n = recvfrom(fd, m, sizeof(m), 0, NULL, NULL);
		if (n > 0)
			handle(fd, m, (size_t)n);
	}
	printf("dhcpd: done after %ld s: discover=%lu request=%lu acks=%lu ignored=%lu malformed=%lu\n", elapsed_s(),
	       n_discover, n_request, n_acks, n_ignored, n_malformed);
	return 0;
}
