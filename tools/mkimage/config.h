/* tools/mkimage/config.h: an appliance config (a config/NAME.conf file) parsed and checked into plain data. */
#ifndef TOOLS_MKIMAGE_CONFIG_H
#define TOOLS_MKIMAGE_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include "include/abi/uv_manifest.h"

#define CFG_LINE_MAX 4096 /* longest line accepted, in bytes */
#define CFG_PATH_MAX 1024 /* longest ELF path */
#define CFG_WARN_MAX 16   /* warnings kept; later ones are only counted */
#define CFG_WARN_LEN 400  /* bytes of one warning, "file:line: warning: ..." */

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
	unsigned n_vnics;              /* its nic = lines: handles 0 .. n_vnics-1 */
	unsigned n_net_grants;         /* its net:NAME grants, resolved at the end of the section */
	char net_grants[UV_APP_MAX_VNICS][UV_MANIFEST_NAME_MAX];
	unsigned n_chan_grants;        /* its chan:NAME grants, resolved at the end of the file */
	char chan_grants[UV_APP_MAX_CHANS][UV_MANIFEST_NAME_MAX];
};

/* A [port NAME] section: a physical NIC the appliance uses. */
struct cfg_port {
	char name[UV_MANIFEST_NAME_MAX];
	unsigned line;                 /* the [port NAME] line */
	unsigned driver_line, index_line; /* where driver and index were set (0 = not set) */
	uint32_t driver;               /* enum uv_port_driver */
	uint32_t index;                /* which NIC of that driver, in PCI order */
	unsigned bridged_by;           /* 1 + the index of the segment bridged to it (0 = none yet) */
	unsigned hostfwd_line;         /* hostfwd = ... (emulator only, config_ip.c): where, or 0 */
};

/* A [segment NAME] section: a broadcast domain of the switch, internal or bridged to one port. */
struct cfg_segment {
	char name[UV_MANIFEST_NAME_MAX];
	unsigned line;                 /* the [segment NAME] line */
	unsigned port_line;            /* where port was set (0 = an internal segment) */
	char port_name[UV_MANIFEST_NAME_MAX];
	uint32_t port;                 /* index into config.ports, or UV_SEGMENT_INTERNAL */
	unsigned n_vnics;              /* vNICs on it */
};

/* One nic = line of an app: a vNIC. */
struct cfg_vnic {
	char name[UV_MANIFEST_NAME_MAX];
	unsigned line;                 /* the nic = line */
	unsigned app;                  /* index into config.apps */
	char segment_name[UV_MANIFEST_NAME_MAX];
	uint32_t segment;              /* index into config.segments */
	uint32_t flags;                /* UV_VNIC_* */
	uint32_t queue;                /* receive queue depth in frames */
	uint8_t mac[6];
	int mac_derived;               /* no mac= given: derived from the names */
	struct uv_vnic_ip ip;          /* ip= gw= dns= dhcp (config_ip.c), ip6= gw6= (config_ip6.c) */
	unsigned ip_seen;              /* which of them the line gave */
};

/* A [channel NAME] section: a one-way message queue from one app to another. */
struct cfg_chan {
	char name[UV_MANIFEST_NAME_MAX];
	unsigned line;                 /* the [channel NAME] line */
	unsigned sender_line, receiver_line, msg_max_line, depth_line; /* where each key was set (0 = not set) */
	char sender_name[UV_MANIFEST_NAME_MAX], receiver_name[UV_MANIFEST_NAME_MAX];
	uint32_t sender, receiver;     /* indices into config.apps, resolved at the end */
	uint32_t msg_max, depth;
	uint32_t flags;                /* UV_MCHAN_*_GRANTED */
	unsigned declassify_line;      /* [policy] declassify = chan:NAME names it (0 = not) */
};

/* deny_flow = FROM -> TO in [policy]: no path may lead from FROM to TO (config_flow.c). */
#define CFG_MAX_DENY 32
struct cfg_deny {
	unsigned line;
	char from[UV_MANIFEST_NAME_MAX + 8], to[UV_MANIFEST_NAME_MAX + 8]; /* as written: NAME or kind:NAME */
};

/* Which virtualization backends the image's kernel links ([appliance] hv = both | vmx | svm). */
enum cfg_hv { CFG_HV_BOTH, CFG_HV_VMX, CFG_HV_SVM };

struct config {
	const char *file;              /* for messages: file:line */
	char name[UV_MANIFEST_NAME_MAX];
	unsigned line;                 /* the [appliance] line */
	enum cfg_hv hv;
	unsigned n_apps;
	struct cfg_app apps[UV_MANIFEST_MAX_APPS];
	unsigned n_ports, n_segments, n_vnics;
	struct cfg_port ports[UV_MANIFEST_MAX_PORTS];
	struct cfg_segment segments[UV_MANIFEST_MAX_SEGMENTS];
	struct cfg_vnic vnics[UV_MANIFEST_MAX_VNICS]; /* in app order, then line order */
	unsigned n_chans;
	struct cfg_chan chans[UV_MANIFEST_MAX_CHANS]; /* in file order */
	unsigned policy_line;          /* the [policy] line (0 = none) */
	unsigned n_denies;
	struct cfg_deny denies[CFG_MAX_DENY];
	unsigned n_declassify;         /* declassify lines, resolved at the end */
	struct cfg_deny declassify[CFG_MAX_DENY]; /* .from holds the chan:NAME */
	unsigned n_warnings;           /* all warnings; the first CFG_WARN_MAX are in warnings[] */
	char warnings[CFG_WARN_MAX][CFG_WARN_LEN];
};

/*
 * Parses and checks the config text [text, text+len) read from `file`. On success
 * fills *cfg (every default applied, every name resolved, every MAC set) and returns
 * 0, with any warnings in cfg->warnings; on the first error writes
 * "file:line: message" to err and returns -1. The text is untrusted.
 */
int config_parse(const char *file, const char *text, size_t len, struct config *cfg, char *err,
		 size_t errlen);

/* The name of grant bit g (one of UV_GRANT_*), as written in configs. */
const char *config_grant_name(uint64_t g);

/* The word of hv choice h as written in configs: "both", "vmx" or "svm". */
const char *config_hv_name(enum cfg_hv h);

/* The name of port driver d (enum uv_port_driver) as written in configs, or "?". */
const char *config_driver_name(uint32_t d);

#endif
