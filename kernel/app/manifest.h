/* kernel/app/manifest.h: the one validator of an image manifest, used by the kernel before loading and by mkimage. */
#ifndef KERNEL_MANIFEST_H
#define KERNEL_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include "include/abi/uv_manifest.h"

#define MANIFEST_RESTART_LIMIT_MAX 1000u     /* restarts an app may be given */
#define MANIFEST_BACKOFF_MAX_MS 3600000u     /* longest restart backoff: 1 hour */

struct manifest_error {
	int app;       /* index of the app at fault, or -1 for the header */
	char msg[200]; /* one line: what is wrong, naming the app and the field */
};

/*
 * Checks the untrusted manifest [m, m+len) completely: header, every app record,
 * every blob inside the manifest, names, sizes, grants, policies, arguments, symbol
 * tables, each app's loads (manifest_loads_check) and the network
 * records (ports, segments, vNICs: kernel/app/manifest_net.c) and the channels
 * (kernel/app/manifest_chan.c). Returns 0, or
 * -UV_EINVAL with *err filled. Nothing in the manifest may be used before this passed.
 */
int manifest_check(const void *m, uint64_t len, struct manifest_error *err);

/*
 * Checks app record a's loadable segments: 1..UV_MANIFEST_MAX_LOADS of them (the rest
 * zero), each whole pages with known flags inside the app's image area [UV_GUEST_IMAGE_MIN,
 * stack guard page), its bytes inside the image blob (a->image.size; the blob itself is
 * checked by manifest_check), none overlapping, the entry point in an executable one.
 * Sets *highest to the end of the highest one. 0, or -UV_EINVAL with a one-line reason.
 */
int manifest_loads_check(const struct uv_manifest_app *a, uint64_t *highest, char *why, size_t whylen);

/* Whether s[0..max) holds a NUL-terminated name of 1..max-1 characters of [a-z0-9_-]. */
int manifest_name_valid(const char *s, size_t max);

/*
 * The network records (kernel/app/manifest_net.c). manifest_check refuses a net blob
 * that breaks any of these rules, so callers may rely on them after it passed.
 */
#define MANIFEST_PORT_INDEX_MAX 15u /* uv_manifest_port.index: the 16th NIC of a driver at most */

/*
 * The ports, segments and vNICs of a manifest that passed manifest_check: arrays of
 * m->n_ports, m->n_segments and m->n_vnics records inside the manifest (not copies).
 * With a count of 0 the pointer must not be dereferenced.
 */
const struct uv_manifest_port *manifest_ports(const struct uv_manifest *m);
const struct uv_manifest_segment *manifest_segments(const struct uv_manifest *m);
const struct uv_manifest_vnic *manifest_vnics(const struct uv_manifest *m);

/*
 * The index into manifest_vnics(m) of app `app`'s vNIC handle `handle` (its rank among
 * that app's vNICs), or -1 when the app has no such vNIC. Either argument may come from
 * a guest: the result is clamped below n_vnics after the search (Spectre v1). It walks
 * every vNIC: bind at boot and keep a table for hot paths.
 */
int manifest_app_vnic(const struct uv_manifest *m, uint32_t app, uint32_t handle);

/*
 * The channel records of a manifest that passed manifest_check (kernel/app/manifest_chan.c):
 * an array of m->n_chans records inside the manifest; with 0 it must not be dereferenced.
 */
const struct uv_manifest_chan *manifest_chans(const struct uv_manifest *m);

/* The handle vNIC v has in its app (its rank among the app's vNICs), or UINT32_MAX when v >= m->n_vnics. */
uint32_t manifest_vnic_handle(const struct uv_manifest *m, uint32_t v);

#endif
