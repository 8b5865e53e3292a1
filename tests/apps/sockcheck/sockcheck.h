/* tests/apps/sockcheck/sockcheck.h: the check reporter (`check NAME ok|FAIL: why`, then `checks done=N`) and the groups of checks. */
#ifndef SOCKCHECK_H
#define SOCKCHECK_H

#include <stdio.h>

typedef const char *(*check_fn)(void);
extern char check_why[256];
#define FAILF(...) (snprintf(check_why, sizeof(check_why), __VA_ARGS__), (const char *)check_why)

void check_run(const char *name, check_fn fn);

/* The API over loopback: fds, addresses, errno values, options, poll/select, threads (local.c). */
void checks_local(void);
/* Connects to host:port (A.B.C.D:PORT), says hello and wants "hello back" (remote.c). */
void checks_connect_out(const char *hostport);
/* A client of an echo server: bytes through TCP with a checksum, udp datagrams (remote.c). */
void checks_client(const char *hostport, long bytes, long udp);

/* Scans A.B.C.D:LO-HI (only port 80 may be open) (remote.c). */
void checks_scan(const char *spec);
/* GETs A.B.C.D:PORT/PATH and wants 200 with "hello, world\n" (remote.c). */
void checks_get(const char *spec);

/* hold=A.B.C.D:PORT:N: N connections asking for /blob that never read, and a GET answered meanwhile (remote.c). */
void checks_hold(const char *spec);

/* churn=A.B.C.D:PORT/PATH:N: N connections in turn, each a GET that must be answered (remote.c). */
void checks_churn(const char *spec);

#endif
