/* libos/include/poll.h: poll() over sockets and stdio (struct pollfd and POLL* are lwIP's). */
#ifndef LIBOS_POLL_H
#define LIBOS_POLL_H

#include <sys/socket.h>

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);

#endif
