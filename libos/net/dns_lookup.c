/* libos/net/dns_lookup.c: a name through lwIP's resolver (RFC 1035) for getaddrinfo, with POSIX's errors: EAI_NONAME when an answer says no, EAI_AGAIN when none comes in time. */
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include "lwip/dns.h"
#include "lwip/tcpip.h"
#include "net_priv.h"
#include "dns_lookup.h"

/*
 * lwIP asks each server DNS_MAX_RETRIES times, waiting 1, 1, 2, 3 ... intervals of
 * DNS_TMR_INTERVAL ms (dns.c, dns_check_entry), then tries the next server, then gives up
 * with the same callback as for an answer that says no. Waiting half an interval less
 * than that tells the two apart: a callback before the deadline is an answer.
 */
#define ASK_INTERVALS (1 + DNS_MAX_RETRIES * (DNS_MAX_RETRIES - 1) / 2) /* per server */
#define ASK_MS(servers) ((servers) * ASK_INTERVALS * DNS_TMR_INTERVAL - DNS_TMR_INTERVAL / 2)

/* One lookup in flight; freed by whichever of the caller and the callback comes last. */
struct waiter {
	sys_sem_t done;
	int answered;  /* the callback came */
	int found;     /* with an address */
	int abandoned; /* the caller timed out and left: the callback frees it */
};

/* lwIP's dns_found_callback, in the tcpip thread (or inline from dns_gethostbyname). */
static void found(const char *name, const ip_addr_t *addr, void *arg)
{
	struct waiter *w = arg;
	(void)name;
	if (w->abandoned) {
		sys_sem_free(&w->done);
		free(w);
		return;
	}
	w->answered = 1;
	w->found = addr != NULL;
	sys_sem_signal(&w->done);
}

/* How many servers the resolver has (the config's dns=, DHCP's). */
static int servers(void)
{
	int n = 0;
	for (u8_t i = 0; i < DNS_MAX_SERVERS; i++)
		n += !ip_addr_isany(dns_getserver(i));
	return n;
}

static u8_t addrtype(int family)
{
	return family == AF_INET ? LWIP_DNS_ADDRTYPE_IPV4 : family == AF_INET6 ? LWIP_DNS_ADDRTYPE_IPV6
									  : LWIP_DNS_ADDRTYPE_IPV4_IPV6;
}

int __uv_dns_resolve(const char *name, int family)
{
	size_t len = strnlen(name, DNS_MAX_NAME_LENGTH);
	if (len == 0 || len >= DNS_MAX_NAME_LENGTH)
		return EAI_NONAME; /* RFC 1035 2.3.4: at most 255 octets; lwIP holds names below DNS_MAX_NAME_LENGTH */
	ip_addr_t literal;
	if (ipaddr_aton(name, &literal)) /* lwIP would ask a server for a literal of the other family */
		return (family == AF_INET && IP_IS_V6(&literal)) || (family == AF_INET6 && IP_IS_V4(&literal)) ? EAI_NONAME : 0;
	struct waiter *w = calloc(1, sizeof(*w));
	if (!w || sys_sem_new(&w->done, 0) != ERR_OK) {
		free(w);
		return EAI_MEMORY;
	}
	ip_addr_t addr;
	LOCK_TCPIP_CORE();
	int n = servers();
	err_t e = dns_gethostbyname_addrtype(name, &addr, found, w, addrtype(family));
	UNLOCK_TCPIP_CORE();
	if (e != ERR_INPROGRESS) {
		sys_sem_free(&w->done);
		free(w);
		/* ERR_OK: a literal, "localhost" or in the cache; ERR_VAL: no server; ERR_MEM: every table entry busy */
		return e == ERR_OK ? 0 : e == ERR_VAL ? EAI_FAIL : e == ERR_MEM ? EAI_AGAIN : EAI_NONAME;
	}
	if (!w->answered)
		sys_arch_sem_wait(&w->done, (u32_t)ASK_MS(n > 0 ? n : 1));
	if (!w->answered) {
		w->abandoned = 1; /* lwIP's own timeout calls found() soon, which frees w */
		return EAI_AGAIN;
	}
	int r = w->found ? 0 : EAI_NONAME;
	sys_sem_free(&w->done);
	free(w);
	return r;
}
