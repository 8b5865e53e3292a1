/* libos/net/net_priv.h: what the files of libos/net share: the vNIC interface, the stack start, the socket fd hooks. */
#ifndef LIBOS_NET_PRIV_H
#define LIBOS_NET_PRIV_H

#include "lwip/netif.h"
#include "../libos.h"
#include <uv_net.h>
#include <uv_thread.h>

extern struct uv_net_stats __uv_net_counters;

/* lwIP's init function for the interface of the vNIC whose handle is nif->state. */
err_t __uv_netif_init(struct netif *nif);

/* Hands the frames waiting on nif's vNIC to the stack (called with no thread runnable): at
 * once when the caller holds the core lock (locked), else through the tcpip thread's mailbox. */
void __uv_netif_poll(struct netif *nif, int locked);
/* The idle loop waits for nif's frames in net_read itself (__uv_idle_reader): for an app
 * with one vNIC. */
void __uv_netif_wait_reads(struct netif *nif);

/* timers.c, all under the core lock: runs the timer ticks due by now (and those owed late);
 * the time the app must wake for the next tick that cannot run late (INT64_MAX: none); what
 * a frame in or out says about the timers' work (ARP, fragments, DNS). */
void __uv_timers_run(int64_t now);
int64_t __uv_timers_next_wake(int64_t now);
int __uv_timers_quiet(int64_t now, int64_t *wake); /* nothing due, nothing changed: *wake still holds (no lock needed) */
void __uv_timers_frame_in(const uint8_t *f, size_t len);
void __uv_timers_frame_out(const uint8_t *f, size_t len);
/* The IPv6 stack's state changed outside a frame or a tick (an address added): timers.c looks again. */
void __uv_timers_changed(void);
/* What IPv6's state asks of its timers (timers6.c): */
#define UV_T6_IDLE 0  /* nothing to do: disarmed */
#define UV_T6_LAZY 1  /* ticks only age state: armed, they run late (caught up at the next wake) */
#define UV_T6_EAGER 2 /* ticks send: armed, they wake the app */
int __uv_timers6_nd6(void);
int __uv_timers6_mld(void);

/* uv_net_start() for a socket call: 0, or -1 with errno set. */
int __uv_net_need(void);

#endif
