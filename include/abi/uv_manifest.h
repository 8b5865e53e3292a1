/* include/abi/uv_manifest.h: the image manifest mkimage writes and the kernel re-checks before use. */
#ifndef UV_ABI_MANIFEST_H
#define UV_ABI_MANIFEST_H

#include "uv_types.h"
#include "uv_bootinfo.h"

/*
 * The payload embedded in the kernel image (section .uv_payload, symbols
 * __uv_payload_start/__uv_payload_end) is one manifest: a header, n_apps app
 * records, then blobs (app ELFs, symbol tables, argument strings) that the records
 * point at by offset from the start of the manifest. All integers little-endian.
 * Every offset/size is untrusted: the kernel validates the whole manifest with the
 * same code mkimage uses (kernel/app/manifest.c) before it touches any blob.
 */
#define UV_MANIFEST_MAGIC 0x464d5655u /* "UVMF" */
#define UV_MANIFEST_VERSION 1u
#define UV_MANIFEST_MAX_APPS 16
#define UV_MANIFEST_NAME_MAX 32 /* including the NUL */

enum uv_restart_policy {
	UV_RESTART_NEVER = 0,
	UV_RESTART_ALWAYS = 1,
	UV_RESTART_ON_FAILURE = 2,
};

/* uv_manifest_app.flags */
#define UV_APP_GUEST_EXCEPTIONS 1u /* exceptions go to the app's own IDT (not intercepted) */

struct uv_manifest_blob {
	uint64_t off;  /* from the start of the manifest */
	uint64_t size; /* bytes; 0 = absent */
};

struct uv_manifest_app {
	char name[UV_MANIFEST_NAME_MAX]; /* NUL-terminated, [a-z0-9_-]+ , unique */
	uint64_t mem_size;               /* bytes, a multiple of 4 KiB, within [UV_GUEST_MEM_MIN, UV_GUEST_MEM_MAX] */
	uint64_t stack_size;             /* bytes, a multiple of 4 KiB */
	uint64_t grants;                 /* enum uv_grant mask */
	uint32_t restart;                /* enum uv_restart_policy */
	uint32_t restart_limit;          /* restarts allowed (policy != never) */
	uint32_t restart_backoff_ms;     /* delay before a restart, doubled each time */
	uint32_t flags;                  /* UV_APP_* */
	uint32_t argc;                   /* strings in args */
	uint32_t reserved0;
	struct uv_manifest_blob elf;     /* the app's static x86-64 ELF */
	struct uv_manifest_blob args;    /* argc NUL-terminated strings, <= UV_BOOT_INFO_ARGS_MAX bytes */
	struct uv_manifest_blob syms;    /* struct uv_symtab, or size 0 */
	uint64_t reserved[4];            /* NICs and channels, later */
};

struct uv_manifest {
	uint32_t magic;                  /* UV_MANIFEST_MAGIC */
	uint32_t version;                /* UV_MANIFEST_VERSION */
	uint64_t total_size;             /* bytes of the whole manifest including blobs */
	uint32_t n_apps;                 /* 1 .. UV_MANIFEST_MAX_APPS */
	uint32_t flags;                  /* reserved, 0 */
	char name[UV_MANIFEST_NAME_MAX]; /* the appliance's name */
	struct uv_manifest_app apps[];   /* n_apps records */
};

/*
 * Symbol table blob: a header, n sorted entries, then a string table. Function
 * symbols only (STT_FUNC), sorted by addr, for naming RIP in crash reports.
 */
struct uv_symtab {
	uint32_t n;          /* entries */
	uint32_t strtab_size;
	struct uv_sym {
		uint64_t addr;
		uint32_t size;
		uint32_t name_off; /* into the string table that follows the entries */
	} syms[];
};

UV_STATIC_ASSERT(sizeof(struct uv_manifest_blob) == 16, "blob layout");
UV_STATIC_ASSERT(sizeof(struct uv_manifest_app) == 160, "app record layout");
UV_STATIC_ASSERT(sizeof(struct uv_manifest) == 56, "manifest header layout");

#endif
