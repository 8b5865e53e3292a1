/* kernel/net/switch.h: the virtual switch: segments of ports (apps' vNICs and uplinks to physical NICs), forwarding, queues, counters. */
#ifndef KERNEL_NET_SWITCH_H
#define KERNEL_NET_SWITCH_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/dev/netbuf.h"
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
 * never back out of the port it came in by. A vNIC without UV_VNIC_ANY_SRC sending with
 * another source MAC is dropped (spoofed); a multicast source is always dropped.
 * A vNIC's queue is bounded: full means drop and count, never wait.
 */

#define SW_LEARN_SLOTS 256 /* learned MACs per switch (all segments) */
#define SW_LEARN_AGE_NS (300ull * 1000000000ull)

enum sw_drop {
	SW_DROP_QUEUE_FULL,  /* a vNIC's receive queue was full */
	SW_DROP_SPOOFED,     /* source MAC not the vNIC's own (or multicast) */
	SW_DROP_SIZE,        /* outside the sizes a port takes */
	SW_DROP_NO_BUFFER,   /* the netbuf pool was empty */
	SW_DROP_TX_FULL,     /* the uplink NIC's TX ring was full */
	SW_DROP_LINK_DOWN,   /* the uplink NIC has no link */
	SW_DROP_NO_PORT,     /* the segment's uplink is not bound to a NIC */
	SW_DROP_COUNT
};

struct sw_port_stats {
	uint64_t rx_frames, rx_bytes; /* into the switch from this port */
	uint64_t tx_frames, tx_bytes; /* out of the switch to this port */
	uint64_t drops[SW_DROP_COUNT];
};

struct sw_port {
	char name[UV_MANIFEST_NAME_MAX]; /* the vNIC's or the manifest port's name */
	bool is_uplink;
	unsigned segment;                /* index in the switch's segments */
	unsigned app;                    /* vNICs: the owning app's index */
	uint8_t mac[6];                  /* vNICs: its MAC */
	uint32_t flags;                  /* vNICs: UV_VNIC_* */
	/* vNICs: the receive queue, a ring of depth frames. */
	struct netbuf **queue;
	unsigned depth, head, count;
	/* Uplinks: the NIC's send and link (set by sw_bind_uplink; unbound: frames to it drop). */
	int (*tx)(void *ctx, struct netbuf *b); /* takes b's reference on 0 */
	bool (*link_up)(void *ctx);
	void *ctx;
	/* Capture: when set, called with every frame in (out = false) and out (true). */
	void (*capture)(const struct sw_port *p, const struct netbuf *b, bool out);
	struct sw_port_stats stats;
};

struct sw_segment {
	char name[UV_MANIFEST_NAME_MAX];
	int uplink; /* index of its uplink port, or -1 (internal) */
};

struct sw {
	struct sw_port ports[UV_MANIFEST_MAX_PORTS + UV_MANIFEST_MAX_VNICS];
	unsigned n_ports;
	struct sw_segment segments[UV_MANIFEST_MAX_SEGMENTS];
	unsigned n_segments;
	struct sw_learned {
		uint8_t mac[6];
		uint16_t segment;
		uint16_t port;  /* index in ports */
		uint64_t seen_ns;
		bool used;
	} learned[SW_LEARN_SLOTS];
};

/* Builds the switch from a checked manifest's net records: an uplink port per manifest
 * port that bridges a segment, a vNIC port per vNIC (queues from alloc, which returns
 * zeroed memory or NULL). 0 or -UV_ENOMEM (nothing kept then: free is called back). */
int sw_setup(struct sw *s, const struct uv_manifest *m, void *(*alloc)(uint64_t bytes),
	     void (*release)(void *p, uint64_t bytes));
/* The uplink port of manifest port i, or NULL if no segment uses it. */
struct sw_port *sw_uplink(struct sw *s, unsigned manifest_port);
/* The vNIC port of manifest vNIC i. */
struct sw_port *sw_vnic(struct sw *s, unsigned manifest_vnic);
void sw_bind_uplink(struct sw_port *p, int (*tx)(void *ctx, struct netbuf *b), bool (*link_up)(void *ctx), void *ctx);

/* A frame into the switch from port in; the switch takes over b's reference (it is put
 * whatever happens). Frames from a vNIC must be 60..1514 bytes (1518 with an 802.1Q tag);
 * from an uplink, 14..59 bytes are zero-padded to 60 and longer than that limit dropped.
 * Returns 0 (forwarded to zero or more ports) or the negative reason it was dropped at
 * the door: -UV_EMSGSIZE (size), -UV_EPERM (spoofed source). */
int sw_input(struct sw *s, struct sw_port *in, struct netbuf *b, uint64_t now_ns);
/* A vNIC's queue: the oldest frame without taking it (NULL if empty), and taking it
 * (the caller then holds its reference). */
struct netbuf *sw_vnic_peek(const struct sw_port *p);
struct netbuf *sw_vnic_take(struct sw_port *p);
/* Drops every queued frame (an app restarting gets an empty queue); counts nothing. */
void sw_vnic_flush(struct sw_port *p);
const char *sw_drop_name(enum sw_drop d);
/* One line per port with traffic: frames and bytes in and out, drops by reason (non-zero only). */
void sw_print(const struct sw *s, const char *label);

#endif
