/* kernel/console/console.h: the kernel console (COM1), kprintf, and panic for broken kernel invariants. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>

void console_init(void);
/* Queues the kernel's output (\n becomes \r\n) and sends what the UART takes now. */
void console_write(const char *s, size_t n);
/* Bytes owner (CRING_KERNEL, or app i's i + 1: kernel/lib/cring.h) may queue now
 * without going over its share of the ring. */
size_t console_room(unsigned owner);
/* Queues n bytes of owner's output. An app's writer first checks console_room(); what
 * does not fit the whole ring is dropped and counted while the run loop drains, and
 * waits for the UART otherwise. */
void console_put(unsigned owner, const char *s, size_t n);
/* Sends queued output while the UART takes it (at most 128 bytes), without waiting;
 * true if some is left. */
bool console_drain(void);
/* True while output (or a count of dropped output) waits for console_drain. */
bool console_queued(void);
/* Once the run loop drains the console, writers only queue (until then they also send). */
void console_set_async(bool on);
/* Sends everything queued, waiting for the UART: only for the kernel's last words. */
void console_flush(void);
/* Writes s straight to the UART, past the ring (when the kernel's own report failed). */
void console_emergency(const char *s);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

/* A broken kernel invariant: prints file:line and the message, then stops the machine. */
#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)
__attribute__((noreturn, format(printf, 3, 4))) void panic_at(const char *file, int line, const char *fmt, ...);
#define KASSERT(c)                                                    \
	do {                                                          \
		if (!(c))                                             \
			panic("assertion failed: %s", #c);            \
	} while (0)

#endif
