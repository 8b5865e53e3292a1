/* libos/net/net_start.c: starts lwIP once: the tcpip thread, an interface per granted vNIC with its configured addresses (IPv6 through inet6_if.c), the idle hook. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "lwip/tcpip.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/netif.h"
#include "lwip/ip4_addr.h"
#include "net_priv.h"
#include "inet6_if.h"

#define NS_PER_MS 1000000ll
#define DHCP_POLL_MS 20 /* how often the start-up checks whether DHCP has bound */
#define LOCKED_RETRY_NS 1000000ll /* the idle loop found the core lock held: look again in 1 ms */

static struct netif nifs[UV_BOOT_INFO_MAX_NICS];
static unsigned n_nifs;
static int state; /* 0 not started, 1 running, < 0 the -errno it failed with */
static uint64_t nic_mask; /* the vNIC handles of the interfaces, as yield's mask */

/*
 * The idle hook: under the core lock (free unless a thread went idle holding it), the timer
 * ticks due (and those owed late: before any frame or thread sees the stack), then the
 * frames waiting, then the time the next tick that cannot run late wakes the app.
 */
static void poll_all(void)
{
	int64_t now = __uv_idle_now(), wake;
	if (!(__uv_idle_ready() & nic_mask) && __uv_timers_quiet(now, &wake)) {
		__uv_idle_wake_by(wake); /* no frame waits, no tick is due: nothing to lock for */
		return;
	}
	int locked = uv_mutex_trylock(&lock_tcpip_core.m) == 0;
	if (locked)
		__uv_timers_run(now);
	for (unsigned i = 0; i < n_nifs; i++)
		__uv_netif_poll(&nifs[i], locked);
	if (!locked) {
		__uv_idle_wake_by(now + LOCKED_RETRY_NS); /* the timers' turn comes when it is free */
		return;
	}
	wake = __uv_timers_next_wake(now);
	UNLOCK_TCPIP_CORE();
	__uv_idle_wake_by(wake);
}

static void tcpip_ready(void *arg)
{
	sys_sem_signal((sys_sem_t *)arg);
}

static void ip4_of(ip4_addr_t *a, const uint8_t b[4])
{
	IP4_ADDR(a, b[0], b[1], b[2], b[3]);
}

/* "net: nic H A.B.C.D/N gw G dns D (how)" for interface i (H its vNIC handle). */
static void print_address(unsigned i, const char *how)
{
	struct netif *n = &nifs[i];
	char a[IP4ADDR_STRLEN_MAX], g[IP4ADDR_STRLEN_MAX], d[IP4ADDR_STRLEN_MAX], line[160];
	const ip_addr_t *dns = dns_getserver(0);
	ip4addr_ntoa_r(netif_ip4_addr(n), a, sizeof(a));
	ip4addr_ntoa_r(netif_ip4_gw(n), g, sizeof(g));
	ip4addr_ntoa_r(ip_2_ip4(dns), d, sizeof(d));
	int prefix = 0;
	for (uint32_t m = lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(n))); m & 0x80000000u; m <<= 1)
		prefix++;
	snprintf(line, sizeof(line), "net: nic %u %s/%d gw %s dns %s (%s)\n", (unsigned)(uintptr_t)n->state, a, prefix, g,
		 d, how);
	__uv_console_puts(line);
}

/*
 * lwIP's status callback of a DHCP interface, once the start-up has told its first address:
 * an address that changes later is told the same way, and one that goes (the lease ended
 * unrenewed, RFC 2131 4.4.5) as "net: nic H lost its address: the DHCP lease ended".
 */
static ip4_addr_t told[UV_BOOT_INFO_MAX_NICS];
static void dhcp_status(struct netif *n)
{
	unsigned i = (unsigned)(n - nifs);
	if (i >= n_nifs || ip4_addr_cmp(&told[i], netif_ip4_addr(n)))
		return;
	ip4_addr_copy(told[i], *netif_ip4_addr(n));
	if (!ip4_addr_isany_val(told[i])) {
		print_address(i, "dhcp");
		return;
	}
	char line[80];
	snprintf(line, sizeof(line), "net: nic %u lost its address: the DHCP lease ended\n", (unsigned)(uintptr_t)n->state);
	__uv_console_puts(line);
}

/* Adds the interface of vNIC handle h with its configured address (under the core lock). */
static int add_vnic(uint64_t h, const struct uv_vnic_ip *cfg)
{
	struct netif *n = &nifs[n_nifs];
	ip4_addr_t addr, mask, gw;
	ip4_addr_set_zero(&addr);
	ip4_addr_set_zero(&mask);
	ip4_addr_set_zero(&gw);
	if (cfg->mode == UV_IP_STATIC) {
		ip4_of(&addr, cfg->addr);
		ip4_of(&gw, cfg->gw);
		ip4_addr_set_u32(&mask, lwip_htonl(cfg->prefix ? 0xffffffffu << (32 - cfg->prefix) : 0));
	}
	if (!netif_add(n, &addr, &mask, &gw, (void *)(uintptr_t)h, __uv_netif_init, tcpip_input))
		return -ENODEV;
	n_nifs++;
	if (cfg->dns[0] | cfg->dns[1] | cfg->dns[2] | cfg->dns[3]) {
		ip_addr_t d;
		ip4_of(ip_2_ip4(&d), cfg->dns);
		IP_SET_TYPE_VAL(d, IPADDR_TYPE_V4);
		dns_setserver(0, &d);
	}
	netif_set_up(n);
	int r = __uv_inet6_add(n, cfg);
	if (r)
		return r;
	if (!netif_default || (cfg->mode == UV_IP_STATIC && !ip4_addr_isany_val(gw)))
		netif_set_default(n);
	if (cfg->mode == UV_IP_DHCP && dhcp_start(n) != ERR_OK)
		return -ENOMEM;
	return 0;
}

static int start(void)
{
	const struct uv_boot_info *bi = uv_boot_info();
	sys_sem_t ready;
	if (sys_sem_new(&ready, 0) != ERR_OK)
		return -ENOMEM;
	tcpip_init(tcpip_ready, &ready);
	sys_arch_sem_wait(&ready, 0);
	sys_sem_free(&ready);

	uint64_t mask = 0;
	unsigned n = bi->n_nics < UV_BOOT_INFO_MAX_NICS ? bi->n_nics : UV_BOOT_INFO_MAX_NICS;
	int r = 0;
	LOCK_TCPIP_CORE();
	for (unsigned h = 0; h < n && r == 0; h++) {
		struct uv_net_info info;
		if (uv_hc_net_info(h, &info) < 0)
			continue; /* not granted to this app: not its interface */
		r = add_vnic(h, &bi->nic_ip[h]);
		mask |= 1ull << h;
	}
	UNLOCK_TCPIP_CORE();
	if (r)
		return r;
	nic_mask = mask;
	if ((r = uv_thread_idle_hook(poll_all, mask)))
		return r;
	if (n_nifs == 1)
		__uv_netif_wait_reads(&nifs[0]);

	/* Wait (bounded) for DHCP on the vNICs that use it, then say what each has. */
	int64_t start_ns = uv_monotonic_ns();
	for (unsigned i = 0; i < n_nifs; i++) {
		const struct uv_vnic_ip *cfg = &bi->nic_ip[(uintptr_t)nifs[i].state];
		int bound = cfg->mode != UV_IP_DHCP;
		while (!bound && uv_monotonic_ns() - start_ns < UV_NET_DHCP_WAIT_MS * NS_PER_MS) {
			static struct uv_waitq sleepq;
			uv_waitq_wait(&sleepq, uv_monotonic_ns() + DHCP_POLL_MS * NS_PER_MS);
			LOCK_TCPIP_CORE();
			bound = dhcp_supplied_address(&nifs[i]);
			UNLOCK_TCPIP_CORE();
		}
		print_address(i, cfg->mode == UV_IP_STATIC ? "static" : cfg->mode == UV_IP_NONE ? "none"
							     : bound ? "dhcp" : "dhcp: no answer yet");
		if (cfg->mode == UV_IP_DHCP) {
			LOCK_TCPIP_CORE();
			ip4_addr_copy(told[i], *netif_ip4_addr(&nifs[i]));
			netif_set_status_callback(&nifs[i], dhcp_status);
			UNLOCK_TCPIP_CORE();
		}
	}
	/* IPv6: duplicate address detection (RFC 4862 5.4) before the addresses are used or told. */
	__uv_inet6_wait(nifs, n_nifs, start_ns);
	for (unsigned i = 0; i < n_nifs; i++)
		__uv_inet6_print(&nifs[i], (unsigned)(uintptr_t)nifs[i].state, &bi->nic_ip[(uintptr_t)nifs[i].state]);
	return 0;
}

int uv_net_start(void)
{
	if (state == 0) {
		state = 1; /* a second caller while this one waits for DHCP finds it running */
		int r = start();
		if (r)
			state = r;
	}
	return state < 0 ? state : 0;
}

unsigned uv_net_scope_id(unsigned h)
{
	if (uv_net_start() < 0)
		return 0;
	for (unsigned i = 0; i < n_nifs; i++)
		if ((uintptr_t)nifs[i].state == h)
			return netif_get_index(&nifs[i]);
	return 0;
}

int __uv_net_need(void)
{
	int r = uv_net_start();
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}
