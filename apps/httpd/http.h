/* apps/httpd/http.h: the HTTP/1.1 request-head parser (pure: unit-tested on the host) and the limits it enforces. */
#ifndef HTTPD_HTTP_H
#define HTTPD_HTTP_H

#include <stddef.h>

#define HTTP_HEAD_MAX 8192   /* request line + header fields + the blank line */
#define HTTP_FIELDS_MAX 32   /* header fields per request */
#define HTTP_PATH_MAX 256    /* the request target, query included */

enum http_method { HTTP_GET = 1, HTTP_HEAD = 2 };

struct http_req {
	enum http_method method;
	char path[HTTP_PATH_MAX]; /* the target's path, without the query; NUL-terminated */
	int minor;                /* HTTP/1.<minor>: 0 or 1 */
	int keep_alive;           /* the connection stays open after the answer (RFC 9112 9.3) */
};

/*
 * Parses the request head at the start of [buf, buf+len) (untrusted bytes). Returns the
 * head's length (> 0) with *r filled; 0 when the head is not complete yet and len is
 * below HTTP_HEAD_MAX; or a negative HTTP status to answer with, after which the
 * connection closes: -400 malformed (RFC 9112 3, 5; HTTP/1.1 without Host), -405 a
 * method other than GET/HEAD, -413 a head of HTTP_HEAD_MAX bytes or more, or a body
 * (Content-Length other than 0: this server takes none), -414 a target of
 * HTTP_PATH_MAX bytes or more, -431 more than HTTP_FIELDS_MAX fields, -501
 * Transfer-Encoding, -505 a version other than HTTP/1.0 and 1.1.
 */
int http_parse(const char *buf, size_t len, struct http_req *r);

/* The reason phrase of status (RFC 9110 15), "Unknown" for others. */
const char *http_reason(int status);

#define HTTP_DATE_LEN 29 /* an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 5.6.7) */

/*
 * Writes an answer's head into [buf, buf+cap): status line, Server, Date (date: an
 * IMF-fixdate), Content-Type, Content-Length (len), Connection (keep-alive or close) and
 * the blank line, without printf. Returns its length, or 0 if it does not fit (buf is then
 * unspecified). status is 100..999.
 */
size_t http_head(char *buf, size_t cap, int status, const char *date, const char *type, size_t len, int keep);

#endif
