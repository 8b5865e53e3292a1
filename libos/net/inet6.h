/* libos/net/inet6.h: IPv6 addresses as text and their kinds (inet6.c; pure, shared with mkimage and the host tests). */
#ifndef LIBOS_NET_INET6_H
#define LIBOS_NET_INET6_H

#include <stddef.h>
#include <stdint.h>

#define UV_INET6_LEN 16         /* bytes of an IPv6 address */
#define UV_INET6_STRLEN 46      /* the longest text form with its NUL (INET6_ADDRSTRLEN) */

/*
 * RFC 4291 2.2's text form into out (network order): eight groups of 1-4 hex digits
 * separated by ':', one '::' for a run of zero groups, optionally a dotted IPv4 address
 * in the last 32 bits (strict: four decimal octets, no leading zeros). Nothing else: no
 * zone ("%eth0"), no brackets, no prefix. 1 when taken, 0 (out unchanged) otherwise.
 */
int uv_inet_pton6(const char *src, uint8_t out[UV_INET6_LEN]);

/*
 * RFC 5952's canonical text of a (lowercase, no leading zeros, the longest run of two or
 * more zero groups as '::', the first of equal runs; ::ffff:a.b.c.d for IPv4-mapped) into
 * dst of size bytes. dst, or NULL (dst unchanged) when size is too small.
 */
char *uv_inet_ntop6(const uint8_t a[UV_INET6_LEN], char *dst, size_t size);

/* What kind of address a is (RFC 4291 2.4; 2.5.5.2 for IPv4-mapped). */
enum uv_inet6_kind {
	UV_INET6_UNSPECIFIED, /* :: */
	UV_INET6_LOOPBACK,    /* ::1 */
	UV_INET6_MULTICAST,   /* ff00::/8 */
	UV_INET6_LINK_LOCAL,  /* fe80::/10 */
	UV_INET6_V4_MAPPED,   /* ::ffff:0:0/96 */
	UV_INET6_UNICAST,     /* anything else: global or unique local (fc00::/7) unicast */
};
enum uv_inet6_kind uv_inet6_kind(const uint8_t a[UV_INET6_LEN]);

/* 1 when a and b agree in their first prefix bits (0..128), else 0. */
int uv_inet6_same_prefix(const uint8_t a[UV_INET6_LEN], const uint8_t b[UV_INET6_LEN], unsigned prefix);

/* 1 when the bits of a after prefix (the interface identifier part) are all zero, else 0. */
int uv_inet6_host_zero(const uint8_t a[UV_INET6_LEN], unsigned prefix);

#endif
