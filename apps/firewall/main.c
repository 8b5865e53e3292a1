/* apps/firewall/main.c: the firewall app's start: reads its rules, checks its two vNICs, keys the connection table, then runs the bridge on the hypercalls. */
#include <stdio.h>
#include <univisor.h>
#include "bridge.h"
#include "report.h"

#define FW_CT_BUCKETS 1024 /* x FW_CT_WAYS = 8192 connections */

static struct fw_options opt;
static struct fw_bridge bridge;
static struct fw_conn slots[FW_CT_BUCKETS * FW_CT_WAYS];

/* The bridge's I/O (struct fw_io) on the hypercalls; ctx is unused. Frames come with their
 * checksum marks (the bridge forwards them). */
static long io_read(void *ctx, uint64_t nic, void *buf, size_t len)
{
	(void)ctx;
	return uv_hc_net_read(nic | UV_NET_READ_MARKS, buf, len);
}

static long io_write(void *ctx, uint64_t nic, const void *buf, size_t len)
{
	(void)ctx;
	return uv_hc_net_write(nic, buf, len);
}

static long io_yield(void *ctx, uint64_t deadline_ns, uint64_t handle_mask)
{
	(void)ctx;
	return uv_hc_yield(deadline_ns, handle_mask);
}

/* Monotonic ns from the in-app TSC clock (0 should it ever fail). */
static uint64_t io_now(void *ctx)
{
	int64_t t = uv_monotonic_ns();

	(void)ctx;
	return t > 0 ? (uint64_t)t : 0;
}

static void io_print(void *ctx, const char *line)
{
	(void)ctx;
	printf("%s\n", line);
}

/* Checks vNIC nic exists and is granted; prints its MAC. Returns 0 or the hypercall's error. */
static long show_nic(uint64_t nic, const char *role)
{
	struct uv_net_info info;
	long r = uv_hc_net_info(nic, &info);

	if (r < 0) {
		printf("error: vNIC %llu (%s): net_info failed (%ld): the app needs two nic = lines, the outside "
		       "first, and net:NAME grants for both\n", (unsigned long long)nic, role, r);
		return r;
	}
	printf("vNIC %llu (%s): mac %02x:%02x:%02x:%02x:%02x:%02x mtu %u\n", (unsigned long long)nic, role,
	       info.mac[0], info.mac[1], info.mac[2], info.mac[3], info.mac[4], info.mac[5], info.mtu);
	return 0;
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
		printf("error: random failed (%ld): the app needs the random grant\n", r);
		return 1;
	}
	bridge.fw.rules = opt.rules;
	bridge.fw.n_rules = opt.n_rules;
	if (fw_ct_init(&bridge.fw.ct, slots, FW_CT_BUCKETS, key))
		return 1;
	bridge.opt = &opt;
	bridge.io = (struct fw_io){ io_read, io_write, io_yield, io_now, io_print, NULL };
	printf("bridging outside <-> inside: %u rules, outbound allowed and inbound denied by default, %u "
	       "connections, counters every %u s\n", opt.n_rules, FW_CT_BUCKETS * FW_CT_WAYS, opt.report_s);
	return fw_bridge_run(&bridge);
}
