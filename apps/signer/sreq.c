/* apps/signer/sreq.c: parses the signer's HTTP/1.1 request heads (RFC 9112) strictly, within fixed limits; knows the reason phrases. */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "sreq.h"

#define CR '\r'
#define LF '\n'
#define HTAB '\t'
#define DEL 0x7f
#define VERSION_LEN 8 /* "HTTP/1.1" */

/* A read position in the head: [p, end). */
struct cur {
	const char *p, *end;
};

/*
 * The next line, CRLF-terminated (RFC 9112 2.2: this parser takes no bare CR or LF):
 * 1 with [*s, *e) the line without its CRLF and c past it; 0 when no CRLF is in c yet;
 * -400 for a bare CR or LF.
 */
static int next_line(struct cur *c, const char **s, const char **e)
{
	for (const char *q = c->p; q < c->end; q++) {
		if (*q == LF)
			return -400;
		if (*q != CR)
			continue;
		if (q + 1 == c->end)
			return 0;
		if (q[1] != LF)
			return -400;
		*s = c->p;
		*e = q;
		c->p = q + 2;
		return 1;
	}
	return 0;
}

/* RFC 9110 5.6.2: tchar. */
static int tchar(unsigned char ch)
{
	return ch && ch < DEL && (isalnum(ch) || strchr("!#$%&'*+-.^_`|~", ch));
}

/* [s, e) is one or more tchars. */
static int is_token(const char *s, const char *e)
{
	if (s == e)
		return 0;
	for (; s < e; s++)
		if (!tchar((unsigned char)*s))
			return 0;
	return 1;
}

/* [s, e) is the NUL-terminated w, byte for byte (case-insensitive with fold). */
static int same(const char *s, const char *e, const char *w, int fold)
{
	size_t n = strlen(w);
	return (size_t)(e - s) == n && !(fold ? strncasecmp(s, w, n) : memcmp(s, w, n));
}

/* Does the comma-separated list [s, e) (RFC 9110 5.6.1) hold the token w, in any case? */
static int list_has(const char *s, const char *e, const char *w)
{
	while (s < e) {
		const char *comma = memchr(s, ',', (size_t)(e - s)), *item_end = comma ? comma : e;
		const char *a = s, *b = item_end;
		while (a < b && (*a == ' ' || *a == HTAB))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == HTAB))
			b--;
		if (same(a, b, w, 1))
			return 1;
		s = comma ? comma + 1 : e;
	}
	return 0;
}

/* What the head says, gathered before any decision about it. */
struct head {
	const char *method, *method_end, *target, *target_end;
	int minor;
	int hosts, lengths, chunked, close, keep;
	size_t length; /* Content-Length, at most body_max + 1 */
};

/* RFC 9112 3: method SP request-target SP HTTP-version. 0, -400 or -505. */
static int request_line(const char *s, const char *e, struct head *h)
{
	const char *sp1 = memchr(s, ' ', (size_t)(e - s));
	if (!sp1 || !is_token(s, sp1))
		return -400;
	const char *t = sp1 + 1, *sp2 = memchr(t, ' ', (size_t)(e - t));
	if (!sp2 || sp2 == t)
		return -400;
	for (const char *q = t; q < sp2; q++)
		if ((unsigned char)*q < ' ' || (unsigned char)*q >= DEL)
			return -400;
	const char *v = sp2 + 1;
	if (e - v != VERSION_LEN || memcmp(v, "HTTP/", 5) || !isdigit((unsigned char)v[5]) || v[6] != '.' ||
	    !isdigit((unsigned char)v[7]))
		return -400;
	if (v[5] != '1' || v[7] > '1')
		return -505;
	h->method = s;
	h->method_end = sp1;
	h->target = t;
	h->target_end = sp2;
	h->minor = v[7] - '0';
	return 0;
}

/* One field line (RFC 9112 5): name ":" OWS value OWS, recorded in h if the signer cares. 0 or -400. */
static int field_line(const char *s, const char *e, size_t body_max, struct head *h)
{
	const char *colon = memchr(s, ':', (size_t)(e - s));
	if (!colon || !is_token(s, colon))
		return -400; /* also obs-fold (RFC 9112 5.2) and whitespace before the colon (5.1) */
	const char *v = colon + 1, *ve = e;
	for (const char *q = v; q < ve; q++)
		if (((unsigned char)*q < ' ' && *q != HTAB) || (unsigned char)*q == DEL)
			return -400; /* RFC 9110 5.5: no control characters in a value */
	while (v < ve && (*v == ' ' || *v == HTAB))
		v++;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == HTAB))
		ve--;
	if (same(s, colon, "host", 1)) {
		h->hosts++;
	} else if (same(s, colon, "content-length", 1)) {
		/* RFC 9110 8.6: 1*DIGIT. Two of them, even equal, are refused (9112 6.3 step 5). */
		if (h->lengths++ || v == ve)
			return -400;
		size_t n = 0;
		for (const char *q = v; q < ve; q++) {
			if (!isdigit((unsigned char)*q))
				return -400;
			n = n > body_max ? n : n * 10 + (size_t)(*q - '0'); /* stops growing past body_max */
		}
		h->length = n > body_max ? body_max + 1 : n;
	} else if (same(s, colon, "transfer-encoding", 1)) {
		h->chunked = 1;
	} else if (same(s, colon, "connection", 1)) {
		h->close |= list_has(v, ve, "close");
		h->keep |= list_has(v, ve, "keep-alive");
	}
	return 0;
}

/* The answer to a well-formed head: 0 with *r filled, or a negative status (r->route set once the target is known). */
static int decide(const struct head *h, size_t body_max, struct sreq *r)
{
	if (h->minor == 1 && h->hosts != 1)
		return -400; /* RFC 9112 3.2 */
	if (h->hosts > 1)
		return -400;
	int post = same(h->method, h->method_end, "POST", 0), get = same(h->method, h->method_end, "GET", 0);
	if (same(h->target, h->target_end, "/sign", 0)) {
		r->route = SREQ_SIGN;
		if (!post)
			return -405;
		if (h->chunked || !h->lengths)
			return -411;
		if (h->length > body_max)
			return -413;
		if (h->length == 0)
			return -400; /* nothing to sign */
	} else if (same(h->target, h->target_end, "/pubkey", 0)) {
		r->route = SREQ_PUBKEY;
		if (!get)
			return -405;
		if (h->chunked)
			return -411;
		if (h->length)
			return -400; /* a GET carries no body here */
	} else {
		return -404;
	}
	r->body_len = h->length;
	r->keep_alive = h->minor == 1 ? !h->close : h->keep && !h->close;
	return 0;
}

int sreq_parse(const char *buf, size_t len, size_t body_max, struct sreq *r)
{
	struct cur c = { buf, buf + (len < SREQ_HEAD_MAX ? len : SREQ_HEAD_MAX) };
	struct head h = { 0 };
	const char *s, *e;
	memset(r, 0, sizeof(*r));
	int st = next_line(&c, &s, &e);
	if (st <= 0)
		return st < 0 ? st : len >= SREQ_HEAD_MAX ? -431 : 0;
	if ((st = request_line(s, e, &h)))
		return st;
	for (int fields = 0;; fields++) {
		if ((st = next_line(&c, &s, &e)) <= 0)
			return st < 0 ? st : len >= SREQ_HEAD_MAX ? -431 : 0;
		if (s == e)
			break; /* the empty line ends the head */
		if (fields == SREQ_FIELDS_MAX)
			return -431;
		if ((st = field_line(s, e, body_max, &h)))
			return st;
	}
	if ((st = decide(&h, body_max, r)))
		return st;
	return (int)(c.p - buf);
}

/* RFC 9110 15 (411, 413, 431, 505 ...), RFC 6585 4 (429). */
static const struct {
	int status;
	const char *reason;
} reasons[] = {
	{ 200, "OK" }, { 400, "Bad Request" }, { 404, "Not Found" }, { 405, "Method Not Allowed" },
	{ 408, "Request Timeout" }, { 411, "Length Required" }, { 413, "Content Too Large" },
	{ 429, "Too Many Requests" }, { 431, "Request Header Fields Too Large" }, { 502, "Bad Gateway" },
	{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" }, { 505, "HTTP Version Not Supported" },
};

const char *sreq_reason(int status)
{
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].reason;
	return "Unknown";
}
