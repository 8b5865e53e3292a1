/* kernel/console/console.c: the console: a ring (kernel/lib/cring.c) drained into the COM1 16550 UART's FIFO, kprintf and panic. */
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/console/power.h"
#include "kernel/console/uart.h"
#include "kernel/lib/cring.h"
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"

#define COM1 UART_COM1
#define DRAIN_MAX 128 /* bytes one console_drain() sends at most: QEMU's UART takes all at once, at some us a byte */

/*
 * Output goes into a ring and reaches the UART as it takes it, 16 bytes per FIFO-empty
 * poll, from console_drain() (the run loop calls it between slices and every 1 ms while
 * it idles) without waiting. So a console_write costs a copy, not 87 us per character at
 * 115200 baud with the CPU held, and no hypercall ever waits for the UART.
 *
 * Each byte in the ring belongs to the kernel or to one app (kernel/lib/cring.h). An app
 * may have CRING_SHARE (6 KiB) of its output in the ring; a console_write that needs more
 * blocks that app until its share drains (kernel/app/console_line.c, app_console_write()),
 * so app output is never lost and never holds up anyone else. The last CRING_RESERVE
 * (32 KiB) of the ring only the kernel may fill: apps cannot keep its lines out. Should
 * the kernel's own output ever overflow the whole ring while apps run, the excess is
 * dropped and counted (a line says how much) rather than stall the apps; before the run
 * loop starts and after it ends, a writer waits for the UART instead. Only the kernel's
 * last words (panic, power off) wait for the UART with apps still present.
 */
static int console_ready;
static struct cring ring;
/* Drops every queued byte and every owner's count: a ring with zeroed counts is empty. */
static void forget(void) { memset(&ring, 0, offsetof(struct cring, data)); }
static bool async;           /* the run loop drains; writers don't */
static bool cr_sent;         /* the \r before the \n at the ring's tail has gone out */
static uint64_t dropped;     /* kernel output that found the ring full, not yet reported */

void console_set_async(bool on) { async = on; }

void console_init(void)
{
	uart_init(COM1);
	console_ready = 1;
}

/* Says, once there is room again, how much kernel output was dropped (rare: kept out of
 * console_drain's frame). */
__attribute__((noinline)) static void report_dropped(void)
{
	char msg[96];
	size_t n = ksnprintf(msg, sizeof(msg), "console: %llu bytes of kernel output dropped (ring full)\n",
			     (unsigned long long)dropped);
	if (n < sizeof(msg) && cring_room(&ring, CRING_KERNEL) >= n) {
		cring_put(&ring, CRING_KERNEL, msg, n);
		dropped = 0;
	}
}

/* console_drain with something queued. */
__attribute__((noinline)) static bool drain_some(void)
{
	unsigned sent = 0;
	while (cring_used(&ring) && sent < DRAIN_MAX && uart_tx_empty(COM1)) {
		for (int k = 0; k < UART_FIFO && cring_used(&ring); k++) {
			char c = cring_peek(&ring);
			if (c == '\n' && !cr_sent) { /* terminals want \r\n */
				uart_put(COM1, '\r');
				cr_sent = true;
				continue;
			}
			uart_put(COM1, (uint8_t)c);
			cr_sent = false;
			cring_pop(&ring);
			sent++;
		}
	}
	return cring_used(&ring) != 0;
}

bool console_drain(void)
{
	if (dropped)
		report_dropped();
	return cring_used(&ring) && drain_some(); /* an idle run loop calls it often: lean */
}

bool console_queued(void) { return dropped || cring_used(&ring); }

void console_flush(void)
{
	/* Bounded per FIFO: a missing UART must not hang the kernel. */
	int spins = 0;
	while (console_drain() && spins++ < 10000000)
		cpu_relax();
	forget(); /* if it gave up */
	/* Before a power-off: wait until the UART has really sent its last byte. */
	while (!uart_tx_done(COM1) && spins++ < 10000000)
		cpu_relax();
}

size_t console_room(unsigned owner)
{
	KASSERT(owner < CRING_OWNERS);
	return cring_room(&ring, owner);
}

void console_put(unsigned owner, const char *s, size_t n)
{
	KASSERT(owner < CRING_OWNERS);
	if (!console_ready)
		console_init();
	for (;;) {
		size_t k = cring_put(&ring, owner, s, n);
		s += k;
		n -= k;
		if (!n)
			break;
		if (async) { /* the kernel's own output filled the whole ring: see above */
			dropped += n;
			break;
		}
		/* No app runs: let the UART make room. */
		int spins = 0;
		while (cring_used(&ring) == CRING_SIZE && spins++ < 10000000)
			if (console_drain())
				cpu_relax();
		if (cring_used(&ring) == CRING_SIZE) /* no UART: forget what waits rather than hang */
			forget();
	}
	if (!async)
		console_drain();
}

void console_write(const char *s, size_t n) { console_put(CRING_KERNEL, s, n); }

/* kprintf's pieces are gathered into one console_write per line or so. */
struct kbuf {
	size_t n;
	char b[160];
};

static void console_sink(void *ctx, const char *s, size_t n)
{
	struct kbuf *k = ctx;
	if (k->n + n > sizeof(k->b)) {
		console_write(k->b, k->n);
		k->n = 0;
		if (n > sizeof(k->b)) {
			console_write(s, n);
			return;
		}
	}
	memcpy(k->b + k->n, s, n);
	k->n += n;
}

int kvprintf(const char *fmt, va_list ap)
{
	struct kbuf k;
	k.n = 0;
	int r = (int)format_v(console_sink, &k, fmt, ap);
	if (k.n)
		console_write(k.b, k.n);
	return r;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	cli();
	async = false;
	kprintf("\nKERNEL PANIC at %s:%d: ", file, line);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	power_off(POWER_EXIT_PANIC);
}

void console_emergency(const char *s)
{
	for (; *s; s++) {
		for (int spins = 0; !uart_tx_empty(COM1) && spins < 100000; spins++)
			cpu_relax();
		uart_put(COM1, (uint8_t)*s);
	}
}
