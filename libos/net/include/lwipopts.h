/* libos/net/include/lwipopts.h: lwIP 2.1.3's options for univisor apps (why each one: libos/net/README.md). */
#ifndef LIBOS_LWIPOPTS_H
#define LIBOS_LWIPOPTS_H

/* ---- The OS: NO_SYS=0 over libos's cooperative threads, the stack in one tcpip thread ---- */
#define NO_SYS 0
#define SYS_LIGHTWEIGHT_PROT 1            /* sys_arch_protect: nothing to do without preemption */
#define LWIP_TCPIP_CORE_LOCKING 1         /* socket calls run the core directly under the lock */
#define LWIP_TCPIP_CORE_LOCKING_INPUT 0   /* frames go through the tcpip thread's mailbox */
#define TCPIP_THREAD_STACKSIZE (64 * 1024)
#define TCPIP_MBOX_SIZE 512
#define DEFAULT_THREAD_STACKSIZE (64 * 1024)
#define DEFAULT_RAW_RECVMBOX_SIZE 32
#define DEFAULT_UDP_RECVMBOX_SIZE 64
#define DEFAULT_TCP_RECVMBOX_SIZE 64
#define DEFAULT_ACCEPTMBOX_SIZE 64
#define LWIP_NETCONN_SEM_PER_THREAD 0
#define LWIP_NETCONN_FULLDUPLEX 0

/* ---- Memory: lwIP's own bounded heap and pools (nothing grows without limit) ---- */
#define MEM_ALIGNMENT 8
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_SIZE (8 * 1024 * 1024)        /* pbuf RAM for sends (256 full send buffers) and lwIP's other heap objects */
#define MEMP_NUM_PBUF 256
#define MEMP_NUM_RAW_PCB 4
#define MEMP_NUM_UDP_PCB 16
#define MEMP_NUM_TCP_PCB 1100             /* live connections (TIME_WAIT ones are reused first) */
#define MEMP_NUM_TCP_PCB_LISTEN 16
#define MEMP_NUM_NETCONN 1024             /* sockets: fds LWIP_SOCKET_OFFSET .. +1023 */
#define MEMP_NUM_NETBUF 64
#define MEMP_NUM_TCPIP_MSG_API 64
#define MEMP_NUM_TCPIP_MSG_INPKT 512      /* = TCPIP_MBOX_SIZE: received frames queued for the stack */
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)
#define MEMP_NUM_SELECT_CB 64
#define PBUF_POOL_SIZE 512                /* receive buffers, one frame each */
#define PBUF_POOL_BUFSIZE 1536            /* a whole 1518-byte frame (802.1Q tagged) in one pbuf */

/* ---- Protocols: IPv4, ARP, ICMP, UDP, TCP, DHCP, DNS (IPv6: its own block below) ---- */
#define LWIP_IPV4 1
#define LWIP_ARP 1
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 1
#define DNS_MAX_SERVERS 2
#define LWIP_DHCP_MAX_DNS_SERVERS DNS_MAX_SERVERS /* defect avoided: more would overrun dns_servers[] (README) */
#define LWIP_NETIF_HOSTNAME 1
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_NETIF_TX_SINGLE_PBUF 1
#define LWIP_SINGLE_NETIF 0
#define LWIP_HAVE_LOOPIF 1                /* 127.0.0.1 works inside an app */
#define LWIP_NETIF_LOOPBACK 1

/* Defects of 2.1.3 fixed only upstream later, avoided here (libos/net/README.md): */
#define IP_FORWARD 0                      /* forwarding across netifs with checksum offload */
#define IP_FRAG 0                         /* ip4_frag's NULL pointer when memory runs out; custom pbufs */
#define LWIP_SUPPORT_CUSTOM_PBUF 0        /* uninitialised custom pbufs */
#define IP_REASSEMBLY 1
#define IP_REASS_MAX_PBUFS 32
#define TCP_QUEUE_OOSEQ 0                 /* out-of-order segment replacement overrunning the window */

/* ---- TCP: sized for a LAN appliance ---- */
#define TCP_MSS 1460
#define TCP_WND (32 * 1024)               /* below 64 KiB: no window scaling needed */
#define TCP_SND_BUF (32 * 1024)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define MEMP_NUM_TCP_SEG 4096             /* >= TCP_SND_QUEUELEN; queued segments of every connection together */
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 64
#define LWIP_TCP_KEEPALIVE 1
#define TCP_OVERSIZE TCP_MSS
#define LWIP_TCP_TIMESTAMPS 0
#define LWIP_CHECKSUM_ON_COPY 1             /* UDP's; TCP's has none to compute (below) */

/* ---- Cost per packet (libos/net/README.md "What a request costs"): the port's own code ---- */
#include "uv_chksum.h"
#define LWIP_CHKSUM uv_inet_chksum        /* eight bytes a step instead of lwIP's 16-bit loop */
#define LWIP_TIMERS_CUSTOM 1              /* ../timers.c: timers armed only while they have work, run by the idle loop */

/* ---- The sockets API (libos maps the POSIX names onto lwip_*) ---- */
#define LWIP_SOCKET 1
#define LWIP_NETCONN 1
#define LWIP_COMPAT_SOCKETS 0             /* no macros renaming socket() & co: libos has real functions */
#define LWIP_POSIX_SOCKETS_IO_NAMES 0     /* else write(1, ...) would become lwip_write */
#define LWIP_SOCKET_OFFSET 3              /* socket fds come after stdin, stdout, stderr */
#define LWIP_SOCKET_SELECT 1
#define LWIP_SOCKET_POLL 1
#define LWIP_SO_RCVTIMEO 1
#define LWIP_SO_SNDTIMEO 1
#define LWIP_SO_RCVBUF 1
#define LWIP_SO_LINGER 1
#define SO_REUSE 1
#define LWIP_TCP_KEEPALIVE 1
#define LWIP_SOCKET_SET_ERRNO 1
#define LWIP_DNS_API_DECLARE_H_ERRNO 1
#define LWIP_DNS_API_DEFINE_ERRNO 1
#define LWIP_DNS_API_DECLARE_STRUCTS 1
#define LWIP_NETIF_API 0
#define LWIP_STATS 0                      /* nothing reads lwIP's counters (libos keeps its own, uv_net_stats) */
#define LWIP_STATS_DISPLAY 0

/* Debian's `port` patch makes sockets.c use these (its POSIX port defines them). */
#define IP4ADDR_SOCKADDR_SET_LEN(sin) ((sin)->sin_len = sizeof(struct sockaddr_in))
#define IP6ADDR_SOCKADDR_SET_LEN(sin6) ((sin6)->sin6_len = sizeof(struct sockaddr_in6))
#define IPADDR_SOCKADDR_GET_LEN(addr) \
	(((const struct sockaddr *)(addr))->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in))

/* Checksums in software both ways, but TCP's: its frames leave with a checksum mark (ABI 1.4,
 * netif_uv.c) and the kernel completes the sum only where a frame leaves the appliance or
 * meets a reader without marks; TCP's check runs per frame, for frames without a mark only
 * (UV_NETIF_CHECKSUMS is an interface's setting between frames: loopback's frames are never
 * checked, as on Linux). UDP keeps its own: a datagram can span IP fragments. */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define UV_NETIF_CHECKSUMS (NETIF_CHECKSUM_ENABLE_ALL & ~NETIF_CHECKSUM_CHECK_TCP)
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_GEN_TCP 0
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1

/* ---- IPv6 (libos/net/inet6_if.c; libos/net/README.md "IPv6"): the link-local address from the
 * vNIC's MAC and the config's static one, ND6 with duplicate address detection, MLD for the
 * solicited-node groups; no SLAAC, no DHCPv6, no router solicitations (gw6= is static); router
 * advertisements, redirects and ICMPv6 fragments are refused before lwIP (inet6_filter.c) ---- */
#define LWIP_IPV6 1
#define LWIP_IPV6_NUM_ADDRESSES 2         /* the link-local one and ip6='s */
#define LWIP_IPV6_AUTOCONFIG 0            /* RFC 4862 SLAAC off: addresses come from the config */
#define LWIP_IPV6_SEND_ROUTER_SOLICIT 0
#define LWIP_IPV6_DHCP6 0
#define LWIP_IPV6_DUP_DETECT_ATTEMPTS 1   /* RFC 4862 5.1 DupAddrDetectTransmits */
#define LWIP_IPV6_MLD 1                   /* RFC 3810: reports for the solicited-node groups (RFC 4861 7.2.1) */
#define MEMP_NUM_MLD6_GROUP (2 * 8)       /* a solicited-node group per address, 8 vNICs */
#define LWIP_IPV6_FORWARD 0
#define LWIP_IPV6_FRAG 0                  /* like IP_FRAG: TCP keeps to the MSS, a larger UDP datagram is dropped */
#define LWIP_IPV6_REASS 1
#define IPV6_FRAG_COPYHEADER 1            /* 64-bit pointers do not fit in the fragment header (ip6_frag.c asserts) */
#define LWIP_ND6_QUEUEING 1
#define LWIP_ND6_ALLOW_RA_UPDATES 0       /* a router advertisement from another app does not change MTU or timers */
#define LWIP_HOOK_FILENAME "inet6_hooks.h"
#define LWIP_HOOK_ND6_GET_GW(netif, dest) __uv_inet6_gateway(netif, dest)
#define LWIP_HOOK_IP6_ROUTE(src, dest) __uv_inet6_route(src, dest)
#define LWIP_HOOK_IP6_INPUT(p, inp) __uv_inet6_input(p, inp) /* no RAs, redirects, ICMPv6 fragments */

#if LWIP_DHCP_MAX_DNS_SERVERS > DNS_MAX_SERVERS
#error "DHCP would write past the resolver's server table (lwIP 2.1.3 defect)"
#endif

#endif
