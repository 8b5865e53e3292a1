/* libos/include/netinet/in.h: sockaddr_in, in_addr, IPPROTO_*, INADDR_*, byte order (lwIP's definitions). */
#ifndef LIBOS_NETINET_IN_H
#define LIBOS_NETINET_IN_H

#include <sys/socket.h>
#include <lwip/inet.h>
#include <lwip/def.h>

#endif
