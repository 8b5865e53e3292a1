/* libos/net/port.c: lwIP's platform hooks: assertions and diagnostics to the console, LWIP_RAND from the random hypercall. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include "lwip/opt.h"
#include "../libos.h"

#define DIAG_MAX 256
#define EXIT_ASSERT 134 /* what abort() exits with */

void __uv_lwip_assert(const char *msg, const char *file, int line)
{
	char buf[DIAG_MAX];
	snprintf(buf, sizeof(buf), "lwip: assertion failed: %s (%s:%d)\n", msg, file, line);
	__uv_console_puts(buf);
	_exit(EXIT_ASSERT);
}

void __uv_lwip_diag(const char *fmt, ...)
{
	char buf[DIAG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	__uv_console_puts(buf);
}

/*
 * Random 32 bits for ephemeral ports, TCP initial sequence numbers (RFC 6528 wants
 * them unpredictable) and DHCP transaction ids. Buffered: one hypercall per 64 values.
 * Without the random grant the app could not have been built (mkimage), so a failure
 * here is a kernel refusal: the app stops rather than use guessable numbers.
 */
uint32_t __uv_lwip_rand(void)
{
	static uint32_t pool[64];
	static unsigned left;
	if (left == 0) {
		long r = uv_hc_random(pool, sizeof(pool));
		if (r != (long)sizeof(pool))
			__uv_lwip_assert("the random hypercall failed", __FILE__, __LINE__);
		left = sizeof(pool) / sizeof(pool[0]);
	}
	return pool[--left];
}
