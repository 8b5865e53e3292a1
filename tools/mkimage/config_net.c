/* tools/mkimage/config_net.c: the network part of a config: [port] and [segment] sections, nic = lines, net:NAME grants, derived MACs. */
#include <stdio.h>
#include <string.h>
#include "tools/mkimage/config_parser.h"
#include "tools/mkimage/words.h"
#include "tools/mkimage/config_ip.h"
#include "tools/mkimage/config_ip6.h"
#include "kernel/app/manifest.h"
#include "include/abi/uv_hypercall.h"

#define fail cfg_fail
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define MAC_LEN 6
#define MAC_TEXT_LEN 17 /* "xx:xx:xx:xx:xx:xx" */
#define MAC_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define MAC_ARGS(m) (m)[0], (m)[1], (m)[2], (m)[3], (m)[4], (m)[5]
/*
 * IEEE 802-2014 8.2.2: bit 0 of the first octet is the I/G bit (1 = a group address,
 * multicast or broadcast), bit 1 the U/L bit (1 = locally administered). A derived MAC
 * has U/L set and I/G clear: 02:xx:xx:xx:xx:xx.
 */
#define MAC_GROUP_BIT 0x01u
#define MAC_LOCAL_BIT 0x02u
/* FNV-1a, 64 bits (Fowler, Noll, Vo): offset basis and prime. */
#define FNV64_BASIS 0xcbf29ce484222325ull
#define FNV64_PRIME 0x100000001b3ull

static const struct {
	const char *name;
	uint32_t driver;
} drivers[] = { { "e1000", UV_PORT_E1000 }, { "virtio-net", UV_PORT_VIRTIO_NET } };

const char *config_driver_name(uint32_t d)
{
	for (size_t i = 0; i < N_OF(drivers); i++)
		if (drivers[i].driver == d)
			return drivers[i].name;
	return "?";
}

int net_section_start(struct parser *p, enum cfg_section kind, const char *name)
{
	struct config *c = p->cfg;
	const char *what = kind == S_PORT ? "port" : "segment";
	if (!manifest_name_valid(name, UV_MANIFEST_NAME_MAX))
		return fail(p, p->line, "bad %s name '%.64s': use 1-%d of a-z 0-9 _ -", what, name, UV_MANIFEST_NAME_MAX - 1);
	if (kind == S_PORT) {
		for (unsigned i = 0; i < c->n_ports; i++)
			if (!strcmp(c->ports[i].name, name))
				return fail(p, p->line, "duplicate port '%s' (first at line %u)", name, c->ports[i].line);
		if (c->n_ports == UV_MANIFEST_MAX_PORTS)
			return fail(p, p->line, "too many ports (at most %d)", UV_MANIFEST_MAX_PORTS);
		struct cfg_port *t = &c->ports[c->n_ports++];
		strcpy(t->name, name);
		t->line = p->line;
	} else {
		for (unsigned i = 0; i < c->n_segments; i++)
			if (!strcmp(c->segments[i].name, name))
				return fail(p, p->line, "duplicate segment '%s' (first at line %u)", name, c->segments[i].line);
		if (c->n_segments == UV_MANIFEST_MAX_SEGMENTS)
			return fail(p, p->line, "too many segments (at most %d)", UV_MANIFEST_MAX_SEGMENTS);
		struct cfg_segment *s = &c->segments[c->n_segments++];
		strcpy(s->name, name);
		s->line = p->line;
		s->port = UV_SEGMENT_INTERNAL;
	}
	p->section = kind;
	return 0;
}

/* driver = e1000 | virtio-net, index = 0..15 */
static int port_key(struct parser *p, struct cfg_port *t, const char *key, const char *value)
{
	char w[64];
	if (!strcmp(key, "hostfwd"))
		return config_hostfwd(p, t, value);
	unsigned *line = !strcmp(key, "driver") ? &t->driver_line : !strcmp(key, "index") ? &t->index_line : NULL;
	if (!line)
		return fail(p, p->line, "unknown key '%s' in [port %s] (known: driver index hostfwd)", key, t->name);
	if (*line)
		return fail(p, p->line, "duplicate key '%s' in [port %s] (first set at line %u)", key, t->name, *line);
	*line = p->line;
	if (cfg_one_word(p, key, value, w, sizeof(w)))
		return -1;
	if (line == &t->driver_line) {
		for (size_t i = 0; i < N_OF(drivers); i++)
			if (!strcmp(drivers[i].name, w)) {
				t->driver = drivers[i].driver;
				return 0;
			}
		return fail(p, p->line, "unknown driver '%s' (known: e1000 virtio-net)", w);
	}
	uint64_t n;
	const char *end;
	int r = cfg_decimal(w, MANIFEST_PORT_INDEX_MAX, &n, &end);
	if (r == -2)
		return fail(p, p->line, "port index '%s' is out of range (0..%u)", w, MANIFEST_PORT_INDEX_MAX);
	if (r || *end)
		return fail(p, p->line, "bad index '%s': expected a decimal number", w);
	t->index = (uint32_t)n;
	return 0;
}

/* port = NAME (resolved at the end: ports may come after their segment) */
static int segment_key(struct parser *p, struct cfg_segment *s, const char *key, const char *value)
{
	if (strcmp(key, "port"))
		return fail(p, p->line, "unknown key '%s' in [segment %s] (known: port)", key, s->name);
	if (s->port_line)
		return fail(p, p->line, "duplicate key 'port' in [segment %s] (first set at line %u)", s->name, s->port_line);
	s->port_line = p->line;
	return cfg_one_word(p, key, value, s->port_name, sizeof(s->port_name));
}

int net_section_key(struct parser *p, const char *key, const char *value)
{
	struct config *c = p->cfg;
	if (p->section == S_PORT)
		return port_key(p, &c->ports[c->n_ports - 1], key, value);
	return segment_key(p, &c->segments[c->n_segments - 1], key, value);
}

int net_section_end(struct parser *p)
{
	struct config *c = p->cfg;
	if (p->section == S_PORT && !c->ports[c->n_ports - 1].driver_line)
		return fail(p, c->ports[c->n_ports - 1].line, "port '%s' has no 'driver' (e1000 or virtio-net)",
			    c->ports[c->n_ports - 1].name);
	return 0;
}

/* "xx:xx:xx:xx:xx:xx" (either case) into mac; returns 0 or -1. */
static int parse_mac(const char *s, uint8_t mac[MAC_LEN])
{
	if (strlen(s) != MAC_TEXT_LEN)
		return -1;
	for (int i = 0; i < MAC_LEN; i++) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char ch = s[3 * i + k];
			unsigned d = ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
				   : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
				   : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10) : 16u;
			if (d > 15)
				return -1;
			v = v * 16 + d;
		}
		if (i < MAC_LEN - 1 && s[3 * i + 2] != ':')
			return -1;
		mac[i] = (uint8_t)v;
	}
	return 0;
}

/* One option word of a nic = line (everything after the name). */
static int vnic_option(struct parser *p, const struct cfg_app *a, struct cfg_vnic *v, const char *opt,
		       unsigned *seen)
{
	enum { O_SEGMENT, O_MAC, O_QUEUE, O_PROMISC, O_ANY_SRC, O_COUNT };
	static const char *const names[O_COUNT] = {
		[O_SEGMENT] = "segment", [O_MAC] = "mac", [O_QUEUE] = "queue", [O_PROMISC] = "promisc",
		[O_ANY_SRC] = "any-src",
	};
	const char *eq = strchr(opt, '=');
	size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);
	const char *val = eq ? eq + 1 : NULL;
	size_t k = 0;
	while (k < O_COUNT && (strlen(names[k]) != klen || strncmp(names[k], opt, klen)))
		k++;
	int ipr = k == O_COUNT ? config_ip_option(p, a, v, opt) : 1;
	if (ipr <= 0)
		return ipr;
	if (k == O_COUNT)
		return fail(p, p->line, "vNIC '%s' of app '%s': unknown option '%.64s' (known: segment= mac= queue= "
			    "promisc any-src ip= gw= dns= dhcp ip6= gw6=)", v->name, a->name, opt);
	if (*seen & (1u << k))
		return fail(p, p->line, "vNIC '%s' of app '%s': option '%s' given twice", v->name, a->name, names[k]);
	*seen |= 1u << k;
	if (k == O_PROMISC || k == O_ANY_SRC) {
		if (val)
			return fail(p, p->line, "vNIC '%s' of app '%s': option '%s' takes no value", v->name, a->name, names[k]);
		v->flags |= k == O_PROMISC ? UV_VNIC_PROMISC : UV_VNIC_ANY_SRC;
		return 0;
	}
	if (!val || !*val)
		return fail(p, p->line, "vNIC '%s' of app '%s': option '%s' needs a value: %s=...", v->name, a->name,
			    names[k], names[k]);
	if (k == O_SEGMENT) {
		if (!manifest_name_valid(val, UV_MANIFEST_NAME_MAX))
			return fail(p, p->line, "vNIC '%s' of app '%s': bad segment name '%.64s'", v->name, a->name, val);
		strcpy(v->segment_name, val);
		return 0;
	}
	if (k == O_MAC) {
		if (parse_mac(val, v->mac))
			return fail(p, p->line, "vNIC '%s' of app '%s': bad MAC '%.64s': expected six hex bytes like "
				    "52:54:00:12:34:56", v->name, a->name, val);
		if (v->mac[0] & MAC_GROUP_BIT)
			return fail(p, p->line, "vNIC '%s' of app '%s': MAC %s is a group (multicast or broadcast) address: "
				    "bit 0 of its first byte must be clear", v->name, a->name, val);
		static const uint8_t zero[MAC_LEN];
		if (!memcmp(v->mac, zero, MAC_LEN))
			return fail(p, p->line, "vNIC '%s' of app '%s': MAC %s is all zeros", v->name, a->name, val);
		v->mac_derived = 0;
		return 0;
	}
	uint64_t n; /* O_QUEUE */
	const char *end;
	int r = cfg_decimal(val, UV_VNIC_QUEUE_MAX, &n, &end);
	if (r == -1 || (r == 0 && *end))
		return fail(p, p->line, "vNIC '%s' of app '%s': bad queue '%.64s': expected a decimal number", v->name,
			    a->name, val);
	if (r == -2 || n == 0)
		return fail(p, p->line, "vNIC '%s' of app '%s': queue '%.64s' is outside 1..%d", v->name, a->name, val,
			    UV_VNIC_QUEUE_MAX);
	v->queue = (uint32_t)n;
	return 0;
}

int net_vnic_line(struct parser *p, struct cfg_app *a, unsigned app, const char *value)
{
	struct words w;
	struct config *c = p->cfg;
	const char *why = words_split(value, &w);
	if (why)
		return fail(p, p->line, "'nic': %s", why);
	if (w.n == 0)
		return fail(p, p->line, "'nic' needs a vNIC: nic = NAME segment=SEGMENT [mac=..] [queue=N] [promisc] [any-src]");
	const char *name = w.buf;
	if (!manifest_name_valid(name, UV_MANIFEST_NAME_MAX))
		return fail(p, p->line, "bad vNIC name '%.64s': use 1-%d of a-z 0-9 _ - (a nic line starts with the name)",
			    name, UV_MANIFEST_NAME_MAX - 1);
	for (unsigned i = 0; i < c->n_vnics; i++)
		if (c->vnics[i].app == app && !strcmp(c->vnics[i].name, name))
			return fail(p, p->line, "duplicate vNIC '%s' in app '%s' (first at line %u)", name, a->name,
				    c->vnics[i].line);
	if (a->n_vnics == UV_APP_MAX_VNICS)
		return fail(p, p->line, "app '%s' has more than %d vNICs", a->name, UV_APP_MAX_VNICS);
	if (c->n_vnics == UV_MANIFEST_MAX_VNICS)
		return fail(p, p->line, "too many vNICs (at most %d in an appliance)", UV_MANIFEST_MAX_VNICS);
	struct cfg_vnic v = { .line = p->line, .app = app, .queue = UV_VNIC_QUEUE_DEFAULT, .mac_derived = 1 };
	strcpy(v.name, name);
	unsigned seen = 0;
	for (const char *o = name + strlen(name) + 1; o < w.buf + w.len; o += strlen(o) + 1)
		if (vnic_option(p, a, &v, o, &seen))
			return -1;
	if (config_ip_end(p, a, &v))
		return -1;
	if (!v.segment_name[0])
		return fail(p, p->line, "vNIC '%s' of app '%s' has no segment=NAME (every vNIC is on a segment)", name,
			    a->name);
	c->vnics[c->n_vnics++] = v;
	a->n_vnics++;
	return 0;
}

int net_grant(struct parser *p, struct cfg_app *a, const char *g)
{
	if (!strcmp(g, "net"))
		return fail(p, p->line, "grant 'net' must name the vNICs: net:NAME for each vNIC the app may use");
	const char *name = g + strlen("net:");
	if (!*name)
		return fail(p, p->line, "grant 'net:' names no vNIC: net:NAME");
	if (!manifest_name_valid(name, UV_MANIFEST_NAME_MAX))
		return fail(p, p->line, "grant '%.64s': '%.40s' is not a vNIC name (1-%d of a-z 0-9 _ -)", g, name,
			    UV_MANIFEST_NAME_MAX - 1);
	for (unsigned i = 0; i < a->n_net_grants; i++)
		if (!strcmp(a->net_grants[i], name))
			return fail(p, p->line, "grant '%s' is listed twice", g);
	if (a->n_net_grants == UV_APP_MAX_VNICS)
		return fail(p, p->line, "more than %d net: grants (an app has at most %d vNICs)", UV_APP_MAX_VNICS,
			    UV_APP_MAX_VNICS);
	strcpy(a->net_grants[a->n_net_grants++], name);
	return 0;
}

int net_app_end(struct parser *p, struct cfg_app *a, unsigned app)
{
	struct config *c = p->cfg;
	for (unsigned g = 0; g < a->n_net_grants; g++) {
		unsigned i = 0;
		while (i < c->n_vnics && (c->vnics[i].app != app || strcmp(c->vnics[i].name, a->net_grants[g])))
			i++;
		if (i == c->n_vnics) {
			char have[UV_APP_MAX_VNICS * UV_MANIFEST_NAME_MAX + 1] = ""; /* " name" each */
			for (unsigned k = 0; k < c->n_vnics; k++)
				if (c->vnics[k].app == app)
					snprintf(have + strlen(have), sizeof(have) - strlen(have), " %s", c->vnics[k].name);
			return fail(p, a->key_line[K_GRANTS], "grant 'net:%s': app '%s' has no vNIC '%s' (%s%s)",
				    a->net_grants[g], a->name, a->net_grants[g], have[0] ? "its vNICs:" : "it has no nic = lines",
				    have);
		}
		c->vnics[i].flags |= UV_VNIC_GRANTED;
		a->grants |= UV_GRANT_NET;
	}
	for (unsigned i = 0; i < c->n_vnics; i++)
		if (c->vnics[i].app == app && config_ip6_granted(p, a, &c->vnics[i]))
			return -1;
	for (unsigned i = 0; i < c->n_vnics; i++)
		if (c->vnics[i].app == app && !(c->vnics[i].flags & UV_VNIC_GRANTED))
			cfg_warn(p, c->vnics[i].line, "vNIC '%s' of app '%s' is not granted (no net:%s in its grants): "
				 "the app cannot use it", c->vnics[i].name, a->name, c->vnics[i].name);
	return 0;
}

/* A locally administered unicast MAC from the appliance, app and vNIC names: the same every build. */
static void derive_mac(const char *appliance, const char *app, const char *vnic, uint8_t mac[MAC_LEN])
{
	const char *parts[3] = { appliance, app, vnic };
	uint64_t h = FNV64_BASIS;
	for (int i = 0; i < 3; i++)
		for (const char *s = parts[i];; s++) { /* each name with its NUL: "ab","c" differs from "a","bc" */
			h = (h ^ (uint8_t)*s) * FNV64_PRIME;
			if (!*s)
				break;
		}
	/* The finalizer of splitmix64 (Steele, Lea, Flood), so that every output bit depends on every input bit. */
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
	h ^= h >> 31;
	mac[0] = MAC_LOCAL_BIT;
	for (int i = 1; i < MAC_LEN; i++)
		mac[i] = (uint8_t)(h >> (8 * (i - 1)));
}

int net_finish(struct parser *p)
{
	struct config *c = p->cfg;
	for (unsigned i = 0; i < c->n_segments; i++) {
		struct cfg_segment *s = &c->segments[i];
		if (!s->port_line)
			continue;
		unsigned k = 0;
		while (k < c->n_ports && strcmp(c->ports[k].name, s->port_name))
			k++;
		if (k == c->n_ports)
			return fail(p, s->port_line, "segment '%s': unknown port '%s'", s->name, s->port_name);
		if (c->ports[k].bridged_by)
			return fail(p, s->port_line, "segment '%s': port '%s' is already bridged by segment '%s' (line %u); "
				    "a port bridges one segment", s->name, s->port_name,
				    c->segments[c->ports[k].bridged_by - 1].name, c->segments[c->ports[k].bridged_by - 1].line);
		c->ports[k].bridged_by = i + 1;
		s->port = k;
	}
	for (unsigned i = 0; i < c->n_ports; i++) {
		const struct cfg_port *t = &c->ports[i];
		if (!t->bridged_by)
			return fail(p, t->line, "port '%s' is not used: no segment has port = %s", t->name, t->name);
		for (unsigned k = 0; k < i; k++)
			if (c->ports[k].driver == t->driver && c->ports[k].index == t->index)
				return fail(p, t->index_line ? t->index_line : t->line,
					    "port '%s' is the same NIC as port '%s' (line %u): %s index %u", t->name,
					    c->ports[k].name, c->ports[k].line, config_driver_name(t->driver), t->index);
	}
	for (unsigned i = 0; i < c->n_vnics; i++) {
		struct cfg_vnic *v = &c->vnics[i];
		unsigned k = 0;
		while (k < c->n_segments && strcmp(c->segments[k].name, v->segment_name))
			k++;
		if (k == c->n_segments)
			return fail(p, v->line, "vNIC '%s' of app '%s': unknown segment '%s'", v->name, c->apps[v->app].name,
				    v->segment_name);
		v->segment = k;
		c->segments[k].n_vnics++;
	}
	for (unsigned i = 0; i < c->n_segments; i++)
		if (!c->segments[i].n_vnics)
			return fail(p, c->segments[i].line, "segment '%s' is not used: no app has a nic on it",
				    c->segments[i].name);
	for (unsigned i = 0; i < c->n_vnics; i++) {
		struct cfg_vnic *v = &c->vnics[i];
		if (v->mac_derived)
			derive_mac(c->name, c->apps[v->app].name, v->name, v->mac);
		for (unsigned k = 0; k < i; k++) {
			const struct cfg_vnic *o = &c->vnics[k];
			if (memcmp(o->mac, v->mac, MAC_LEN))
				continue;
			return fail(p, v->line, "vNIC '%s' of app '%s': %sMAC " MAC_FMT " is also vNIC '%s' of app '%s' (line %u)%s",
				    v->name, c->apps[v->app].name, v->mac_derived ? "derived " : "", MAC_ARGS(v->mac),
				    o->name, c->apps[o->app].name, o->line,
				    v->mac_derived || o->mac_derived ? ": set mac= on one of them" : "");
		}
	}
	return 0;
}
