/* apps/firewall/rules.c: parses rules word by word (each word checked before it is used) and matches packets first-match-wins. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../../include/abi/uv_errno.h"
#include "rules.h"

#define FW_PORT_MAX 65535
#define FW_PREFIX_LEN_MAX 32
#define FW_OCTET_MAX 255
#define FW_WORD_SHOWN 40 /* characters of an offending word quoted in an error */

/* A word of the rule: text[0, n), not NUL-terminated. */
struct word {
	const char *s;
	size_t n;
};

/* The rule's words, read one at a time. */
struct cursor {
	const char *p;
	struct word last; /* the word just read, for error messages */
};

/* Whether c separates words. */
static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next word (n = 0 at the end). The caller checked the text is at most FW_RULE_TEXT_MAX long. */
static struct word next_word(struct cursor *c)
{
	while (is_blank(*c->p))
		c->p++;
	struct word w = { c->p, 0 };
	while (c->p[w.n] && !is_blank(c->p[w.n]))
		w.n++;
	c->p += w.n;
	c->last = w;
	return w;
}

/* Whether word w is exactly the string s. */
static int word_is(struct word w, const char *s)
{
	return w.n == strlen(s) && memcmp(w.s, s, w.n) == 0;
}

/* Formats an error into err; always returns -UV_EINVAL. */
__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -UV_EINVAL;
}

/* Fails with "<what>, got 'word'" (or "got nothing" at the end of the rule). */
static int fail_word(char *err, size_t errlen, const char *what, struct word w)
{
	if (!w.n)
		return fail(err, errlen, "%s, got nothing", what);
	return fail(err, errlen, "%s, got '%.*s%s'", what, (int)(w.n > FW_WORD_SHOWN ? FW_WORD_SHOWN : w.n),
		    w.s, w.n > FW_WORD_SHOWN ? "..." : "");
}

/*
 * A decimal number of s[0, n) that is at most max, no sign, no leading zero (so "010"
 * can't be read as octal elsewhere). Returns 0 and *out, or -1.
 */
static int parse_decimal(const char *s, size_t n, unsigned max, unsigned *out)
{
	unsigned v = 0;

	if (n == 0 || n > 5 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0'); /* at most 99999: no overflow */
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* The mask of a prefix length 0..32 (a shift by 32 is undefined in C). */
static uint32_t prefix_mask(unsigned len)
{
	return len == 0 ? 0 : ~0u << (FW_PREFIX_LEN_MAX - len);
}

/* "any", "a.b.c.d" (a /32) or "a.b.c.d/len" with no host bits set. */
static int parse_prefix(struct word w, struct fw_prefix *out, char *err, size_t errlen)
{
	const char *what = "expected an IPv4 address, a.b.c.d/len or 'any'";
	uint32_t addr = 0;
	unsigned len = FW_PREFIX_LEN_MAX;
	size_t i = 0;

	if (word_is(w, "any")) {
		*out = (struct fw_prefix){ 0, 0, 0 };
		return 0;
	}
	for (int octet = 0; octet < 4; octet++) {
		size_t start = i;
		unsigned v;
		while (i < w.n && w.s[i] >= '0' && w.s[i] <= '9')
			i++;
		if (parse_decimal(w.s + start, i - start, FW_OCTET_MAX, &v))
			return fail_word(err, errlen, what, w);
		addr = addr << 8 | v;
		if (octet < 3) {
			if (i >= w.n || w.s[i] != '.')
				return fail_word(err, errlen, what, w);
			i++;
		}
	}
	if (i < w.n) {
		if (w.s[i] != '/' || parse_decimal(w.s + i + 1, w.n - i - 1, FW_PREFIX_LEN_MAX, &len))
			return fail_word(err, errlen, "expected a prefix length 0..32 after '/'", w);
	}
	uint32_t mask = prefix_mask(len);
	if (addr & ~mask)
		return fail(err, errlen, "'%.*s' has bits set past its /%u (the network is %u.%u.%u.%u/%u)",
			    (int)(w.n > FW_WORD_SHOWN ? FW_WORD_SHOWN : w.n), w.s, len, (addr & mask) >> 24,
			    (addr & mask) >> 16 & 0xff, (addr & mask) >> 8 & 0xff, addr & mask & 0xff, len);
	*out = (struct fw_prefix){ addr, mask, (uint8_t)len };
	return 0;
}

/* "N" or "N-M" with N <= M, each 0..65535. */
static int parse_ports(struct word w, struct fw_ports *out, char *err, size_t errlen)
{
	const char *what = "expected a port 0..65535 or a range N-M";
	const char *dash = memchr(w.s, '-', w.n);
	unsigned lo, hi;

	if (!dash) {
		if (parse_decimal(w.s, w.n, FW_PORT_MAX, &lo))
			return fail_word(err, errlen, what, w);
		hi = lo;
	} else {
		size_t nlo = (size_t)(dash - w.s);
		if (parse_decimal(w.s, nlo, FW_PORT_MAX, &lo) ||
		    parse_decimal(dash + 1, w.n - nlo - 1, FW_PORT_MAX, &hi))
			return fail_word(err, errlen, what, w);
		if (lo > hi)
			return fail_word(err, errlen, "a port range must not run backwards", w);
	}
	*out = (struct fw_ports){ (uint16_t)lo, (uint16_t)hi };
	return 0;
}

/* What a rule under construction has been given so far, to refuse a clause twice. */
struct seen {
	int dir, proto, src, dst, sport, dport;
};

/* "port PORTS" after src/dst (or on its own, for the destination). */
static int parse_port_clause(struct cursor *c, int *seen, const char *side, struct fw_ports *out,
			     char *err, size_t errlen)
{
	if ((*seen)++)
		return fail(err, errlen, "the %s port is given twice", side);
	return parse_ports(next_word(c), out, err, errlen);
}

/* "src ENDPOINT" or "dst ENDPOINT": a prefix and/or "port PORTS". */
static int parse_endpoint(struct cursor *c, int *seen_addr, int *seen_port, const char *side,
			  struct fw_prefix *addr, struct fw_ports *ports, char *err, size_t errlen)
{
	struct word w = next_word(c);

	if (word_is(w, "port"))
		return parse_port_clause(c, seen_port, side, ports, err, errlen);
	if ((*seen_addr)++)
		return fail(err, errlen, "the %s address is given twice", side);
	int r = parse_prefix(w, addr, err, errlen);
	if (r)
		return r;
	const char *save = c->p;
	if (word_is(next_word(c), "port"))
		return parse_port_clause(c, seen_port, side, ports, err, errlen);
	c->p = save; /* not ours: the next clause */
	return 0;
}

int fw_rule_parse(const char *text, struct fw_rule *rule, char *err, size_t errlen)
{
	struct fw_rule r = { .dirs = FW_DIR_BOTH, .sport = { 0, FW_PORT_MAX }, .dport = { 0, FW_PORT_MAX } };
	struct seen seen = { 0 };
	struct cursor c = { text, { text, 0 } };
	int ret;

	if (errlen)
		err[0] = 0;
	if (!text || strnlen(text, FW_RULE_TEXT_MAX + 1) > FW_RULE_TEXT_MAX)
		return fail(err, errlen, "a rule is at most %d characters", FW_RULE_TEXT_MAX);
	struct word w = next_word(&c);
	if (word_is(w, "allow"))
		r.allow = 1;
	else if (!word_is(w, "deny"))
		return fail_word(err, errlen, "a rule starts with 'allow' or 'deny'", w);
	/* At most FW_RULE_TEXT_MAX words: each clause consumes at least one. */
	for (int guard = 0; guard < FW_RULE_TEXT_MAX; guard++) {
		w = next_word(&c);
		if (!w.n)
			break;
		if (word_is(w, "in") || word_is(w, "out")) {
			if (seen.dir++)
				return fail_word(err, errlen, "the direction is given twice", w);
			r.dirs = FW_DIR_BIT(word_is(w, "in") ? FW_DIR_IN : FW_DIR_OUT);
		} else if (word_is(w, "tcp") || word_is(w, "udp") || word_is(w, "icmp") || word_is(w, "any")) {
			if (seen.proto++)
				return fail_word(err, errlen, "the protocol is given twice", w);
			r.proto = word_is(w, "tcp") ? FW_PROTO_TCP : word_is(w, "udp") ? FW_PROTO_UDP
				: word_is(w, "icmp") ? FW_PROTO_ICMP : 0;
		} else if (word_is(w, "src")) {
			if ((ret = parse_endpoint(&c, &seen.src, &seen.sport, "source", &r.src, &r.sport, err, errlen)))
				return ret;
		} else if (word_is(w, "dst")) {
			if ((ret = parse_endpoint(&c, &seen.dst, &seen.dport, "destination", &r.dst, &r.dport, err, errlen)))
				return ret;
		} else if (word_is(w, "port")) {
			if ((ret = parse_port_clause(&c, &seen.dport, "destination", &r.dport, err, errlen)))
				return ret;
		} else {
			return fail_word(err, errlen,
					 "expected in, out, tcp, udp, icmp, any, src, dst or port", w);
		}
	}
	if ((seen.sport || seen.dport) && r.proto != FW_PROTO_TCP && r.proto != FW_PROTO_UDP)
		return fail(err, errlen, "ports need the protocol tcp or udp");
	*rule = r;
	return 0;
}

/* Whether address a lies in prefix p. */
static int prefix_match(const struct fw_prefix *p, uint32_t a)
{
	return (a & p->mask) == p->addr;
}

/* Whether port lies in the inclusive range r. */
static int ports_match(const struct fw_ports *r, uint16_t port)
{
	return port >= r->lo && port <= r->hi;
}

int fw_rule_match(const struct fw_rule *r, enum fw_dir dir, const struct fw_pkt *p)
{
	if (!(r->dirs & FW_DIR_BIT(dir)) || (r->proto && r->proto != p->proto))
		return 0;
	if (!prefix_match(&r->src, p->src) || !prefix_match(&r->dst, p->dst))
		return 0;
	if (r->proto == FW_PROTO_TCP || r->proto == FW_PROTO_UDP)
		return ports_match(&r->sport, p->sport) && ports_match(&r->dport, p->dport);
	return 1; /* a rule without tcp/udp names no ports */
}

int fw_rules_first(const struct fw_rule *rules, unsigned n, enum fw_dir dir, const struct fw_pkt *p)
{
	for (unsigned i = 0; i < n && i < FW_RULES_MAX; i++)
		if (fw_rule_match(&rules[i], dir, p))
			return (int)i;
	return -1;
}

/* Appends " src|dst PREFIX [port P]" at buf + *at, keeping *at the length it would need. */
static void format_endpoint(char *buf, size_t len, size_t *at, const char *side, const struct fw_prefix *p,
			    const struct fw_ports *ports)
{
	char tmp[64];
	int n;

	if (p->len == 0)
		n = snprintf(tmp, sizeof(tmp), " %s any", side);
	else
		n = snprintf(tmp, sizeof(tmp), " %s %u.%u.%u.%u/%u", side, p->addr >> 24, p->addr >> 16 & 0xff,
			     p->addr >> 8 & 0xff, p->addr & 0xff, p->len);
	if (ports->lo != 0 || ports->hi != FW_PORT_MAX)
		n += ports->lo == ports->hi ? snprintf(tmp + n, sizeof(tmp) - (size_t)n, " port %u", ports->lo)
					    : snprintf(tmp + n, sizeof(tmp) - (size_t)n, " port %u-%u", ports->lo,
						       ports->hi);
	if (*at < len)
		snprintf(buf + *at, len - *at, "%s", tmp);
	*at += (size_t)n;
}

int fw_rule_format(const struct fw_rule *r, char *buf, size_t len)
{
	static const char *const protos[] = { [0] = "any", [FW_PROTO_ICMP] = "icmp", [FW_PROTO_TCP] = "tcp",
					      [FW_PROTO_UDP] = "udp" };
	const char *proto = r->proto < sizeof(protos) / sizeof(protos[0]) && protos[r->proto] ? protos[r->proto] : "?";
	const char *dir = r->dirs == FW_DIR_BIT(FW_DIR_IN) ? " in" : r->dirs == FW_DIR_BIT(FW_DIR_OUT) ? " out" : "";
	char tmp[32];
	size_t at = (size_t)snprintf(tmp, sizeof(tmp), "%s%s %s", r->allow ? "allow" : "deny", dir, proto);

	if (len)
		snprintf(buf, len, "%s", tmp);
	format_endpoint(buf, len, &at, "src", &r->src, &r->sport);
	format_endpoint(buf, len, &at, "dst", &r->dst, &r->dport);
	return (int)at;
}
