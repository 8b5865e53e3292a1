/* libos/include/netinet/tcp.h: TCP_NODELAY, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT (lwIP's values). */
#ifndef LIBOS_NETINET_TCP_H
#define LIBOS_NETINET_TCP_H

#include <sys/socket.h>

#endif
