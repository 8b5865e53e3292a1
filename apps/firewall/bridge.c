/* apps/firewall/bridge.c: the loop: yield until a frame or a deadline, drain each ready vNIC a burst at a time, forward what the filter passes. */
#include <stdio.h>
#include <string.h>
#include "../../include/abi/uv_hypercall.h"
#include "bridge.h"
#include "report.h"

void fw_bridge_report(struct fw_bridge *b, const char *when)
{
	char line[FW_LINE_MAX + 2];

	fw_ct_sweep(&b->fw.ct, b->io.now(b->io.ctx));
	b->io.print(b->io.ctx, when);
	memcpy(line, "  ", 2);
	fw_report_dir(line + 2, FW_LINE_MAX, "out", &b->fw.dir[FW_DIR_OUT]);
	b->io.print(b->io.ctx, line);
	fw_report_dir(line + 2, FW_LINE_MAX, "in", &b->fw.dir[FW_DIR_IN]);
	b->io.print(b->io.ctx, line);
	fw_report_conns(line + 2, FW_LINE_MAX, &b->fw.ct);
	b->io.print(b->io.ctx, line);
}

/* Judges b->frame[0, len), which came in on vNIC from, and sends it out of the other if it
 * passes, with the checksum mark it came with (ABI 1.4: the checksum stays the receiver's
 * or the kernel's to complete; padding with zeros leaves the sum as it is). */
static void forward(struct fw_bridge *b, uint64_t from, size_t len, uint64_t mark, uint64_t now)
{
	enum fw_dir dir = from == FW_NIC_INSIDE ? FW_DIR_OUT : FW_DIR_IN;
	uint64_t to = from == FW_NIC_INSIDE ? FW_NIC_OUTSIDE : FW_NIC_INSIDE;
	enum fw_reason r = fw_filter(&b->fw, dir, b->frame, len, now);

	if (!fw_reason_passes(r)) {
		if (b->logged < b->opt->log_drops) {
			char line[FW_LINE_MAX], what[FW_LINE_MAX / 2];
			b->logged++;
			fw_report_frame(what, sizeof(what), b->frame, len);
			snprintf(line, sizeof(line), "drop %s %s: %s", dir == FW_DIR_IN ? "in" : "out", fw_reason_name(r),
				 what);
			b->io.print(b->io.ctx, line);
		}
		return;
	}
	if (len < FW_FRAME_MIN) { /* the sender left out the padding; net_write takes 60 bytes and up */
		memset(b->frame + len, 0, FW_FRAME_MIN - len);
		len = FW_FRAME_MIN;
	}
	if (b->io.write(b->io.ctx, to, b->frame, len | mark) < 0)
		b->fw.dir[dir].tx_errors++;
}

/* Reads and forwards up to FW_BURST frames from vNIC nic. Returns 1 if it may hold more. */
static int drain(struct fw_bridge *b, uint64_t nic)
{
	struct fw_dir_stats *s = &b->fw.dir[nic == FW_NIC_INSIDE ? FW_DIR_OUT : FW_DIR_IN];
	uint64_t now = b->io.now(b->io.ctx);

	for (int i = 0; i < FW_BURST; i++) {
		long n = b->io.read(b->io.ctx, nic, b->frame, sizeof(b->frame));
		if (n == -UV_EAGAIN)
			return 0;
		size_t len = (size_t)((uint64_t)n & UV_NET_LEN_MASK);
		if (n < 0 || len > sizeof(b->frame)) {
			s->rx_errors++;
			if (n == -UV_EMSGSIZE)
				continue; /* that frame is gone; the next may be fine */
			return 0;
		}
		forward(b, nic, len, (uint64_t)n & UV_NET_CSUM_BITS, now);
	}
	return 1;
}

/* a + b, or UV_YIELD_FOREVER when that would overflow. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UV_YIELD_FOREVER - b ? UV_YIELD_FOREVER : a + b;
}

int fw_bridge_run(struct fw_bridge *b)
{
	const uint64_t nics = UV_HANDLE_NIC(FW_NIC_OUTSIDE) | UV_HANDLE_NIC(FW_NIC_INSIDE);
	uint64_t start = b->io.now(b->io.ctx), period = (uint64_t)b->opt->report_s * FW_NS_PER_S;
	uint64_t end = b->opt->exit_after_s ? add_sat(start, (uint64_t)b->opt->exit_after_s * FW_NS_PER_S)
					    : UV_YIELD_FOREVER;
	uint64_t next_report = period ? add_sat(start, period) : UV_YIELD_FOREVER;
	uint64_t pending = 0; /* vNICs that may hold frames beyond their last burst */
	int status = 0;

	for (;;) { /* until --exit-after or a failed yield; each turn is bounded by FW_BURST */
		uint64_t now = b->io.now(b->io.ctx);
		if (now >= end)
			break;
		if (now >= next_report) {
			fw_bridge_report(b, "counters:");
			next_report = add_sat(now, period);
		}
		uint64_t deadline = pending ? 0 : next_report < end ? next_report : end;
		long ready = b->io.yield(b->io.ctx, deadline, nics);
		if (ready < 0) {
			char line[64];
			snprintf(line, sizeof(line), "error: yield failed (%ld)", ready);
			b->io.print(b->io.ctx, line);
			status = 1;
			break;
		}
		uint64_t todo = ((uint64_t)ready | pending) & nics;
		pending = 0;
		for (uint64_t nic = FW_NIC_OUTSIDE; nic <= FW_NIC_INSIDE; nic++)
			if ((todo & UV_HANDLE_NIC(nic)) && drain(b, nic))
				pending |= UV_HANDLE_NIC(nic);
	}
	fw_bridge_report(b, "final counters:");
	return status;
}
