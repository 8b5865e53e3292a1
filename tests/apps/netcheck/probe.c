/* tests/apps/netcheck/probe.c: the probe role: its vNIC's info, ARP for the gateway and a UDP exchange with a host-side listener, through the uplink. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netcheck.h"

#define PROBE_WAIT_NS (20ull * 1000000000ull) /* per answer: generous for Bochs */
#define PROBE_SPORT 40000

int role_probe(int argc, char **argv)
{
	uint32_t ip, gw;
	uint8_t want_mac[6], gw_mac[6];
	const char *port = arg(argc, argv, "udp");
	if (!parse_ip(arg(argc, argv, "ip"), &ip) || !parse_ip(arg(argc, argv, "gw"), &gw) || !port ||
	    !parse_mac(arg(argc, argv, "mac"), want_mac)) {
		printf("probe: usage: probe ip=A.B.C.D gw=A.B.C.D udp=PORT mac=MAC\n");
		return 1;
	}
	struct uv_net_info info;
	long r = uv_hc_net_info(0, &info);
	ck(r == 0 && memcmp(info.mac, want_mac, 6) == 0, "probe.info-mac", "net_info %ld, mac %02x:%02x:%02x:%02x:%02x:%02x",
	   r, info.mac[0], info.mac[1], info.mac[2], info.mac[3], info.mac[4], info.mac[5]);
	ck(r == 0 && info.mtu == 1500 && (info.flags & UV_NET_LINK_UP), "probe.info-link", "mtu %u flags %#x",
	   info.mtu, info.flags);

	/* ARP for the gateway: it answers our MAC, through the switch's uplink. */
	uint8_t f[1600];
	static const uint8_t zero[6];
	size_t n = frame_arp(f, 1, want_mac, ip, zero, gw);
	r = uv_hc_net_write(0, f, n);
	ck(r == (long)n, "probe.arp-sent", "net_write %ld", r);
	int64_t deadline = now_ns() + (int64_t)PROBE_WAIT_NS;
	bool got = false;
	long woke = uv_hc_yield((uint64_t)deadline, UV_HANDLE_NIC(0));
	ck(woke == (long)UV_HANDLE_NIC(0), "probe.yield-says-nic-ready", "yield returned %ld", woke);
	while (!got && (r = wait_frame(0, f, sizeof(f), deadline)) > 0)
		got = is_arp_reply(f, (size_t)r, gw, ip, gw_mac);
	ck(got, "probe.arp-reply", "no ARP reply from the gateway (last read %ld)", r);
	if (!got)
		return ck_done();

	/* A datagram to the host's listener and its answer. */
	char msg[64], want[80];
	snprintf(msg, sizeof(msg), "univisor probe %u", (unsigned)(now_ns() & 0xffff));
	snprintf(want, sizeof(want), "echo %s", msg);
	n = frame_udp(f, gw_mac, want_mac, ip, gw, PROBE_SPORT, (uint16_t)atoi(port), msg, strlen(msg));
	r = uv_hc_net_write(0, f, n);
	ck(r == (long)n, "probe.udp-sent", "net_write %ld", r);
	deadline = now_ns() + (int64_t)PROBE_WAIT_NS;
	got = false;
	while (!got && (r = wait_frame(0, f, sizeof(f), deadline)) > 0) {
		size_t plen;
		const uint8_t *p = udp_payload(f, (size_t)r, PROBE_SPORT, &plen);
		got = p && plen == strlen(want) && memcmp(p, want, plen) == 0;
	}
	ck(got, "probe.udp-answer", "no answer '%s' from the host's listener (last read %ld)", want, r);
	return ck_done();
}
