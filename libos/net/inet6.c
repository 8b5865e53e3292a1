/* libos/net/inet6.c: IPv6 addresses as text (RFC 4291 2.2 in, RFC 5952 out) and their kinds (pure: also built into mkimage and unit-tested on the host). */
#include "inet6.h"

#define GROUPS 8          /* 16-bit groups in an address */
#define GROUP_DIGITS 4    /* hex digits in a group at most */
#define V4_GROUPS 2       /* an embedded IPv4 address fills the last two groups */
#define OCTET_MAX 255
#define BITS_PER_BYTE 8

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A strict dotted quad filling the whole rest of s into out[4]: 1, or 0. */
static int dotted_quad(const char *s, uint8_t out[4])
{
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			if (digits == 1 && v == 0)
				return 0; /* a leading zero */
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > OCTET_MAX)
			return 0;
		out[part] = (uint8_t)v;
		if (part < 3 && *s++ != '.')
			return 0;
	}
	return *s == 0;
}

int uv_inet_pton6(const char *src, uint8_t out[UV_INET6_LEN])
{
	uint16_t g[GROUPS];
	uint8_t v4[4];
	int n = 0, gap = -1, has_v4 = 0; /* groups read; where '::' stands (index of the group after it) */
	const char *s = src;
	if (s[0] == ':') {
		if (s[1] != ':')
			return 0; /* a lone leading ':' */
		gap = 0;
		s += 2;
		if (!*s)
			goto done; /* "::" */
	}
	for (;;) {
		const char *start = s;
		unsigned v = 0;
		int digits = 0, h;
		while ((h = hex_value(*s)) >= 0 && digits <= GROUP_DIGITS) {
			v = v << 4 | (unsigned)h;
			s++;
			digits++;
		}
		if (*s == '.' && n <= GROUPS - V4_GROUPS) { /* the group was the start of an IPv4 address */
			if (!dotted_quad(start, v4))
				return 0;
			has_v4 = 1;
			break;
		}
		if (digits == 0 || digits > GROUP_DIGITS || n == GROUPS)
			return 0;
		g[n++] = (uint16_t)v;
		if (!*s)
			break;
		if (*s++ != ':')
			return 0;
		if (*s == ':') {
			if (gap >= 0)
				return 0; /* a second '::' */
			gap = n;
			s++;
			if (!*s)
				break; /* ends in "::" */
		} else if (!*s) {
			return 0; /* a lone trailing ':' */
		}
	}
done:;
	int total = n + (has_v4 ? V4_GROUPS : 0);
	if (gap < 0 ? total != GROUPS : total >= GROUPS)
		return 0; /* too few groups without '::', or '::' standing for nothing */
	uint8_t a[UV_INET6_LEN] = { 0 };
	int zeros = GROUPS - total, k = 0;
	for (int i = 0; i < n; i++) {
		if (i == gap)
			k += zeros;
		a[2 * k] = (uint8_t)(g[i] >> 8);
		a[2 * k + 1] = (uint8_t)g[i];
		k++;
	}
	if (has_v4)
		for (int i = 0; i < 4; i++)
			a[UV_INET6_LEN - 4 + i] = v4[i];
	for (int i = 0; i < (int)UV_INET6_LEN; i++)
		out[i] = a[i];
	return 1;
}

/* Appends the text of v in base 10 or 16 at *p (room checked by the caller). */
static void put_num(char **p, unsigned v, unsigned base)
{
	char tmp[8];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		*(*p)++ = tmp[--n];
}

char *uv_inet_ntop6(const uint8_t a[UV_INET6_LEN], char *dst, size_t size)
{
	char buf[UV_INET6_STRLEN], *p = buf;
	unsigned g[GROUPS];
	for (int i = 0; i < GROUPS; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	int best = -1, best_len = 1; /* RFC 5952 4.2.2: a single zero group is not shortened */
	for (int i = 0; i < GROUPS;) {
		int j = i;
		while (j < GROUPS && g[j] == 0)
			j++;
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	int mapped = uv_inet6_kind(a) == UV_INET6_V4_MAPPED; /* RFC 5952 5 */
	int last = mapped ? GROUPS - V4_GROUPS : GROUPS;
	for (int i = 0; i < last; i++) {
		if (i == best) {
			*p++ = ':';
			*p++ = ':';
			i += best_len - 1;
			continue;
		}
		if (i && p[-1] != ':')
			*p++ = ':';
		put_num(&p, g[i], 16);
	}
	if (mapped) {
		if (p[-1] != ':')
			*p++ = ':';
		for (int i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			put_num(&p, a[UV_INET6_LEN - 4 + i], 10);
		}
	}
	*p++ = 0;
	size_t len = (size_t)(p - buf);
	if (len > size)
		return NULL;
	for (size_t i = 0; i < len; i++)
		dst[i] = buf[i];
	return dst;
}

enum uv_inet6_kind uv_inet6_kind(const uint8_t a[UV_INET6_LEN])
{
	int zero10 = 1; /* the first ten bytes are zero */
	for (int i = 0; i < 10; i++)
		zero10 &= a[i] == 0;
	if (zero10 && a[10] == 0xff && a[11] == 0xff)
		return UV_INET6_V4_MAPPED;
	if (zero10 && !(a[10] | a[11] | a[12] | a[13] | a[14]) && a[15] <= 1)
		return a[15] ? UV_INET6_LOOPBACK : UV_INET6_UNSPECIFIED;
	if (a[0] == 0xff)
		return UV_INET6_MULTICAST;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return UV_INET6_LINK_LOCAL;
	return UV_INET6_UNICAST;
}

int uv_inet6_same_prefix(const uint8_t a[UV_INET6_LEN], const uint8_t b[UV_INET6_LEN], unsigned prefix)
{
	for (unsigned i = 0; i < UV_INET6_LEN && prefix; i++) {
		unsigned bits = prefix < BITS_PER_BYTE ? prefix : BITS_PER_BYTE;
		uint8_t mask = (uint8_t)(0xff << (BITS_PER_BYTE - bits));
		if ((a[i] ^ b[i]) & mask)
			return 0;
		prefix -= bits;
	}
	return 1;
}

int uv_inet6_host_zero(const uint8_t a[UV_INET6_LEN], unsigned prefix)
{
	for (unsigned i = 0; i < UV_INET6_LEN; i++) {
		unsigned net = prefix > i * BITS_PER_BYTE ? prefix - i * BITS_PER_BYTE : 0; /* network bits in byte i */
		uint8_t mask = net >= BITS_PER_BYTE ? 0 : (uint8_t)(0xff >> net);
		if (a[i] & mask)
			return 0;
	}
	return 1;
}
