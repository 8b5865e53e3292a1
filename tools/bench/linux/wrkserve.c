/* tools/bench/linux/wrkserve.c: /init's wrk mode (bench=wrk): e1000 up as QEMU's user-mode network address, then apps/httpd on port 80 for the host's wrk (tools/bench/wrk.sh). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "fwbridge.h"
#include "wrkserve.h"

#define WRK_NIC "eth0"
#define WRK_ADDR "10.0.2.15"      /* QEMU's user-mode network hands its guest this one (tools/bench/wrk.conf too) */
#define WRK_MASK "255.255.255.0"
#define WRK_CARRIER_TRIES 500     /* 10 ms apart: 5 s for the link */
#define WRK_CARRIER_POLL_NS 10000000L

int httpd_main(int argc, char **argv); /* apps/httpd/main.c, built for Linux (bench.mk) */

/* Sets an IPv4 address-like field (SIOCSIFADDR or SIOCSIFNETMASK) of the NIC; 0 or -1. */
static int set_v4(int ctl, unsigned long req, const char *a)
{
	struct ifreq ifr = { 0 };
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", WRK_NIC);
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, a, &sin->sin_addr) != 1)
		return -1;
	return ioctl(ctl, req, &ifr);
}

/* True once the NIC has its carrier (IFF_RUNNING), waiting at most WRK_CARRIER_TRIES polls. */
static int carrier(int ctl)
{
	struct timespec nap = { 0, WRK_CARRIER_POLL_NS };
	for (int t = 0; t < WRK_CARRIER_TRIES; t++) {
		struct ifreq ifr = { 0 };
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", WRK_NIC);
		if (ioctl(ctl, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_RUNNING))
			return 1;
		nanosleep(&nap, 0);
	}
	return 0;
}

void wrk_serve(void)
{
	int ctl = socket(AF_INET, SOCK_DGRAM, 0);
	if (ctl < 0 || !bench_load_e1000("wrk")) {
		printf("lxbench: wrk failed (no e1000)\n");
		return;
	}
	if (!bench_nic_up(ctl, WRK_NIC) || set_v4(ctl, SIOCSIFADDR, WRK_ADDR) || set_v4(ctl, SIOCSIFNETMASK, WRK_MASK) ||
	    !carrier(ctl)) {
		printf("lxbench: wrk failed (%s: no address or no carrier)\n", WRK_NIC);
		return;
	}
	close(ctl);
	fflush(stdout);
	char *argv[] = { "httpd", "--port", "80", NULL };
	httpd_main(3, argv); /* prints "httpd: serving ...", then serves until the harness ends QEMU */
	printf("lxbench: wrk failed (httpd ended)\n");
}
