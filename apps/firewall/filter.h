/* apps/firewall/filter.h: the verdict on one frame crossing the bridge (parse, connection table, rules, defaults) and its counters. */
#ifndef APPS_FIREWALL_FILTER_H
#define APPS_FIREWALL_FILTER_H

#include <stddef.h>
#include <stdint.h>
#include "conntrack.h"
#include "parse.h"
#include "rules.h"

/* Counters of one direction. */
struct fw_dir_stats {
	uint64_t reason[FW_R_COUNT]; /* frames by verdict (FW_R_OK stays 0) */
	uint64_t tx_errors;          /* passed, but the other vNIC did not take it */
	uint64_t rx_errors;          /* net_read failed (other than "empty") */
};

struct fw {
	const struct fw_rule *rules;
	unsigned n_rules;
	struct fw_ct ct;
	struct fw_dir_stats dir[FW_DIRS];
};

/*
 * The verdict on frame[0, len) going in direction dir at monotonic time now, counted
 * in fw->dir[dir]: one of the FW_R_PASS_* (forward it) or a drop reason. Order:
 * malformed frames drop; ARP passes; IPv6 and other ethertypes drop; an IPv4 packet of
 * a tracked connection passes; else the first matching rule decides; else outbound
 * passes and inbound drops. A new TCP/UDP/echo flow that passes gets an entry (none
 * free: it drops as FW_R_TABLE_FULL).
 */
enum fw_reason fw_filter(struct fw *fw, enum fw_dir dir, const uint8_t *frame, size_t len, uint64_t now);

/* Sum of the pass (pass = 1) or drop (pass = 0) counters of one direction. */
uint64_t fw_stats_total(const struct fw_dir_stats *s, int pass);

#endif
