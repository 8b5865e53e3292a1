/* libos/include/netdb.h: getaddrinfo/freeaddrinfo/gai_strerror/gethostbyname over lwIP's resolver (numeric and DNS names). */
#ifndef LIBOS_NETDB_H
#define LIBOS_NETDB_H

#include <sys/socket.h>
#include <lwip/netdb.h>

#ifndef EAI_AGAIN
#define EAI_AGAIN 206 /* lwIP defines EAI_NONAME .. EAI_FAMILY (200-205) only */
#endif

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res);
void freeaddrinfo(struct addrinfo *ai);
const char *gai_strerror(int code);
struct hostent *gethostbyname(const char *name);

#endif
