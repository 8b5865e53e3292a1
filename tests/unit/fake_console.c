/* tests/unit/fake_console.c: kprintf into a buffer the tests read, and panic_at that aborts, so kernel code that prints or panics runs in unit tests. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "kernel/console/console.h"
#include "tests/unit/fake_console.h"

char fake_console_out[FAKE_CONSOLE_MAX];
size_t fake_console_len; /* bytes in fake_console_out (what did not fit is dropped) */

void fake_console_reset(void)
{
	fake_console_len = 0;
	fake_console_out[0] = 0;
}

/* Weak, like the two below: a test that needs its own console fakes may define them, and wins. */
__attribute__((weak)) int kvprintf(const char *fmt, va_list ap)
{
	size_t room = sizeof(fake_console_out) - fake_console_len;
	int n = vsnprintf(fake_console_out + fake_console_len, room, fmt, ap);
	if (n > 0)
		fake_console_len += (size_t)n < room ? (size_t)n : room - 1;
	return n;
}

__attribute__((weak)) int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

__attribute__((weak, noreturn)) void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "panic at %s:%d: ", file, line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}
