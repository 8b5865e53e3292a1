/* tools/bench/linux/init.c: the Linux baseline's /init: counts boot, null syscall, 64-byte console write, clock read and pipe switch with RDTSC, then powers off. */
/*
 * Built static against glibc (gcc -static). Under QEMU -icount shift=0 the guest TSC
 * counts retired instructions, so every figure is an exact instruction count. The
 * entry point is bench_entry below: RDTSC is the first instruction the process runs
 * (the boot figure); it then jumps to glibc's _start.
 *
 * Output, on the console (fd 1 is /dev/console = ttyS0), one line per figure:
 *   lxbench: first-user-insn tsc=N             (TSC at the first instruction of /init)
 *   lxbench: first-write tsc=N                 (TSC just before init's first console write)
 *   lxbench: mem-used-kib N                    (MemTotal - MemFree after boot)
 *   lxbench: <figure> min=N median=N n=N       (RDTSC after minus RDTSC before, as an app sees it)
 *   lxbench: packet-frame-64 ...             (AF_PACKET send + receive of 64 bytes on the loopback)
 *   lxbench: http-get-1k ...                 (keep-alive GETs of apps/httpd's 1 KiB page on the loopback)
 *   lxbench: rdtsc-overhead min=N median=N n=N (two back-to-back reads: included in every figure)
 *   lxbench: done
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../measure.h"
#include "fwbridge.h"
#include "wrkserve.h"
#include "../http_client.h"

uint64_t boot_tsc;

/* The process entry (linked with -e bench_entry): RDTSC first, then glibc's _start with
 * RDX = 0 (no rtld fini function; the kernel starts init with all registers zero). */
__asm__(".text\n"
	".globl bench_entry\n"
	"bench_entry:\n"
	"	rdtsc\n"
	"	shl $32, %rdx\n"
	"	or %rdx, %rax\n"
	"	mov %rax, boot_tsc(%rip)\n"
	"	xor %eax, %eax\n"
	"	xor %edx, %edx\n"
	"	jmp _start\n");

#define ITER 1000   /* iterations of the null call, clock read and pipe round trip */
#define WRITES 64   /* iterations of the console write (each prints a line) */

static uint64_t samples[ITER];

static void report(const char *name, uint64_t *s, int n) { bench_report("lxbench: ", name, s, n); }

/* A raw getppid system call: the kernel's cheapest round trip. */
static inline long raw_getppid(void)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_getppid) : "rcx", "r11", "memory");
	return r;
}

static void bench_null_syscall(void)
{
	for (int i = 0; i < ITER; i++) {
		uint64_t t0 = bench_rdtsc();
		raw_getppid();
		samples[i] = bench_rdtsc() - t0;
	}
	report("null-syscall", samples, ITER);
}

static void bench_console_write(void)
{
	/* 64 bytes: 63 visible characters and a newline. */
	static const char line[65] = "lxbench: console-write-64 .....................................\n";
	_Static_assert(sizeof(line) == 65, "64 bytes plus the NUL");
	fflush(stdout);
	for (int i = 0; i < WRITES; i++) {
		uint64_t t0 = bench_rdtsc();
		ssize_t r = write(1, line, 64);
		samples[i] = bench_rdtsc() - t0;
		if (r != 64) {
			printf("lxbench: console-write-64 failed (%zd)\n", r);
			return;
		}
	}
	report("console-write-64", samples, WRITES);
}

static void bench_clock(void)
{
	struct timespec ts;
	for (int i = 0; i < ITER; i++) {
		uint64_t t0 = bench_rdtsc();
		clock_gettime(CLOCK_MONOTONIC, &ts);
		samples[i] = bench_rdtsc() - t0;
	}
	report("clock-read", samples, ITER);
}

/* Two processes bounce one byte over two pipes; one round trip is two switches. */
static void bench_pipe_switch(void)
{
	int ab[2], ba[2];
	char c = 'x';
	if (pipe(ab) || pipe(ba)) {
		printf("lxbench: pipe-switch failed (pipe)\n");
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		printf("lxbench: pipe-switch failed (fork)\n");
		return;
	}
	if (pid == 0) {
		for (;;) {
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				_exit(1);
		}
	}
	/* One warm-up round trip so the child has run once. */
	if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
		goto out;
	for (int i = 0; i < ITER; i++) {
		uint64_t t0 = bench_rdtsc();
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			goto out;
		samples[i] = (bench_rdtsc() - t0) / 2;
	}
	report("pipe-switch", samples, ITER);
out:
	kill(pid, SIGKILL);
	waitpid(pid, 0, 0);
}

/* A 64-byte request over one pipe and a 64-byte reply over another between two processes:
 * the channel round trip of the bench app (two switches and two copies each way). */
static void bench_pipe_rtt(void)
{
	int ab[2], ba[2];
	char m[64] = { 0 };
	if (pipe(ab) || pipe(ba)) {
		printf("lxbench: pipe-rtt-64 failed (pipe)\n");
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		printf("lxbench: pipe-rtt-64 failed (fork)\n");
		return;
	}
	if (pid == 0) {
		for (;;) {
			if (read(ab[0], m, sizeof(m)) != sizeof(m))
				_exit(1);
			m[0]++;
			if (write(ba[1], m, sizeof(m)) != sizeof(m))
				_exit(1);
		}
	}
	for (int i = 0; i < 10 + ITER; i++) { /* ten warm-up round trips, as the bench app */
		m[0] = (char)i;
		uint64_t t0 = bench_rdtsc();
		if (write(ab[1], m, sizeof(m)) != sizeof(m) || read(ba[0], m, sizeof(m)) != sizeof(m) || m[0] != (char)(i + 1)) {
			printf("lxbench: pipe-rtt-64 failed (round trip %d)\n", i);
			goto out;
		}
		if (i >= 10)
			samples[i - 10] = bench_rdtsc() - t0;
	}
	report("pipe-rtt-64", samples, ITER);
out:
	kill(pid, SIGKILL);
	waitpid(pid, 0, 0);
}

/* A 64-byte frame sent on the loopback by an AF_PACKET socket and received again by it:
 * the kernel's cheapest raw-frame path from one endpoint to another, as the bench app's
 * net_write + net_read through univisor's switch. */
static void bench_packet_frame(void)
{
	int ctl = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "lo");
	if (ctl < 0 || ioctl(ctl, SIOCGIFFLAGS, &ifr) || (ifr.ifr_flags |= IFF_UP, ioctl(ctl, SIOCSIFFLAGS, &ifr)) ||
	    ioctl(ctl, SIOCGIFINDEX, &ifr)) {
		printf("lxbench: packet-frame-64 failed (loopback up)\n");
		return;
	}
	int s = socket(AF_PACKET, SOCK_RAW, htons(0x88b5));
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = htons(0x88b5), .sll_ifindex = ifr.ifr_ifindex };
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a))) {
		printf("lxbench: packet-frame-64 failed (AF_PACKET socket)\n");
		return;
	}
	unsigned char frame[64] = { 0 }, in[1518];
	frame[12] = 0x88, frame[13] = 0xb5;
	for (int i = 0; i < ITER; i++) {
		frame[14] = (unsigned char)i;
		uint64_t t0 = bench_rdtsc();
		ssize_t w = send(s, frame, sizeof(frame), 0);
		ssize_t n = recv(s, in, sizeof(in), 0);
		samples[i] = bench_rdtsc() - t0;
		if (w != (ssize_t)sizeof(frame) || n != (ssize_t)sizeof(frame) || in[14] != (unsigned char)i) {
			printf("lxbench: packet-frame-64 failed (send %zd, recv %zd)\n", w, n);
			return;
		}
	}
	report("packet-frame-64", samples, ITER);
	close(s);
	close(ctl);
}

int httpd_main(int argc, char **argv); /* apps/httpd/main.c, built for Linux (bench.mk) */

/* apps/httpd in a child process on 127.0.0.1:8080 (the loopback is up: bench_packet_frame),
 * keep-alive GETs of its 1 KiB page from here, the same client as the bench-http app's. */
static void bench_http(void)
{
	static uint64_t hs[BENCH_HTTP_ITER];
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "httpd", "--port", "8080", NULL };
		_exit(httpd_main(3, argv));
	}
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(8080) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	const char *why = "fork failed";
	if (pid < 0 || bench_http_run(&a, hs, BENCH_HTTP_ITER, 500, &why))
		printf("lxbench: http-get-1k failed (%s)\n", why);
	else
		report("http-get-1k", hs, BENCH_HTTP_ITER);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* Prints MemTotal - MemFree from /proc/meminfo: the memory the booted kernel holds. */
static void report_memory(void)
{
	if (mount("proc", "/proc", "proc", 0, 0)) {
		printf("lxbench: mem-used-kib failed (mount /proc)\n");
		return;
	}
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	unsigned long long total = 0, free_kib = 0, v;
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %llu kB", &v) == 1)
			total = v;
		else if (sscanf(line, "MemFree: %llu kB", &v) == 1)
			free_kib = v;
	}
	if (f)
		fclose(f);
	if (total && free_kib)
		printf("lxbench: mem-used-kib %llu\n", total - free_kib);
	else
		printf("lxbench: mem-used-kib failed (/proc/meminfo)\n");
}

int main(void)
{
	uint64_t first_write = bench_rdtsc();
	if (bench_cmdline_has("bench=wrk")) { /* bench=wrk: httpd for the host's wrk (wrkserve.c) */
		wrk_serve();
		fflush(stdout);
		reboot(RB_POWER_OFF);
	}
	if (fw_bench_requested()) { /* bench=fw: the firewall bench alone (fwbridge.c) */
		fw_bench();
		printf("lxbench: done\n");
		fflush(stdout);
		reboot(RB_POWER_OFF);
	}
	printf("lxbench: first-user-insn tsc=%llu\n", (unsigned long long)boot_tsc);
	fflush(stdout);
	printf("lxbench: first-write tsc=%llu\n", (unsigned long long)first_write);
	report_memory();
	bench_report_overhead("lxbench: ", samples, ITER);
	bench_null_syscall();
	bench_console_write();
	bench_clock();
	bench_pipe_switch();
	bench_pipe_rtt();
	bench_packet_frame();
	bench_http();
	printf("lxbench: done\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
