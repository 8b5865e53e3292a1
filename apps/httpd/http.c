/* apps/httpd/http.c: parses an HTTP/1.1 request head (RFC 9112) within fixed limits; knows the reason phrases. */
#include <string.h>
#include "http.h"

/* RFC 9110 5.6.2: tchar. */
static int is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* [s, s+n) equals the NUL-terminated word w, ignoring ASCII case. */
static int ieq(const char *s, size_t n, const char *w)
{
	size_t i = 0;
	for (; i < n && w[i]; i++)
		if (lower((unsigned char)s[i]) != w[i])
			return 0;
	return i == n && !w[i];
}

/* The end of the line starting at p (its CR or LF), or NULL if [p, end) holds no LF. */
static const char *line_end(const char *p, const char *end, const char **next)
{
	const char *lf = memchr(p, '\n', (size_t)(end - p));
	if (!lf)
		return NULL;
	*next = lf + 1;
	return lf > p && lf[-1] == '\r' ? lf - 1 : lf;
}

/* Does the comma-separated Connection value [v, e) hold the option opt? */
static int has_token(const char *v, const char *e, const char *opt)
{
	while (v < e) {
		while (v < e && (*v == ' ' || *v == '\t' || *v == ','))
			v++;
		const char *t = v;
		while (v < e && *v != ',' && *v != ' ' && *v != '\t')
			v++;
		if (v > t && ieq(t, (size_t)(v - t), opt))
			return 1;
	}
	return 0;
}

static int parse_request_line(const char *p, const char *eol, struct http_req *r)
{
	const char *sp1 = memchr(p, ' ', (size_t)(eol - p));
	if (!sp1 || sp1 == p)
		return -400;
	for (const char *m = p; m < sp1; m++)
		if (!is_tchar((unsigned char)*m))
			return -400;
	const char *t = sp1 + 1, *sp2 = memchr(t, ' ', (size_t)(eol - t));
	if (!sp2 || sp2 == t || *t != '/')
		return -400;
	const char *v = sp2 + 1;
	if (eol - v != 8 || memcmp(v, "HTTP/", 5) || v[5] < '0' || v[5] > '9' || v[6] != '.' || v[7] < '0' || v[7] > '9')
		return -400;
	if (v[5] != '1' || v[7] > '1')
		return -505;
	r->minor = v[7] - '0';
	if ((size_t)(sp2 - t) >= HTTP_PATH_MAX)
		return -414;
	for (const char *c = t; c < sp2; c++)
		if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f)
			return -400;
	const char *q = memchr(t, '?', (size_t)(sp2 - t));
	size_t plen = (size_t)((q ? q : sp2) - t);
	memcpy(r->path, t, plen);
	r->path[plen] = 0;
	if (ieq(p, (size_t)(sp1 - p), "get") && !memcmp(p, "GET", 3))
		r->method = HTTP_GET;
	else if (ieq(p, (size_t)(sp1 - p), "head") && !memcmp(p, "HEAD", 4))
		r->method = HTTP_HEAD; /* methods are case-sensitive (RFC 9110 9.1) */
	else
		return -405;
	return 0;
}

int http_parse(const char *buf, size_t len, struct http_req *r)
{
	const char *end = buf + (len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX), *p = buf, *next, *eol;
	memset(r, 0, sizeof(*r));
	/* RFC 9112 2.2: a server should ignore at least one empty line before the request line. */
	while (p < end && (*p == '\r' || *p == '\n') && p - buf < 4)
		p++;
	if (!(eol = line_end(p, end, &next)))
		return len >= HTTP_HEAD_MAX ? -413 : 0;
	int st = parse_request_line(p, eol, r);
	if (st == -400 || st == -505 || st == -414)
		return st;
	int method_status = st; /* -405 is answered once the head is complete and sane */
	int fields = 0, host = 0, close = 0, keep = 0;
	for (p = next;; p = next) {
		if (!(eol = line_end(p, end, &next)))
			return len >= HTTP_HEAD_MAX ? -413 : 0;
		if (eol == p)
			break; /* the empty line ends the head */
		if (++fields > HTTP_FIELDS_MAX)
			return -431;
		const char *colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon || colon == p)
			return -400;
		for (const char *c = p; c < colon; c++)
			if (!is_tchar((unsigned char)*c))
				return -400; /* RFC 9112 5.1: no whitespace between the name and the colon */
		const char *v = colon + 1, *ve = eol;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		size_t nl = (size_t)(colon - p);
		if (ieq(p, nl, "host")) {
			if (host++)
				return -400; /* RFC 9112 3.2: more than one Host */
		} else if (ieq(p, nl, "connection")) {
			close |= has_token(v, ve, "close");
			keep |= has_token(v, ve, "keep-alive");
		} else if (ieq(p, nl, "transfer-encoding")) {
			return -501;
		} else if (ieq(p, nl, "content-length")) {
			for (const char *c = v; c < ve; c++)
				if (*c < '0' || *c > '9')
					return -400;
			if (v == ve)
				return -400;
			for (const char *c = v; c < ve; c++)
				if (*c != '0')
					return -413; /* a body: this server takes none */
		}
	}
	if (r->minor == 1 && !host)
		return -400;
	if (method_status)
		return method_status;
	r->keep_alive = r->minor == 1 ? !close : keep && !close;
	return (int)(next - buf);
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Unknown";
	}
}

/* Appends [s, s+n) at *pos in [buf, buf+cap); 0 once it no longer fits (then *pos stays). */
static int put(char *buf, size_t cap, size_t *pos, const char *s, size_t n)
{
	if (n > cap - *pos)
		return 0;
	memcpy(buf + *pos, s, n);
	*pos += n;
	return 1;
}

#define PUTS(lit) put(buf, cap, &pos, lit, sizeof(lit) - 1)

size_t http_head(char *buf, size_t cap, int status, const char *date, const char *type, size_t len, int keep)
{
	char num[24], code[3];
	size_t pos = 0, nd = 0;
	const char *reason = http_reason(status);
	if (status < 100 || status > 999)
		return 0;
	code[0] = (char)('0' + status / 100);
	code[1] = (char)('0' + status / 10 % 10);
	code[2] = (char)('0' + status % 10);
	do /* len in decimal, last digit first */
		num[sizeof(num) - 1 - nd++] = (char)('0' + len % 10);
	while ((len /= 10) && nd < sizeof(num));
	int ok = PUTS("HTTP/1.1 ") && put(buf, cap, &pos, code, sizeof(code)) && PUTS(" ") &&
		 put(buf, cap, &pos, reason, strlen(reason)) && PUTS("\r\nServer: univisor-httpd\r\nDate: ") &&
		 put(buf, cap, &pos, date, strlen(date)) && PUTS("\r\nContent-Type: ") &&
		 put(buf, cap, &pos, type, strlen(type)) && PUTS("\r\nContent-Length: ") &&
		 put(buf, cap, &pos, num + sizeof(num) - nd, nd) && PUTS("\r\nConnection: ") &&
		 (keep ? PUTS("keep-alive") : PUTS("close")) && PUTS("\r\n\r\n");
	return ok ? pos : 0;
}
