/* tools/mkimage/build.h: turns a parsed config and its app ELFs into a checked manifest (include/abi/uv_manifest.h). */
#ifndef TOOLS_MKIMAGE_BUILD_H
#define TOOLS_MKIMAGE_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include "tools/mkimage/config.h"

/* Reads the file at path into a malloc'd *buf of *len bytes; returns 0 or a positive errno. */
typedef int (*mkimage_loader)(void *ctx, const char *path, uint8_t **buf, size_t *len);

/*
 * Loads and checks every app's ELF (static x86-64, inside the app's memory, grant
 * stubs covered by its grants), and lays out the manifest in a malloc'd *out of
 * *outlen bytes, which passes manifest_check. On error returns -1 with
 * "file:line: message" in err.
 */
int manifest_build(const struct config *cfg, mkimage_loader load, void *ctx, uint8_t **out, size_t *outlen,
		   char *err, size_t errlen);

#endif
