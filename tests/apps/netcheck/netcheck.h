/* tests/apps/netcheck/netcheck.h: the network test app: roles (probe, ping, pong, listen, hostile), its check lines and frame helpers. */
#ifndef NETCHECK_H
#define NETCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <univisor.h>

/* One `check <name> ok` or `check <name> FAIL: why` line; counts it. */
void ck(bool ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A check that a call returned want. */
void expect(long got, long want, const char *name);
/* Prints `checks done=N`; returns the number that failed. */
int ck_done(void);

/* The value of key=... among the args, or NULL. */
const char *arg(int argc, char **argv, const char *key);
bool parse_mac(const char *s, uint8_t mac[6]);
bool parse_ip(const char *s, uint32_t *ip); /* host order */
int64_t now_ns(void);
/* Waits (in yield) until a frame on nic arrives or the deadline (monotonic ns) passes;
 * reads it into buf. The frame's length, 0 at the deadline, or a negative UV_E*. */
long wait_frame(uint64_t nic, void *buf, size_t len, int64_t deadline);

/* Frames: Ethernet, ARP, IPv4 + UDP (RFC 826, 791, 768). */
#define ETH_HDR 14
#define ETH_ARP 0x0806
#define ETH_IP 0x0800
#define FRAME_MIN 60
size_t frame_eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type);
size_t frame_arp(uint8_t *f, uint16_t op, const uint8_t src_mac[6], uint32_t src_ip, const uint8_t dst_mac[6],
		 uint32_t dst_ip);
size_t frame_udp(uint8_t *f, const uint8_t dst_mac[6], const uint8_t src_mac[6], uint32_t src_ip, uint32_t dst_ip,
		 uint16_t sport, uint16_t dport, const void *data, size_t len);
uint16_t rd16(const uint8_t *p);
uint32_t rd32(const uint8_t *p);
/* An ARP reply to us: fills the sender's MAC. */
bool is_arp_reply(const uint8_t *f, size_t n, uint32_t from_ip, uint32_t to_ip, uint8_t mac[6]);
/* A UDP datagram to our port: its payload and length, or NULL. */
const uint8_t *udp_payload(const uint8_t *f, size_t n, uint16_t dport, size_t *len);

/* The roles. */
int role_probe(int argc, char **argv);
int role_ping(int argc, char **argv);
int role_pong(int argc, char **argv);
int role_listen(int argc, char **argv);
int role_hostile(int argc, char **argv);

#endif
