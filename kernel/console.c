/* kernel/console.c: the console: a ring buffer drained into the COM1 16550 UART's FIFO, kprintf and panic. */
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/power.h"
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"

#define COM1 0x3f8
#define UART_THR 0 /* transmit holding */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THRE 0x20 /* transmit holding register empty: with the FIFO on, the FIFO is empty */
#define LSR_TEMT 0x40 /* transmitter empty: the last byte has left the wire */
#define UART_FIFO 16  /* 16550A transmit FIFO depth */
#define RING 65536    /* bytes of console output that may wait for the UART */

/*
 * Output goes into a ring and reaches the UART as it takes it, 16 bytes per FIFO-empty
 * poll, from console_drain() (the run loop calls it) without waiting. So an app's
 * console_write costs a copy, not 87 us per character at 115200 baud with the CPU held.
 * Only a full ring makes a writer wait; console_flush() empties it (panic, power off).
 */
static int console_ready;
static char ring[RING];
static uint64_t head, tail; /* bytes ever written / ever sent; head - tail <= RING */
static bool async;           /* the run loop drains; writers don't */

void console_set_async(bool on) { async = on; }

void console_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80); /* DLAB: divisor follows */
	outb(COM1 + 0, 0x01);        /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0xc7); /* FIFO on, cleared */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
	console_ready = 1;
}

static bool cr_sent; /* the \r before the \n at tail has gone out */

bool console_drain(void)
{
	while (tail != head && (inb(COM1 + UART_LSR) & LSR_THRE)) {
		for (int k = 0; k < UART_FIFO && tail != head; k++) {
			char c = ring[tail % RING];
			if (c == '\n' && !cr_sent) { /* terminals want \r\n */
				outb(COM1 + UART_THR, '\r');
				cr_sent = true;
				continue;
			}
			outb(COM1 + UART_THR, (uint8_t)c);
			cr_sent = false;
			tail++;
		}
	}
	return tail != head;
}

void console_flush(void)
{
	/* Bounded per FIFO: a missing UART must not hang the kernel. */
	int spins = 0;
	while (console_drain() && spins++ < 10000000)
		cpu_relax();
	tail = head;
	/* Before a power-off: wait until the UART has really sent its last byte. */
	while (!(inb(COM1 + UART_LSR) & LSR_TEMT) && spins++ < 10000000)
		cpu_relax();
}

void console_write(const char *s, size_t n)
{
	if (!console_ready)
		console_init();
	while (n) {
		if (head - tail == RING)
			console_flush();
		/* Copy as much as fits before the ring's end and before unsent output. */
		size_t at = head % RING, room = RING - (head - tail), k = RING - at;
		if (k > room)
			k = room;
		if (k > n)
			k = n;
		memcpy(ring + at, s, k);
		head += k;
		s += k;
		n -= k;
	}
	if (!async)
		console_drain();
}

static void console_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	console_write(s, n);
}

int kvprintf(const char *fmt, va_list ap)
{
	return (int)format_v(console_sink, 0, fmt, ap);
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
		for (int spins = 0; !(inb(COM1 + UART_LSR) & LSR_THRE) && spins < 100000; spins++)
			cpu_relax();
		outb(COM1 + UART_THR, (uint8_t)*s);
	}
}
