/* apps/firewall/conntrack.h: the bounded connection table: keyed hash buckets, rough TCP states, aging, the policy when full. */
#ifndef APPS_FIREWALL_CONNTRACK_H
#define APPS_FIREWALL_CONNTRACK_H

#include <stdint.h>
#include "parse.h"
#include "rules.h"

#define FW_CT_WAYS 8 /* entries per bucket: every lookup looks at no more than these */

#define FW_NS_PER_S 1000000000ull
/* How long an idle entry lives (README "Connection tracking"), in ns. */
#define FW_CT_TCP_OPENING_NS (30 * FW_NS_PER_S)   /* SYN seen, no answer yet */
#define FW_CT_TCP_OPEN_NS (3600 * FW_NS_PER_S)    /* both sides have spoken */
#define FW_CT_TCP_HALF_NS (120 * FW_NS_PER_S)     /* one side has sent FIN */
#define FW_CT_TCP_CLOSING_NS (10 * FW_NS_PER_S)   /* both have: the last ACKs pass */
#define FW_CT_UDP_NS (30 * FW_NS_PER_S)           /* no answer yet */
#define FW_CT_UDP_REPLIED_NS (120 * FW_NS_PER_S)  /* answered */
#define FW_CT_ICMP_NS (30 * FW_NS_PER_S)          /* echo */

/* The addresses and ports of a packet as it travels (fw_pkt's meaning of ports). */
struct fw_tuple {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint8_t proto;
};

enum fw_ct_state {
	FW_CT_FREE = 0,
	FW_CT_OPENING,  /* TCP: SYN from the initiator, nothing back yet */
	FW_CT_OPEN,     /* TCP: both sides seen; UDP and ICMP: any live entry */
	FW_CT_CLOSING,  /* TCP: FIN in both directions */
};

struct fw_conn {
	struct fw_tuple orig;  /* the first packet's tuple: initiator -> responder */
	uint64_t expires;      /* monotonic ns; the entry is dead from then on */
	uint8_t state;         /* enum fw_ct_state; FW_CT_FREE = empty slot */
	uint8_t orig_dir;      /* enum fw_dir of the first packet */
	uint8_t replied;       /* the responder has answered */
	uint8_t fin;           /* FW_CT_FIN_* */
};
#define FW_CT_FIN_ORIG 1u
#define FW_CT_FIN_REPLY 2u

struct fw_ct_stats {
	uint64_t created;   /* entries made */
	uint64_t closed;    /* removed by RST, or ended after FIN both ways */
	uint64_t expired;   /* timed out otherwise */
	uint64_t evicted;   /* unanswered entries dropped to make room */
	uint64_t refused;   /* new connections the table could not hold */
};

struct fw_ct {
	struct fw_conn *slots; /* nbuckets * FW_CT_WAYS entries */
	uint32_t nbuckets;     /* a power of two */
	uint64_t key[2];       /* the hash's secret key */
	uint32_t live;         /* entries not free (some may have expired unseen) */
	struct fw_ct_stats stats;
};

/* What a packet is to the table. */
enum fw_ct_match {
	FW_CT_NONE,     /* no entry */
	FW_CT_ORIG,     /* the initiator's direction of an entry */
	FW_CT_REPLY,    /* the responder's */
};

/*
 * Sets up an empty table over slots[0, nbuckets * FW_CT_WAYS) (nbuckets a power of
 * two, at least 1) keyed by key (random, so that nobody outside can aim at a bucket).
 * Returns 0, or -UV_EINVAL for a bad nbuckets (the table is then unusable).
 */
int fw_ct_init(struct fw_ct *ct, struct fw_conn *slots, uint32_t nbuckets, const uint64_t key[2]);

/* The tuple of a trackable IPv4 packet. */
struct fw_tuple fw_tuple_of(const struct fw_pkt *p);

/*
 * Looks the packet up and, when it belongs to an entry, updates that entry for it
 * (TCP flags, replied, the expiry): RST removes the entry (the RST itself still
 * belongs to it). Returns what the packet was to the table. Dead entries met on the
 * way are freed.
 */
enum fw_ct_match fw_ct_track(struct fw_ct *ct, enum fw_dir dir, const struct fw_pkt *p, uint64_t now);

/*
 * Makes an entry for a packet fw_ct_track did not know, with p as its initiator's
 * first packet. Returns 0; 1 when p makes no entry (not trackable, TCP RST, ICMP echo
 * reply); or -UV_ENOMEM when its bucket is full of answered connections: the new one
 * is refused and the old ones stay (an unanswered one would have been evicted).
 */
int fw_ct_create(struct fw_ct *ct, enum fw_dir dir, const struct fw_pkt *p, uint64_t now);

/* Frees every entry dead at now (the whole table: nbuckets * FW_CT_WAYS steps). */
void fw_ct_sweep(struct fw_ct *ct, uint64_t now);

#endif
