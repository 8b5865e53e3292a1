/* kernel/app/manifest_net.c: the manifest's network records (ports, segments, vNICs): their check inside manifest_check, and the accessors callers read them with. */
#include "kernel/app/manifest_net.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/nospec.h"
#include "include/abi/uv_hypercall.h"

#define FAIL MANIFEST_FAIL
#define MAC_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define MAC_ARGS(m) (m)[0], (m)[1], (m)[2], (m)[3], (m)[4], (m)[5]
/* IEEE 802-2014 8.2.2: bit 0 of the first octet is the I/G bit (1 = a group address). */
#define MAC_GROUP_BIT 0x01u

/* The net blob's bytes for the counts in the header (each count already within its limit). */
static uint64_t net_size(const struct uv_manifest *h)
{
	return (uint64_t)h->n_ports * sizeof(struct uv_manifest_port) +
	       (uint64_t)h->n_segments * sizeof(struct uv_manifest_segment) +
	       (uint64_t)h->n_vnics * sizeof(struct uv_manifest_vnic);
}

const struct uv_manifest_port *manifest_ports(const struct uv_manifest *m)
{
	return (const struct uv_manifest_port *)((const uint8_t *)m + m->net.off);
}

const struct uv_manifest_segment *manifest_segments(const struct uv_manifest *m)
{
	return (const struct uv_manifest_segment *)((const uint8_t *)m + m->net.off +
						     (uint64_t)m->n_ports * sizeof(struct uv_manifest_port));
}

const struct uv_manifest_vnic *manifest_vnics(const struct uv_manifest *m)
{
	return (const struct uv_manifest_vnic *)((const uint8_t *)manifest_segments(m) +
						  (uint64_t)m->n_segments * sizeof(struct uv_manifest_segment));
}

int manifest_app_vnic(const struct uv_manifest *m, uint32_t app, uint32_t handle)
{
	const struct uv_manifest_vnic *v = manifest_vnics(m);
	uint32_t rank = 0;
	for (uint32_t i = 0; i < m->n_vnics; i++) {
		if (v[i].app != app)
			continue;
		if (rank++ == handle)
			return (int)nospec_index(i, m->n_vnics);
	}
	return -1;
}

uint32_t manifest_vnic_handle(const struct uv_manifest *m, uint32_t v)
{
	const struct uv_manifest_vnic *r = manifest_vnics(m);
	uint32_t rank = 0;
	if (v >= m->n_vnics)
		return UINT32_MAX;
	for (uint32_t i = 0; i < v; i++)
		rank += r[i].app == r[v].app;
	return rank;
}

int manifest_check_net_header(const struct uv_manifest *h, uint64_t lo, uint64_t total, struct manifest_error *e)
{
	if (h->n_ports > UV_MANIFEST_MAX_PORTS || h->n_segments > UV_MANIFEST_MAX_SEGMENTS ||
	    h->n_vnics > UV_MANIFEST_MAX_VNICS)
		FAIL(e, -1, "manifest has %u ports, %u segments, %u vNICs (at most %d, %d, %d)", h->n_ports,
		     h->n_segments, h->n_vnics, UV_MANIFEST_MAX_PORTS, UV_MANIFEST_MAX_SEGMENTS, UV_MANIFEST_MAX_VNICS);
	if (h->reserved0)
		FAIL(e, -1, "manifest reserved0 %#x is not zero", h->reserved0);
	uint64_t want = net_size(h);
	if (h->net.size != want)
		FAIL(e, -1, "net blob is %llu bytes, not the %llu of %u ports, %u segments and %u vNICs",
		     (unsigned long long)h->net.size, (unsigned long long)want, h->n_ports, h->n_segments, h->n_vnics);
	if (want == 0 && h->net.off)
		FAIL(e, -1, "empty net blob with offset %#llx", (unsigned long long)h->net.off);
	if (want && (!manifest_blob_inside(&h->net, lo, total) || h->net.off % 8))
		FAIL(e, -1, "net blob [%#llx, +%#llx) is misaligned or outside the manifest's blobs [%#llx, %#llx)",
		     (unsigned long long)h->net.off, (unsigned long long)h->net.size, (unsigned long long)lo,
		     (unsigned long long)total);
	return 0;
}

static const char *driver_name(uint32_t d)
{
	return d == UV_PORT_E1000 ? "e1000" : d == UV_PORT_VIRTIO_NET ? "virtio-net" : "?";
}

static int check_ports(const struct uv_manifest *h, const struct uv_manifest_port *p, struct manifest_error *e)
{
	for (uint32_t i = 0; i < h->n_ports; i++) {
		if (!manifest_name_field_ok(p[i].name))
			FAIL(e, -1, "port %u: name is not 1-31 of [a-z0-9_-] padded with NULs", i);
		for (uint32_t k = 0; k < i; k++)
			if (!strcmp(p[i].name, p[k].name))
				FAIL(e, -1, "port %u '%s': name is also port %u's", i, p[i].name, k);
		if (p[i].driver != UV_PORT_E1000 && p[i].driver != UV_PORT_VIRTIO_NET)
			FAIL(e, -1, "port %u '%s': unknown driver %u", i, p[i].name, p[i].driver);
		if (p[i].index > MANIFEST_PORT_INDEX_MAX)
			FAIL(e, -1, "port %u '%s': index %u is above %u", i, p[i].name, p[i].index, MANIFEST_PORT_INDEX_MAX);
		if (p[i].flags || p[i].reserved)
			FAIL(e, -1, "port %u '%s': flags or reserved fields are not zero", i, p[i].name);
		/* Two ports on one NIC would give one device two drivers' worth of owners. */
		for (uint32_t k = 0; k < i; k++)
			if (p[k].driver == p[i].driver && p[k].index == p[i].index)
				FAIL(e, -1, "port %u '%s': %s NIC %u is also port %u's", i, p[i].name,
				     driver_name(p[i].driver), p[i].index, k);
	}
	return 0;
}

static int check_segments(const struct uv_manifest *h, const struct uv_manifest_segment *s, struct manifest_error *e)
{
	for (uint32_t i = 0; i < h->n_segments; i++) {
		if (!manifest_name_field_ok(s[i].name))
			FAIL(e, -1, "segment %u: name is not 1-31 of [a-z0-9_-] padded with NULs", i);
		for (uint32_t k = 0; k < i; k++)
			if (!strcmp(s[i].name, s[k].name))
				FAIL(e, -1, "segment %u '%s': name is also segment %u's", i, s[i].name, k);
		if (s[i].port != UV_SEGMENT_INTERNAL && s[i].port >= h->n_ports)
			FAIL(e, -1, "segment %u '%s': port %u is neither one of the %u ports nor internal", i, s[i].name,
			     s[i].port, h->n_ports);
		for (uint32_t k = 0; k < i; k++)
			if (s[i].port != UV_SEGMENT_INTERNAL && s[k].port == s[i].port)
				FAIL(e, -1, "segment %u '%s': port %u is also bridged by segment %u", i, s[i].name, s[i].port, k);
		if (s[i].flags)
			FAIL(e, -1, "segment %u '%s': flags %#x are not zero", i, s[i].name, s[i].flags);
	}
	return 0;
}

static int mac_zero(const uint8_t mac[6])
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

/* addr as a host-order IPv4 number. */
static uint32_t ip4_of(const uint8_t a[4])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

/* A unicast host address outside 0/8, 127/8 (RFC 1122 3.2.1.3), 224/3 (multicast, class E). */
static int ip4_host_ok(uint32_t a)
{
	return (a >> 24) != 0 && (a >> 24) != 127 && (a >> 29) != 7 && (a >> 28) != 14;
}

/* A vNIC's IP configuration (include/abi/uv_netcfg.h): a message in why, or 0. */
static const char *vnic_ip_problem(const struct uv_vnic_ip *ip)
{
	if (ip->mode > UV_IP_MODE_MAX || ip->reserved[0] || ip->reserved[1])
		return "unknown IP mode or reserved bytes set";
	uint32_t dns = ip4_of(ip->dns), addr = ip4_of(ip->addr), gw = ip4_of(ip->gw);
	if (dns && !ip4_host_ok(dns))
		return "DNS server is not a unicast address";
	if (ip->mode != UV_IP_STATIC)
		return (addr || gw || ip->prefix) ? "address fields set without a static address" : 0;
	if (ip->prefix < UV_IP_PREFIX_MIN || ip->prefix > UV_IP_PREFIX_MAX)
		return "prefix length outside 1..30";
	uint32_t host = ~(0xffffffffu << (32 - ip->prefix)); /* prefix <= 30: the shift is defined */
	if (!ip4_host_ok(addr) || (addr & host) == 0 || (addr & host) == host)
		return "address is not a host address of its network";
	if (gw && (!ip4_host_ok(gw) || gw == addr || ((gw ^ addr) & ~host) || (gw & host) == 0 || (gw & host) == host))
		return "gateway is not another host of the address's network";
	return 0;
}

/* RFC 4291 2.4: what an IPv6 address (network order) may not be as a host's own address. */
static int ip6_zero(const uint8_t a[UV_IP6_LEN])
{
	uint8_t any = 0;
	for (unsigned i = 0; i < UV_IP6_LEN; i++)
		any |= a[i];
	return !any;
}

#define IP6_MULTICAST_FIRST 0xffu /* ff00::/8 */
#define IP6_LL_FIRST 0xfeu         /* fe80::/10: the first byte, */
#define IP6_LL_SECOND_MASK 0xc0u   /* the top two bits of the second */
#define IP6_LL_SECOND 0x80u

static int ip6_link_local(const uint8_t a[UV_IP6_LEN])
{
	return a[0] == IP6_LL_FIRST && (a[1] & IP6_LL_SECOND_MASK) == IP6_LL_SECOND;
}

/* Unicast and not ::, ::1 (2.5.2, 2.5.3), multicast ff00::/8 (2.7), ::ffff:0:0/96 (2.5.5.2). */
static int ip6_unicast(const uint8_t a[UV_IP6_LEN])
{
	uint8_t high = 0;
	for (unsigned i = 0; i < 10; i++)
		high |= a[i];
	if (!high && ((a[10] == 0xff && a[11] == 0xff) || (!(a[10] | a[11] | a[12] | a[13] | a[14]) && a[15] <= 1)))
		return 0;
	return a[0] != IP6_MULTICAST_FIRST;
}

#define BITS_PER_BYTE 8

/* 1 when a and b agree in their first prefix (0..128) bits. */
static int ip6_same_prefix(const uint8_t a[UV_IP6_LEN], const uint8_t b[UV_IP6_LEN], unsigned prefix)
{
	for (unsigned i = 0; i < UV_IP6_LEN && prefix; i++) {
		unsigned bits = prefix < BITS_PER_BYTE ? prefix : BITS_PER_BYTE;
		if ((a[i] ^ b[i]) & (uint8_t)(0xffu << (BITS_PER_BYTE - bits)))
			return 0;
		prefix -= bits;
	}
	return 1;
}

/* RFC 4291 2.6.1: a/prefix (prefix below 128) with its interface bits all zero is the Subnet-Router anycast address. */
static int ip6_subnet_anycast(const uint8_t a[UV_IP6_LEN], unsigned prefix)
{
	uint8_t net[UV_IP6_LEN];
	for (unsigned i = 0; i < UV_IP6_LEN; i++) {
		unsigned keep = prefix > i * BITS_PER_BYTE ? prefix - i * BITS_PER_BYTE : 0;
		net[i] = keep >= BITS_PER_BYTE ? a[i] : (uint8_t)(a[i] & (0xffu << (BITS_PER_BYTE - keep)));
	}
	return prefix < UV_IP6_PREFIX_MAX && !memcmp(net, a, UV_IP6_LEN);
}

/* The IPv6 half of a vNIC's IP configuration (include/abi/uv_netcfg.h): a message, or 0. */
static const char *vnic_ip6_problem(const struct uv_vnic_ip *ip)
{
	uint8_t res = 0;
	for (unsigned i = 0; i < sizeof(ip->reserved6); i++)
		res |= ip->reserved6[i];
	if (ip->mode6 > UV_IP6_MODE_MAX || res)
		return "unknown IPv6 mode or reserved bytes set";
	if (ip->mode6 == UV_IP6_NONE)
		return (ip->prefix6 || !ip6_zero(ip->addr6) || !ip6_zero(ip->gw6)) ? "IPv6 fields set without IPv6" : 0;
	if (ip->mode6 == UV_IP6_LINK_LOCAL) {
		if (ip->prefix6 || !ip6_zero(ip->addr6))
			return "IPv6 address set with link-local only";
		if (!ip6_zero(ip->gw6) && (!ip6_unicast(ip->gw6) || !ip6_link_local(ip->gw6)))
			return "IPv6 gateway is not a link-local unicast address";
		return 0;
	}
	if (ip->prefix6 < UV_IP6_PREFIX_MIN || ip->prefix6 > UV_IP6_PREFIX_MAX)
		return "IPv6 prefix length outside 1..128";
	if (!ip6_unicast(ip->addr6) || ip6_link_local(ip->addr6) || ip6_subnet_anycast(ip->addr6, ip->prefix6))
		return "IPv6 address is not a unicast host address outside fe80::/10";
	if (!ip6_zero(ip->gw6) && (!ip6_unicast(ip->gw6) || !memcmp(ip->gw6, ip->addr6, UV_IP6_LEN) ||
				   (!ip6_link_local(ip->gw6) && !ip6_same_prefix(ip->gw6, ip->addr6, ip->prefix6))))
		return "IPv6 gateway is neither link-local nor another address of the prefix";
	return 0;
}

/* One vNIC record against the header, the apps and the vNICs before it. */
static int check_vnic(const struct uv_manifest *h, const struct uv_manifest_vnic *v, uint32_t i,
		      struct manifest_error *e)
{
	const struct uv_manifest_vnic *r = &v[i];
	if (r->app >= h->n_apps)
		FAIL(e, -1, "vNIC %u: app %u is not one of the %u apps", i, r->app, h->n_apps);
	int app = (int)nospec_index(r->app, h->n_apps);
	const char *an = h->apps[app].name;
	if (!manifest_name_field_ok(r->name))
		FAIL(e, app, "vNIC %u of app %d '%s': name is not 1-31 of [a-z0-9_-] padded with NULs", i, app, an);
	char who[96];
	ksnprintf(who, sizeof(who), "vNIC %u '%s' of app %d '%s'", i, r->name, app, an);
	uint32_t before = 0;
	for (uint32_t k = 0; k < i; k++) {
		if (v[k].app != r->app)
			continue;
		before++;
		if (!strcmp(v[k].name, r->name))
			FAIL(e, app, "%s: name is also vNIC %u's", who, k);
	}
	if (before >= UV_APP_MAX_VNICS)
		FAIL(e, app, "%s: the app has more than %d vNICs", who, UV_APP_MAX_VNICS);
	if (r->segment >= h->n_segments)
		FAIL(e, app, "%s: segment %u is not one of the %u segments", who, r->segment, h->n_segments);
	if (r->flags & ~UV_VNIC_FLAGS_KNOWN)
		FAIL(e, app, "%s: unknown flags %#x", who, r->flags & ~UV_VNIC_FLAGS_KNOWN);
	if (r->reserved0 || r->reserved1[0] || r->reserved1[1])
		FAIL(e, app, "%s: reserved fields are not zero", who);
	const char *ipp = vnic_ip_problem(&r->ip);
	if (!ipp)
		ipp = vnic_ip6_problem(&r->ip);
	if (ipp)
		FAIL(e, app, "%s: IP configuration: %s", who, ipp);
	if ((r->mac[0] & MAC_GROUP_BIT) || mac_zero(r->mac))
		FAIL(e, app, "%s: MAC " MAC_FMT " is multicast or zero", who, MAC_ARGS(r->mac));
	for (uint32_t k = 0; k < i; k++)
		if (!memcmp(v[k].mac, r->mac, sizeof(r->mac)))
			FAIL(e, app, "%s: MAC " MAC_FMT " is also vNIC %u's", who, MAC_ARGS(r->mac), k);
	if (r->queue == 0 || r->queue > UV_VNIC_QUEUE_MAX)
		FAIL(e, app, "%s: queue %u is outside 1..%d", who, r->queue, UV_VNIC_QUEUE_MAX);
	return 0;
}

int manifest_check_net(const struct uv_manifest *h, struct manifest_error *e)
{
	for (uint32_t i = 0; i < h->n_apps; i++) {
		const struct uv_manifest_app *a = &h->apps[i];
		if (manifest_blobs_overlap(&h->net, &a->image) || manifest_blobs_overlap(&h->net, &a->args) ||
		    manifest_blobs_overlap(&h->net, &a->syms))
			FAIL(e, -1, "net blob [%#llx, +%#llx) overlaps a blob of app %u '%s'",
			     (unsigned long long)h->net.off, (unsigned long long)h->net.size, i, a->name);
	}
	if (check_ports(h, manifest_ports(h), e) || check_segments(h, manifest_segments(h), e))
		return -UV_EINVAL;
	const struct uv_manifest_vnic *v = manifest_vnics(h);
	for (uint32_t i = 0; i < h->n_vnics; i++)
		if (check_vnic(h, v, i, e))
			return -UV_EINVAL;
	/* The net calls are granted to an app exactly when one of its vNICs is. */
	for (uint32_t i = 0; i < h->n_apps; i++) {
		int granted = -1;
		for (uint32_t k = 0; k < h->n_vnics && granted < 0; k++)
			if (v[k].app == i && (v[k].flags & UV_VNIC_GRANTED))
				granted = (int)k;
		const struct uv_manifest_app *a = &h->apps[i];
		if ((a->grants & UV_GRANT_NET) && granted < 0)
			FAIL(e, (int)i, "app %u '%s': grants has net but none of its vNICs is granted", i, a->name);
		if (!(a->grants & UV_GRANT_NET) && granted >= 0)
			FAIL(e, (int)i, "app %u '%s': vNIC %d '%s' is granted but the app's grants lack net", i, a->name,
			     granted, v[granted].name);
	}
	/* IPv6 is turned on by the app's stack only where it may send (mkimage's config_ip6.c says so first). */
	for (uint32_t k = 0; k < h->n_vnics; k++)
		if (v[k].ip.mode6 != UV_IP6_NONE && !(v[k].flags & UV_VNIC_GRANTED))
			FAIL(e, (int)v[k].app, "vNIC %u '%s' of app %u '%s': IP configuration: IPv6 on a vNIC the app is not granted",
			     k, v[k].name, v[k].app, h->apps[nospec_index(v[k].app, h->n_apps)].name);
	return 0;
}
