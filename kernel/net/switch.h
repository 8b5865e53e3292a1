/* kernel/net/switch.h: the virtual switch: segments of ports (apps' vNICs and uplinks to physical NICs), forwarding, queues, counters. */
#ifndef KERNEL_NET_SWITCH_H
#define KERNEL_NET_SWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/dev/netbuf.h"
#include "kernel/net/ether.h"
#include "include/abi/uv_manifest.h"

/*
 * The switch knows ports and frames, nothing of apps, hypercalls or drivers: the kernel
 * binds uplinks to NICs (sw_bind_uplink) and the hypercalls move frames in and out of
 * vNICs. Everything runs in the kernel's main flow with interrupts off.
 *
 * Forwarding within a segment, never across: a frame goes to
 * - every other port of its segment if its destination is broadcast or multicast;
 * - else the vNIC whose MAC it is, or the port the destination was learned behind
 *   (uplinks and ANY_SRC vNICs: a bridge's far side), or else the segment's uplink;
 * - and in every case to each promiscuous vNIC of the segment;
 * never back out of the port it came in by, and at most once to any port.
 * Refused at the door (counted on the port it came in by, nothing delivered):
 * - a size outside what the port takes (sw_input);
 * - a group (multicast) or all-zero source address; from a vNIC without UV_VNIC_ANY_SRC a
 *   source other than its own MAC; from an uplink or an ANY_SRC vNIC the MAC of another
 *   vNIC of the segment (a learned entry never stands for a vNIC's own MAC);
 * - a reserved link-local destination (01-80-C2-00-00-00..0F: pause frames, STP, LLDP),
 *   which a bridge never forwards (IEEE 802.1Q 8.6.3, Table 8-1).
 * A vNIC's queue is bounded: full means drop and count, never wait.
 *
 * Learning: the source of every frame in from an uplink or an ANY_SRC vNIC is learned per
 * segment. A segment has one uplink at most, so "behind the uplink" is what no entry
 * means: a source seen on the uplink only ends an entry that put it elsewhere (counted as
 * moved), and the table holds the hosts behind ANY_SRC vNICs alone (a flood of sources
 * from outside cannot push them out). The table: SW_LEARN_SLOTS entries, SW_LEARN_WAYS to
 * a bucket; an entry not seen for SW_LEARN_AGE_NS is gone; a new MAC takes an empty or
 * aged slot of its bucket, else the slot seen longest ago (counted as replaced); a MAC
 * seen behind another vNIC moves there.
 *
 * Buffers: one netbuf per frame. Each port it goes to holds a reference of its own (a
 * vNIC queue slot, or the uplink's NIC after its tx took it); the reference the caller
 * handed in is put when sw_input returns.
 */

#define SW_MAX_PORTS (UV_MANIFEST_MAX_PORTS + UV_MANIFEST_MAX_VNICS)
#define SW_MASK_WORDS ((SW_MAX_PORTS + 63) / 64) /* a set of ports: one bit per port index */
#define SW_LEARN_BUCKET_BITS 6
#define SW_LEARN_WAYS 4
#define SW_LEARN_SLOTS (SW_LEARN_WAYS << SW_LEARN_BUCKET_BITS) /* learned MACs per switch (all segments): 256 */
#define SW_LEARN_AGE_NS (300ull * 1000000000ull) /* 300 s: the recommended default Ageing Time, IEEE 802.1Q 8.8.3 */
#define SW_VNIC_BITS 7
#define SW_VNIC_SLOTS (1u << SW_VNIC_BITS) /* the hash of the vNICs' own MACs: twice the most vNICs, so probes stay short */

enum sw_drop {
	SW_DROP_QUEUE_FULL,  /* a vNIC's receive queue was full (on that vNIC) */
	SW_DROP_SPOOFED,     /* a source MAC the port may not send with (on the port it came in by) */
	SW_DROP_SIZE,        /* outside the sizes a port takes (in) */
	SW_DROP_NO_BUFFER,   /* the netbuf pool was empty (counted by whoever asked it: sw_port_drop) */
	SW_DROP_TX_FULL,     /* the uplink NIC did not take it: TX ring full (on the uplink) */
	SW_DROP_LINK_DOWN,   /* the uplink NIC has no link (on the uplink) */
	SW_DROP_NO_PORT,     /* the segment's uplink is not bound to a NIC (on the uplink) */
	SW_DROP_NO_DEST,     /* unicast with nowhere to go: unknown on an internal segment, or
	                      * its destination is behind the port it came in by (in) */
	SW_DROP_RESERVED,    /* a reserved link-local destination (in) */
	SW_DROP_COUNT
};

/* rx: frames taken in at the door (door refusals are drops[] of the port instead); tx:
 * frames this port took (queued, or accepted by the NIC). */
struct sw_port_stats {
	uint64_t rx_frames, rx_bytes; /* into the switch from this port */
	uint64_t tx_frames, tx_bytes; /* out of the switch to this port */
	uint64_t drops[SW_DROP_COUNT];
};

struct sw_port {
	char name[UV_MANIFEST_NAME_MAX]; /* the vNIC's or the manifest port's name */
	bool is_uplink;
	uint8_t index;                   /* in the switch's ports */
	uint16_t segment;                /* index in the switch's segments */
	unsigned manifest_index;         /* the manifest's vNIC or port record */
	unsigned app;                    /* vNICs: the owning app's index */
	unsigned handle;                 /* vNICs: its NIC handle in the app (rank among the app's vNICs) */
	uint8_t mac[ETH_ALEN];           /* vNICs: its MAC */
	uint32_t flags;                  /* vNICs: UV_VNIC_* */
	/* vNICs: the receive queue, a ring of depth frames. */
	struct netbuf **queue;
	unsigned depth, head, count;
	/* Uplinks: the NIC's send and link (set by sw_bind_uplink; unbound: frames to it drop). */
	int (*tx)(void *ctx, struct netbuf *b); /* takes b's reference on 0 */
	bool (*link_up)(void *ctx);             /* for the summary; tx's -UV_ENETDOWN is what counts */
	void *ctx;
	/* Capture: when set, called with every frame in (out = false: each that passed the size
	 * check, padded, before the address rules, so refused ones show) and out (true: each
	 * this port took). */
	void (*capture)(const struct sw_port *p, const struct netbuf *b, bool out);
	struct sw_port_stats stats;
};

struct sw_segment {
	char name[UV_MANIFEST_NAME_MAX];
	int uplink;                       /* index of its uplink port, or -1 (internal) */
	uint64_t members[SW_MASK_WORDS];  /* its ports */
	uint64_t promisc[SW_MASK_WORDS];  /* its promiscuous vNICs */
};

/* A hash key: the MAC in bits 0..47 (first byte lowest), the segment in 48..55, bit 63 set. */
struct sw_learned {
	uint64_t key;     /* 0: empty */
	uint64_t seen_ns;
	uint16_t port;    /* index in ports */
};

struct sw_vnic_slot {
	uint64_t key;     /* 0: empty */
	uint16_t port;
};

struct sw_learn_stats {
	uint64_t learned;  /* new entries */
	uint64_t moved;    /* a live entry's MAC seen behind another port (or the uplink) */
	uint64_t replaced; /* a live entry pushed out of a full bucket */
};

struct sw {
	struct sw_port ports[SW_MAX_PORTS]; /* the uplinks first, then the vNICs in manifest order */
	unsigned n_ports, n_uplinks, n_vnics;
	struct sw_segment segments[UV_MANIFEST_MAX_SEGMENTS];
	unsigned n_segments;
	int8_t uplink_of[UV_MANIFEST_MAX_PORTS];                     /* manifest port -> port, or -1 */
	uint8_t app_vnic[UV_MANIFEST_MAX_APPS][UV_APP_MAX_VNICS];    /* (app, handle) -> port + 1, or 0 */
	struct sw_vnic_slot vnic_hash[SW_VNIC_SLOTS];                /* (MAC, segment) -> vNIC port */
	struct sw_learned learned[SW_LEARN_SLOTS];
	struct sw_learn_stats learn;
	/* When set (after sw_setup): called each time a frame was queued on vNIC p (wake its app). */
	void (*queued)(void *ctx, struct sw_port *p);
	void *queued_ctx;
};

/* Builds the switch from a checked manifest's net records: an uplink port per manifest
 * port that bridges a segment, a vNIC port per vNIC (queues from alloc, which returns
 * zeroed memory or NULL). Still checks every count, index and size it uses. 0,
 * -UV_EINVAL (a bad record) or -UV_ENOMEM; on failure nothing is kept (release is called
 * back for what alloc gave) and *s is empty. */
int sw_setup(struct sw *s, const struct uv_manifest *m, void *(*alloc)(uint64_t bytes),
	     void (*release)(void *p, uint64_t bytes));
/* Flushes every queue and gives the queues back through release; *s is empty after. */
void sw_free(struct sw *s, void (*release)(void *p, uint64_t bytes));
/* The uplink port of manifest port i, or NULL if no segment uses it (or i is out of range). */
struct sw_port *sw_uplink(struct sw *s, unsigned manifest_port);
/* The vNIC port of manifest vNIC i, or NULL if out of range. */
struct sw_port *sw_vnic(struct sw *s, unsigned manifest_vnic);
/* App app's vNIC with NIC handle handle (a guest's number: bounds-checked and clamped
 * against speculation), or NULL if it has none such. */
struct sw_port *sw_app_vnic(struct sw *s, unsigned app, uint64_t handle);
void sw_bind_uplink(struct sw_port *p, int (*tx)(void *ctx, struct netbuf *b), bool (*link_up)(void *ctx), void *ctx);

/* A frame into the switch from port in; the switch takes over b's reference (it is put
 * whatever happens) and may change b (the padding below). Frames from a vNIC must be
 * 60..1514 bytes (1518 with an 802.1Q tag); from an uplink, 14..59 bytes are zero-padded
 * to 60 and longer than that limit dropped. Returns 0 (taken in: delivered to zero or more
 * ports) or the reason it was refused at the door: -UV_EMSGSIZE (size), -UV_EPERM
 * (source not allowed, reserved destination), -UV_EINVAL (in is not a port of s). */
int sw_input(struct sw *s, struct sw_port *in, struct netbuf *b, uint64_t now_ns);
/* A vNIC's queue: the oldest frame without taking it (NULL if empty), and taking it
 * (the caller then holds its reference). */
static inline struct netbuf *sw_vnic_peek(const struct sw_port *p)
{
	return p && p->count ? p->queue[p->head] : 0;
}
struct netbuf *sw_vnic_take(struct sw_port *p);
/* Drops every queued frame (an app restarting gets an empty queue); counts nothing. */
void sw_vnic_flush(struct sw_port *p);
/* Counts a frame for p dropped outside the switch (NO_BUFFER: the caller found no netbuf). */
void sw_port_drop(struct sw_port *p, enum sw_drop why);
/* "queue-full", "spoofed", ...; "unknown" for a value out of range. */
const char *sw_drop_name(enum sw_drop d);

/* The bucket a (MAC, segment) is learned in (what fills a bucket is the tests' business). */
unsigned sw_learn_bucket(const uint8_t mac[ETH_ALEN], unsigned segment);
/* Live learned entries at now_ns. */
unsigned sw_learned_count(const struct sw *s, uint64_t now_ns);

/* One summary line of port p without the newline: kind, name, segment, counters, only the
 * non-zero drops. Like ksnprintf: NUL-terminated, returns the untruncated length. */
size_t sw_format_port(const struct sw *s, const struct sw_port *p, char *buf, size_t size);
/* Prints prefix and a port's line per port, and a line for the learned table, with kprintf. */
void sw_print(const struct sw *s, const char *prefix, uint64_t now_ns);

#endif
