/* libos/net/include/arch/cc.h: lwIP's compiler and platform port for libos apps (newlib, x86-64, little-endian). */
#ifndef LIBOS_LWIP_ARCH_CC_H
#define LIBOS_LWIP_ARCH_CC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>      /* newlib's O_NONBLOCK / F_GETFL / F_SETFL: lwip_fcntl then speaks the same numbers as apps */
#include <sys/time.h>   /* struct timeval (LWIP_TIMEVAL_PRIVATE 0) */
#include <sys/select.h> /* fd_set with libos's FD_SETSIZE (libos/include/sys/select.h) */
#include <limits.h>

#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN /* newlib's machine/endian.h usually defines it already */
#endif
#define LWIP_ERRNO_STDINCLUDE 1 /* lwIP sets errno with newlib's numbers */
#define LWIP_TIMEVAL_PRIVATE 0
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX /* newlib's limits.h lacks it */
#endif

typedef int sys_prot_t;

/* lwIP's diagnostics go to the console; an assertion ends the app (status 134, like abort). */
void __uv_lwip_assert(const char *msg, const char *file, int line) __attribute__((noreturn));
void __uv_lwip_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define LWIP_PLATFORM_DIAG(x) do { __uv_lwip_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) __uv_lwip_assert((x), __FILE__, __LINE__)

/* Random numbers for ports, ISNs and DHCP transaction ids: the random hypercall (libos/net/port.c). */
uint32_t __uv_lwip_rand(void);
#define LWIP_RAND() __uv_lwip_rand()

/* lwIP's byte swaps (lwip/def.h) as the compiler's builtins: one instruction each, inlined,
 * instead of core/def.c's functions, called for every header field of every frame. */
#define lwip_htons(x) ((u16_t)__builtin_bswap16((u16_t)(x)))
#define lwip_htonl(x) ((u32_t)__builtin_bswap32((u32_t)(x)))

#endif
