/* libos/net/timers.c: lwIP's timers (LWIP_TIMERS_CUSTOM): run from the idle loop, each armed only while it has work, so an idle app sleeps. */
#include <stdint.h>
#include <string.h>
#include "lwip/opt.h"
#include "lwip/timeouts.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/etharp.h"
#include "lwip/ip4_frag.h"
#include "lwip/dhcp.h"
#include "lwip/prot/dhcp.h"
#include "lwip/dns.h"
#include <uv_net.h>
#include "lwip/netif.h"
#include "lwip/prot/ethernet.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip.h"
#if LWIP_IPV6
#include "lwip/nd6.h"
#include "lwip/ip6_frag.h"
#include "lwip/mld6.h"
#include "lwip/dhcp6.h"
#endif
#include "net_priv.h"
#include "timer_math.h"

#define NS_PER_MS 1000000ll
#define NS_PER_S 1000000000ll
#define NEVER INT64_MAX
#define ONESHOTS 8                   /* sys_timeout()s pending at once (lwIP's own code sets none here) */
#define DNS_PORT 53
#define ARP_OPCODE_OFF 6             /* RFC 826, Ethernet/IPv4: ar$op after hrd, pro, hln, pln */
#define ARP_SPA_OFF 14               /* ar$spa after ar$sha */
#define ARP_TPA_OFF 24               /* ar$tpa after ar$tha */
#define DNS_TTL_MAX_S 604800         /* dns.c's DNS_MAX_TTL (private there): the longest a name stays cached */
#define ARP_PENDING_TICKS 6          /* etharp.c's ARP_MAXPENDING (5) + 1: a request sent may still be retried */
#define ARP_AGE_TICKS (ARP_MAXAGE + 1) /* after this many ticks with no ARP frame the table is empty */
#define REASS_TICKS (IP_REASS_MAXAGE + 1) /* after this many ticks with no fragment no datagram is pending */
#define DNS_EAGER_TICKS 30           /* a query's retries (DNS_MAX_RETRIES to each of DNS_MAX_SERVERS) end within this */
#define DNS_LAZY_TICKS 600           /* cached names age by catching up at most this many ticks at a time */
#define DHCP_COARSE_TICKS_MAX 65536  /* dhcp.c's counters are 16 bits */
#define EAGER_CATCHUP 1              /* a timer that woke the app runs once, late or not (as lwIP's cyclic timers) */
#if LWIP_IPV6
#define ND6_LAZY_TICKS (LWIP_ND6_REACHABLE_TIME / ND6_TMR_INTERVAL + 1) /* a REACHABLE entry is STALE by then */
#define REASS6_TICKS (IPV6_REASS_MAXAGE + 1) /* after this many ticks with no IPv6 fragment none is pending */
#define IP6_NEXT_OFF 6               /* RFC 8200 3: the next header field */
#define IP6_HLEN 40
#define IP6_NEXT_ICMP6 58            /* RFC 4443 */
#endif

/*
 * A cyclic timer. It is armed (due != 0) while it may have work. While armed it either
 * wakes the app at its due time, or, when its ticks can only age state that nobody looks at
 * while the app sleeps (ARP entries, cached names, lease counters), runs them late: at the
 * app's next wake, before any frame or thread touches the stack, all ticks owed are run in a
 * row (at most catchup of them: after that many every such entry has gone), so what the
 * stack does is what on-time ticks would have made it do.
 */
struct ctimer {
	void (*fn)(void);
	int64_t interval;   /* ns */
	int64_t due;         /* next tick, monotonic ns; 0: disarmed */
	int64_t eager_until; /* ticks due before this wake the app (NEVER: all); later ones run late */
	int64_t live_until;  /* disarmed at the first pass past this (0: its policy disarms it) */
	unsigned catchup;    /* ticks run in a row at most */
	int lazy_wakes;      /* running late, it still wakes the app once a catch-up window has passed */
};

enum { T_TCP, T_REASS, T_ARP, T_DHCP_COARSE, T_DHCP_FINE, T_DNS, T_ND6, T_REASS6, T_MLD6, T_DHCP6, T_MAX };

static struct ctimer ct[T_MAX];
static const unsigned n_ct = T_MAX; /* those without fn (not built, IPv6 not configured) never arm */
static int64_t coarse_event_at = NEVER; /* the DHCP coarse tick that renews, rebinds or ends a lease */
/* So that an idle pass with nothing due costs two compares: the earliest due tick of any
 * timer (nothing runs before it), and the wake time, recomputed only once something changed. */
static int64_t earliest = NEVER;
static int64_t wake_cached = NEVER;
static int dirty = 1;
static struct oneshot {
	int64_t due; /* 0: free */
	sys_timeout_handler h;
	void *arg;
} os[ONESHOTS];

static void tcp_tick(void) { tcp_tmr(); }
#if IP_REASSEMBLY
static void reass_tick(void) { ip_reass_tmr(); }
#endif
static void arp_tick(void) { etharp_tmr(); }
static void dhcp_coarse_tick(void) { dhcp_coarse_tmr(); }
static void dhcp_fine_tick(void) { dhcp_fine_tmr(); }
#if LWIP_DNS
static void dns_tick(void) { dns_tmr(); }
#endif

static int64_t now_ns(void)
{
	int64_t t = __uv_now_ns();
	return t > 0 ? t : 1; /* 0 means disarmed */
}

static void set(int i, void (*fn)(void), uint32_t ms, unsigned catchup)
{
	ct[i].fn = fn;
	ct[i].interval = (int64_t)ms * NS_PER_MS;
	ct[i].catchup = catchup;
}

/* Arms timer i for its first tick one interval from now, unless it is armed already. */
static void arm(int i, int64_t now)
{
	if (!ct[i].fn)
		return;
	if (!ct[i].due) {
		ct[i].due = now + ct[i].interval;
		if (ct[i].due < earliest)
			earliest = ct[i].due;
	}
	dirty = 1;
}

void sys_timeouts_init(void)
{
	set(T_TCP, tcp_tick, TCP_TMR_INTERVAL, EAGER_CATCHUP);
	ct[T_TCP].eager_until = NEVER;
#if IP_REASSEMBLY
	set(T_REASS, reass_tick, IP_TMR_INTERVAL, EAGER_CATCHUP);
#endif
	set(T_ARP, arp_tick, ARP_TMR_INTERVAL, ARP_AGE_TICKS);
	set(T_DHCP_COARSE, dhcp_coarse_tick, DHCP_COARSE_TIMER_MSECS, DHCP_COARSE_TICKS_MAX);
	set(T_DHCP_FINE, dhcp_fine_tick, DHCP_FINE_TIMER_MSECS, EAGER_CATCHUP);
#if LWIP_DNS
	set(T_DNS, dns_tick, DNS_TMR_INTERVAL, DNS_LAZY_TICKS);
	ct[T_DNS].lazy_wakes = 1; /* a name may stay cached for DNS_MAX_TTL: catch up a window at a time */
#endif
	ct[T_DHCP_FINE].eager_until = NEVER;
#if LWIP_IPV6
	/* IPv6's timers, only in an app whose config gives a vNIC IPv6 (without, no interface
	 * has an IPv6 address: they would have nothing to do). Each is armed by ip6_policy()
	 * from what the stack holds; reassembly's by the fragments that come in. */
	if (!uv_net_has_ipv6())
		return;
	set(T_ND6, nd6_tmr, ND6_TMR_INTERVAL, ND6_LAZY_TICKS);
#if LWIP_IPV6_REASS
	set(T_REASS6, ip6_reass_tmr, IP6_REASS_TMR_INTERVAL, EAGER_CATCHUP);
#endif
#if LWIP_IPV6_MLD
	set(T_MLD6, mld6_tmr, MLD6_TMR_INTERVAL, EAGER_CATCHUP);
#endif
#if LWIP_IPV6_DHCP6
	set(T_DHCP6, dhcp6_tmr, DHCP6_TIMER_MSECS, EAGER_CATCHUP); /* no policy for it: always armed and waking */
	arm(T_DHCP6, now_ns());
	ct[T_DHCP6].eager_until = NEVER;
#endif
#endif
}

void __uv_timers_changed(void)
{
	dirty = 1;
}

#if LWIP_IPV6
/* Arms timer i as need says: waking the app at each tick, or armed with its ticks running late, or not at all. */
static void apply6(int i, int need, int64_t now)
{
	if (!ct[i].fn)
		return;
	if (need == UV_T6_IDLE) {
		ct[i].due = 0;
		return;
	}
	arm(i, now);
	ct[i].eager_until = need == UV_T6_EAGER ? NEVER : 0;
}

/* What ND6 and MLD have to do now (timers6.c) arms their timers. */
static void ip6_policy(int64_t now)
{
	if (!ct[T_ND6].fn)
		return;
	apply6(T_ND6, __uv_timers6_nd6(), now);
	apply6(T_MLD6, __uv_timers6_mld(), now);
}
#endif

/* lwIP: a TCP PCB became active or entered TIME-WAIT: the TCP timer runs while any exists. */
void tcp_timer_needed(void)
{
	if (!ct[T_TCP].due)
		arm(T_TCP, now_ns());
}

/* An ARP frame went by: the ARP timer runs (late, at least) until every entry it may have made has aged out. */
static int64_t arp_seen(void)
{
	int64_t now = now_ns();
	arm(T_ARP, now);
	ct[T_ARP].live_until = now + ARP_AGE_TICKS * ct[T_ARP].interval;
	return now;
}

/* The frame a vNIC delivered (before the stack sees it): an ARP frame or an IPv4 fragment arms their timers. */
void __uv_timers_frame_in(const uint8_t *f, size_t len)
{
	if (len < SIZEOF_ETH_HDR + IP_HLEN)
		return;
	uint16_t type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == ETHTYPE_ARP) {
		arp_seen();
	} else if (type == ETHTYPE_IP && f[SIZEOF_ETH_HDR + 9] == IP_PROTO_UDP) {
		dirty = 1; /* a DHCP answer may change what DHCP's timers have to do: look again */
	}
#if LWIP_IPV6
	if (type == ETHTYPE_IPV6) {
		dirty = 1; /* neighbour discovery, MLD: what their timers have to do may change */
		uint8_t next = len >= SIZEOF_ETH_HDR + IP6_HLEN ? f[SIZEOF_ETH_HDR + IP6_NEXT_OFF] : 0;
		if (ct[T_REASS6].fn && next != IP_PROTO_TCP && next != IP_PROTO_UDP && next != IP6_NEXT_ICMP6) {
			/* an extension header (a fragment's, RFC 8200 4.5, or one before it): reassembly may have work */
			int64_t now = now_ns();
			arm(T_REASS6, now);
			ct[T_REASS6].eager_until = ct[T_REASS6].live_until = now + REASS6_TICKS * ct[T_REASS6].interval;
		}
		return;
	}
#endif
	if (type == ETHTYPE_IP && ct[T_REASS].fn && (f[SIZEOF_ETH_HDR + 6] & 0x3f) | f[SIZEOF_ETH_HDR + 7]) {
		/* RFC 791 3.1: MF (0x20 of byte 6) or a fragment offset: reassembly has work */
		int64_t now = now_ns();
		arm(T_REASS, now);
		ct[T_REASS].eager_until = ct[T_REASS].live_until = now + REASS_TICKS * ct[T_REASS].interval;
	}
}

/* A frame the stack sends: an ARP request or reply (entries may be retried), a DNS query (retries, then answers to age). */
void __uv_timers_frame_out(const uint8_t *f, size_t len)
{
	if (len < SIZEOF_ETH_HDR + IP_HLEN)
		return;
	uint16_t type = (uint16_t)(f[12] << 8 | f[13]);
#if LWIP_IPV6
	if (type == ETHTYPE_IPV6) {
		dirty = 1; /* a send may move a STALE neighbour to DELAY (RFC 4861 7.3.3); an MLD report */
		return;
	}
#endif
	if (type == ETHTYPE_ARP) {
		int64_t now = arp_seen();
		const uint8_t *a = f + SIZEOF_ETH_HDR;
		/* a request for another address (not a gratuitous one: sender = target) has a pending entry to retry */
		if (len >= SIZEOF_ETH_HDR + ARP_TPA_OFF + 4 && a[ARP_OPCODE_OFF + 1] == ARP_REQUEST &&
		    memcmp(a + ARP_SPA_OFF, a + ARP_TPA_OFF, 4))
			ct[T_ARP].eager_until = now + ARP_PENDING_TICKS * ct[T_ARP].interval;
		return;
	}
	const uint8_t *ip = f + SIZEOF_ETH_HDR;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (type != ETHTYPE_IP || ip[9] != IP_PROTO_UDP || len < SIZEOF_ETH_HDR + ihl + 4)
		return;
	dirty = 1; /* a DHCP request (or release) changes what DHCP's timers have to do */
	if ((ip[ihl + 2] << 8 | ip[ihl + 3]) != DNS_PORT || !ct[T_DNS].fn)
		return;
	int64_t now = now_ns();
	arm(T_DNS, now);
	ct[T_DNS].eager_until = now + DNS_EAGER_TICKS * ct[T_DNS].interval;
	ct[T_DNS].live_until = ct[T_DNS].eager_until + (int64_t)DNS_TTL_MAX_S * NS_PER_S;
}

/* DHCP's state says what its two timers have to do: fine ticks count a request's timeout;
 * coarse ones count to the lease's renew, rebind and end (dhcp.c dhcp_coarse_tmr). */
static void dhcp_policy(int64_t now)
{
	unsigned fine = 0, coarse_ticks = 0;
	struct netif *n;
	NETIF_FOREACH(n) {
		struct dhcp *d = netif_dhcp_data(n);
		if (!d)
			continue;
		fine |= d->request_timeout != 0;
		if (d->state == DHCP_STATE_OFF)
			continue;
		unsigned k = uv_dhcp_coarse_ticks_to_event(d->t0_timeout, d->lease_used, d->t2_rebind_time, d->t1_renew_time);
		if (k && (!coarse_ticks || k < coarse_ticks))
			coarse_ticks = k;
	}
	if (fine) {
		arm(T_DHCP_FINE, now);
	} else {
		ct[T_DHCP_FINE].due = 0; /* every request timeout is 0: its ticks would do nothing */
	}
	coarse_event_at = NEVER;
	if (coarse_ticks) {
		arm(T_DHCP_COARSE, now);
		/* the ticks before the one that renews, rebinds or ends the lease only count: they run late */
		coarse_event_at = ct[T_DHCP_COARSE].due + (int64_t)(coarse_ticks - 1) * ct[T_DHCP_COARSE].interval;
	} else {
		ct[T_DHCP_COARSE].due = 0;
	}
}

void __uv_timers_run(int64_t now)
{
	if (now < earliest)
		return;
	for (unsigned i = 0; i < n_ct; i++) {
		struct ctimer *t = &ct[i];
		unsigned n = 0;
		while (t->due && t->due <= now && n < t->catchup) {
			t->due += t->interval;
			n++;
			t->fn();
		}
		if (t->due && t->due <= now)
			t->due = now + t->interval; /* the ticks beyond catchup would change nothing (or lwIP's own skip) */
		if (t->due && t->live_until && now >= t->live_until) {
			t->due = 0;
			t->live_until = 0;
		}
		if (i == T_TCP && n && !tcp_active_pcbs && !tcp_tw_pcbs)
			t->due = 0; /* as lwIP's tcpip_tcp_timer: no PCB needs ticks any more */
	}
	for (int i = 0; i < ONESHOTS; i++)
		if (os[i].due && os[i].due <= now) {
			os[i].due = 0;
			os[i].h(os[i].arg);
		}
	earliest = NEVER;
	for (unsigned i = 0; i < n_ct; i++)
		if (ct[i].due && ct[i].due < earliest)
			earliest = ct[i].due;
	for (int i = 0; i < ONESHOTS; i++)
		if (os[i].due && os[i].due < earliest)
			earliest = os[i].due;
	dirty = 1;
}

int __uv_timers_quiet(int64_t now, int64_t *wake)
{
	*wake = wake_cached;
	return now < earliest && !dirty;
}

int64_t __uv_timers_next_wake(int64_t now)
{
	if (!dirty)
		return wake_cached;
	dhcp_policy(now);
#if LWIP_IPV6
	ip6_policy(now);
#endif
	dirty = 0;
	int64_t next = NEVER;
	for (unsigned i = 0; i < n_ct; i++) {
		const struct ctimer *t = &ct[i];
		int64_t w = !t->due			   ? NEVER
			    : t->due < t->eager_until	   ? t->due /* a tick that must not run late */
			    : i == T_DHCP_COARSE	   ? coarse_event_at
			    : t->lazy_wakes		   ? t->due + (int64_t)(t->catchup - 1) * t->interval
						   : NEVER; /* its catch-up at the next wake covers all it owes */
		if (w < next)
			next = w;
	}
	for (int i = 0; i < ONESHOTS; i++)
		if (os[i].due && os[i].due < next)
			next = os[i].due;
	return wake_cached = next;
}

void sys_timeout(u32_t msecs, sys_timeout_handler handler, void *arg)
{
	for (int i = 0; i < ONESHOTS; i++)
		if (!os[i].due) {
			os[i].due = now_ns() + (int64_t)msecs * NS_PER_MS;
			os[i].h = handler;
			os[i].arg = arg;
			if (os[i].due < earliest)
				earliest = os[i].due;
			dirty = 1;
			return;
		}
	LWIP_ASSERT("sys_timeout: no free one-shot timer", 0);
}

void sys_untimeout(sys_timeout_handler handler, void *arg)
{
	for (int i = 0; i < ONESHOTS; i++)
		if (os[i].due && os[i].h == handler && os[i].arg == arg)
			os[i].due = 0;
}

void sys_check_timeouts(void)
{
	__uv_timers_run(now_ns());
}

/* The tcpip thread never runs timers here (the idle loop does): it waits for messages only. */
u32_t sys_timeouts_sleeptime(void)
{
	return SYS_TIMEOUTS_SLEEPTIME_INFINITE;
}

void sys_restart_timeouts(void)
{
	int64_t now = now_ns();
	for (unsigned i = 0; i < n_ct; i++)
		if (ct[i].due)
			ct[i].due = now + ct[i].interval;
	earliest = now;
	dirty = 1;
}
