/* tests/apps/v6check/v6check.h: what the files of the IPv6 and resolver checker share. */
#ifndef TESTS_APPS_V6CHECK_H
#define TESTS_APPS_V6CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>

#define V6CHECK_OWN_STATIC "fd00:6::2" /* the checker's ip6= in tests/boot/ipv6.conf */
#define V6CHECK_DUAL_PORT 7200         /* loopback listeners: this one and the next */

/* One verdict line (check_lines.h's vck, in main.c). */
void ck(bool ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A failure's text, kept until the next one. */
extern char check_why[256];
#define WHY(...) (snprintf(check_why, sizeof(check_why), __VA_ARGS__), check_why)

/* 1 when a and b differ in family, address or port. */
int sockaddr_differs(const struct sockaddr *a, const struct sockaddr *b);

/* The resolver against tests/apps/dnsd at server (dns.c). */
void checks_dns(const char *server);

#endif
