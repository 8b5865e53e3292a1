/* tools/mkimage/config_ip.h: the IP options of a nic = line (config_ip.c). */
#ifndef TOOLS_MKIMAGE_CONFIG_IP_H
#define TOOLS_MKIMAGE_CONFIG_IP_H

#include "tools/mkimage/config_parser.h"

/*
 * One option word of a nic = line if it is an IP option (ip=A.B.C.D/N, gw=A.B.C.D,
 * dns=A.B.C.D, dhcp; ip6= and gw6= through config_ip6.c): parsed into v->ip and v->ip_seen. Returns 1 when opt is no IP
 * option (v unchanged), 0 when taken, -1 with p->err set.
 */
int config_ip_option(struct parser *p, const struct cfg_app *a, struct cfg_vnic *v, const char *opt);

/* After the whole line: the options together (ip= xor dhcp, gw= needs ip=, gw on ip's network; the IPv6 ones); sets v->ip.mode. 0 or -1. */
int config_ip_end(struct parser *p, const struct cfg_app *a, struct cfg_vnic *v);

/*
 * hostfwd = RULE... of a [port] (for `make run`'s QEMU user network only: nothing goes into
 * the image): each RULE is tcp:HOSTPORT-GUESTPORT or udp:..., or with the guest's address,
 * tcp:HOSTPORT-A.B.C.D:GUESTPORT; ports 1-65535. tools/qemu-nics.sh turns them into QEMU
 * hostfwd rules on 127.0.0.1. 0, or -1 with p->err set.
 */
int config_hostfwd(struct parser *p, struct cfg_port *t, const char *value);

#endif
