/* tests/unit/netgen.c: builds manifests with network records for the switch's tests and fuzzer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/netgen.h"

static void set_name(char *dst, const char *name)
{
	memset(dst, 0, UV_MANIFEST_NAME_MAX);
	snprintf(dst, UV_MANIFEST_NAME_MAX, "%s", name);
}

unsigned netgen_port(struct netgen *g, const char *name)
{
	if (g->n_ports == UV_MANIFEST_MAX_PORTS)
		abort();
	struct uv_manifest_port *p = &g->ports[g->n_ports];
	memset(p, 0, sizeof(*p));
	set_name(p->name, name);
	p->driver = UV_PORT_E1000;
	p->index = g->n_ports;
	return g->n_ports++;
}

unsigned netgen_segment(struct netgen *g, const char *name, uint32_t port)
{
	if (g->n_segments == UV_MANIFEST_MAX_SEGMENTS)
		abort();
	struct uv_manifest_segment *s = &g->segments[g->n_segments];
	memset(s, 0, sizeof(*s));
	set_name(s->name, name);
	s->port = port;
	return g->n_segments++;
}

unsigned netgen_vnic(struct netgen *g, const char *name, unsigned app, unsigned segment, const uint8_t mac[6],
		     uint32_t flags, unsigned queue)
{
	if (g->n_vnics == UV_MANIFEST_MAX_VNICS)
		abort();
	struct uv_manifest_vnic *v = &g->vnics[g->n_vnics];
	memset(v, 0, sizeof(*v));
	set_name(v->name, name);
	memcpy(v->mac, mac, sizeof(v->mac));
	v->app = app;
	v->segment = segment;
	v->flags = flags;
	v->queue = queue;
	return g->n_vnics++;
}

struct uv_manifest *netgen_build(const struct netgen *g)
{
	size_t head = sizeof(struct uv_manifest) + g->n_apps * sizeof(struct uv_manifest_app);
	size_t net = g->n_ports * sizeof(g->ports[0]) + g->n_segments * sizeof(g->segments[0]) +
		     g->n_vnics * sizeof(g->vnics[0]);
	size_t total = head + g->net_pad + net;
	/* Whole 8-byte words, so the header itself stays aligned whatever the padding. */
	uint64_t *words = calloc((total + 7) / 8, 8);
	if (!words)
		abort();
	struct uv_manifest *m = (struct uv_manifest *)words;
	m->magic = UV_MANIFEST_MAGIC;
	m->version = UV_MANIFEST_VERSION;
	m->total_size = total;
	m->n_apps = g->n_apps;
	snprintf(m->name, sizeof(m->name), "netgen");
	m->n_ports = g->n_ports;
	m->n_segments = g->n_segments;
	m->n_vnics = g->n_vnics;
	m->net.off = net ? head + g->net_pad : 0;
	m->net.size = net;
	uint8_t *at = (uint8_t *)m + head + g->net_pad;
	memcpy(at, g->ports, g->n_ports * sizeof(g->ports[0]));
	at += g->n_ports * sizeof(g->ports[0]);
	memcpy(at, g->segments, g->n_segments * sizeof(g->segments[0]));
	at += g->n_segments * sizeof(g->segments[0]);
	memcpy(at, g->vnics, g->n_vnics * sizeof(g->vnics[0]));
	return m;
}
