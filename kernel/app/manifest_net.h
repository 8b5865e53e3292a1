/* kernel/app/manifest_net.h: internal to the manifest validator: what manifest.c and manifest_net.c share. */
#ifndef KERNEL_APP_MANIFEST_NET_H
#define KERNEL_APP_MANIFEST_NET_H

#include "kernel/app/manifest.h"
#include "kernel/lib/format.h"
#include "include/abi/uv_errno.h"

/* Fills *e (the app at fault, or -1) with a message and returns -UV_EINVAL from the caller. */
#define MANIFEST_FAIL(e, i, ...)                                     \
	do {                                                         \
		(e)->app = (i);                                      \
		ksnprintf((e)->msg, sizeof((e)->msg), __VA_ARGS__);  \
		return -UV_EINVAL;                                   \
	} while (0)

/* A fixed-size name field: a valid name, then only NULs up to the end of the field. */
int manifest_name_field_ok(const char name[UV_MANIFEST_NAME_MAX]);

/* Whether the blob lies in [lo, total) without wrapping. */
int manifest_blob_inside(const struct uv_manifest_blob *b, uint64_t lo, uint64_t total);

/* Whether the non-empty blobs a and b share a byte (both lie inside the manifest: no wrap). */
int manifest_blobs_overlap(const struct uv_manifest_blob *a, const struct uv_manifest_blob *b);

/*
 * The header's network fields: counts within the limits, reserved0 zero, the net blob
 * exactly the records' size, 8-byte aligned inside [lo, total). Reads nothing outside
 * the header. Returns 0 or -UV_EINVAL with *e filled (app -1).
 */
int manifest_check_net_header(const struct uv_manifest *h, uint64_t lo, uint64_t total, struct manifest_error *e);

/*
 * Every network record, once the header and every app record have passed: the blob
 * overlaps no app blob, names, indices, drivers, flags, MACs, queues, per-app limits,
 * and each app's net grant matches its granted vNICs. Returns 0 or -UV_EINVAL.
 */
int manifest_check_net(const struct uv_manifest *h, struct manifest_error *e);

#endif
