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
 * tables and each app's ELF (elf_check against the app's image area). Returns 0, or
 * -UV_EINVAL with *err filled. Nothing in the manifest may be used before this passed.
 */
int manifest_check(const void *m, uint64_t len, struct manifest_error *err);

/* Whether s[0..max) holds a NUL-terminated name of 1..max-1 characters of [a-z0-9_-]. */
int manifest_name_valid(const char *s, size_t max);

#endif
