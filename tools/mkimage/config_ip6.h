/* tools/mkimage/config_ip6.h: the IPv6 options of a nic = line (config_ip6.c). */
#ifndef TOOLS_MKIMAGE_CONFIG_IP6_H
#define TOOLS_MKIMAGE_CONFIG_IP6_H

#include "tools/mkimage/config_parser.h"

/*
 * One option word if it is an IPv6 option: ip6=link-local, ip6=ADDRESS/PREFIX (which turns
 * on the link-local address too), gw6=ADDRESS. Parsed into v->ip (mode6, prefix6, addr6,
 * gw6) and v->ip_seen. 1 when opt is none of them (v unchanged), 0 when taken, -1 with
 * p->err set.
 */
int config_ip6_option(struct parser *p, const struct cfg_app *a, struct cfg_vnic *v, const char *opt);

/* After the whole line: gw6= needs ip6=, and lies on the link (link-local) or in ip6's prefix. 0 or -1. */
int config_ip6_end(struct parser *p, const struct cfg_app *a, struct cfg_vnic *v);

/* After the app's grants: IPv6 only on a vNIC the app may use (net:NAME). 0 or -1. */
int config_ip6_granted(struct parser *p, const struct cfg_app *a, const struct cfg_vnic *v);

#endif
