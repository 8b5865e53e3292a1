/* tests/apps/dnsd/main.c: a tiny DNS responder for the resolver's tests (RFC 1035 4.1): A and AAAA for fixed names, NXDOMAIN otherwise, and hostile answers on purpose; malformed queries are counted and dropped. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#define DNS_PORT 53
#define HDR_LEN 12            /* RFC 1035 4.1.1 */
#define MSG_MAX 512           /* RFC 1035 2.3.4: UDP messages */
#define NAME_MAX_LEN 255      /* RFC 1035 2.3.4 */
#define LABEL_MAX 63
#define QR_BIT 0x80           /* flags byte 2 */
#define OPCODE_MASK 0x78
#define RD_BIT 0x01
#define RA_BIT 0x80           /* flags byte 3 */
#define RCODE_NXDOMAIN 3
#define TYPE_A 1
#define TYPE_AAAA 28
#define CLASS_IN 1
#define PTR_MARK 0xc0         /* RFC 1035 4.1.4: a compression pointer */
#define TTL_S 60

/* What a name gets (case-insensitive, RFC 1035 2.3.3). */
enum behaviour { ANSWER, NO_DATA_AAAA, NXDOMAIN, SILENT, TRUNCATED_FIRST, WRONG_ID_FIRST, QUESTION_LOOP_FIRST,
		 ANSWER_LOOP, QUIT };
static const struct name {
	const char *name;
	enum behaviour how;
	uint8_t last;         /* the address's last byte: 10.5.0.LAST, fd00:5::LAST */
} names[] = {
	{ "www.uv.test", ANSWER, 80 },        { "v4only.uv.test", NO_DATA_AAAA, 81 },
	{ "trunc.uv.test", TRUNCATED_FIRST, 82 }, { "badid.uv.test", WRONG_ID_FIRST, 83 },
	{ "loop.uv.test", QUESTION_LOOP_FIRST, 84 }, { "aloop.uv.test", ANSWER_LOOP, 85 },
	{ "after.uv.test", ANSWER, 86 },      { "silent.uv.test", SILENT, 0 },
	{ "quit.uv.test", QUIT, 0 },
};
#define WRONG_LAST 66         /* the address a hostile first answer offers */

static unsigned long n_queries, n_malformed;

/* A query's question: name (dotted, lowercase), type; NULL or why it is malformed. */
static const char *parse_query(const uint8_t *m, size_t len, char name[NAME_MAX_LEN + 1], unsigned *type, size_t *qend)
{
	if (len < HDR_LEN)
		return "shorter than a header";
	if ((m[2] & QR_BIT) || (m[2] & OPCODE_MASK))
		return "not a standard query";
	if (m[4] != 0 || m[5] != 1 || m[6] | m[7] | m[8] | m[9])
		return "not exactly one question and no answers";
	size_t at = HDR_LEN, out = 0;
	for (;;) {
		if (at >= len)
			return "name runs past the end";
		unsigned l = m[at++];
		if (l == 0)
			break;
		if ((l & PTR_MARK) == PTR_MARK)
			return "compression pointer in a question";
		if (l > LABEL_MAX)
			return "label longer than 63";
		if (at + l > len)
			return "label runs past the end";
		if (out + l + 1 > NAME_MAX_LEN)
			return "name longer than 255";
		if (out)
			name[out++] = '.';
		for (unsigned i = 0; i < l; i++)
			name[out++] = (char)tolower(m[at + i]);
		at += l;
	}
	name[out] = 0;
	if (at + 4 > len)
		return "no type and class";
	*type = (unsigned)m[at] << 8 | m[at + 1];
	if (((unsigned)m[at + 2] << 8 | m[at + 3]) != CLASS_IN)
		return "class is not IN";
	*qend = at + 4;
	return NULL;
}

static size_t put16(uint8_t *p, size_t at, unsigned v)
{
	p[at] = (uint8_t)(v >> 8);
	p[at + 1] = (uint8_t)v;
	return at + 2;
}

/* The answer to query q (qend bytes: header and question) into r: its length. One record when addr_len. */
static size_t build(uint8_t *r, const uint8_t *q, size_t qend, unsigned rcode, unsigned type, const uint8_t *addr,
		    size_t addr_len, int answer_name_loops)
{
	memcpy(r, q, qend);
	r[2] = (uint8_t)(QR_BIT | (q[2] & RD_BIT)); /* a response, authoritative bit off */
	r[3] = (uint8_t)(RA_BIT | rcode);
	r[6] = 0;
	r[7] = addr_len ? 1 : 0;
	r[8] = r[9] = r[10] = r[11] = 0; /* no authority or additional records */
	size_t at = qend;
	if (!addr_len)
		return at;
	if (answer_name_loops) /* the answer's name points at itself: a decoder that follows it never ends */
		at = put16(r, at, (PTR_MARK << 8) | (unsigned)qend);
	else
		at = put16(r, at, (PTR_MARK << 8) | HDR_LEN); /* the question's name */
	at = put16(r, at, type);
	at = put16(r, at, CLASS_IN);
	at = put16(r, at, 0);
	at = put16(r, at, TTL_S);
	at = put16(r, at, (unsigned)addr_len);
	memcpy(r + at, addr, addr_len);
	return at + addr_len;
}

static void address(unsigned type, uint8_t last, uint8_t out[16], size_t *len)
{
	memset(out, 0, 16);
	if (type == TYPE_A) {
		out[0] = 10, out[1] = 5, out[2] = 0, out[3] = last;
		*len = 4;
	} else {
		out[0] = 0xfd, out[1] = 0, out[2] = 0, out[3] = 5, out[15] = last;
		*len = 16;
	}
}

int main(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(DNS_PORT) };
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("dnsd: cannot bind udp port %d: %s\n", DNS_PORT, strerror(errno));
		return 1;
	}
	printf("dnsd: answering on udp port %d\n", DNS_PORT);
	fflush(stdout);
	for (;;) {
		uint8_t q[MSG_MAX], r[MSG_MAX];
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
		if (n < 0)
			continue;
		char name[NAME_MAX_LEN + 1];
		unsigned type = 0;
		size_t qend = 0;
		const char *why = parse_query(q, (size_t)n, name, &type, &qend);
		if (why) {
			n_malformed++;
			printf("dnsd: dropped a malformed query: %s\n", why);
			continue;
		}
		n_queries++;
		const struct name *e = NULL;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !e; i++)
			if (!strcmp(names[i].name, name))
				e = &names[i];
		enum behaviour how = e ? e->how : NXDOMAIN;
		printf("dnsd: query %s type %u\n", name, type);
		if (how == SILENT)
			continue;
		uint8_t addr[16], wrong[16];
		size_t alen = 0, rlen;
		int addressed = (type == TYPE_A || type == TYPE_AAAA) && how != NXDOMAIN && how != QUIT &&
				!(how == NO_DATA_AAAA && type == TYPE_AAAA);
		if (addressed)
			address(type, e->last, addr, &alen);
		if (addressed && (how == TRUNCATED_FIRST || how == WRONG_ID_FIRST || how == QUESTION_LOOP_FIRST)) {
			address(type, WRONG_LAST, wrong, &alen);
			rlen = build(r, q, qend, 0, type, wrong, alen, 0);
			if (how == TRUNCATED_FIRST)
				rlen -= alen / 2; /* cut inside the address */
			else if (how == WRONG_ID_FIRST)
				r[1] ^= 1;
			else { /* the question's name becomes a pointer to itself */
				size_t at = HDR_LEN;
				at = put16(r, at, (PTR_MARK << 8) | HDR_LEN);
				memmove(r + at, r + qend - 4, rlen - (qend - 4));
				rlen -= qend - 4 - at;
			}
			sendto(fd, r, rlen, 0, (struct sockaddr *)&from, fl);
		}
		rlen = build(r, q, qend, how == NXDOMAIN || how == QUIT ? RCODE_NXDOMAIN : 0, type, addr, addressed ? alen : 0,
			     how == ANSWER_LOOP);
		sendto(fd, r, rlen, 0, (struct sockaddr *)&from, fl);
		if (how == QUIT) {
			printf("dnsd: %lu queries answered, %lu malformed dropped; exiting\n", n_queries, n_malformed);
			return 0;
		}
	}
}
