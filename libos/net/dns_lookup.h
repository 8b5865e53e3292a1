/* libos/net/dns_lookup.h: names through lwIP's resolver for getaddrinfo (dns_lookup.c). */
#ifndef LIBOS_NET_DNS_LOOKUP_H
#define LIBOS_NET_DNS_LOOKUP_H

/*
 * Resolves name (A for AF_INET, AAAA for AF_INET6, A then AAAA for AF_UNSPEC) so that
 * lwIP's cache holds it; a literal or "localhost" needs nothing. 0, or EAI_NONAME (an
 * answer says there is no such name or record, the name is empty or too long, or it is a
 * literal of the other family),
 * EAI_AGAIN (no answer in time, or the resolver's table is busy), EAI_FAIL (no server),
 * EAI_MEMORY.
 */
int __uv_dns_resolve(const char *name, int family);

#endif
