/* libos/include/arpa/inet.h: inet_pton/inet_ntop (functions), inet_addr/inet_aton/inet_ntoa and htons & co (lwIP's). */
#ifndef LIBOS_ARPA_INET_H
#define LIBOS_ARPA_INET_H

#include <netinet/in.h>

int inet_pton(int af, const char *src, void *dst);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);

#endif
