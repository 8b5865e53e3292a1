/* apps/signer/sreq.h: the signer's strict HTTP/1.1 request-head parser (pure: unit-tested on the host) and the limits it enforces. */
#ifndef SIGNER_SREQ_H
#define SIGNER_SREQ_H

#include <stddef.h>

#define SREQ_HEAD_MAX 4096  /* request line + header fields + the blank line, at most */
#define SREQ_FIELDS_MAX 32  /* header fields per request */

/* What a request asks for: the only two resources the signer has. */
enum sreq_route { SREQ_SIGN = 1, SREQ_PUBKEY = 2 };

struct sreq {
	enum sreq_route route;
	size_t body_len;  /* Content-Length (SREQ_SIGN: 1 .. the caller's body_max; SREQ_PUBKEY: 0) */
	int keep_alive;   /* the connection stays open after the answer (RFC 9112 9.3) */
};

/*
 * Parses the request head at the start of [buf, buf+len) (untrusted bytes). Returns the
 * head's length (> 0) with *r filled; 0 when the head is not complete yet and len is
 * below SREQ_HEAD_MAX; or a negative HTTP status to answer with (then the connection
 * closes): -400 malformed (RFC 9112 2-5: bare LF, obs-fold, a control character, no Host
 * in HTTP/1.1, a Content-Length that is not one run of digits or comes twice, a body on
 * GET, an empty body on POST /sign), -404 a target other than /sign and /pubkey, -405 a
 * method the target does not take (POST /sign, GET /pubkey), -411 POST /sign without
 * Content-Length or with Transfer-Encoding (RFC 9110 15.5.12), -413 a body longer than
 * body_max, -431 a head longer than SREQ_HEAD_MAX bytes or more than SREQ_FIELDS_MAX
 * fields, -505 a version other than HTTP/1.0 and 1.1. With -405 (and the other refusals
 * of a known target) r->route names the target, for the answer's Allow field.
 */
int sreq_parse(const char *buf, size_t len, size_t body_max, struct sreq *r);

/* The reason phrase of status (RFC 9110 15), "Unknown" for others. */
const char *sreq_reason(int status);

#endif
