/* kernel/app/manifest_chan.h: internal to the manifest validator: the channel records' checks manifest.c calls. */
#ifndef KERNEL_APP_MANIFEST_CHAN_H
#define KERNEL_APP_MANIFEST_CHAN_H

#include "kernel/app/manifest_net.h"

/*
 * The header's channel fields: n_chans within its limit, reserved1 zero, the chan blob
 * exactly the records' size, 8-byte aligned inside [lo, total). Reads nothing outside
 * the header. Returns 0 or -UV_EINVAL with *e filled (app -1).
 */
int manifest_check_chan_header(const struct uv_manifest *h, uint64_t lo, uint64_t total, struct manifest_error *e);

/*
 * Every channel record, once the header and every app record have passed: the blob
 * overlaps no other blob, names, the two apps (different), sizes, flags, the queues'
 * memory together, each app's channel ends (at most UV_APP_MAX_CHANS) and its chan
 * grant matching its granted ends. Returns 0 or -UV_EINVAL.
 */
int manifest_check_chan(const struct uv_manifest *h, struct manifest_error *e);

#endif
