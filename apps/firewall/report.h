/* apps/firewall/report.h: the firewall's printed lines: counters per direction, the connection table, one frame in brief. */
#ifndef APPS_FIREWALL_REPORT_H
#define APPS_FIREWALL_REPORT_H

#include <stddef.h>
#include "filter.h"

#define FW_LINE_MAX 512 /* room for any line below */

/*
 * "out: passed 12 (arp 2 state 8 default 2) dropped 1 (rule 1) rx-errors 0 tx-errors 0"
 * for direction label: only reasons with a count are listed. Writes at most size
 * bytes (NUL included) to buf; returns the length it needed (like snprintf).
 */
int fw_report_dir(char *buf, size_t size, const char *label, const struct fw_dir_stats *s);

/* "conns: open 3 of 8192 created 10 closed 7 expired 0 evicted 0 refused 1"; like fw_report_dir. */
int fw_report_conns(char *buf, size_t size, const struct fw_ct *ct);

/*
 * One frame in brief, for the drop log: "tcp 10.0.2.2:5000 > 10.0.2.15:80 flags 0x02",
 * "udp ...", "icmp 1.2.3.4 > 5.6.7.8 type 8", "proto 47 ...", "arp", or the reason it
 * is malformed ("malformed: ip-length"), with " vlan N" when tagged. Like fw_report_dir.
 */
int fw_report_frame(char *buf, size_t size, const uint8_t *frame, size_t len);

#endif
