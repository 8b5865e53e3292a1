/* tests/unit/test_firewall.c: apps/firewall's pure logic: rule grammar and matching, options, frame parsing (every malformed kind), connection tracking, verdicts, reports. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include "tests/unit/unit.h"
#include "include/abi/uv_errno.h"
#include "include/abi/uv_hypercall.h"
#include "apps/firewall/bridge.h"
#include "apps/firewall/filter.h"
#include "apps/firewall/options.h"
#include "apps/firewall/report.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define S(n) ((uint64_t)(n) * FW_NS_PER_S)

/* ---- frames ---- */

/* What build() makes: Ethernet (+ a tag), IPv4 (+ options), TCP/UDP/ICMP, payload. */
struct spec {
	int vlan;            /* one 802.1Q tag */
	uint16_t ethertype;  /* 0: IPv4 */
	uint8_t ihl;         /* 0: 5 */
	uint8_t proto;
	uint32_t src, dst;
	uint16_t sport, dport; /* ICMP: the identifier in sport */
	uint8_t flags;       /* TCP */
	uint8_t icmp_type;
	uint16_t frag;       /* IPv4 flags + fragment offset */
	size_t payload;
};

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static size_t l3_offset(const struct spec *s)
{
	return FW_ETH_HLEN + (s->vlan ? FW_VLAN_HLEN : 0);
}

/* Recomputes the IPv4 header checksum of the frame f built from s. */
static void fix_csum(uint8_t *f, const struct spec *s)
{
	uint8_t *ip = f + l3_offset(s);
	put16(ip + 10, 0);
	put16(ip + 10, fw_inet_checksum(ip, (size_t)(ip[0] & 0xf) * 4));
}

/* Builds the frame of s into f (room for 2048); returns its length, padded to 60 like a NIC would. */
static size_t build(uint8_t *f, const struct spec *s)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	size_t off = l3_offset(s), ihl = s->ihl ? s->ihl : 5, l4len;

	memset(f, 0, 2048);
	memcpy(f, macs, sizeof(macs));
	if (s->vlan) {
		put16(f + 12, FW_ETHERTYPE_VLAN);
		put16(f + 14, 0x2005); /* priority 1, VID 5 */
	}
	put16(f + off - 2, s->ethertype ? s->ethertype : FW_ETHERTYPE_IPV4);
	if (s->ethertype && s->ethertype != FW_ETHERTYPE_IPV4) {
		size_t n = off + 46;
		return n < FW_FRAME_MIN ? FW_FRAME_MIN : n;
	}
	uint8_t *ip = f + off, *l4 = ip + ihl * 4;
	l4len = s->proto == FW_PROTO_TCP ? 20 : s->proto == FW_PROTO_UDP || s->proto == FW_PROTO_ICMP ? 8 : 0;
	ip[0] = (uint8_t)(0x40 | ihl);
	put16(ip + 2, (unsigned)(ihl * 4 + l4len + s->payload));
	put16(ip + 4, 0x1234);
	put16(ip + 6, s->frag);
	ip[8] = 64;
	ip[9] = s->proto;
	put32(ip + 12, s->src);
	put32(ip + 16, s->dst);
	for (size_t i = 20; i < ihl * 4; i++)
		ip[i] = 1; /* NOP options */
	fix_csum(f, s);
	if (s->proto == FW_PROTO_TCP) {
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		l4[12] = 5 << 4;
		l4[13] = s->flags;
	} else if (s->proto == FW_PROTO_UDP) {
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		put16(l4 + 4, (unsigned)(8 + s->payload));
	} else if (s->proto == FW_PROTO_ICMP) {
		l4[0] = s->icmp_type;
		put16(l4 + 4, s->sport);
	}
	size_t n = off + ihl * 4 + l4len + s->payload;
	return n < FW_FRAME_MIN ? FW_FRAME_MIN : n;
}

static struct spec tcp(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, uint8_t flags)
{
	return (struct spec){ .proto = FW_PROTO_TCP, .src = src, .dst = dst, .sport = sport, .dport = dport, .flags = flags };
}

static struct spec udp(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport)
{
	return (struct spec){ .proto = FW_PROTO_UDP, .src = src, .dst = dst, .sport = sport, .dport = dport };
}

static struct spec icmp(uint32_t src, uint32_t dst, uint8_t type, uint16_t id)
{
	return (struct spec){ .proto = FW_PROTO_ICMP, .src = src, .dst = dst, .icmp_type = type, .sport = id };
}

/* Parses f[0, len) from a heap copy of exactly len bytes, so ASan sees any read past the frame. */
static enum fw_reason parse_exact(const uint8_t *f, size_t len, struct fw_pkt *p)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, f, len);
	enum fw_reason r = fw_parse(copy, len, p);
	free(copy);
	return r;
}

static enum fw_reason parse_spec(const struct spec *s, struct fw_pkt *p)
{
	static uint8_t f[2048];
	return parse_exact(f, build(f, s), p);
}

/* ---- a firewall under test ---- */

#define T_BUCKETS 64
static struct fw fw;
static struct fw_conn slots[T_BUCKETS * FW_CT_WAYS];
static struct fw_rule rules[FW_RULES_MAX];
static const uint64_t key[2] = { 0x0123456789abcdefull, 0xfedcba9876543210ull };

/* A fresh firewall with nbuckets buckets and the given rules (NULL-terminated); 0 or -1 if a rule fails. */
static int setup_n(uint32_t nbuckets, const char *const *texts)
{
	char err[FW_ERR_MAX];
	unsigned n = 0;

	memset(&fw, 0, sizeof(fw));
	for (; texts && texts[n]; n++)
		if (fw_rule_parse(texts[n], &rules[n], err, sizeof(err))) {
			printf("rule '%s': %s\n", texts[n], err);
			return -1;
		}
	fw.rules = rules;
	fw.n_rules = n;
	return fw_ct_init(&fw.ct, slots, nbuckets, key) ? -1 : 0;
}

static int setup(const char *const *texts)
{
	return setup_n(T_BUCKETS, texts);
}

static enum fw_reason verdict(enum fw_dir dir, struct spec s, uint64_t now)
{
	static uint8_t f[2048];
	size_t len = build(f, &s);
	uint8_t *copy = malloc(len);
	memcpy(copy, f, len);
	enum fw_reason r = fw_filter(&fw, dir, copy, len, now);
	free(copy);
	return r;
}

#define OUT FW_DIR_OUT
#define IN FW_DIR_IN
static const uint32_t inside = IP(10, 0, 2, 15), server = IP(93, 184, 216, 34), other = IP(198, 51, 100, 7);

/* ---- rules: grammar ---- */

static int parse_ok(const char *text, struct fw_rule *r)
{
	char err[FW_ERR_MAX];
	int ret = fw_rule_parse(text, r, err, sizeof(err));
	if (ret)
		printf("unexpected error for '%s': %s\n", text, err);
	return ret;
}

TEST(rule_parses_the_examples)
{
	struct fw_rule r;

	CHECK_EQ(parse_ok("allow tcp dst 10.0.2.0/24 port 80", &r), 0);
	CHECK_EQ(r.allow, 1);
	CHECK_EQ(r.dirs, FW_DIR_BOTH);
	CHECK_EQ(r.proto, FW_PROTO_TCP);
	CHECK_EQ(r.dst.addr, IP(10, 0, 2, 0));
	CHECK_EQ(r.dst.mask, 0xffffff00u);
	CHECK_EQ(r.dst.len, 24);
	CHECK_EQ(r.src.mask, 0);
	CHECK_EQ(r.dport.lo, 80);
	CHECK_EQ(r.dport.hi, 80);
	CHECK_EQ(r.sport.lo, 0);
	CHECK_EQ(r.sport.hi, 65535);

	CHECK_EQ(parse_ok("deny udp src 192.168.0.0/16", &r), 0);
	CHECK_EQ(r.allow, 0);
	CHECK_EQ(r.proto, FW_PROTO_UDP);
	CHECK_EQ(r.src.addr, IP(192, 168, 0, 0));
	CHECK_EQ(r.src.mask, 0xffff0000u);

	CHECK_EQ(parse_ok("allow icmp", &r), 0);
	CHECK_EQ(r.proto, FW_PROTO_ICMP);
	CHECK_EQ(r.dirs, FW_DIR_BOTH);

	CHECK_EQ(parse_ok("  allow\tin  tcp   port 8080-8090 ", &r), 0);
	CHECK_EQ(r.dirs, FW_DIR_BIT(FW_DIR_IN));
	CHECK_EQ(r.dport.lo, 8080);
	CHECK_EQ(r.dport.hi, 8090);

	CHECK_EQ(parse_ok("allow in udp src port 67 dst port 68", &r), 0);
	CHECK_EQ(r.sport.lo, 67);
	CHECK_EQ(r.sport.hi, 67);
	CHECK_EQ(r.dport.lo, 68);

	CHECK_EQ(parse_ok("deny out any dst any", &r), 0);
	CHECK_EQ(r.dirs, FW_DIR_BIT(FW_DIR_OUT));
	CHECK_EQ(r.proto, 0);
	CHECK_EQ(r.dst.mask, 0);

	CHECK_EQ(parse_ok("allow tcp src 1.2.3.4 port 1-65535 dst 0.0.0.0/0", &r), 0);
	CHECK_EQ(r.src.addr, IP(1, 2, 3, 4));
	CHECK_EQ(r.src.len, 32);
	CHECK_EQ(r.src.mask, 0xffffffffu);
	CHECK_EQ(r.sport.lo, 1);
	CHECK_EQ(r.dst.len, 0);

	CHECK_EQ(parse_ok("allow tcp dst port 0", &r), 0);
	CHECK_EQ(r.dport.hi, 0);
	CHECK_EQ(parse_ok("allow dst 255.255.255.255 src 0.0.0.0", &r), 0);
	CHECK_EQ(r.dst.addr, 0xffffffffu);
	CHECK_EQ(r.src.len, 32);
}

/* Each bad rule and a piece of the message it must give. */
static const struct { const char *text, *msg; } bad_rules[] = {
	{ "", "a rule starts with 'allow' or 'deny', got nothing" },
	{ "   ", "a rule starts with 'allow' or 'deny', got nothing" },
	{ "permit tcp", "a rule starts with 'allow' or 'deny', got 'permit'" },
	{ "allow tcp dst 10.0.2.0/33", "expected a prefix length 0..32 after '/', got '10.0.2.0/33'" },
	{ "allow tcp dst 10.0.2.0/", "expected a prefix length 0..32 after '/', got '10.0.2.0/'" },
	{ "allow tcp dst 10.0.2.0/024", "prefix length 0..32" },
	{ "allow tcp dst 10.0.2.0/-1", "prefix length 0..32" },
	{ "allow tcp dst 10.0.2.1/24", "'10.0.2.1/24' has bits set past its /24 (the network is 10.0.2.0/24)" },
	{ "allow tcp dst 10.0.2", "expected an IPv4 address, a.b.c.d/len or 'any', got '10.0.2'" },
	{ "allow tcp dst 256.0.0.1", "got '256.0.0.1'" },
	{ "allow tcp dst 010.0.0.1", "got '010.0.0.1'" },
	{ "allow tcp dst 1.2.3.4.5", "got '1.2.3.4.5'" },
	{ "allow tcp dst 1..2.3", "got '1..2.3'" },
	{ "allow tcp dst 1.2.3.", "got '1.2.3.'" },
	{ "allow tcp dst a.b.c.d", "got 'a.b.c.d'" },
	{ "allow tcp dst", "expected an IPv4 address, a.b.c.d/len or 'any', got nothing" },
	{ "allow tcp src", "got nothing" },
	{ "allow tcp port 0x50", "expected a port 0..65535 or a range N-M, got '0x50'" },
	{ "allow tcp port 65536", "got '65536'" },
	{ "allow tcp port 123456", "got '123456'" },
	{ "allow tcp port 90-80", "a port range must not run backwards, got '90-80'" },
	{ "allow tcp port -5", "got '-5'" },
	{ "allow tcp port 5-", "got '5-'" },
	{ "allow tcp port 1-2-3", "got '1-2-3'" },
	{ "allow tcp port +80", "got '+80'" },
	{ "allow tcp port", "expected a port 0..65535 or a range N-M, got nothing" },
	{ "allow icmp port 80", "ports need the protocol tcp or udp" },
	{ "allow port 80", "ports need the protocol tcp or udp" },
	{ "allow any src port 53", "ports need the protocol tcp or udp" },
	{ "allow in out tcp", "the direction is given twice, got 'out'" },
	{ "allow tcp udp", "the protocol is given twice, got 'udp'" },
	{ "allow tcp src 1.1.1.1 src 2.2.2.2", "the source address is given twice" },
	{ "allow tcp dst port 1 dst port 2", "the destination port is given twice" },
	{ "allow tcp port 80 dst port 81", "the destination port is given twice" },
	{ "allow tcp dst 1.2.3.4 port 80 port 81", "the destination port is given twice" },
	{ "allow tcp from 1.2.3.4", "expected in, out, tcp, udp, icmp, any, src, dst or port, got 'from'" },
	{ "allow TCP", "got 'TCP'" },
	{ "allow tcp,", "got 'tcp,'" },
	{ "allow tcp dst 10.0.0.0/8x", "prefix length" },
	{ "allow tcp dst 4294967296", "got '4294967296'" },
	{ "allow tcp dst 99999.1.1.1", "got '99999.1.1.1'" },
	{ "allow 1234567890123456789012345678901234567890123456789", "got '1234567890123456789012345678901234567890...'" },
};

TEST(rule_refuses_bad_ones_and_says_why)
{
	for (size_t i = 0; i < sizeof(bad_rules) / sizeof(bad_rules[0]); i++) {
		struct fw_rule r, before;
		char err[FW_ERR_MAX];
		memset(&r, 0x5a, sizeof(r));
		before = r;
		int ret = fw_rule_parse(bad_rules[i].text, &r, err, sizeof(err));
		if (ret != -UV_EINVAL || !strstr(err, bad_rules[i].msg)) {
			printf("rule '%s': got %d '%s', want '%s'\n", bad_rules[i].text, ret, err, bad_rules[i].msg);
			CHECK(0);
		}
		CHECK(memcmp(&r, &before, sizeof(r)) == 0); /* untouched on error */
	}
}

TEST(rule_refuses_overlong_text_and_small_error_buffers)
{
	static char text[FW_RULE_TEXT_MAX + 2];
	struct fw_rule r;
	char err[FW_ERR_MAX], tiny[8];

	memset(text, ' ', sizeof(text) - 1);
	memcpy(text, "allow", 5);
	CHECK_EQ(fw_rule_parse(text, &r, err, sizeof(err)), -UV_EINVAL);
	CHECK(strstr(err, "at most 512 characters"));
	text[FW_RULE_TEXT_MAX] = 0; /* exactly the limit: fine */
	CHECK_EQ(fw_rule_parse(text, &r, err, sizeof(err)), 0);
	CHECK_EQ(fw_rule_parse(NULL, &r, err, sizeof(err)), -UV_EINVAL);
	/* The message is cut to the buffer, always terminated; no buffer at all is fine too. */
	memset(tiny, 'x', sizeof(tiny));
	CHECK_EQ(fw_rule_parse("allow tcp from", &r, tiny, sizeof(tiny)), -UV_EINVAL);
	CHECK_EQ(strlen(tiny), sizeof(tiny) - 1);
	CHECK_EQ(fw_rule_parse("allow tcp from", &r, NULL, 0), -UV_EINVAL);
}

TEST(rule_format_is_canonical_and_parses_back)
{
	static const char *const texts[][2] = {
		{ "allow tcp dst 10.0.2.0/24 port 80", "allow tcp src any dst 10.0.2.0/24 port 80" },
		{ "deny udp src 192.168.0.0/16", "deny udp src 192.168.0.0/16 dst any" },
		{ "allow icmp", "allow icmp src any dst any" },
		{ "allow in tcp port 8080-8090", "allow in tcp src any dst any port 8080-8090" },
		{ "deny out udp src 1.2.3.4 port 5 dst any port 6", "deny out udp src 1.2.3.4/32 port 5 dst any port 6" },
		{ "allow", "allow any src any dst any" },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct fw_rule a, b;
		char buf[FW_LINE_MAX];
		CHECK_EQ(parse_ok(texts[i][0], &a), 0);
		CHECK_EQ(fw_rule_format(&a, buf, sizeof(buf)), (long long)strlen(texts[i][1]));
		CHECK_STR(buf, texts[i][1]);
		CHECK_EQ(parse_ok(buf, &b), 0);
		CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	}
	/* A short buffer: cut, terminated, and the needed length returned. */
	struct fw_rule r;
	char small[10];
	CHECK_EQ(parse_ok("deny udp src 192.168.0.0/16", &r), 0);
	CHECK_EQ(fw_rule_format(&r, small, sizeof(small)), (long long)strlen("deny udp src 192.168.0.0/16 dst any"));
	CHECK_STR(small, "deny udp ");
}

/* ---- rules: matching ---- */

static struct fw_pkt pkt(uint8_t proto, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport)
{
	return (struct fw_pkt){ .l3 = FW_L3_IPV4, .proto = proto, .src = src, .dst = dst, .sport = sport, .dport = dport };
}

TEST(match_prefixes_of_every_length)
{
	for (unsigned len = 0; len <= 32; len++) {
		struct fw_rule r;
		char text[64];
		uint32_t mask = len ? ~0u << (32 - len) : 0, net = IP(172, 16, 99, 128) & mask;
		uint32_t first = net, last = net | ~mask;
		snprintf(text, sizeof(text), "allow dst %u.%u.%u.%u/%u", net >> 24, net >> 16 & 255, net >> 8 & 255,
			 net & 255, len);
		CHECK_EQ(parse_ok(text, &r), 0);
		struct fw_pkt p = pkt(FW_PROTO_UDP, other, 1, first, 2);
		CHECK(fw_rule_match(&r, OUT, &p));
		p.dst = last;
		CHECK(fw_rule_match(&r, IN, &p));
		if (first != 0) {
			p.dst = first - 1;
			CHECK(!fw_rule_match(&r, OUT, &p));
		}
		if (last != 0xffffffffu) {
			p.dst = last + 1;
			CHECK(!fw_rule_match(&r, OUT, &p));
		}
		p.dst = net ^ (len ? 1u << (32 - len) : 0); /* the last network bit flipped */
		CHECK_EQ(fw_rule_match(&r, OUT, &p), len == 0);
	}
}

TEST(match_port_ranges_protocols_and_directions)
{
	struct fw_rule r;
	struct fw_pkt p = pkt(FW_PROTO_TCP, other, 40000, inside, 1000);

	CHECK_EQ(parse_ok("allow in tcp src port 30000-40000 dst port 1000-2000", &r), 0);
	CHECK(fw_rule_match(&r, IN, &p));
	CHECK(!fw_rule_match(&r, OUT, &p));
	p.dport = 999;
	CHECK(!fw_rule_match(&r, IN, &p));
	p.dport = 2000;
	CHECK(fw_rule_match(&r, IN, &p));
	p.dport = 2001;
	CHECK(!fw_rule_match(&r, IN, &p));
	p.dport = 1500;
	p.sport = 29999;
	CHECK(!fw_rule_match(&r, IN, &p));
	p.sport = 30000;
	CHECK(fw_rule_match(&r, IN, &p));
	p.sport = 40001;
	CHECK(!fw_rule_match(&r, IN, &p));
	p.sport = 35000;
	p.proto = FW_PROTO_UDP;
	CHECK(!fw_rule_match(&r, IN, &p));

	CHECK_EQ(parse_ok("deny any", &r), 0); /* any protocol, even one without ports */
	p.proto = 47;
	CHECK(fw_rule_match(&r, IN, &p));
	CHECK(fw_rule_match(&r, OUT, &p));
	CHECK_EQ(parse_ok("deny icmp", &r), 0);
	CHECK(!fw_rule_match(&r, OUT, &p));
	p.proto = FW_PROTO_ICMP;
	p.sport = 77; /* an echo identifier is not a port to an icmp rule */
	CHECK(fw_rule_match(&r, OUT, &p));
	CHECK_EQ(parse_ok("allow udp port 53", &r), 0);
	p = pkt(FW_PROTO_UDP, inside, 5353, server, 53);
	CHECK(fw_rule_match(&r, OUT, &p));
	CHECK(fw_rule_match(&r, IN, &p));
	p.dport = 54;
	CHECK(!fw_rule_match(&r, OUT, &p));
}

TEST(match_first_rule_wins)
{
	struct fw_rule rs[3];
	struct fw_pkt p80 = pkt(FW_PROTO_TCP, other, 5000, inside, 80), p81 = p80;

	p81.dport = 81;
	CHECK_EQ(parse_ok("deny tcp port 80", &rs[0]), 0);
	CHECK_EQ(parse_ok("allow tcp", &rs[1]), 0);
	CHECK_EQ(parse_ok("deny any", &rs[2]), 0);
	CHECK_EQ(fw_rules_first(rs, 3, IN, &p80), 0);
	CHECK_EQ(fw_rules_first(rs, 3, IN, &p81), 1);
	CHECK_EQ(fw_rules_first(rs + 1, 2, IN, &p80), 0);
	struct fw_pkt u = pkt(FW_PROTO_UDP, other, 5000, inside, 80);
	CHECK_EQ(fw_rules_first(rs, 3, IN, &u), 2);
	CHECK_EQ(fw_rules_first(rs, 2, IN, &u), -1);
	CHECK_EQ(fw_rules_first(rs, 0, IN, &p80), -1);
}

/* ---- options ---- */

static int opts(struct fw_options *o, char *err, size_t errlen, int argc, ...)
{
	char *argv[80];
	va_list ap;

	va_start(ap, argc);
	argv[0] = "fw";
	for (int i = 1; i < argc && i < 80; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	return fw_options_parse(argc, argv, o, err, errlen);
}

TEST(options_good)
{
	static struct fw_options o;
	char err[FW_OPT_ERR_MAX];

	CHECK_EQ(opts(&o, err, sizeof(err), 1), 0);
	CHECK_EQ(o.n_rules, 0);
	CHECK_EQ(o.report_s, FW_REPORT_DEFAULT_S);
	CHECK_EQ(o.exit_after_s, 0);
	CHECK_EQ(o.log_drops, 0);
	CHECK_EQ(opts(&o, err, sizeof(err), 9, "--report", "5", "allow in tcp port 8080", "--exit-after", "60",
		      "deny out udp", "--log", "10"), 0);
	CHECK_EQ(o.report_s, 5);
	CHECK_EQ(o.exit_after_s, 60);
	CHECK_EQ(o.log_drops, 10);
	CHECK_EQ(o.n_rules, 2);
	CHECK_EQ(o.rules[0].allow, 1);
	CHECK_EQ(o.rules[0].dport.lo, 8080);
	CHECK_EQ(o.rules[1].allow, 0);
	CHECK_EQ(opts(&o, err, sizeof(err), 3, "--report", "0"), 0);
	CHECK_EQ(o.report_s, 0);
	CHECK_EQ(opts(&o, err, sizeof(err), 3, "--report", "86400"), 0);
}

TEST(options_bad_name_the_argument)
{
	static struct fw_options o;
	static const struct { int argc; const char *a1, *a2, *a3, *msg; } bad[] = {
		{ 2, "--reprot", 0, 0, "argument 1 ('--reprot'): unknown option (known: --report --exit-after --log)" },
		{ 2, "--report", 0, 0, "argument 1 ('--report'): needs a number after it" },
		{ 3, "--report", "x", 0, "argument 2 ('x'): expected a whole number 0..86400" },
		{ 3, "--report", "86401", 0, "argument 2 ('86401'): expected a whole number 0..86400" },
		{ 3, "--report", "-1", 0, "argument 2 ('-1'): expected a whole number" },
		{ 3, "--report", "", 0, "argument 2 (''): expected a whole number" },
		{ 3, "--log", "5s", 0, "argument 2 ('5s'): expected a whole number 0..100000" },
		{ 3, "--exit-after", "99999999999", 0, "argument 2 ('99999999999'): expected a whole number" },
		{ 4, "allow icmp", "--log", "1x", "argument 3 ('1x')" },
		{ 4, "allow icmp", "deny udp", "allow tcp dst 10.0.2.0/33",
		  "argument 3 ('allow tcp dst 10.0.2.0/33'): expected a prefix length 0..32 after '/', got '10.0.2.0/33'" },
		{ 2, "-", 0, 0, "argument 1 ('-'): unknown option" },
		{ 2, "allow tcp from 0123456789012345678901234567890123456789012345678901234567890123456789",
		  0, 0, "argument 1 ('allow tcp from 012345678901234567890123456789012345678901234...'): expected in" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[FW_OPT_ERR_MAX];
		int r = opts(&o, err, sizeof(err), bad[i].argc, bad[i].a1, bad[i].a2, bad[i].a3);
		if (r != -UV_EINVAL || !strstr(err, bad[i].msg)) {
			printf("case %zu: got %d '%s', want '%s'\n", i, r, err, bad[i].msg);
			CHECK(0);
		}
	}
}

TEST(options_at_most_64_rules)
{
	static struct fw_options o;
	char *argv[FW_RULES_MAX + 2];
	char err[FW_OPT_ERR_MAX];

	argv[0] = "fw";
	for (int i = 1; i <= FW_RULES_MAX + 1; i++)
		argv[i] = "deny udp";
	CHECK_EQ(fw_options_parse(FW_RULES_MAX + 1, argv, &o, err, sizeof(err)), 0);
	CHECK_EQ(o.n_rules, FW_RULES_MAX);
	CHECK_EQ(fw_options_parse(FW_RULES_MAX + 2, argv, &o, err, sizeof(err)), -UV_EINVAL);
	CHECK_STR(err, "argument 65 ('deny udp'): more than 64 rules");
}

/* ---- frames: well formed ---- */

TEST(parse_tcp_udp_icmp_arp)
{
	struct fw_pkt p;
	struct spec s = tcp(inside, 40000, server, 443, FW_TCP_SYN);

	CHECK_EQ(parse_spec(&s, &p), FW_R_OK);
	CHECK_EQ(p.l3, FW_L3_IPV4);
	CHECK_EQ(p.proto, FW_PROTO_TCP);
	CHECK_EQ(p.src, inside);
	CHECK_EQ(p.dst, server);
	CHECK_EQ(p.sport, 40000);
	CHECK_EQ(p.dport, 443);
	CHECK_EQ(p.tcp_flags, FW_TCP_SYN);
	CHECK_EQ(p.trackable, 1);
	CHECK_EQ(p.tagged, 0);

	s = udp(inside, 5353, server, 53);
	s.payload = 100;
	CHECK_EQ(parse_spec(&s, &p), FW_R_OK);
	CHECK_EQ(p.proto, FW_PROTO_UDP);
	CHECK_EQ(p.dport, 53);
	CHECK_EQ(p.trackable, 1);

	s = icmp(inside, server, FW_ICMP_ECHO_REQUEST, 0x4242);
	CHECK_EQ(parse_spec(&s, &p), FW_R_OK);
	CHECK_EQ(p.sport, 0x4242);
	CHECK_EQ(p.dport, 0);
	CHECK_EQ(p.trackable, 1);
	s = icmp(server, inside, FW_ICMP_ECHO_REPLY, 0x4242);
	CHECK_EQ(parse_spec(&s, &p), FW_R_OK);
	CHECK_EQ(p.sport, 0);
	CHECK_EQ(p.dport, 0x4242);
	s = icmp(server, inside, 3, 0x4242); /* destination unreachable: no identifier */
	CHECK_EQ(parse_spec(&s, &p), FW_R_OK);
	CHECK_EQ(p.icmp_type, 3);
	CHECK_EQ(p.sport | p.dport, 0);
	CHECK_EQ(p.trackable, 0);

	s = (struct spec){ .proto = 47, .src = inside, .dst = server, .payload = 4 }; /* GRE: addresses only */
	CHECK_EQ(parse_spec(&s, &p), FW_R_OK);
	CHECK_EQ(p.proto, 47);
	CHECK_EQ(p.trackable, 0);

	s = (struct spec){ .ethertype = FW_ETHERTYPE_ARP };
	CHECK_EQ(parse_spec(&s, &p), FW_R_OK);
	CHECK_EQ(p.l3, FW_L3_ARP);
}

TEST(parse_vlan_options_and_padding)
{
	struct fw_pkt p;
	struct spec s = tcp(inside, 1, server, 2, FW_TCP_ACK);
	static uint8_t f[2048];

	s.vlan = 1;
	CHECK_EQ(parse_spec(&s, &p), FW_R_OK);
	CHECK_EQ(p.tagged, 1);
	CHECK_EQ(p.vlan_tci & 0xfff, 5);
	CHECK_EQ(p.dport, 2);
	s.vlan = 0;
	s.ihl = 15; /* 40 bytes of options: the ports are read after them */
	CHECK_EQ(parse_spec(&s, &p), FW_R_OK);
	CHECK_EQ(p.sport, 1);
	CHECK_EQ(p.dport, 2);
	/* A frame padded past the IPv4 total length (as every short one is) is fine. */
	s = udp(inside, 1, server, 2);
	size_t len = build(f, &s);
	CHECK_EQ(len, FW_FRAME_MIN);
	CHECK_EQ(parse_exact(f, len + 100, &p), FW_R_OK);
	/* Unpadded short frames parse too: the firewall pads what it forwards. */
	CHECK_EQ(parse_exact(f, FW_ETH_HLEN + 28, &p), FW_R_OK);
}

TEST(parse_frame_size_limits)
{
	struct fw_pkt p;
	static uint8_t f[2048];
	struct spec s = udp(inside, 1, server, 2);

	s.payload = FW_FRAME_MAX - 14 - 28;
	CHECK_EQ(build(f, &s), FW_FRAME_MAX);
	CHECK_EQ(parse_exact(f, FW_FRAME_MAX, &p), FW_R_OK);
	s.payload++;
	CHECK_EQ(parse_exact(f, build(f, &s), &p), FW_R_OVERSIZE);
	s.vlan = 1; /* the same packet tagged: 1518 bytes */
	s.payload = FW_FRAME_MAX - 14 - 28;
	CHECK_EQ(build(f, &s), FW_FRAME_MAX_VLAN);
	CHECK_EQ(parse_exact(f, FW_FRAME_MAX_VLAN, &p), FW_R_OK);
	s.payload++;
	CHECK_EQ(parse_exact(f, build(f, &s), &p), FW_R_OVERSIZE);
	CHECK_EQ(parse_exact(f, 2048, &p), FW_R_OVERSIZE);
}

TEST(parse_other_ethertypes)
{
	struct fw_pkt p;
	static uint8_t f[2048];
	struct spec s = { .ethertype = FW_ETHERTYPE_IPV6 };

	CHECK_EQ(parse_spec(&s, &p), FW_R_IPV6);
	s.vlan = 1;
	CHECK_EQ(parse_spec(&s, &p), FW_R_IPV6);
	s = (struct spec){ .ethertype = 0x88a8 }; /* a service tag */
	CHECK_EQ(parse_spec(&s, &p), FW_R_ETHERTYPE);
	s = (struct spec){ .ethertype = FW_ETHERTYPE_VLAN, .vlan = 1 }; /* two C-tags */
	CHECK_EQ(parse_spec(&s, &p), FW_R_ETHERTYPE);
	s = (struct spec){ .ethertype = 0x0026 }; /* an 802.3 length: LLC (STP BPDU) */
	CHECK_EQ(parse_spec(&s, &p), FW_R_ETHERTYPE);
	s = (struct spec){ .ethertype = 0x88cc }; /* LLDP */
	CHECK_EQ(parse_spec(&s, &p), FW_R_ETHERTYPE);
	s = (struct spec){ .ethertype = FW_ETHERTYPE_ARP, .vlan = 1 };
	CHECK_EQ(parse_exact(f, build(f, &s), &p), FW_R_OK);
	CHECK_EQ(p.l3, FW_L3_ARP);
	CHECK_EQ(p.tagged, 1);
}

/* ---- frames: malformed ---- */

TEST(parse_truncated_at_every_byte)
{
	static uint8_t f[2048];
	static const struct spec specs[] = {
		{ .proto = FW_PROTO_TCP, .src = 1, .dst = 2, .sport = 3, .dport = 4, .payload = 10 },
		{ .proto = FW_PROTO_UDP, .src = 1, .dst = 2, .sport = 3, .dport = 4, .vlan = 1 },
		{ .proto = FW_PROTO_ICMP, .src = 1, .dst = 2, .icmp_type = 8, .ihl = 7 },
	};
	for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
		const struct spec *s = &specs[k];
		size_t full = build(f, s), l3 = l3_offset(s), hlen = (size_t)(s->ihl ? s->ihl : 5) * 4;
		size_t total = (size_t)(f[l3 + 2] << 8 | f[l3 + 3]);
		for (size_t len = 0; len <= full; len++) {
			struct fw_pkt p;
			enum fw_reason want;
			if (len < FW_ETH_HLEN)
				want = FW_R_RUNT;
			else if (s->vlan && len < FW_ETH_HLEN + FW_VLAN_HLEN)
				want = FW_R_VLAN_TRUNC;
			else if (len < l3 + hlen)
				want = FW_R_IP_TRUNC;
			else if (len < l3 + total)
				want = FW_R_IP_LENGTH;
			else
				want = FW_R_OK;
			enum fw_reason got = parse_exact(f, len, &p);
			if (got != want) {
				printf("spec %zu len %zu: got %s, want %s\n", k, len, fw_reason_name(got), fw_reason_name(want));
				CHECK(0);
			}
		}
	}
}

/* Cuts the IPv4 packet of s to keep only l4 bytes of its TCP/UDP/ICMP header (total length, checksum fixed). */
static enum fw_reason parse_cut_l4(struct spec s, size_t l4)
{
	static uint8_t f[2048];
	struct fw_pkt p;
	size_t len = build(f, &s), l3 = l3_offset(&s);

	put16(f + l3 + 2, (unsigned)(20 + l4));
	fix_csum(f, &s);
	return parse_exact(f, len, &p);
}

TEST(parse_l4_headers_cut_by_the_total_length)
{
	for (size_t l4 = 0; l4 < 20; l4++)
		CHECK_EQ(parse_cut_l4(tcp(1, 2, 3, 4, 0), l4), FW_R_L4_TRUNC);
	CHECK_EQ(parse_cut_l4(tcp(1, 2, 3, 4, 0), 20), FW_R_OK);
	for (size_t l4 = 0; l4 < 8; l4++) {
		CHECK_EQ(parse_cut_l4(udp(1, 2, 3, 4), l4), FW_R_L4_TRUNC);
		CHECK_EQ(parse_cut_l4(icmp(1, 2, 8, 4), l4), FW_R_L4_TRUNC);
	}
	CHECK_EQ(parse_cut_l4(icmp(1, 2, 8, 4), 8), FW_R_OK);
	/* The UDP length says 8, the packet has 8: fine; the packet shorter than it says: bad. */
	CHECK_EQ(parse_cut_l4(udp(1, 2, 3, 4), 8), FW_R_OK);
	struct spec s = udp(1, 2, 3, 4);
	s.payload = 4;
	CHECK_EQ(parse_cut_l4(s, 11), FW_R_UDP_LENGTH);
	CHECK_EQ(parse_cut_l4(s, 12), FW_R_OK);
	CHECK_EQ(parse_cut_l4(s, 13), FW_R_OK); /* a longer IP packet than UDP says: trailing bytes */
}

/* Builds s, lets edit change it (checksum fixed after unless keep_csum) and parses. */
static enum fw_reason parse_edited(struct spec s, size_t at, uint8_t value, int keep_csum)
{
	static uint8_t f[2048];
	struct fw_pkt p;
	size_t len = build(f, &s);

	f[l3_offset(&s) + at] = value;
	if (!keep_csum)
		fix_csum(f, &s);
	return parse_exact(f, len, &p);
}

TEST(parse_bad_ipv4_headers)
{
	struct spec t = tcp(1, 2, 3, 4, FW_TCP_SYN);

	for (unsigned ihl = 0; ihl < 5; ihl++)
		CHECK_EQ(parse_edited(t, 0, (uint8_t)(0x40 | ihl), 1), FW_R_IP_IHL);
	CHECK_EQ(parse_edited(t, 0, 0x4f, 1), FW_R_IP_TRUNC);  /* 60 bytes of header in a 60-byte frame */
	for (unsigned v = 0; v < 16; v++)
		if (v != 4)
			CHECK_EQ(parse_edited(t, 0, (uint8_t)(v << 4 | 5), 0), FW_R_IP_VERSION);
	CHECK_EQ(parse_edited(t, 3, 19, 0), FW_R_IP_LENGTH);   /* total length below the header's */
	CHECK_EQ(parse_edited(t, 3, 0, 0), FW_R_IP_LENGTH);
	CHECK_EQ(parse_edited(t, 2, 0xff, 0), FW_R_IP_LENGTH); /* far past the frame */
	CHECK_EQ(parse_edited(t, 3, 46, 0), FW_R_OK);          /* up to the frame's end (its padding) */
	CHECK_EQ(parse_edited(t, 3, 47, 0), FW_R_IP_LENGTH);   /* one byte past it */
	CHECK_EQ(parse_edited(t, 3, 46, 1), FW_R_IP_CHECKSUM);
	CHECK_EQ(parse_edited(t, 8, 1, 1), FW_R_IP_CHECKSUM);  /* TTL changed, checksum not */
	CHECK_EQ(parse_edited(t, 12, 99, 1), FW_R_IP_CHECKSUM);
	/* Fragments: more-fragments set, or an offset; DF alone is fine. */
	CHECK_EQ(parse_edited(t, 6, 0x20, 0), FW_R_FRAGMENT);
	CHECK_EQ(parse_edited(t, 7, 0x01, 0), FW_R_FRAGMENT);
	CHECK_EQ(parse_edited(t, 6, 0x1f, 0), FW_R_FRAGMENT);
	CHECK_EQ(parse_edited(t, 6, 0x40, 0), FW_R_OK);
	CHECK_EQ(parse_edited(t, 6, 0x80, 0), FW_R_OK); /* the reserved bit: not a fragment */
}

TEST(parse_bad_tcp_offsets_and_udp_lengths)
{
	struct spec t = tcp(1, 2, 3, 4, 0);

	for (unsigned doff = 0; doff < 5; doff++)
		CHECK_EQ(parse_edited(t, 20 + 12, (uint8_t)(doff << 4), 0), FW_R_TCP_OFFSET);
	CHECK_EQ(parse_edited(t, 20 + 12, 6 << 4, 0), FW_R_TCP_OFFSET); /* 24 bytes in a 20-byte segment */
	t.payload = 4;
	CHECK_EQ(parse_edited(t, 20 + 12, 6 << 4, 0), FW_R_OK);
	CHECK_EQ(parse_edited(t, 20 + 12, 7 << 4, 0), FW_R_TCP_OFFSET);
	struct spec u = udp(1, 2, 3, 4);
	for (unsigned ulen = 0; ulen < 8; ulen++)
		CHECK_EQ(parse_edited(u, 20 + 5, (uint8_t)ulen, 0), FW_R_UDP_LENGTH);
	CHECK_EQ(parse_edited(u, 20 + 5, 9, 0), FW_R_UDP_LENGTH);
	CHECK_EQ(parse_edited(u, 20 + 4, 0xff, 0), FW_R_UDP_LENGTH);
}

TEST(parse_survives_random_frames)
{
	static uint8_t f[2048];
	static const struct spec seeds[] = {
		{ .proto = FW_PROTO_TCP, .payload = 30 }, { .proto = FW_PROTO_UDP, .vlan = 1, .payload = 9 },
		{ .proto = FW_PROTO_ICMP, .ihl = 6 }, { .ethertype = FW_ETHERTYPE_ARP },
	};
	uint32_t x = 12345;
	unsigned seen[FW_R_COUNT] = { 0 };

	CHECK_EQ(setup(NULL), 0);
	for (int i = 0; i < 40000; i++) {
		const struct spec *s = &seeds[i % 4];
		size_t len = build(f, s);
		/* Flip a few bytes in the headers, then cut or extend the frame. */
		for (int k = 0; k < 1 + i % 4; k++) {
			x = x * 1103515245u + 12345u;
			f[(x >> 8) % 80] ^= (uint8_t)(x >> 20);
		}
		x = x * 1103515245u + 12345u;
		if (x % 3 == 0)
			len = (x >> 4) % (len + 1);
		else if (x % 3 == 1)
			len = (x >> 4) % 1600;
		struct fw_pkt p;
		enum fw_reason r = parse_exact(f, len, &p);
		CHECK(r == FW_R_OK || r >= FW_R_FIRST_DROP);
		CHECK(r < FW_R_COUNT);
		seen[r]++;
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, f, len);
		r = fw_filter(&fw, (enum fw_dir)(i & 1), copy, len, (uint64_t)i * 1000000);
		free(copy);
		CHECK(r > FW_R_OK && r < FW_R_COUNT);
	}
	/* The mutations reached the checks, not just the first one. */
	CHECK(seen[FW_R_OK] && seen[FW_R_RUNT] && seen[FW_R_IP_CHECKSUM] && seen[FW_R_IP_LENGTH] &&
	      seen[FW_R_OVERSIZE] && seen[FW_R_ETHERTYPE]);
	CHECK_EQ(fw_stats_total(&fw.dir[OUT], 1) + fw_stats_total(&fw.dir[OUT], 0) +
		 fw_stats_total(&fw.dir[IN], 1) + fw_stats_total(&fw.dir[IN], 0), 40000);
}

TEST(checksum_rfc1071)
{
	static const uint8_t hdr[] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
				       0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
	uint8_t z[3] = { 0x01, 0x02, 0x03 };

	CHECK_EQ(fw_inet_checksum(hdr, sizeof(hdr)), 0); /* a captured header, intact */
	CHECK_EQ(fw_inet_checksum(z, 3), (uint16_t)~(0x0102 + 0x0300));
	CHECK_EQ(fw_inet_checksum(z, 0), 0xffff);
}

/* ---- verdicts and connection tracking ---- */

TEST(malformed_frames_are_dropped_and_counted)
{
	static uint8_t f[64];

	CHECK_EQ(setup((const char *const[]){ "allow any", NULL }), 0);
	for (size_t len = 0; len < FW_ETH_HLEN; len++)
		CHECK_EQ(fw_filter(&fw, IN, f, len, 0), FW_R_RUNT);
	CHECK_EQ(fw.dir[IN].reason[FW_R_RUNT], FW_ETH_HLEN);
	struct spec s = tcp(other, 1, inside, 2, FW_TCP_SYN);
	s.frag = 0x2000;
	CHECK_EQ(verdict(IN, s, 0), FW_R_FRAGMENT);
	CHECK_EQ(verdict(OUT, s, 0), FW_R_FRAGMENT);
	CHECK_EQ(verdict(OUT, (struct spec){ .ethertype = FW_ETHERTYPE_IPV6 }, 0), FW_R_IPV6);
	CHECK_EQ(fw.dir[OUT].reason[FW_R_FRAGMENT], 1);
	CHECK_EQ(fw.dir[OUT].reason[FW_R_IPV6], 1);
	CHECK_EQ(fw_stats_total(&fw.dir[IN], 0), FW_ETH_HLEN + 1);
	CHECK_EQ(fw_stats_total(&fw.dir[IN], 1), 0);
	CHECK_EQ(fw.ct.stats.created, 0);
	CHECK_EQ(fw_filter(&fw, (enum fw_dir)2, f, 60, 0), FW_R_DENY_DEFAULT); /* not a direction */
}

TEST(arp_passes_both_ways_ipv4_defaults)
{
	CHECK_EQ(setup(NULL), 0);
	CHECK_EQ(verdict(OUT, (struct spec){ .ethertype = FW_ETHERTYPE_ARP }, 0), FW_R_PASS_ARP);
	CHECK_EQ(verdict(IN, (struct spec){ .ethertype = FW_ETHERTYPE_ARP }, 0), FW_R_PASS_ARP);
	CHECK_EQ(verdict(OUT, (struct spec){ .proto = 47, .src = inside, .dst = server }, 0), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, (struct spec){ .proto = 47, .src = server, .dst = inside }, 0), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, icmp(server, inside, FW_ICMP_ECHO_REQUEST, 1), 0), FW_R_DENY_DEFAULT);
	CHECK_EQ(fw.ct.stats.created, 0); /* other protocols make no entry */
}

TEST(conntrack_outbound_creates_return_passes)
{
	CHECK_EQ(setup(NULL), 0);
	/* TCP */
	CHECK_EQ(verdict(OUT, tcp(inside, 40000, server, 80, FW_TCP_SYN), S(1)), FW_R_PASS_DEFAULT);
	CHECK_EQ(fw.ct.stats.created, 1);
	CHECK_EQ(fw.ct.live, 1);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 40000, FW_TCP_SYN | FW_TCP_ACK), S(1)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(OUT, tcp(inside, 40000, server, 80, FW_TCP_ACK), S(1)), FW_R_PASS_STATE);
	CHECK_EQ(fw.ct.stats.created, 1);
	/* UDP */
	CHECK_EQ(verdict(OUT, udp(inside, 5353, server, 53), S(2)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, udp(server, 53, inside, 5353), S(2)), FW_R_PASS_STATE);
	/* ICMP echo: the reply with the same identifier passes, nothing else does */
	CHECK_EQ(verdict(OUT, icmp(inside, server, FW_ICMP_ECHO_REQUEST, 77), S(3)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, icmp(server, inside, FW_ICMP_ECHO_REPLY, 77), S(3)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, icmp(server, inside, FW_ICMP_ECHO_REPLY, 78), S(3)), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, icmp(server, inside, FW_ICMP_ECHO_REQUEST, 77), S(3)), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, icmp(server, inside, 3, 77), S(3)), FW_R_DENY_DEFAULT);
	CHECK_EQ(fw.ct.stats.created, 3);
	CHECK_EQ(fw.ct.live, 3);
	/* An outbound echo reply (to a ping from outside) makes no entry. */
	CHECK_EQ(verdict(OUT, icmp(inside, server, FW_ICMP_ECHO_REPLY, 9), S(3)), FW_R_PASS_DEFAULT);
	CHECK_EQ(fw.ct.stats.created, 3);
}

TEST(conntrack_unrelated_inbound_is_denied)
{
	CHECK_EQ(setup(NULL), 0);
	CHECK_EQ(verdict(OUT, tcp(inside, 40000, server, 80, FW_TCP_SYN), 0), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(OUT, udp(inside, 5353, server, 53), 0), FW_R_PASS_DEFAULT);
	/* Another port, another host, another protocol, or the inside's own tuple replayed
	 * from outside (a spoofed source): none is the reversed tuple arriving inbound. */
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 40001, FW_TCP_ACK), 0), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(server, 81, inside, 40000, FW_TCP_ACK), 0), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(other, 80, inside, 40000, FW_TCP_ACK), 0), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, udp(server, 80, inside, 40000), 0), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(inside, 40000, server, 80, FW_TCP_ACK), 0), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, udp(inside, 5353, server, 53), 0), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, udp(server, 53, inside, 5353), 0), FW_R_PASS_STATE);
	CHECK_EQ(fw.dir[IN].reason[FW_R_DENY_DEFAULT], 6);
	CHECK_EQ(fw.ct.stats.created, 2);
}

TEST(rules_decide_new_flows_state_first)
{
	CHECK_EQ(setup((const char *const[]){ "deny out tcp dst port 25", "allow in tcp dst 10.0.2.15 port 8080",
					      "deny out tcp", NULL }), 0);
	CHECK_EQ(verdict(OUT, tcp(inside, 40000, server, 25, FW_TCP_SYN), 0), FW_R_DENY_RULE);
	CHECK_EQ(fw.ct.stats.created, 0); /* denied: no entry */
	CHECK_EQ(verdict(OUT, tcp(inside, 40000, server, 80, FW_TCP_SYN), 0), FW_R_DENY_RULE);
	CHECK_EQ(verdict(OUT, udp(inside, 40000, server, 80), 0), FW_R_PASS_DEFAULT);
	/* Inbound to the server is allowed by rule 2 and tracked, so its answers pass although
	 * rule 3 denies outbound TCP. */
	CHECK_EQ(verdict(IN, tcp(other, 5555, inside, 8080, FW_TCP_SYN), 0), FW_R_PASS_RULE);
	CHECK_EQ(verdict(OUT, tcp(inside, 8080, other, 5555, FW_TCP_SYN | FW_TCP_ACK), 0), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, tcp(other, 5555, inside, 8080, FW_TCP_ACK), 0), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, tcp(other, 5555, inside, 8081, FW_TCP_SYN), 0), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(other, 5555, IP(10, 0, 2, 16), 8080, FW_TCP_SYN), 0), FW_R_DENY_DEFAULT);
	CHECK_EQ(fw.dir[IN].reason[FW_R_PASS_RULE], 1);
	CHECK_EQ(fw.dir[IN].reason[FW_R_PASS_STATE], 1);
	CHECK_EQ(fw.dir[OUT].reason[FW_R_DENY_RULE], 2);
}

TEST(conntrack_ages_entries)
{
	CHECK_EQ(setup(NULL), 0);
	/* UDP unanswered: 30 s. */
	CHECK_EQ(verdict(OUT, udp(inside, 1000, server, 53), S(100)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, udp(server, 53, inside, 1000), S(100) + FW_CT_UDP_NS), FW_R_DENY_DEFAULT);
	CHECK_EQ(fw.ct.stats.expired, 1);
	CHECK_EQ(fw.ct.live, 0);
	/* UDP answered: 120 s from the last packet, refreshed by each. */
	CHECK_EQ(verdict(OUT, udp(inside, 1001, server, 53), S(200)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, udp(server, 53, inside, 1001), S(229)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, udp(server, 53, inside, 1001), S(229) + FW_CT_UDP_REPLIED_NS - 1), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, udp(server, 53, inside, 1001), S(229) + 2 * FW_CT_UDP_REPLIED_NS), FW_R_DENY_DEFAULT);
	/* TCP: a SYN nobody answers lives 30 s, an open connection an hour. */
	CHECK_EQ(verdict(OUT, tcp(inside, 2000, server, 80, FW_TCP_SYN), S(1000)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 2000, FW_TCP_SYN | FW_TCP_ACK), S(1000) + FW_CT_TCP_OPENING_NS),
		 FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(OUT, tcp(inside, 2001, server, 80, FW_TCP_SYN), S(2000)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 2001, FW_TCP_SYN | FW_TCP_ACK), S(2001)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 2001, FW_TCP_ACK), S(2001) + FW_CT_TCP_OPEN_NS - 1), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 2001, FW_TCP_ACK), S(2001) + 3 * FW_CT_TCP_OPEN_NS), FW_R_DENY_DEFAULT);
	CHECK_EQ(fw.ct.stats.expired, 4);
	/* The sweep frees what has run out without a packet to meet it. */
	CHECK_EQ(verdict(OUT, icmp(inside, server, FW_ICMP_ECHO_REQUEST, 5), S(5000)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(OUT, udp(inside, 3000, server, 53), S(5000)), FW_R_PASS_DEFAULT);
	CHECK_EQ(fw.ct.live, 2);
	fw_ct_sweep(&fw.ct, S(5000) + FW_CT_ICMP_NS - 1);
	CHECK_EQ(fw.ct.live, 2);
	fw_ct_sweep(&fw.ct, S(5000) + FW_CT_ICMP_NS);
	CHECK_EQ(fw.ct.live, 0);
	CHECK_EQ(fw.ct.stats.expired, 6);
}

TEST(conntrack_tcp_close_and_reset)
{
	CHECK_EQ(setup(NULL), 0);
	/* A full close: FIN both ways, the last ACK passes, then the entry is gone after 10 s. */
	CHECK_EQ(verdict(OUT, tcp(inside, 3000, server, 80, FW_TCP_SYN), S(1)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 3000, FW_TCP_SYN | FW_TCP_ACK), S(1)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(OUT, tcp(inside, 3000, server, 80, FW_TCP_FIN | FW_TCP_ACK), S(2)), FW_R_PASS_STATE);
	/* half closed: 120 s */
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 3000, FW_TCP_ACK), S(2) + FW_CT_TCP_HALF_NS - 1), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 3000, FW_TCP_FIN | FW_TCP_ACK), S(3) + FW_CT_TCP_HALF_NS), FW_R_PASS_STATE);
	uint64_t t = S(3) + FW_CT_TCP_HALF_NS;
	CHECK_EQ(verdict(OUT, tcp(inside, 3000, server, 80, FW_TCP_ACK), t + 1), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 3000, FW_TCP_ACK), t + 1 + FW_CT_TCP_CLOSING_NS), FW_R_DENY_DEFAULT);
	CHECK_EQ(fw.ct.stats.closed, 1);
	CHECK_EQ(fw.ct.stats.expired, 0);
	/* A reset from outside belongs to the connection, and ends it at once. */
	CHECK_EQ(verdict(OUT, tcp(inside, 3001, server, 80, FW_TCP_SYN), S(10)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 3001, FW_TCP_RST | FW_TCP_ACK), S(10)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 3001, FW_TCP_SYN | FW_TCP_ACK), S(10)), FW_R_DENY_DEFAULT);
	CHECK_EQ(fw.ct.stats.closed, 2);
	/* A reset from inside too; an outbound RST of no connection makes no entry. */
	CHECK_EQ(verdict(OUT, tcp(inside, 3002, server, 80, FW_TCP_SYN), S(20)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(OUT, tcp(inside, 3002, server, 80, FW_TCP_RST), S(20)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(OUT, tcp(inside, 3003, server, 80, FW_TCP_RST), S(20)), FW_R_PASS_DEFAULT);
	CHECK_EQ(fw.ct.stats.closed, 3);
	CHECK_EQ(fw.ct.live, 0);
	CHECK_EQ(fw.ct.stats.created, 3);
}

TEST(conntrack_tcp_reuse_and_pickup)
{
	CHECK_EQ(setup(NULL), 0);
	/* The same ports open again while the old connection is closing. */
	CHECK_EQ(verdict(OUT, tcp(inside, 4000, server, 80, FW_TCP_SYN), S(1)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 4000, FW_TCP_SYN | FW_TCP_ACK), S(1)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(OUT, tcp(inside, 4000, server, 80, FW_TCP_FIN), S(1)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 4000, FW_TCP_FIN), S(1)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(OUT, tcp(inside, 4000, server, 80, FW_TCP_SYN), S(2)), FW_R_PASS_STATE);
	/* Now opening again (30 s, not the closing 10 s). */
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 4000, FW_TCP_SYN | FW_TCP_ACK), S(2) + FW_CT_TCP_CLOSING_NS + 1),
		 FW_R_PASS_STATE);
	CHECK_EQ(fw.ct.stats.created, 1);
	/* A connection the firewall never saw open (it restarted) is picked up outbound. */
	CHECK_EQ(verdict(OUT, tcp(inside, 4001, server, 80, FW_TCP_ACK), S(3)), FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 4001, FW_TCP_ACK), S(3) + FW_CT_TCP_OPENING_NS + 1),
		 FW_R_PASS_STATE);
	CHECK_EQ(fw.ct.stats.created, 2);
}

TEST(conntrack_full_table_policy)
{
	/* One bucket of FW_CT_WAYS entries: every flow lands in it. */
	CHECK_EQ(setup_n(1, NULL), 0);
	for (int i = 0; i < FW_CT_WAYS; i++) {
		CHECK_EQ(verdict(OUT, udp(inside, (uint16_t)(1000 + i), server, 53), S(1) + (uint64_t)i), FW_R_PASS_DEFAULT);
		CHECK_EQ(verdict(IN, udp(server, 53, inside, (uint16_t)(1000 + i)), S(1) + (uint64_t)i), FW_R_PASS_STATE);
	}
	CHECK_EQ(fw.ct.live, FW_CT_WAYS);
	/* Full of answered flows: the new one is refused, the old ones keep working. */
	CHECK_EQ(verdict(OUT, udp(inside, 2000, server, 53), S(2)), FW_R_TABLE_FULL);
	CHECK_EQ(verdict(IN, udp(server, 53, inside, 2000), S(2)), FW_R_DENY_DEFAULT);
	CHECK_EQ(fw.ct.stats.refused, 1);
	CHECK_EQ(fw.dir[OUT].reason[FW_R_TABLE_FULL], 1);
	for (int i = 0; i < FW_CT_WAYS; i++)
		CHECK_EQ(verdict(IN, udp(server, 53, inside, (uint16_t)(1000 + i)), S(3)), FW_R_PASS_STATE);
	/* An inbound flow a rule allows is refused the same way. */
	fw_rule_parse("allow in udp dst port 9", &rules[0], NULL, 0);
	fw.n_rules = 1;
	CHECK_EQ(verdict(IN, udp(other, 7, inside, 9), S(3)), FW_R_TABLE_FULL);
	CHECK_EQ(fw.ct.stats.refused, 2);
	/* Once they expire there is room again. */
	CHECK_EQ(verdict(OUT, udp(inside, 2000, server, 53), S(3) + FW_CT_UDP_REPLIED_NS), FW_R_PASS_DEFAULT);
	CHECK_EQ(fw.ct.stats.expired, FW_CT_WAYS);
	CHECK_EQ(fw.ct.live, 1);

	/* Full of unanswered flows: the one nearest its end makes room for the new one. */
	CHECK_EQ(setup_n(1, NULL), 0);
	for (int i = 0; i < FW_CT_WAYS; i++)
		CHECK_EQ(verdict(OUT, tcp(inside, (uint16_t)(1000 + i), server, 80, FW_TCP_SYN), S(10) + (uint64_t)i),
			 FW_R_PASS_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 1000, FW_TCP_SYN | FW_TCP_ACK), S(11)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(OUT, tcp(inside, 3000, server, 80, FW_TCP_SYN), S(12)), FW_R_PASS_DEFAULT);
	CHECK_EQ(fw.ct.stats.evicted, 1);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 1001, FW_TCP_SYN | FW_TCP_ACK), S(12)), FW_R_DENY_DEFAULT);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 1000, FW_TCP_ACK), S(12)), FW_R_PASS_STATE); /* answered: kept */
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 1002, FW_TCP_SYN | FW_TCP_ACK), S(12)), FW_R_PASS_STATE);
	CHECK_EQ(verdict(IN, tcp(server, 80, inside, 3000, FW_TCP_SYN | FW_TCP_ACK), S(12)), FW_R_PASS_STATE);
	CHECK_EQ(fw.ct.live, FW_CT_WAYS);
}

TEST(conntrack_init_checks_its_size)
{
	struct fw_ct ct;

	CHECK_EQ(fw_ct_init(&ct, slots, 0, key), -UV_EINVAL);
	CHECK_EQ(fw_ct_init(&ct, slots, 3, key), -UV_EINVAL);
	CHECK_EQ(fw_ct_init(&ct, NULL, 4, key), -UV_EINVAL);
	/* An unusable table tracks and creates nothing, and never dereferences its slots. */
	struct fw_pkt p = pkt(FW_PROTO_UDP, 1, 2, 3, 4);
	p.trackable = 1;
	CHECK_EQ(fw_ct_track(&ct, OUT, &p, 0), FW_CT_NONE);
	CHECK_EQ(fw_ct_create(&ct, OUT, &p, 0), 1);
	CHECK_EQ(fw_ct_init(&ct, slots, T_BUCKETS, key), 0);
	CHECK_EQ(fw_ct_create(&ct, OUT, &p, 0), 0);
	CHECK_EQ(fw_ct_track(&ct, OUT, &p, 0), FW_CT_ORIG);
}

TEST(conntrack_many_flows_spread_over_buckets)
{
	/* 256 flows in 64 buckets of 8: with a keyed hash none is refused or evicted. */
	CHECK_EQ(setup(NULL), 0);
	for (unsigned i = 0; i < 256; i++)
		CHECK_EQ(verdict(OUT, udp(inside, (uint16_t)(10000 + i), IP(10, 9, i >> 4, i & 15), 53), 0),
			 FW_R_PASS_DEFAULT);
	for (unsigned i = 0; i < 256; i++)
		CHECK_EQ(verdict(IN, udp(IP(10, 9, i >> 4, i & 15), 53, inside, (uint16_t)(10000 + i)), 0),
			 FW_R_PASS_STATE);
	CHECK_EQ(fw.ct.live, 256);
	CHECK_EQ(fw.ct.stats.refused + fw.ct.stats.evicted, 0);
}

/* ---- reports ---- */

TEST(report_lines)
{
	char buf[FW_LINE_MAX];

	CHECK_EQ(setup(NULL), 0);
	fw_report_dir(buf, sizeof(buf), "in", &fw.dir[IN]);
	CHECK_STR(buf, "in: passed 0 dropped 0 rx-errors 0 tx-errors 0");
	verdict(OUT, (struct spec){ .ethertype = FW_ETHERTYPE_ARP }, 0);
	verdict(OUT, tcp(inside, 1, server, 2, FW_TCP_SYN), 0);
	verdict(IN, tcp(server, 2, inside, 1, FW_TCP_SYN | FW_TCP_ACK), 0);
	verdict(IN, tcp(server, 2, inside, 9, FW_TCP_SYN | FW_TCP_ACK), 0);
	verdict(IN, (struct spec){ .ethertype = FW_ETHERTYPE_IPV6 }, 0);
	verdict(IN, (struct spec){ .ethertype = FW_ETHERTYPE_IPV6 }, 0);
	fw.dir[OUT].tx_errors = 3;
	int n = fw_report_dir(buf, sizeof(buf), "out", &fw.dir[OUT]);
	CHECK_STR(buf, "out: passed 2 (arp 1 default 1) dropped 0 rx-errors 0 tx-errors 3");
	CHECK_EQ(n, (long long)strlen(buf));
	fw_report_dir(buf, sizeof(buf), "in", &fw.dir[IN]);
	CHECK_STR(buf, "in: passed 1 (state 1) dropped 3 (ipv6 2 default 1) rx-errors 0 tx-errors 0");
	fw_report_conns(buf, sizeof(buf), &fw.ct);
	CHECK_STR(buf, "conns: open 1 of 512 created 1 closed 0 expired 0 evicted 0 refused 0");
	/* Cut to a short buffer, terminated, the full length returned. */
	char small[12];
	CHECK_EQ(fw_report_dir(small, sizeof(small), "out", &fw.dir[OUT]), n);
	CHECK_STR(small, "out: passed");
}

TEST(report_frames)
{
	static uint8_t f[2048];
	char buf[FW_LINE_MAX];
	struct spec s = tcp(IP(10, 0, 2, 2), 5000, inside, 80, FW_TCP_SYN);

	fw_report_frame(buf, sizeof(buf), f, build(f, &s));
	CHECK_STR(buf, "tcp 10.0.2.2:5000 > 10.0.2.15:80 flags 0x02 (60 bytes)");
	s = icmp(inside, server, 8, 1);
	s.vlan = 1;
	fw_report_frame(buf, sizeof(buf), f, build(f, &s));
	CHECK_STR(buf, "icmp 10.0.2.15 > 93.184.216.34 type 8 vlan 5 (60 bytes)");
	s = udp(inside, 68, IP(255, 255, 255, 255), 67);
	s.payload = 300;
	fw_report_frame(buf, sizeof(buf), f, build(f, &s));
	CHECK_STR(buf, "udp 10.0.2.15:68 > 255.255.255.255:67 (342 bytes)");
	s = (struct spec){ .proto = 47, .src = 1, .dst = 2 };
	fw_report_frame(buf, sizeof(buf), f, build(f, &s));
	CHECK_STR(buf, "proto 47 0.0.0.1 > 0.0.0.2 (60 bytes)");
	s = (struct spec){ .ethertype = FW_ETHERTYPE_IPV6 };
	fw_report_frame(buf, sizeof(buf), f, build(f, &s));
	CHECK_STR(buf, "not ipv4: ipv6 (60 bytes)");
	s = (struct spec){ .ethertype = FW_ETHERTYPE_ARP };
	fw_report_frame(buf, sizeof(buf), f, build(f, &s));
	CHECK_STR(buf, "arp (60 bytes)");
	fw_report_frame(buf, sizeof(buf), f, 10);
	CHECK_STR(buf, "malformed: runt (10 bytes)");
	CHECK_STR(fw_reason_name(FW_R_COUNT), "?");
	CHECK_STR(fw_reason_name(FW_R_IP_LENGTH), "ip-length");
}

/* ---- the bridge loop, on fake vNICs and a fake clock ---- */

#define FAKE_FRAMES 160
#define FAKE_LINES 64
#define FAKE_YIELDS 200 /* a loop that yields more than this is stopped (yield fails) */

/* Frames waiting on each vNIC (each from its arrival time on), what was sent, what was printed. */
static struct fake {
	struct { uint8_t data[FAKE_FRAMES][128]; size_t len[FAKE_FRAMES]; long err[FAKE_FRAMES];
		 uint64_t at[FAKE_FRAMES]; unsigned head, n; } rx[2];
	struct { uint8_t data[64]; size_t len; uint64_t nic; } sent[FAKE_FRAMES];
	unsigned n_sent;
	long write_ret;
	uint64_t now;
	uint64_t deadlines[FAKE_YIELDS];
	unsigned n_yields;
	char lines[FAKE_LINES][FW_LINE_MAX];
	unsigned n_lines;
} fk;
static struct fw_bridge br;
static struct fw_options br_opt;

/* Queues frame[0, len) (or the error err) on vNIC nic, readable from time at. */
static void fake_arrive(uint64_t nic, const uint8_t *frame, size_t len, long err, uint64_t at)
{
	unsigned i = fk.rx[nic].n++;
	size_t flen = len & UV_NET_LEN_MASK; /* len may carry a checksum mark, as net_read's result does */
	memcpy(fk.rx[nic].data[i], frame, flen < 128 ? flen : 128);
	fk.rx[nic].len[i] = len;
	fk.rx[nic].err[i] = err;
	fk.rx[nic].at[i] = at;
}

static void fake_arrive_spec(uint64_t nic, struct spec s, uint64_t at)
{
	static uint8_t f[2048];
	fake_arrive(nic, f, build(f, &s), 0, at);
}

static uint64_t fake_ready(void)
{
	uint64_t mask = 0;
	for (uint64_t nic = 0; nic < 2; nic++)
		if (fk.rx[nic].head < fk.rx[nic].n && fk.rx[nic].at[fk.rx[nic].head] <= fk.now)
			mask |= UV_HANDLE_NIC(nic);
	return mask;
}

static long fake_read(void *ctx, uint64_t nic, void *buf, size_t len)
{
	(void)ctx;
	if (nic > 1 || !(fake_ready() & UV_HANDLE_NIC(nic)))
		return -UV_EAGAIN;
	unsigned i = fk.rx[nic].head++;
	if (fk.rx[nic].err[i])
		return fk.rx[nic].err[i];
	size_t n = fk.rx[nic].len[i], flen = n & UV_NET_LEN_MASK;
	if (flen > len)
		return -UV_EMSGSIZE;
	memcpy(buf, fk.rx[nic].data[i], flen < 128 ? flen : 128);
	return (long)n;
}

static long fake_write(void *ctx, uint64_t nic, const void *buf, size_t len)
{
	(void)ctx;
	if (fk.write_ret < 0)
		return fk.write_ret;
	if (fk.n_sent < FAKE_FRAMES) {
		memcpy(fk.sent[fk.n_sent].data, buf, len < 64 ? len : 64);
		fk.sent[fk.n_sent].len = len;
		fk.sent[fk.n_sent].nic = nic;
		fk.n_sent++;
	}
	return (long)len;
}

/* Sleeps (moves the clock) to the deadline or the next arrival, whichever is first. */
static long fake_yield(void *ctx, uint64_t deadline, uint64_t mask)
{
	(void)ctx;
	if (fk.n_yields == FAKE_YIELDS || mask != (uint64_t)(UV_HANDLE_NIC(0) | UV_HANDLE_NIC(1)))
		return -UV_EINVAL;
	fk.deadlines[fk.n_yields++] = deadline;
	uint64_t next = UV_YIELD_FOREVER;
	for (uint64_t nic = 0; nic < 2; nic++)
		if (fk.rx[nic].head < fk.rx[nic].n && fk.rx[nic].at[fk.rx[nic].head] < next)
			next = fk.rx[nic].at[fk.rx[nic].head];
	if (!fake_ready() && deadline > fk.now) {
		if (next == UV_YIELD_FOREVER && deadline == UV_YIELD_FOREVER)
			return -UV_EINVAL; /* would sleep forever */
		fk.now = next < deadline ? next : deadline;
	}
	return (long)fake_ready();
}

static uint64_t fake_now(void *ctx)
{
	(void)ctx;
	return fk.now;
}

static void fake_print(void *ctx, const char *line)
{
	(void)ctx;
	if (fk.n_lines < FAKE_LINES)
		snprintf(fk.lines[fk.n_lines++], FW_LINE_MAX, "%s", line);
}

/* A bridge with the given args (NULL-terminated) on fresh fakes; 0 or -1. */
static int bridge_setup(const char *const *args)
{
	char *argv[16] = { "fw" };
	char err[FW_OPT_ERR_MAX];
	int argc = 1;

	while (args && args[argc - 1] && argc < 16) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	memset(&fk, 0, sizeof(fk));
	memset(&br, 0, sizeof(br));
	if (fw_options_parse(argc, argv, &br_opt, err, sizeof(err))) {
		printf("%s\n", err);
		return -1;
	}
	br.fw.rules = br_opt.rules;
	br.fw.n_rules = br_opt.n_rules;
	br.opt = &br_opt;
	br.io = (struct fw_io){ fake_read, fake_write, fake_yield, fake_now, fake_print, NULL };
	return fw_ct_init(&br.fw.ct, slots, T_BUCKETS, key) ? -1 : 0;
}

/* The index of the first printed line that starts with prefix, or -1. */
static int line_index(const char *prefix)
{
	for (unsigned i = 0; i < fk.n_lines; i++)
		if (!strncmp(fk.lines[i], prefix, strlen(prefix)))
			return (int)i;
	return -1;
}

TEST(bridge_forwards_judges_and_reports)
{
	CHECK_EQ(bridge_setup((const char *const[]){ "--exit-after", "10", "--report", "4", "--log", "1", NULL }), 0);
	fake_arrive_spec(FW_NIC_INSIDE, tcp(inside, 40000, server, 80, FW_TCP_SYN), S(1));
	fake_arrive_spec(FW_NIC_OUTSIDE, tcp(server, 80, inside, 40000, FW_TCP_SYN | FW_TCP_ACK), S(2));
	fake_arrive_spec(FW_NIC_OUTSIDE, tcp(server, 80, inside, 40001, FW_TCP_SYN | FW_TCP_ACK), S(3));
	fake_arrive_spec(FW_NIC_OUTSIDE, tcp(other, 1, inside, 22, FW_TCP_SYN), S(3));
	CHECK_EQ(fw_bridge_run(&br), 0);
	CHECK_EQ(fk.now, S(10));
	/* The SYN went out by the outside, its answer in by the inside; the rest dropped. */
	CHECK_EQ(fk.n_sent, 2);
	CHECK_EQ(fk.sent[0].nic, FW_NIC_OUTSIDE);
	CHECK_EQ(fk.sent[1].nic, FW_NIC_INSIDE);
	CHECK_EQ(fk.sent[0].len, FW_FRAME_MIN);
	CHECK_EQ(fk.sent[1].data[14 + 20 + 13], FW_TCP_SYN | FW_TCP_ACK);
	CHECK_EQ(br.fw.dir[FW_DIR_IN].reason[FW_R_DENY_DEFAULT], 2);
	/* One drop logged (--log 1), reports at 4 s and 8 s, the final one at 10 s. */
	CHECK_STR(fk.lines[0], "drop in default: tcp 93.184.216.34:80 > 10.0.2.15:40001 flags 0x12 (60 bytes)");
	CHECK_EQ(line_index("drop "), 0);
	CHECK_STR(fk.lines[1], "counters:");
	CHECK_STR(fk.lines[2], "  out: passed 1 (default 1) dropped 0 rx-errors 0 tx-errors 0");
	CHECK_STR(fk.lines[3], "  in: passed 1 (state 1) dropped 2 (default 2) rx-errors 0 tx-errors 0");
	CHECK_STR(fk.lines[4], "  conns: open 1 of 512 created 1 closed 0 expired 0 evicted 0 refused 0");
	CHECK_STR(fk.lines[5], "counters:");
	CHECK_STR(fk.lines[9], "final counters:");
	CHECK_EQ(fk.n_lines, 13);
	/* It slept until each arrival (at 1, 2, 3 s), each report and the end, never longer. */
	static const uint64_t want[] = { S(4), S(4), S(4), S(4), S(8), S(10) };
	CHECK_EQ(fk.n_yields, 6);
	for (unsigned i = 0; i < 6; i++)
		CHECK_EQ(fk.deadlines[i], want[i]);
}

TEST(bridge_pads_short_frames)
{
	uint8_t arp[42];

	CHECK_EQ(bridge_setup((const char *const[]){ "--exit-after", "1", NULL }), 0);
	memset(arp, 0xee, sizeof(arp));
	arp[12] = FW_ETHERTYPE_ARP >> 8;
	arp[13] = FW_ETHERTYPE_ARP & 0xff;
	fake_arrive(FW_NIC_OUTSIDE, arp, sizeof(arp), 0, 0);
	CHECK_EQ(fw_bridge_run(&br), 0);
	CHECK_EQ(fk.n_sent, 1);
	CHECK_EQ(fk.sent[0].nic, FW_NIC_INSIDE);
	CHECK_EQ(fk.sent[0].len, FW_FRAME_MIN);
	CHECK(memcmp(fk.sent[0].data, arp, sizeof(arp)) == 0);
	for (size_t i = sizeof(arp); i < FW_FRAME_MIN; i++)
		CHECK_EQ(fk.sent[0].data[i], 0);
}

TEST(bridge_forwards_a_checksum_mark_as_it_came)
{
	uint8_t arp[60];

	CHECK_EQ(bridge_setup((const char *const[]){ "--exit-after", "1", NULL }), 0);
	memset(arp, 0xee, sizeof(arp));
	arp[12] = FW_ETHERTYPE_ARP >> 8;
	arp[13] = FW_ETHERTYPE_ARP & 0xff;
	fake_arrive(FW_NIC_OUTSIDE, arp, 42 | UV_NET_CSUM_MARK(20, 6), 0, 0); /* padded on the way */
	fake_arrive(FW_NIC_OUTSIDE, arp, 60, 0, 0);
	CHECK_EQ(fw_bridge_run(&br), 0);
	CHECK_EQ(fk.n_sent, 2);
	CHECK_EQ(fk.sent[0].len, FW_FRAME_MIN | UV_NET_CSUM_MARK(20, 6));
	CHECK_EQ(fk.sent[1].len, FW_FRAME_MIN);
	for (size_t i = 42; i < FW_FRAME_MIN; i++)
		CHECK_EQ(fk.sent[0].data[i], 0);
}

TEST(bridge_takes_turns_between_the_sides)
{
	CHECK_EQ(bridge_setup((const char *const[]){ "--exit-after", "1", "--report", "0", NULL }), 0);
	for (int i = 0; i < 100; i++)
		fake_arrive_spec(FW_NIC_OUTSIDE, (struct spec){ .ethertype = FW_ETHERTYPE_ARP }, 0);
	fake_arrive_spec(FW_NIC_INSIDE, udp(inside, 1, server, 2), 0);
	CHECK_EQ(fw_bridge_run(&br), 0);
	CHECK_EQ(fk.n_sent, 101);
	/* The inside's frame (sent out by the outside) went right after the outside's first
	 * burst (sent to the inside), not after all 100. */
	CHECK_EQ(fk.sent[FW_BURST - 1].nic, FW_NIC_INSIDE);
	int at = -1;
	for (unsigned i = 0; i < fk.n_sent; i++)
		if (fk.sent[i].nic == FW_NIC_OUTSIDE)
			at = (int)i;
	CHECK_EQ(at, FW_BURST);
	/* With frames left over it gave up the CPU without sleeping: yield(0) until drained. */
	CHECK_EQ(fk.deadlines[0], S(1));
	CHECK_EQ(fk.deadlines[1], 0);
	CHECK_EQ(fk.deadlines[2], 0);
	CHECK_EQ(fk.deadlines[3], 0);
	CHECK_EQ(fk.deadlines[4], S(1));
	CHECK_EQ(fk.n_yields, 5);
	CHECK_EQ(line_index("counters:"), -1); /* --report 0: only the final one */
	CHECK_EQ(line_index("final counters:"), 0);
}

TEST(bridge_counts_read_and_write_errors)
{
	static uint8_t f[2048];
	struct spec s = udp(inside, 1, server, 2);
	size_t len = build(f, &s);

	CHECK_EQ(bridge_setup((const char *const[]){ "--exit-after", "1", NULL }), 0);
	fake_arrive(FW_NIC_INSIDE, f, len, -UV_EMSGSIZE, 0); /* skipped, the next is read at once */
	fake_arrive(FW_NIC_INSIDE, f, len, 0, 0);
	fake_arrive(FW_NIC_INSIDE, f, len, -UV_EIO, 0);      /* ends this vNIC's turn */
	fake_arrive(FW_NIC_INSIDE, f, len, 0, 0);
	fake_arrive(FW_NIC_INSIDE, f, 3000, 0, 0);           /* longer than the buffer */
	CHECK_EQ(fw_bridge_run(&br), 0);
	CHECK_EQ(br.fw.dir[FW_DIR_OUT].rx_errors, 3);
	CHECK_EQ(fk.n_sent, 2);
	CHECK_EQ(fk.n_yields, 3); /* the -EIO ended a turn; the vNIC was ready again at once */

	CHECK_EQ(bridge_setup((const char *const[]){ "--exit-after", "1", NULL }), 0);
	fk.write_ret = -UV_EAGAIN;
	fake_arrive(FW_NIC_INSIDE, f, len, 0, 0);
	fake_arrive(FW_NIC_OUTSIDE, f, 10, 0, 0); /* a runt: dropped, never written */
	CHECK_EQ(fw_bridge_run(&br), 0);
	CHECK_EQ(br.fw.dir[FW_DIR_OUT].tx_errors, 1);
	CHECK_EQ(br.fw.dir[FW_DIR_IN].tx_errors, 0);
	CHECK_EQ(br.fw.dir[FW_DIR_IN].reason[FW_R_RUNT], 1);
}

TEST(bridge_stops_on_a_failed_yield)
{
	CHECK_EQ(bridge_setup((const char *const[]){ "--report", "0", NULL }), 0);
	/* No deadline and nothing arriving: the fake refuses to sleep forever. */
	CHECK_EQ(fw_bridge_run(&br), 1);
	CHECK_STR(fk.lines[0], "error: yield failed (-22)");
	CHECK_STR(fk.lines[1], "final counters:");
	CHECK_EQ(fk.n_lines, 5);
	CHECK_EQ(fk.deadlines[0], UV_YIELD_FOREVER);
}
