/* tools/mkimage/config.h: an appliance config (a config/NAME.conf file) parsed and checked into plain data. */
#ifndef TOOLS_MKIMAGE_CONFIG_H
#define TOOLS_MKIMAGE_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "include/abi/uv_manifest.h"

#define CFG_LINE_MAX 4096 /* longest line accepted, in bytes */
#define CFG_PATH_MAX 1024 /* longest ELF path */

/* The keys of an [app] section; cfg_app.key_line[k] is where key k was set (0 = not set). */
enum cfg_app_key {
	K_ELF,
	K_MEMORY,
	K_STACK,
	K_ARGS,
	K_GRANTS,
	K_RESTART,
	K_RESTART_LIMIT,
	K_RESTART_BACKOFF,
	K_EXCEPTIONS,
	K_APP_KEYS
};

struct cfg_app {
	char name[UV_MANIFEST_NAME_MAX];
	unsigned line;                 /* the [app NAME] line */
	unsigned key_line[K_APP_KEYS];
	char elf[CFG_PATH_MAX];
	uint64_t mem_size, stack_size;
	uint64_t grants;               /* enum uv_grant mask, always with UV_GRANT_BASE */
	uint32_t restart, restart_limit, restart_backoff_ms, flags;
	uint32_t argc, args_len;       /* args: argc NUL-terminated strings, argv[0] = name */
	char args[UV_BOOT_INFO_ARGS_MAX];
};

struct config {
	const char *file;              /* for messages: file:line */
	char name[UV_MANIFEST_NAME_MAX];
	unsigned line;                 /* the [appliance] line */
	unsigned n_apps;
	struct cfg_app apps[UV_MANIFEST_MAX_APPS];
};

/*
 * Parses and checks the config text [text, text+len) read from `file`. On success
 * fills *cfg (every default applied) and returns 0; on the first error writes
 * "file:line: message" to err and returns -1. The text is untrusted.
 */
int config_parse(const char *file, const char *text, size_t len, struct config *cfg, char *err,
		 size_t errlen);

/* The name of grant bit g (one of UV_GRANT_*), as written in configs. */
const char *config_grant_name(uint64_t g);

#endif
