/* libos/include/sys/select.h: newlib's select.h with room for socket fds (FD_SETSIZE covers stdio + every lwIP socket). */
#ifndef LIBOS_SYS_SELECT_H
#define LIBOS_SYS_SELECT_H

/* Every translation unit (apps, libos, lwIP) sees this one value: fd_set has one size. */
#undef FD_SETSIZE
#define FD_SETSIZE 2048 /* >= 3 + MEMP_NUM_NETCONN (libos/net/include/lwipopts.h) */
#include_next <sys/select.h>

#endif
