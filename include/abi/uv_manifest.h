/* include/abi/uv_manifest.h: the image manifest mkimage writes and the kernel re-checks before use. */
#ifndef UV_ABI_MANIFEST_H
#define UV_ABI_MANIFEST_H

#include "uv_types.h"
#include "uv_bootinfo.h"
#include "uv_netcfg.h"

/*
 * The payload embedded in the kernel image (section .uv_payload, symbols
 * __uv_payload_start/__uv_payload_end) is one manifest: a header, n_apps app
 * records, then blobs (app images, symbol tables, argument strings) that the records
 * point at by offset from the start of the manifest. All integers little-endian.
 * mkimage reads the apps' ELFs; an app's record carries what the kernel loads (its
 * loadable segments and entry point, version 5), so no ELF parser runs in root mode.
 * Every offset/size is untrusted: the kernel validates the whole manifest with the
 * same code mkimage uses (kernel/app/manifest.c) before it touches any blob.
 */
#define UV_MANIFEST_MAGIC 0x464d5655u /* "UVMF" */
#define UV_MANIFEST_VERSION 5u /* 3: channels; vNIC records carry their IP configuration; 4: and IPv6; 5: loads, not ELFs */
#define UV_MANIFEST_MAX_APPS 16
#define UV_MANIFEST_NAME_MAX 32 /* including the NUL */
#define UV_MANIFEST_MAX_PORTS 4     /* physical NICs the appliance uses */
#define UV_MANIFEST_MAX_SEGMENTS 16
#define UV_MANIFEST_MAX_LOADS 8     /* loadable segments of an app */
#define UV_MANIFEST_MAX_VNICS 64    /* over all apps */
#define UV_APP_MAX_VNICS 8          /* per app: its NIC handles 0..7 (yield mask bits 0..7) */
#define UV_VNIC_QUEUE_DEFAULT 64    /* frames a vNIC's receive queue holds */
#define UV_VNIC_QUEUE_MAX 1024
#define UV_MANIFEST_MAX_CHANS 64    /* channels in the appliance */
#define UV_APP_MAX_CHANS 32         /* channel ends per app: its handles 0..31 (yield mask bits 32..63) */
#define UV_CHAN_MSG_MAX 65536       /* largest msg_max of a channel, bytes */
#define UV_CHAN_DEPTH_MAX 1024      /* deepest queue of a channel, messages */
#define UV_CHAN_DEPTH_DEFAULT 16
#define UV_CHAN_MEM_MAX (16u << 20) /* kernel memory of all channel queues together (UV_CHAN_QUEUE_BYTES) */
/* Kernel bytes of one channel's queue: each slot holds msg_max bytes rounded up to 8 and
 * a 4-byte length. Counted against UV_CHAN_MEM_MAX by mkimage and the kernel alike. */
#define UV_CHAN_QUEUE_BYTES(msg_max, depth) \
	((uint64_t)(depth) * ((((uint64_t)(msg_max) + 7u) & ~(uint64_t)7u) + 4u))

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

/* uv_manifest_load.flags: its pages' permissions in the app (ELF's p_flags bits) */
#define UV_LOAD_X 1u
#define UV_LOAD_W 2u
#define UV_LOAD_R 4u

/* One loadable segment: pages [vaddr, vaddr + memsz), filesz bytes of the app's image
 * blob from off copied to vaddr + skip, the rest zero. */
struct uv_manifest_load {
	uint64_t vaddr;  /* page-aligned, inside the app's image area (uv_bootinfo.h) */
	uint64_t memsz;  /* whole pages */
	uint64_t off;    /* from the start of the image blob */
	uint64_t filesz; /* skip + filesz <= memsz */
	uint32_t skip;   /* < 4 KiB: where in the first page the bytes start */
	uint32_t flags;  /* UV_LOAD_* */
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
	struct uv_manifest_blob image;   /* the bytes its loads copy */
	struct uv_manifest_blob args;    /* argc NUL-terminated strings, <= UV_BOOT_INFO_ARGS_MAX bytes */
	struct uv_manifest_blob syms;    /* struct uv_symtab, or size 0 */
	uint64_t entry;                  /* inside an executable load */
	uint32_t n_loads;                /* 1..UV_MANIFEST_MAX_LOADS; the records past it are 0 */
	uint32_t reserved1;
	struct uv_manifest_load load[UV_MANIFEST_MAX_LOADS]; /* not overlapping */
	uint64_t reserved[2];            /* 0 */
};

/*
 * The network (manifest version 2): ports are the physical NICs the appliance uses,
 * segments are the switch's broadcast domains, each internal or bridged to one port,
 * vNICs are the apps' NICs, each on one segment. All three are arrays in the net blob,
 * in this order; a vNIC's handle in its app is its rank among that app's vNICs in the
 * array (the first vNIC of app 3 is handle 0). Names are [a-z0-9_-]+, unique per kind
 * (vNIC names unique per app).
 */
enum uv_port_driver {
	UV_PORT_E1000 = 1,      /* Intel 82540EM */
	UV_PORT_VIRTIO_NET = 2, /* virtio-net 1.0, modern */
};

struct uv_manifest_port {
	char name[UV_MANIFEST_NAME_MAX];
	uint32_t driver;   /* enum uv_port_driver */
	uint32_t index;    /* which of the machine's NICs of that driver, in PCI order (0 = first) */
	uint32_t flags;    /* reserved, 0 */
	uint32_t reserved;
};

#define UV_SEGMENT_INTERNAL 0xffffffffu
struct uv_manifest_segment {
	char name[UV_MANIFEST_NAME_MAX];
	uint32_t port;     /* index into the ports, or UV_SEGMENT_INTERNAL; a port bridges at most one segment */
	uint32_t flags;    /* reserved, 0 */
};

/* uv_manifest_vnic.flags */
#define UV_VNIC_PROMISC 1u   /* receives every frame of its segment */
#define UV_VNIC_ANY_SRC 2u   /* may send with a source MAC other than its own (a bridge) */
#define UV_VNIC_GRANTED 4u   /* the app's grants name it (net:NAME): the net calls work on it */
#define UV_VNIC_FLAGS_KNOWN 7u

struct uv_manifest_vnic {
	char name[UV_MANIFEST_NAME_MAX];
	uint8_t mac[6];    /* unicast (bit 0 of byte 0 clear), not all zero, unique */
	uint16_t reserved0;
	uint32_t app;      /* index of the app that has it */
	uint32_t segment;  /* index into the segments */
	uint32_t flags;    /* UV_VNIC_* */
	uint32_t queue;    /* receive queue depth in frames, 1..UV_VNIC_QUEUE_MAX */
	struct uv_vnic_ip ip; /* its address from the config (include/abi/uv_netcfg.h), given to the app in its boot-info page */
	uint32_t reserved1[2];
};

/*
 * Channels (manifest version 3): one-way message queues from one app (the sender) to
 * another (the receiver), an array in the chan blob. An app's channel handles are 0, 1,
 * ... in the order of the array, counting the channels it is an end of (sender or
 * receiver): the first channel app 2 is an end of is its handle 0. An end may call the
 * chan hypercalls on its handle only when its flag *_GRANTED is set (grant chan:NAME).
 */
#define UV_MCHAN_SENDER_GRANTED 1u   /* the sender's grants name the channel */
#define UV_MCHAN_RECEIVER_GRANTED 2u /* the receiver's grants name it */
#define UV_MCHAN_FLAGS_KNOWN 3u

struct uv_manifest_chan {
	char name[UV_MANIFEST_NAME_MAX];
	uint32_t sender;   /* index of the sending app */
	uint32_t receiver; /* index of the receiving app: another app */
	uint32_t msg_max;  /* largest message, 1..UV_CHAN_MSG_MAX bytes */
	uint32_t depth;    /* messages the queue holds, 1..UV_CHAN_DEPTH_MAX */
	uint32_t flags;    /* UV_MCHAN_* */
	uint32_t reserved; /* 0 */
};

struct uv_manifest {
	uint32_t magic;                  /* UV_MANIFEST_MAGIC */
	uint32_t version;                /* UV_MANIFEST_VERSION */
	uint64_t total_size;             /* bytes of the whole manifest including blobs */
	uint32_t n_apps;                 /* 1 .. UV_MANIFEST_MAX_APPS */
	uint32_t flags;                  /* reserved, 0 */
	char name[UV_MANIFEST_NAME_MAX]; /* the appliance's name */
	uint32_t n_ports;                /* 0 .. UV_MANIFEST_MAX_PORTS */
	uint32_t n_segments;             /* 0 .. UV_MANIFEST_MAX_SEGMENTS */
	uint32_t n_vnics;                /* 0 .. UV_MANIFEST_MAX_VNICS */
	uint32_t reserved0;
	struct uv_manifest_blob net;     /* ports, segments, vNICs (size exactly theirs; 0 without a network) */
	uint32_t n_chans;                /* 0 .. UV_MANIFEST_MAX_CHANS */
	uint32_t reserved1;
	struct uv_manifest_blob chan;    /* n_chans struct uv_manifest_chan (size exactly theirs; 0 without channels) */
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
UV_STATIC_ASSERT(sizeof(struct uv_manifest_load) == 40, "load record layout");
UV_STATIC_ASSERT(sizeof(struct uv_manifest_app) == 480, "app record layout");
UV_STATIC_ASSERT(sizeof(struct uv_manifest) == 112, "manifest header layout");
UV_STATIC_ASSERT(sizeof(struct uv_manifest_chan) == 56, "channel record layout");
UV_STATIC_ASSERT(sizeof(struct uv_manifest_port) == 48, "port record layout");
UV_STATIC_ASSERT(sizeof(struct uv_manifest_segment) == 40, "segment record layout");
UV_STATIC_ASSERT(sizeof(struct uv_manifest_vnic) == 120, "vNIC record layout");
UV_STATIC_ASSERT(UV_APP_MAX_VNICS == UV_BOOT_INFO_MAX_NICS, "boot-info page holds every vNIC's address");

#endif
