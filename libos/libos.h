/* libos/libos.h: libos-internal declarations: the pure helpers (host-testable) and the state crt0 sets up. */
#ifndef LIBOS_LIBOS_H
#define LIBOS_LIBOS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "../include/abi/uv_abi.h"

/* ---- pure logic (libos/args.c, clock_math.c, errno_map.c, brk.c; built with -DUV_HOST too) ---- */

/*
 * Checks that the args area [area, area+len) holds exactly argc NUL-terminated
 * strings and nothing else. Returns 0 or -UV_EINVAL.
 */
int uv_args_check(const char *area, size_t len, uint32_t argc);

/*
 * Copies a checked args area into strbuf (len bytes) and points argv[0..argc-1] at
 * the copies, argv[argc] = NULL. argv must hold argc+1 entries.
 */
void uv_args_build(const char *area, size_t len, uint32_t argc, char *strbuf, char **argv);

/* (tsc * mul) >> shift with a 128-bit product; saturates at INT64_MAX. Inline: every clock
 * read (lwIP's, the idle loop's, the app's) runs it; the usual shift (< 64) is one shift of
 * the product's two halves. */
static inline int64_t uv_tsc_scale(uint64_t tsc, uint64_t mul, uint32_t shift)
{
	unsigned __int128 p = (unsigned __int128)tsc * mul;
	uint64_t hi = (uint64_t)(p >> 64), lo = (uint64_t)p;
	if (__builtin_expect(shift < 64, 1)) {
		uint64_t rhi = hi >> shift, rlo = shift ? hi << (64 - shift) | lo >> shift : lo;
		return rhi || rlo > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)rlo;
	}
	if (shift >= 128)
		return 0;
	p >>= shift;
	return p > (unsigned __int128)INT64_MAX ? INT64_MAX : (int64_t)p;
}
/* memchr (libos/memchr.c): the first byte equal to (unsigned char)c in [s, s + n), or NULL. */
void *uv_memchr(const void *s, int c, size_t n);
/* strcmp, strncmp (libos/strcmp.c): as C says, 16 bytes a step where no load leaves a page
 * the strings reach. */
int uv_strcmp(const char *a, const char *b);
int uv_strncmp(const char *a, const char *b, size_t n);
/* memmem for needles of at most UV_MEMMEM_SHORT bytes (libos/memmem.c): the first place
 * [needle, needle + needle_len) occurs in [hay, hay + hay_len), or NULL; hay for an empty
 * needle. At most hay_len * needle_len byte compares (so only short needles come here). */
#define UV_MEMMEM_SHORT 32
const void *uv_memmem_short(const void *hay, size_t hay_len, const void *needle, size_t needle_len);

/*
 * A timespec as ns: -UV_EINVAL unless 0 <= nsec < 1e9 and sec >= 0; saturates at
 * INT64_MAX for huge sec.
 */
int64_t uv_timespec_to_ns(int64_t sec, long nsec);

/* Deadline now + delta (negative inputs count as 0), saturating at INT64_MAX. */
int64_t uv_deadline(int64_t now, int64_t delta);

/* The libc errno for a negative UV_E* result (EIO for unknown codes), 0 for r >= 0. */
int uv_errno_map(long r);

/* The heap break: [start, end) is the heap, cur the current break. */
struct uv_brk {
	uintptr_t start, end, cur;
};

/*
 * Moves the break by incr bytes, staying inside [start, end]. Returns the old break
 * (sbrk semantics) in *old and 0, or -UV_ENOMEM and changes nothing.
 */
int uv_brk_move(struct uv_brk *b, intptr_t incr, uintptr_t *old);

/*
 * The heap the app may use, from the boot-info page and the image's end: start is
 * max(heap_start, image_end) page-aligned up, end is min(heap_end, stack_bottom -
 * guard). Returns 0, or -UV_EINVAL when the page describes no usable heap.
 */
int uv_heap_range(const struct uv_boot_info *bi, uintptr_t image_end, uintptr_t *start, uintptr_t *end);

/*
 * inet_pton(AF_INET) as POSIX says: exactly four decimal numbers 0-255 joined by dots,
 * nothing else (no "1.2.3", hex, octal or leading zeros). 1 and out[] set, or 0 (out
 * unchanged). libos/net/inet4.c.
 */
int uv_inet_pton4(const char *src, uint8_t out[4]);

/* ---- state crt0/start.c sets up before main (target only) ---- */
#ifndef UV_HOST
#include "include/univisor.h"
extern const struct uv_boot_info *__uv_bi;
/* uv_monotonic_ns inline (libos's own clock reads: the idle loop, lwIP's sys_now, the
 * timers, clock_gettime): the scaled TSC, else the hypercall. */
static inline int64_t __uv_now_ns(void)
{
	const struct uv_boot_info *bi = __uv_bi;
	if (__builtin_expect(!(bi->flags & UV_BOOT_TSC_USABLE), 0))
		return uv_monotonic_ns();
	uint32_t lo, hi;
	/* The kernel offsets the app's TSC so it reads 0 when the app starts. */
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return uv_tsc_scale(((uint64_t)hi << 32) | lo, bi->tsc_to_ns_mul, bi->tsc_to_ns_shift);
}
extern uint32_t __uv_hc_insn; /* UV_HC_INSN_VMCALL or UV_HC_INSN_VMMCALL: read by the stubs */
void __uv_heap_init(uintptr_t start, uintptr_t end);
void __uv_console_puts(const char *s); /* raw console_write of a NUL-terminated string */
/* The handles the idle loop's last yield reported ready (all ones before the first): an idle
 * hook reads only those, then clears what it took (thread.c). */
uint64_t __uv_idle_ready(void);
void __uv_idle_taken(uint64_t handles);
/* An idle hook's deadline for this pass: the app wakes by then (monotonic ns) if nothing comes first. */
void __uv_idle_wake_by(int64_t ns);
/* The monotonic time (ns) the idle pass the hooks run in started. */
int64_t __uv_idle_now(void);
/* What the idle loop calls instead of yield(deadline, mask) (one at most; NULL: yield): it
 * waits as yield would and returns the handles the hooks are to look at (what
 * __uv_idle_ready says next), e.g. a net_read that waits (libos/net/netif_uv.c). */
void __uv_idle_waiter(uint64_t (*wait)(uint64_t deadline, uint64_t mask));

/*
 * File descriptors: 0-2 are the console (sys_io.c), UV_FD_SOCKET_FIRST and up are
 * lwIP's sockets, reached through these hooks once the network stack has started
 * (libos/net/sockets.c sets the pointer; NULL until then, so apps without sockets
 * never link the stack). Each returns what the POSIX call does (-1 + errno).
 */
#define UV_FD_SOCKET_FIRST 3
struct uv_fd_ops {
	ssize_t (*read)(int fd, void *buf, size_t len);
	ssize_t (*write)(int fd, const void *buf, size_t len);
	int (*close)(int fd);
	int (*fcntl)(int fd, int cmd, int val);
};
extern const struct uv_fd_ops *__uv_socket_fd_ops;
#endif

#endif
