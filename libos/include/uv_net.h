/* libos/include/uv_net.h: libos's TCP/IP stack (lwIP) and its vNICs: start-up, addresses, counters. */
#ifndef UV_NET_H
#define UV_NET_H

#include <stdint.h>

/*
 * Starts the stack once (the first socket call does it by itself): lwIP's thread,
 * one interface per granted vNIC with the address its config line gives (ip= ...,
 * dhcp or none; include/abi/uv_netcfg.h), loopback 127.0.0.1, and the idle hook that
 * reads the vNICs when every thread waits. A vNIC with dhcp is waited for up to
 * UV_NET_DHCP_WAIT_MS; each interface's address is printed as one line
 * "net: nic H A.B.C.D/N gw G dns D (static|dhcp|none)" (H: the vNIC handle). Later, a DHCP
 * vNIC's new address (a lease after none, or another one) is printed the same way, and a lease
 * that ended unrenewed as "net: nic H lost its address: the DHCP lease ended". Returns 0, or -errno.
 */
#define UV_NET_DHCP_WAIT_MS 10000
/*
 * With ip6= on a vNIC it gets its link-local address (fe80::/64 and the modified EUI-64
 * of its MAC) and the static one, and the start waits (up to UV_NET_DAD_WAIT_MS from its
 * beginning) for duplicate address detection, then prints
 * "net: nic H ip6 fe80::.../64 [ADDR/N] [gw6 G] (static|link-local)", an address marked
 * "duplicate" when another host on the segment has it.
 */
#define UV_NET_DAD_WAIT_MS 3000
int uv_net_start(void);

/*
 * The sin6_scope_id that names vNIC handle h's interface (RFC 4007 6: a link-local
 * destination needs it, as on other systems), or 0 when h has no interface. Starts the
 * stack if needed.
 */
unsigned uv_net_scope_id(unsigned h);

/* 1 when the config gives some vNIC of this app IPv6 (ip6=), else 0: servers open their IPv6 sockets then. */
int uv_net_has_ipv6(void);

/* Counters of the vNIC glue (all vNICs together), for tests and reports. */
struct uv_net_stats {
	uint64_t rx_frames, rx_dropped_nobuf, rx_errors;
	uint64_t tx_frames, tx_retries, tx_dropped;
	uint64_t rx_ip6_refused; /* IPv6 router advertisements, redirects, ICMPv6 fragments dropped (libos/net/README.md) */
};
void uv_net_stats(struct uv_net_stats *out);

#endif
