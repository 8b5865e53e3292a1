/* tools/bench/linux/fwbridge.c: the firewall bench on Linux: loads e1000.ko, brings up eth0..eth3, and runs a generator, an AF_PACKET bridge with a firewall's checks, and a sink, as three processes. */
/*
 * The same machine as univisor's firewall bench (tools/bench/bench.sh: four e1000s, NIC 0
 * and 1 on QEMU hub 1, NIC 2 and 3 on hub 2) and the same flow (tools/bench/fwflow.h):
 *   generator: AF_PACKET send on eth0, at most FWFLOW_WINDOW frames past the last ack
 *   bridge:    AF_PACKET on eth1 (promiscuous) and eth2: each IPv4 frame parsed and checked
 *              as the firewall does (Ethernet, IPv4 header and checksum, fragments, UDP),
 *              inbound (eth1 -> eth2) passed only by the rule "allow in udp dst 10.1.0.2
 *              port 9000", outbound (eth2 -> eth1) by default
 *   sink:      AF_PACKET on eth3: counts, acks every FWFLOW_ACK_EVERY-th frame, and reads
 *              the TSC at its first and last data frame
 * The bridge does less than univisor's firewall: no connection table (the firewall looks
 * every frame up in its SipHash table), no counters per reason.
 * Output: "lxbench: fw-forward ..." (fwflow_report) and "lxbench: fw-gen ..." lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "fwbridge.h"
#include "../fwflow.h"
/* Only bench_rdtsc is used here; the header's other helpers are init.c's. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "../measure.h"
#pragma GCC diagnostic pop

#define FW_MODULE "/e1000.ko"      /* put into the initramfs by mkinitramfs.py */
#define FW_NICS 4                  /* eth0..eth3, in PCI order = QEMU's -device order */
#define FW_COUNT 20000             /* data frames, as tools/bench/fw.conf's generator */
#define FW_CARRIER_TRIES 1000      /* 10 ms apart: 10 s of virtual time for the links */
#define FW_CARRIER_POLL_NS 10000000L
/* Before the first frame: QEMU's e1000 takes no frame for 1 s after each write of its
 * receive control (hw/net/e1000.c set_rx_control), which promiscuous mode and multicast
 * joins make; the bridge and the sink reach their loops meanwhile. */
#define FW_START_WAIT_NS 1100000000L
#define FW_SINK_IDLE_MS 2000       /* the sink ends when nothing came for this long */
#define FW_BURST 32                /* frames a bridge side takes before the other's turn, as the firewall */
#define FW_FRAME_MAX 1518
#define FW_MAX_LOOPS 100000000u    /* a bound on every loop: far more than a run needs */
#define FW_NS_PER_MS 1000000LL
#define FW_ETH_VLAN 0x8100
#define FW_IP_MF 0x2000            /* more fragments (RFC 791 3.1) */
#define FW_IP_OFFSET 0x1fff        /* fragment offset */

static const char *const nic_name[FW_NICS] = { "eth0", "eth1", "eth2", "eth3" };

/* Writes s to the file at path (a /proc/sys knob); false if it cannot. */
static bool write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return false;
	bool ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok;
}

bool bench_cmdline_has(const char *word)
{
	char buf[512];
	mount("proc", "/proc", "proc", 0, 0); /* EBUSY if it is there already */
	int fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	for (char *w = strtok(buf, " \n"); w; w = strtok(0, " \n"))
		if (strcmp(w, word) == 0)
			return true;
	return false;
}

bool fw_bench_requested(void)
{
	return bench_cmdline_has("bench=fw");
}

bool bench_load_e1000(const char *fig)
{
	int fd = open(FW_MODULE, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0) != 0) {
		printf("lxbench: %s failed (load %s: %s)\n", fig, FW_MODULE, strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

int bench_nic_up(int ctl, const char *name)
{
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(ctl, SIOCGIFFLAGS, &ifr))
		return 0;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(ctl, SIOCSIFFLAGS, &ifr) || ioctl(ctl, SIOCGIFINDEX, &ifr))
		return 0;
	return ifr.ifr_ifindex;
}

/* True once every NIC has its carrier (IFF_RUNNING); waits at most FW_CARRIER_TRIES polls. */
static bool links_running(int ctl)
{
	struct timespec nap = { 0, FW_CARRIER_POLL_NS };
	for (int t = 0; t < FW_CARRIER_TRIES; t++) {
		int up = 0;
		for (int i = 0; i < FW_NICS; i++) {
			struct ifreq ifr = { 0 };
			snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", nic_name[i]);
			up += ioctl(ctl, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_RUNNING);
		}
		if (up == FW_NICS)
			return true;
		nanosleep(&nap, 0);
	}
	return false;
}

/* An AF_PACKET socket for IPv4 frames on NIC ifindex (outgoing ones are not seen: the
 * protocol is not ETH_P_ALL), promiscuous if asked; -1 on failure. */
static int packet_socket(int ifindex, bool promisc)
{
	int s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP));
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = ifindex };
	struct packet_mreq mr = { .mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC };
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) ||
	    (promisc && setsockopt(s, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)))) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

/* The bridge's verdict on a frame of n bytes, the firewall's checks in its order
 * (apps/firewall/README.md): false = drop. Inbound passes only by the rule, outbound by
 * default. */
static bool judge(const uint8_t *f, size_t n, bool inbound)
{
	if (n < FWFLOW_ETH_HDR || n > FW_FRAME_MAX)
		return false;
	size_t l3 = FWFLOW_ETH_HDR;
	uint32_t type = fwflow_rd16(f + 12);
	if (type == FW_ETH_VLAN) { /* one 802.1Q tag */
		if (n < l3 + 4)
			return false;
		type = fwflow_rd16(f + 16);
		l3 += 4;
	}
	if (type != FWFLOW_ETH_IPV4 || n < l3 + FWFLOW_IP_HDR)
		return false;
	const uint8_t *ip = f + l3;
	size_t ihl = (size_t)(ip[0] & 0xf) * 4, total = fwflow_rd16(ip + 2);
	if ((ip[0] >> 4) != 4 || ihl < FWFLOW_IP_HDR || l3 + ihl > n || total < ihl || l3 + total > n ||
	    fwflow_checksum(ip, ihl) != 0)
		return false;
	if (fwflow_rd16(ip + 6) & (FW_IP_MF | FW_IP_OFFSET))
		return false;
	if (ip[9] == FWFLOW_IP_UDP) {
		if (total < ihl + FWFLOW_UDP_HDR)
			return false;
		const uint8_t *udp = ip + ihl;
		size_t ulen = fwflow_rd16(udp + 4);
		if (ulen < FWFLOW_UDP_HDR || ulen > total - ihl)
			return false;
		if (inbound)
			return fwflow_rd32(ip + 16) == FWFLOW_DST_IP && fwflow_rd16(udp + 2) == FWFLOW_DST_PORT;
	}
	return !inbound;
}

/* Moves up to FW_BURST waiting frames from socket in to socket out through judge();
 * returns how many it read. */
static int bridge_side(int in, int out, bool inbound)
{
	static uint8_t f[FW_FRAME_MAX];
	int k = 0;
	for (; k < FW_BURST; k++) {
		ssize_t n = recv(in, f, sizeof(f), MSG_DONTWAIT);
		if (n <= 0)
			break;
		if (judge(f, (size_t)n, inbound))
			send(out, f, (size_t)n, 0);
	}
	return k;
}

/* The bridge: until it is killed, frames from eth1 to eth2 and back, each side FW_BURST at a time. */
static void bridge(int s1, int s2)
{
	struct pollfd p[2] = { { .fd = s1, .events = POLLIN }, { .fd = s2, .events = POLLIN } };
	for (unsigned i = 0; i < FW_MAX_LOOPS; i++) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		while (bridge_side(s1, s2, true) + bridge_side(s2, s1, false) > 0)
			;
	}
	_exit(0);
}

/* The sink on eth3: counts until the first end marker or FW_SINK_IDLE_MS without a frame,
 * acks every FWFLOW_ACK_EVERY-th data frame, prints the figure. */
static void sink(int s)
{
	static uint8_t f[FW_FRAME_MAX], ack[FWFLOW_FRAME];
	struct fwflow_tally t = { 0 };
	struct pollfd p = { .fd = s, .events = POLLIN };
	fwflow_frame(ack, FWFLOW_BACK, 0, FWFLOW_ACK, 0, 0);
	for (unsigned i = 0; i < FW_MAX_LOOPS && !t.ended; i++) {
		ssize_t n = recv(s, f, sizeof(f), MSG_DONTWAIT);
		if (n > 0) {
			if (!fwflow_count(&t, f, (size_t)n, bench_rdtsc()))
				continue;
			fwflow_wr32(ack + FWFLOW_PAYLOAD + FWFLOW_OFF_SEQ, t.last_seq);
			send(s, ack, sizeof(ack), 0);
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			break;
		int r = poll(&p, 1, FW_SINK_IDLE_MS);
		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	fwflow_report("lxbench: ", &t);
	_exit(0);
}

/* Takes the acks waiting on the generator's socket; moves *acked on. */
static void take_acks(int s, uint32_t *acked)
{
	static uint8_t f[FW_FRAME_MAX];
	for (unsigned i = 0; i < FW_MAX_LOOPS; i++) {
		ssize_t n = recv(s, f, sizeof(f), MSG_DONTWAIT);
		uint32_t seq;
		if (n <= 0)
			return;
		if (fwflow_parse_ack(f, (size_t)n, &seq) && (int32_t)(seq + 1 - *acked) > 0)
			*acked = seq + 1;
	}
}

/* Sends n frames of the flow to port on s (data of the allowed flow in the window, the
 * rest each after a sched_yield); counts send's refusals and the window's stalls. */
static void send_run(int s, uint32_t port, enum fwflow_kind kind, uint32_t n, uint32_t sent, uint32_t *refused,
		     uint32_t *stalls)
{
	static uint8_t f[FWFLOW_FRAME];
	bool windowed = kind == FWFLOW_DATA && port == FWFLOW_DST_PORT;
	uint32_t acked = 0;
	struct pollfd p = { .fd = s, .events = POLLIN };
	fwflow_frame(f, FWFLOW_FORWARD, port, kind, 0, sent);
	for (uint32_t i = 0; i < n; i++) {
		if (!windowed)
			sched_yield();
		else if (!fwflow_window_open(i, acked)) {
			take_acks(s, &acked);
			while (!fwflow_window_open(i, acked)) {
				if (poll(&p, 1, (int)(FWFLOW_ACK_WAIT_NS / FW_NS_PER_MS)) == 0) {
					(*stalls)++;
					acked = i;
					break;
				}
				take_acks(s, &acked);
			}
		}
		fwflow_wr32(f + FWFLOW_PAYLOAD + FWFLOW_OFF_SEQ, i);
		if (send(s, f, sizeof(f), 0) != (ssize_t)sizeof(f))
			(*refused)++;
	}
}

/* Prints the NICs' lines of /proc/net/dev (frames and drops each way), for the record. */
static void print_nic_counters(void)
{
	char line[256];
	FILE *f = fopen("/proc/net/dev", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "eth"))
			printf("lxbench: fw-nic %s", line);
	if (f)
		fclose(f);
	fflush(stdout);
}

void fw_bench(void)
{
	int ctl = socket(AF_INET, SOCK_DGRAM, 0), ifindex[FW_NICS], s[FW_NICS];
	/* No IPv6 on the new NICs: no router solicitations or DAD on the wires. */
	write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	if (ctl < 0 || !bench_load_e1000("fw-forward"))
		return;
	for (int i = 0; i < FW_NICS; i++) {
		if (!(ifindex[i] = bench_nic_up(ctl, nic_name[i]))) {
			printf("lxbench: fw-forward failed (%s up: %s)\n", nic_name[i], strerror(errno));
			return;
		}
	}
	/* The bridge's two NICs are promiscuous (frames for the hosts behind them), as a
	 * firewall's ports are. */
	for (int i = 0; i < FW_NICS; i++) {
		if ((s[i] = packet_socket(ifindex[i], i == 1 || i == 2)) < 0) {
			printf("lxbench: fw-forward failed (AF_PACKET socket on %s: %s)\n", nic_name[i], strerror(errno));
			return;
		}
	}
	if (!links_running(ctl)) {
		printf("lxbench: fw-forward failed (no carrier on eth0..eth3)\n");
		return;
	}
	fflush(stdout);
	pid_t sink_pid = fork();
	if (sink_pid == 0)
		sink(s[3]);
	pid_t bridge_pid = fork();
	if (bridge_pid == 0)
		bridge(s[1], s[2]);
	if (sink_pid < 0 || bridge_pid < 0) {
		printf("lxbench: fw-forward failed (fork)\n");
		return;
	}
	struct timespec settle = { FW_START_WAIT_NS / 1000000000L, FW_START_WAIT_NS % 1000000000L };
	nanosleep(&settle, 0);
	uint32_t refused = 0, stalls = 0, refused_end = 0, unused = 0;
	send_run(s[0], FWFLOW_DST_PORT, FWFLOW_DATA, FW_COUNT, 0, &refused, &stalls);
	send_run(s[0], FWFLOW_DST_PORT, FWFLOW_END, FWFLOW_END_MARKERS, FW_COUNT - refused, &refused_end, &unused);
	printf("lxbench: fw-gen sent %u data frames (%u refused, %u window stalls), %u end markers (%u refused)\n",
	       FW_COUNT - refused, refused, stalls, FWFLOW_END_MARKERS - refused_end, refused_end);
	fflush(stdout);
	waitpid(sink_pid, 0, 0);
	kill(bridge_pid, SIGKILL);
	waitpid(bridge_pid, 0, 0);
	print_nic_counters();
}
