/* tests/fuzz/seeds_guest.c: writes binary seeds for fuzz_guestwalk, fuzz_svm_decode and fuzz_hypercall (their input formats) into a directory: seeds_guest TARGET DIR. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "include/abi/uv_hypercall.h"

static const char *dir;
static int bad;

static void put(const char *name, const void *p, size_t n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		bad = 1;
	}
}

static void le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- fuzz_guestwalk: header (pages-1, flags, hole, cr3, gva, len) + image ---- */
#define GW_HDR 21
static uint8_t gw[GW_HDR + 8 * 4096];

static void gw_entry(uint64_t page, unsigned index, uint64_t e) { le64(gw + GW_HDR + page * 4096 + index * 8, e); }

static void gw_put(const char *name, unsigned pages, uint8_t flags, uint64_t cr3, uint64_t gva, unsigned len)
{
	gw[0] = (uint8_t)(pages - 1);
	gw[1] = flags;
	gw[2] = 5;
	le64(gw + 3, cr3);
	le64(gw + 11, gva);
	gw[19] = (uint8_t)len;
	gw[20] = (uint8_t)(len >> 8);
	put(name, gw, GW_HDR + pages * 4096);
}

static void guestwalk(void)
{
	/* PML4 at page 0 -> PDPT page 1 -> PD page 2 -> PT page 3, identity for pages 0..7. */
	memset(gw, 0, sizeof(gw));
	for (unsigned i = 0; i < 8; i++)
		memcpy(gw + GW_HDR + 4096 * 4 + 512 * i, "guest page data", 15);
	gw_entry(0, 0, 0x1000 | 3);
	gw_entry(1, 0, 0x2000 | 3);
	gw_entry(2, 0, 0x3000 | 3);
	for (unsigned i = 0; i < 8; i++)
		gw_entry(3, i, (uint64_t)i * 0x1000 | 3);
	gw_put("walk-4k", 8, 0, 0, 0x4ff0, 64);          /* crosses pages 4 -> 5 */
	gw_put("walk-4k-hole", 8, 2, 0, 0x4ff0, 9000);   /* page 5 is the hole */
	gw_put("walk-4k-end", 8, 0, 0, 0x7f00, 0x300);   /* runs off the page table */
	/* A 2 MiB page at PD[0] and a 1 GiB page at PDPT[1]. */
	gw_entry(2, 0, 0x80 | 3);
	gw_entry(1, 1, 0x80 | 3 | (1ull << 63));
	gw_put("walk-2m", 8, 0, 0, 0x1234, 5000);
	gw_put("walk-1g", 8, 0, 0, 0x40001ff8, 16);
	/* Loops: PML4[0] -> itself at every level; PML4[1] -> a PT outside the image. */
	gw_entry(0, 0, 0x0000 | 1);
	gw_entry(0, 1, 0x100000 | 1);
	gw_put("walk-self", 8, 0, 0, 0x0, 4096);
	gw_put("walk-beyond", 8, 0, 0, 1ull << 39, 8);
	/* Folded: the same image with garbage in the address bits. */
	gw_entry(0, 2, 0xdeadbeef000ull | 0x87);
	gw_put("walk-folded", 8, 1, 0xfff0000000000000ull, 2ull << 39, 4096 * 3);
}

/* ---- fuzz_svm_decode: opcode index, EXITINFO1, EXITINFO2, bytes ---- */
static void svm_one(const char *name, uint8_t which, uint64_t info1, uint64_t info2, const char *bytes, size_t n)
{
	uint8_t b[17 + 32];
	b[0] = which;
	le64(b + 1, info1);
	le64(b + 9, info2);
	memcpy(b + 17, bytes, n);
	put(name, b, 17 + n);
}

static void svm_decode(void)
{
	svm_one("vmmcall", 0, 0x800010, 0xfee000b0, "\x0f\x01\xd9\x90", 4);
	svm_one("vmmcall-prefixed", 0, 0x64002d, 2, "\x66\x2e\x48\x0f\x01\xd9", 6);
	svm_one("cpuid", 1, 0xcf80041, 0x10, "\x0f\xa2", 2);
	svm_one("hlt-rep", 2, 0, 0, "\xf3\xf4", 2);
	svm_one("xsetbv", 3, 0x12, 0x40000000, "\xf0\x0f\x01\xd1", 4);
	svm_one("long", 2, 0, 0, "\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\xf4", 15);
	svm_one("too-long", 2, 0, 0, "\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\xf4", 16);
	svm_one("short", 0, 0, 0, "\x0f\x01", 2);
}

/* ---- fuzz_hypercall: number, layout, grants, six arguments, clocks, seed, overlay offset, number value,
 * the vNIC's queued frames, the channels' state, bytes (tests/fuzz/fuzz_hypercall.c's input format) ---- */
#define HC_HDR 105
static void hc_value(uint8_t *p, uint8_t mode, uint64_t v)
{
	p[0] = mode;
	le64(p + 1, v);
}

static void hc_put(const char *name, uint64_t nr, uint8_t layout, uint64_t grants, const uint8_t modes[6],
		   const uint64_t args[6], const void *overlay, size_t overlay_len)
{
	uint8_t b[HC_HDR + 512];
	if (overlay_len > sizeof(b) - HC_HDR) {
		fprintf(stderr, "seeds_guest: %s: overlay too long\n", name);
		bad = 1;
		return;
	}
	memset(b, 0, sizeof(b));
	b[0] = nr < 0xe0 ? (uint8_t)nr : 0xe0;
	hc_value(b + 94, 0, nr);
	b[1] = layout;
	hc_value(b + 2, 0, grants);
	for (int i = 0; i < 6; i++)
		hc_value(b + 11 + 9 * i, modes[i], args[i]);
	le64(b + 65, 1000000);      /* app_now_ns */
	le64(b + 73, 5000000);      /* time_ns - app_now_ns */
	le64(b + 81, 1700000000ull * 1000000000ull);
	b[89] = 7;
	b[91] = 1;                  /* overlay offset (bytes 90..93): 0x100 */
	b[103] = nr == UV_HC_NET_READ ? 2 : 0; /* net_read finds two 60-byte frames queued */
	memcpy(b + HC_HDR, overlay, overlay_len);
	put(name, b, HC_HDR + overlay_len);
}

static void hc_one(const char *name, uint64_t nr, uint8_t layout, uint64_t grants, const uint8_t modes[6],
		   const uint64_t args[6])
{
	hc_put(name, nr, layout, grants, modes, args, "hello, fuzzer\n", 14);
}

/* net_read with a receive list (ABI 1.7: arg 0's mode byte carries UV_NET_READ_LIST and
 * _MARKS in its high bits): the list in the overlay at 0x100 with two buffers for the two
 * frames queued. */
static void hc_recv_list(void)
{
	static const uint8_t modes[6] = { (UV_NET_READ_LIST | UV_NET_READ_MARKS) >> 28 };
	struct uv_net_recv l = { .count = 2, .buf = { 0x400, 0xa00 } };
	uint64_t a[6] = { 0, 0x100, UV_NET_FRAME_MAX_VLAN };
	hc_put("net-read-list", UV_HC_NET_READ, 0, UV_GRANT_NET, modes, a, &l, sizeof(l));
	/* With a send list (arg 5) at buf[15], unused: its sent and error lie under result[0],
	 * which the read writes after them. */
	static const uint8_t send_modes[6] = { (UV_NET_READ_LIST | UV_NET_READ_SEND) >> 28 };
	a[5] = 0x100 + offsetof(struct uv_net_recv, buf[15]);
	hc_put("net-read-list-send", UV_HC_NET_READ, 0, UV_GRANT_NET, send_modes, a, &l, sizeof(l));
}

static void hypercall(void)
{
	static const uint8_t raw[6] = { 0 }, small_len[6] = { 0, 1 }, edge[6] = { 2, 1 }, chunk[6] = { 5, 1 };
	uint64_t a[6] = { 0 };
	hc_one("version", UV_HC_VERSION, 0, 0, raw, a);
	a[0] = 3;
	hc_one("exit", UV_HC_EXIT, 0, 0, raw, a);
	a[0] = 0x100, a[1] = 14;
	hc_one("console", UV_HC_CONSOLE_WRITE, 1, UV_GRANT_CONSOLE, raw, a);
	hc_one("console-denied", UV_HC_CONSOLE_WRITE, 1, UV_GRANT_CLOCK, raw, a);
	a[0] = 8, a[1] = 20;
	hc_one("console-end", UV_HC_CONSOLE_WRITE, 3, UV_GRANT_CONSOLE, edge, a);
	a[0] = 8, a[1] = 60;
	hc_one("console-chunk", UV_HC_CONSOLE_WRITE, 6, UV_GRANT_CONSOLE, chunk, a);
	a[0] = 0x200, a[1] = 32;
	hc_one("random", UV_HC_RANDOM, 2, UV_GRANT_RANDOM, small_len, a);
	a[0] = 40, a[1] = 60;
	hc_one("random-chunk", UV_HC_RANDOM, 7, UV_GRANT_RANDOM, chunk, a);
	a[0] = 0, a[1] = 0;
	hc_one("clock", UV_HC_CLOCK_MONOTONIC, 0, UV_GRANT_CLOCK, raw, a);
	hc_one("wall", UV_HC_CLOCK_WALL, 0, UV_GRANT_CLOCK, raw, a);
	a[0] = 9000000;
	hc_one("yield", UV_HC_YIELD, 0, 0, raw, a);
	a[0] = UINT64_MAX;
	hc_one("yield-forever", UV_HC_YIELD, 0, 0, raw, a);
	a[0] = 0, a[1] = 0x100, a[2] = 16;
	hc_one("net-read", UV_HC_NET_READ, 0, UV_GRANT_NET, raw, a);
	hc_recv_list();
	hc_one("chan-info", UV_HC_CHAN_INFO, 0, UV_GRANT_CHAN, raw, a);
	hc_one("unknown", UV_HC_COUNT, 0, UV_GRANT_ALL_KNOWN, raw, a);
	hc_one("unknown-wide", 1ull << 32 | UV_HC_CONSOLE_WRITE, 0, UV_GRANT_ALL_KNOWN, raw, a);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: seeds_guest guestwalk|svm_decode|hypercall DIR\n");
		return 2;
	}
	dir = argv[2];
	if (!strcmp(argv[1], "guestwalk"))
		guestwalk();
	else if (!strcmp(argv[1], "svm_decode"))
		svm_decode();
	else if (!strcmp(argv[1], "hypercall"))
		hypercall();
	else {
		fprintf(stderr, "seeds_guest: no seeds for %s\n", argv[1]);
		return 2;
	}
	return bad;
}
