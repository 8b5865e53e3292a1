/* apps/firewall/bridge.h: the firewall's loop over two vNICs (sleep, drain, judge, forward, report), behind an I/O table so the host can drive it. */
#ifndef APPS_FIREWALL_BRIDGE_H
#define APPS_FIREWALL_BRIDGE_H

#include <stddef.h>
#include <stdint.h>
#include "filter.h"
#include "options.h"

#define FW_NIC_OUTSIDE 0  /* vNIC handle 0: the outside (the config's first nic = line) */
#define FW_NIC_INSIDE 1   /* vNIC handle 1: the inside */
#define FW_BURST 32       /* frames read from one vNIC before the other has its turn */
#define FW_BUF_SIZE 2048  /* more than any frame (FW_FRAME_MAX_VLAN) */

/*
 * What the loop needs from the world; main.c fills it with the hypercalls. read, write
 * and yield return what uv_hc_net_read, uv_hc_net_write and uv_hc_yield return; now
 * is monotonic ns; print takes one line without its newline.
 */
struct fw_io {
	long (*read)(void *ctx, uint64_t nic, void *buf, size_t len);
	long (*write)(void *ctx, uint64_t nic, const void *buf, size_t len);
	long (*yield)(void *ctx, uint64_t deadline_ns, uint64_t handle_mask);
	uint64_t (*now)(void *ctx);
	void (*print)(void *ctx, const char *line);
	void *ctx;
};

struct fw_bridge {
	struct fw fw;                  /* rules and connection table set up by the caller */
	const struct fw_options *opt;  /* --report, --exit-after, --log */
	struct fw_io io;
	unsigned logged;               /* drops printed so far */
	uint8_t frame[FW_BUF_SIZE];
};

/*
 * Runs the bridge until --exit-after has passed (returns 0) or yield fails (prints why,
 * returns 1); prints the counters every --report seconds and once more at the end.
 * Each turn reads at most FW_BURST frames per vNIC, so neither side starves the other.
 */
int fw_bridge_run(struct fw_bridge *b);

/* Prints the line when and the three counter lines (after freeing timed-out connections). */
void fw_bridge_report(struct fw_bridge *b, const char *when);

#endif
