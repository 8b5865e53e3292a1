/* tools/mkimage/summary.c: the summary mkimage prints of a built manifest: apps, their vNICs, ports, segments. */
#include <string.h>
#include "tools/mkimage/summary.h"
#include "tools/mkimage/config.h"
#include "libos/net/inet6.h"
#include "kernel/app/manifest.h"
#include "include/abi/uv_hypercall.h"

static const char *plural(uint32_t n)
{
	return n == 1 ? "" : "s";
}

/* A size as K, or M when it is a whole number of MiB. */
static void put_size(FILE *f, uint64_t bytes)
{
	if (bytes % (1u << 20) == 0)
		fprintf(f, "%lluM", (unsigned long long)(bytes >> 20));
	else
		fprintf(f, "%lluK", (unsigned long long)(bytes >> 10));
}

/* ", ip A.B.C.D/N gw G dns D" or ", dhcp" (nothing without an address), then the newline. */
static void put_ip(FILE *f, const struct uv_vnic_ip *ip)
{
	if (ip->mode == UV_IP_STATIC)
		fprintf(f, ", ip %u.%u.%u.%u/%u gw %u.%u.%u.%u", ip->addr[0], ip->addr[1], ip->addr[2], ip->addr[3], ip->prefix,
			ip->gw[0], ip->gw[1], ip->gw[2], ip->gw[3]);
	else if (ip->mode == UV_IP_DHCP)
		fprintf(f, ", dhcp");
	if (ip->mode != UV_IP_NONE && (ip->dns[0] | ip->dns[1] | ip->dns[2] | ip->dns[3]))
		fprintf(f, " dns %u.%u.%u.%u", ip->dns[0], ip->dns[1], ip->dns[2], ip->dns[3]);
	char a6[UV_INET6_STRLEN], g6[UV_INET6_STRLEN];
	static const uint8_t zero6[UV_IP6_LEN];
	if (ip->mode6 == UV_IP6_LINK_LOCAL)
		fprintf(f, ", ip6 link-local");
	else if (ip->mode6 == UV_IP6_STATIC)
		fprintf(f, ", ip6 link-local %s/%u", uv_inet_ntop6(ip->addr6, a6, sizeof(a6)), ip->prefix6);
	if (ip->mode6 != UV_IP6_NONE && memcmp(ip->gw6, zero6, UV_IP6_LEN))
		fprintf(f, " gw6 %s", uv_inet_ntop6(ip->gw6, g6, sizeof(g6)));
	fputc('\n', f);
}

static void put_app(FILE *f, const struct uv_manifest *h, uint32_t i)
{
	static const char *const restart[] = { "never", "always", "on-failure" };
	const struct uv_manifest_app *a = &h->apps[i];
	fprintf(f, "  app %s: memory ", a->name);
	put_size(f, a->mem_size);
	fprintf(f, ", stack ");
	put_size(f, a->stack_size);
	fprintf(f, ", grants");
	for (uint64_t g = 1; g <= UV_GRANT_ALL_KNOWN; g <<= 1)
		if (a->grants & g)
			fprintf(f, " %s", config_grant_name(g));
	fprintf(f, ", restart %s", restart[a->restart]);
	if (a->restart != UV_RESTART_NEVER)
		fprintf(f, " (at most %u, backoff %u ms)", a->restart_limit, a->restart_backoff_ms);
	fprintf(f, ", image %llu bytes in %u segments\n", (unsigned long long)a->image.size, a->n_loads);
	const struct uv_manifest_vnic *v = manifest_vnics(h);
	const struct uv_manifest_segment *s = manifest_segments(h);
	for (uint32_t k = 0; k < h->n_vnics; k++) {
		if (v[k].app != i)
			continue;
		fprintf(f, "    nic %u %s: segment %s, mac %02x:%02x:%02x:%02x:%02x:%02x, queue %u%s%s%s",
			manifest_vnic_handle(h, k), v[k].name, s[v[k].segment].name, v[k].mac[0], v[k].mac[1], v[k].mac[2],
			v[k].mac[3], v[k].mac[4], v[k].mac[5], v[k].queue, v[k].flags & UV_VNIC_PROMISC ? ", promisc" : "",
			v[k].flags & UV_VNIC_ANY_SRC ? ", any-src" : "",
			v[k].flags & UV_VNIC_GRANTED ? ", granted" : ", NOT granted");
		put_ip(f, &v[k].ip);
	}
	const struct uv_manifest_chan *c = manifest_chans(h);
	for (uint32_t k = 0, handle = 0; k < h->n_chans; k++) {
		if (c[k].sender != i && c[k].receiver != i)
			continue;
		int send = c[k].sender == i;
		uint32_t granted = c[k].flags & (send ? UV_MCHAN_SENDER_GRANTED : UV_MCHAN_RECEIVER_GRANTED);
		fprintf(f, "    chan %u %s: %s %s, msg_max %u, depth %u%s\n", handle++, c[k].name, send ? "sends to" : "receives from",
			h->apps[send ? c[k].receiver : c[k].sender].name, c[k].msg_max, c[k].depth,
			granted ? ", granted" : ", NOT granted");
	}
}

void manifest_summary(FILE *f, const uint8_t *m)
{
	const struct uv_manifest *h = (const struct uv_manifest *)m;
	fprintf(f, "appliance '%s': %u app%s, %u port%s, %u segment%s, %u vNIC%s, %u channel%s; manifest %llu bytes\n",
		h->name, h->n_apps, plural(h->n_apps), h->n_ports, plural(h->n_ports), h->n_segments,
		plural(h->n_segments), h->n_vnics, plural(h->n_vnics), h->n_chans, plural(h->n_chans),
		(unsigned long long)h->total_size);
	for (uint32_t i = 0; i < h->n_apps; i++)
		put_app(f, h, i);
	const struct uv_manifest_port *p = manifest_ports(h);
	const struct uv_manifest_segment *s = manifest_segments(h);
	const struct uv_manifest_vnic *v = manifest_vnics(h);
	for (uint32_t i = 0; i < h->n_ports; i++)
		fprintf(f, "  port %s: %s NIC %u\n", p[i].name, config_driver_name(p[i].driver), p[i].index);
	for (uint32_t i = 0; i < h->n_segments; i++) {
		if (s[i].port == UV_SEGMENT_INTERNAL)
			fprintf(f, "  segment %s: internal:", s[i].name);
		else
			fprintf(f, "  segment %s: bridged to port %s:", s[i].name, p[s[i].port].name);
		for (uint32_t k = 0; k < h->n_vnics; k++)
			if (v[k].segment == i)
				fprintf(f, " %s.%s", h->apps[v[k].app].name, v[k].name);
		fputc('\n', f);
	}
}
