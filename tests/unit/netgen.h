/* tests/unit/netgen.h: builds manifests with network records (ports, segments, vNICs) for the switch's unit tests and fuzzer. */
#ifndef TESTS_UNIT_NETGEN_H
#define TESTS_UNIT_NETGEN_H

#include <stdint.h>
#include "include/abi/uv_manifest.h"

struct netgen {
	unsigned n_apps; /* app records in the manifest (all zero: the switch reads only the count) */
	unsigned n_ports, n_segments, n_vnics;
	unsigned net_pad; /* bytes before the net blob: records at any alignment */
	struct uv_manifest_port ports[UV_MANIFEST_MAX_PORTS];
	struct uv_manifest_segment segments[UV_MANIFEST_MAX_SEGMENTS];
	struct uv_manifest_vnic vnics[UV_MANIFEST_MAX_VNICS];
};

/* Each adds one record (beyond the maximum: abort) and returns its index. */
unsigned netgen_port(struct netgen *g, const char *name);
unsigned netgen_segment(struct netgen *g, const char *name, uint32_t port); /* port or UV_SEGMENT_INTERNAL */
unsigned netgen_vnic(struct netgen *g, const char *name, unsigned app, unsigned segment, const uint8_t mac[6],
		     uint32_t flags, unsigned queue);
/* The manifest (malloc'd, free() it): header, n_apps zeroed app records, net_pad bytes,
 * the records. */
struct uv_manifest *netgen_build(const struct netgen *g);

#endif
