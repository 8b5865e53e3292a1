/* kernel/console/uart.c: the 16550A UART registers (PC16550D datasheet): setup and polled transmit. */
#include "kernel/console/uart.h"
#include "kernel/arch/cpu.h"

#define UART_THR 0 /* transmit holding */
#define UART_DLL 0 /* divisor latch, with LCR.DLAB */
#define UART_DLM 1
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define FCR_ON_CLEARED 0xc7 /* FIFO on, both cleared, trigger level 14 */
#define MCR_DTR_RTS 0x03
#define LSR_THRE 0x20 /* transmit holding register empty: with the FIFO on, the FIFO is empty */
#define LSR_TEMT 0x40 /* transmitter empty: the last byte has left the wire */

void uart_init(uint16_t base)
{
	outb(base + UART_IER, 0x00);
	outb(base + UART_LCR, LCR_DLAB);
	outb(base + UART_DLL, 0x01); /* 115200 baud: divisor 1 of 1.8432 MHz / 16 */
	outb(base + UART_DLM, 0x00);
	outb(base + UART_LCR, LCR_8N1);
	outb(base + UART_FCR, FCR_ON_CLEARED);
	outb(base + UART_MCR, MCR_DTR_RTS);
}

bool uart_tx_empty(uint16_t base) { return (inb(base + UART_LSR) & LSR_THRE) != 0; }
bool uart_tx_done(uint16_t base) { return (inb(base + UART_LSR) & LSR_TEMT) != 0; }
void uart_put(uint16_t base, uint8_t c) { outb(base + UART_THR, c); }
