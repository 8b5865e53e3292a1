/* apps/firewall/main.c: the firewall app: reads its rules, then sleeps in yield until a frame or a report is due, and forwards what the filter passes. */
#include <stdio.h>
#include <string.h>
#include <univisor.h>
#include "filter.h"
#include "options.h"
#include "report.h"

#define FW_NIC_OUTSIDE 0  /* vNIC handle 0: the outside (config: the first nic = line) */
#define FW_NIC_INSIDE 1   /* vNIC handle 1: the inside */
#define FW_BURST 32       /* frames read from one vNIC before the other has its turn */
#define FW_BUF_SIZE 2048  /* more than any frame (FW_FRAME_MAX_VLAN) */
#define FW_CT_BUCKETS 1024 /* x FW_CT_WAYS = 8192 connections */

static struct fw_options opt;
static struct fw fw;
static struct fw_conn slots[FW_CT_BUCKETS * FW_CT_WAYS];
static uint8_t frame[FW_BUF_SIZE] __attribute__((aligned(64)));
static unsigned logged; /* drops printed so far (--log) */

/* Monotonic ns; 0 if the clock fails (it cannot once the app started: the TSC clock needs no grant). */
static uint64_t now_ns(void)
{
	int64_t t = uv_monotonic_ns();

	return t > 0 ? (uint64_t)t : 0;
}

static void report(const char *when)
{
	char line[FW_LINE_MAX];

	fw_ct_sweep(&fw.ct, now_ns());
	printf("%s\n", when);
	fw_report_dir(line, sizeof(line), "out", &fw.dir[FW_DIR_OUT]);
	printf("  %s\n", line);
	fw_report_dir(line, sizeof(line), "in", &fw.dir[FW_DIR_IN]);
	printf("  %s\n", line);
	fw_report_conns(line, sizeof(line), &fw.ct);
	printf("  %s\n", line);
}

/* Checks vNIC nic exists and is ours; prints it. Returns 0 or the hypercall's error. */
static long show_nic(uint64_t nic, const char *role)
{
	struct uv_net_info info;
	long r = uv_hc_net_info(nic, &info);

	if (r < 0) {
		printf("error: vNIC %llu (%s): net_info failed (%ld): the config needs two nic = lines, "
		       "outside first, and grants net:NAME for both\n", (unsigned long long)nic, role, r);
		return r;
	}
	printf("vNIC %llu (%s): mac %02x:%02x:%02x:%02x:%02x:%02x mtu %u\n", (unsigned long long)nic, role,
	       info.mac[0], info.mac[1], info.mac[2], info.mac[3], info.mac[4], info.mac[5], info.mtu);
	return 0;
}

/* Filters one frame[0, len) that came in on vNIC from and sends it out of the other if it passes. */
static void forward(uint64_t from, size_t len, uint64_t now)
{
	enum fw_dir dir = from == FW_NIC_INSIDE ? FW_DIR_OUT : FW_DIR_IN;
	uint64_t to = from == FW_NIC_INSIDE ? FW_NIC_OUTSIDE : FW_NIC_INSIDE;
	enum fw_reason r = fw_filter(&fw, dir, frame, len, now);

	if (!fw_reason_passes(r)) {
		if (logged < opt.log_drops) {
			char line[FW_LINE_MAX];
			logged++;
			fw_report_frame(line, sizeof(line), frame, len);
			printf("drop %s %s: %s\n", dir == FW_DIR_IN ? "in" : "out", fw_reason_name(r), line);
		}
		return;
	}
	if (len < FW_FRAME_MIN) { /* the sender left out the padding: what net_write takes starts at 60 */
		memset(frame + len, 0, FW_FRAME_MIN - len);
		len = FW_FRAME_MIN;
	}
	if (uv_hc_net_write(to, frame, len) < 0)
		fw.dir[dir].tx_errors++;
}

/* Reads and forwards up to FW_BURST frames from vNIC nic. Returns 1 if it may hold more. */
static int drain(uint64_t nic)
{
	struct fw_dir_stats *s = &fw.dir[nic == FW_NIC_INSIDE ? FW_DIR_OUT : FW_DIR_IN];
	uint64_t now = now_ns();

	for (int i = 0; i < FW_BURST; i++) {
		long n = uv_hc_net_read(nic, frame, sizeof(frame));
		if (n == -UV_EAGAIN)
			return 0;
		if (n < 0 || (size_t)n > sizeof(frame)) {
			s->rx_errors++;
			if (n == -UV_EMSGSIZE)
				continue; /* that frame is gone; the next may be fine */
			return 0;
		}
		forward(nic, (size_t)n, now);
	}
	return 1;
}

int main(int argc, char **argv)
{
	char err[FW_OPT_ERR_MAX];
	uint64_t key[2];

	if (fw_options_parse(argc, argv, &opt, err, sizeof(err))) {
		printf("error: %s\n", err);
		return 2;
	}
	for (unsigned i = 0; i < opt.n_rules; i++) {
		char line[FW_LINE_MAX];
		fw_rule_format(&opt.rules[i], line, sizeof(line));
		printf("rule %u: %s\n", i + 1, line);
	}
	if (show_nic(FW_NIC_OUTSIDE, "outside") || show_nic(FW_NIC_INSIDE, "inside"))
		return 1;
	long r = uv_hc_random(key, sizeof(key));
	if (r != (long)sizeof(key)) {
		printf("error: random failed (%ld): the config needs the random grant\n", r);
		return 1;
	}
	fw.rules = opt.rules;
	fw.n_rules = opt.n_rules;
	if (fw_ct_init(&fw.ct, slots, FW_CT_BUCKETS, key))
		return 1;
	printf("bridging outside <-> inside: %u rules, outbound allowed and inbound denied by default, "
	       "%u connections tracked, report every %u s\n", opt.n_rules, FW_CT_BUCKETS * FW_CT_WAYS, opt.report_s);

	uint64_t start = now_ns(), period = opt.report_s * FW_NS_PER_S;
	uint64_t end = opt.exit_after_s ? start + opt.exit_after_s * FW_NS_PER_S : UV_YIELD_FOREVER;
	uint64_t next_report = period ? start + period : UV_YIELD_FOREVER;
	uint64_t pending = 0; /* vNICs that may hold frames beyond their last burst */
	int status = 0;

	for (;;) { /* ends at --exit-after or on a failed yield; each turn is bounded by FW_BURST */
		uint64_t now = now_ns();
		if (now >= end)
			break;
		if (now >= next_report) {
			report("counters:");
			next_report = now + period;
		}
		uint64_t deadline = pending ? 0 : next_report < end ? next_report : end;
		long ready = uv_hc_yield(deadline, UV_HANDLE_NIC(FW_NIC_OUTSIDE) | UV_HANDLE_NIC(FW_NIC_INSIDE));
		if (ready < 0) {
			printf("error: yield failed (%ld)\n", ready);
			status = 1;
			break;
		}
		uint64_t todo = (uint64_t)ready | pending;
		pending = 0;
		for (uint64_t nic = FW_NIC_OUTSIDE; nic <= FW_NIC_INSIDE; nic++)
			if ((todo & UV_HANDLE_NIC(nic)) && drain(nic))
				pending |= UV_HANDLE_NIC(nic);
	}
	report("final counters:");
	return status;
}
