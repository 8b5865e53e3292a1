/* tools/mkimage/config_ip.c: the IPv4 options of a nic = line (ip=ADDR/PREFIX, gw=, dns=, dhcp) and their checks; the IPv6 ones go on to config_ip6.c. */
#include <stdio.h>
#include <string.h>
#include "tools/mkimage/config_ip.h"
#include "tools/mkimage/config_ip6.h"
#include "tools/mkimage/words.h"

#define fail cfg_fail
#define IP4_OCTET_MAX 255
#define IP4_BITS 32
/* RFC 1122 3.2.1.3 and RFC 5735: 0/8 is "this network", 127/8 loopback; 224/4 multicast
 * (RFC 5771) and 240/4 reserved (class E). None of them is a host's address. */
#define IP4_NET_THIS 0u
#define IP4_NET_LOOPBACK 127u
#define IP4_CLASS_D_E_FIRST 224u

enum ip_opt { IP_ADDR, IP_GW, IP_DNS, IP_DHCP, IP_COUNT };
static const char *const ip_names[IP_COUNT] = { [IP_ADDR] = "ip", [IP_GW] = "gw", [IP_DNS] = "dns", [IP_DHCP] = "dhcp" };

/* Dotted-quad s (exactly four decimal octets 0-255, nothing after unless stop) into a[4]; *end past it. */
static int parse_ip4(const char *s, uint8_t a[4], const char **end)
{
	for (int i = 0; i < 4; i++) {
		uint64_t n;
		const char *e;
		if (cfg_decimal(s, IP4_OCTET_MAX, &n, &e) || e - s > 3 || (e - s > 1 && *s == '0'))
			return -1; /* no digits, above 255, or a leading zero (octal in inet_aton: refused) */
		a[i] = (uint8_t)n;
		s = e;
		if (i < 3 && *s++ != '.')
			return -1;
	}
	*end = s;
	return 0;
}

static uint32_t host_order(const uint8_t a[4])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

/* Why a (host order) cannot be a unicast host's address, or 0. */
static const char *not_unicast(uint32_t a)
{
	uint32_t first = a >> 24;
	if (first == IP4_NET_THIS)
		return "in 0.0.0.0/8 (this network)";
	if (first == IP4_NET_LOOPBACK)
		return "a loopback address (127.0.0.0/8)";
	if (first >= IP4_CLASS_D_E_FIRST)
		return "multicast or reserved (224.0.0.0 and up)";
	return 0;
}

int config_ip_option(struct parser *p, const struct cfg_app *a, struct cfg_vnic *v, const char *opt)
{
	const char *eq = strchr(opt, '=');
	size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);
	const char *val = eq ? eq + 1 : NULL, *end;
	unsigned k = 0;
	while (k < IP_COUNT && (strlen(ip_names[k]) != klen || strncmp(ip_names[k], opt, klen)))
		k++;
	if (k == IP_COUNT)
		return config_ip6_option(p, a, v, opt);
	if (v->ip_seen & (1u << k))
		return fail(p, p->line, "vNIC '%s' of app '%s': option '%s' given twice", v->name, a->name, ip_names[k]);
	v->ip_seen |= 1u << k;
	if (k == IP_DHCP) {
		if (val)
			return fail(p, p->line, "vNIC '%s' of app '%s': option 'dhcp' takes no value", v->name, a->name);
		return 0;
	}
	if (!val || !*val)
		return fail(p, p->line, "vNIC '%s' of app '%s': option '%s' needs a value: %s=...", v->name, a->name,
			    ip_names[k], ip_names[k]);
	uint8_t *dst = k == IP_ADDR ? v->ip.addr : k == IP_GW ? v->ip.gw : v->ip.dns;
	if (parse_ip4(val, dst, &end) || (k != IP_ADDR && *end))
		return fail(p, p->line, "vNIC '%s' of app '%s': bad %s '%.64s': expected an IPv4 address like %s",
			    v->name, a->name, ip_names[k], val, k == IP_ADDR ? "10.0.2.15/24" : "10.0.2.2");
	if (k == IP_ADDR) {
		uint64_t n;
		const char *e;
		int r = *end == '/' ? cfg_decimal(end + 1, IP4_BITS, &n, &e) : -1;
		if (r == -1 || (r == 0 && *e))
			return fail(p, p->line, "vNIC '%s' of app '%s': bad ip '%.64s': expected ADDRESS/PREFIX like "
				    "10.0.2.15/24", v->name, a->name, val);
		if (r == -2 || n < UV_IP_PREFIX_MIN || n > UV_IP_PREFIX_MAX)
			return fail(p, p->line, "vNIC '%s' of app '%s': ip '%.64s': prefix length outside %u..%u",
				    v->name, a->name, val, UV_IP_PREFIX_MIN, UV_IP_PREFIX_MAX);
		v->ip.prefix = (uint8_t)n;
	}
	const char *why = not_unicast(host_order(dst));
	if (why)
		return fail(p, p->line, "vNIC '%s' of app '%s': %s '%.64s' is %s", v->name, a->name, ip_names[k], val, why);
	return 0;
}

/* config_ip_end's IPv4 half. */
static int ip4_end(struct parser *p, const struct cfg_app *a, struct cfg_vnic *v)
{
	unsigned s = v->ip_seen;
	if ((s & (1u << IP_ADDR)) && (s & (1u << IP_DHCP)))
		return fail(p, p->line, "vNIC '%s' of app '%s': ip= and dhcp exclude each other", v->name, a->name);
	if ((s & (1u << IP_GW)) && !(s & (1u << IP_ADDR)))
		return fail(p, p->line, "vNIC '%s' of app '%s': gw= needs a static ip=ADDRESS/PREFIX (DHCP brings its own)",
			    v->name, a->name);
	if ((s & (1u << IP_DNS)) && !(s & ((1u << IP_ADDR) | (1u << IP_DHCP))))
		return fail(p, p->line, "vNIC '%s' of app '%s': dns= needs ip= or dhcp", v->name, a->name);
	v->ip.mode = (s & (1u << IP_ADDR)) ? UV_IP_STATIC : (s & (1u << IP_DHCP)) ? UV_IP_DHCP : UV_IP_NONE;
	if (v->ip.mode != UV_IP_STATIC)
		return 0;
	uint32_t addr = host_order(v->ip.addr), gw = host_order(v->ip.gw);
	uint32_t host = ~(0xffffffffu << (IP4_BITS - v->ip.prefix)); /* prefix <= 30 */
	char text[16];
	snprintf(text, sizeof(text), "%u.%u.%u.%u", v->ip.addr[0], v->ip.addr[1], v->ip.addr[2], v->ip.addr[3]);
	if ((addr & host) == 0 || (addr & host) == host)
		return fail(p, p->line, "vNIC '%s' of app '%s': ip %s/%u is the %s address of its network, not a host's",
			    v->name, a->name, text, v->ip.prefix, (addr & host) == 0 ? "network" : "broadcast");
	if (gw && (gw == addr || ((gw ^ addr) & ~host) || (gw & host) == 0 || (gw & host) == host))
		return fail(p, p->line, "vNIC '%s' of app '%s': gw %u.%u.%u.%u is not another host of %s/%u", v->name,
			    a->name, v->ip.gw[0], v->ip.gw[1], v->ip.gw[2], v->ip.gw[3], text, v->ip.prefix);
	return 0;
}

int config_ip_end(struct parser *p, const struct cfg_app *a, struct cfg_vnic *v)
{
	return ip4_end(p, a, v) || config_ip6_end(p, a, v) ? -1 : 0;
}

#define PORT_MAX 65535

/* A decimal port 1-65535 at s, *end past it. */
static int parse_port(const char *s, const char **end)
{
	uint64_t n;
	return cfg_decimal(s, PORT_MAX, &n, end) || n == 0 ? -1 : 0;
}

int config_hostfwd(struct parser *p, struct cfg_port *t, const char *value)
{
	struct words w;
	if (t->hostfwd_line)
		return fail(p, p->line, "duplicate key 'hostfwd' in [port %s] (first set at line %u)", t->name,
			    t->hostfwd_line);
	t->hostfwd_line = p->line;
	const char *why = words_split(value, &w);
	if (why)
		return fail(p, p->line, "'hostfwd': %s", why);
	if (w.n == 0)
		return fail(p, p->line, "'hostfwd' needs a rule: hostfwd = tcp:8080-80 (host port 8080 to guest port 80)");
	for (const char *r = w.buf; r < w.buf + w.len; r += strlen(r) + 1) {
		const char *s = r, *e;
		uint8_t a[4];
		if (strncmp(s, "tcp:", 4) && strncmp(s, "udp:", 4))
			goto bad;
		s += 4;
		if (parse_port(s, &e) || *e != '-')
			goto bad;
		s = e + 1;
		if (!parse_ip4(s, a, &e) && *e == ':')
			s = e + 1; /* the guest's address given */
		if (parse_port(s, &e) || *e)
			goto bad;
		continue;
bad:
		return fail(p, p->line, "[port %s]: bad hostfwd rule '%.64s': expected tcp:HOSTPORT-GUESTPORT, udp:..., or "
			    "tcp:HOSTPORT-A.B.C.D:GUESTPORT with ports 1-65535", t->name, r);
	}
	return 0;
}
