/* kernel/console/uart.h: a 16550A UART by its I/O base: set up at 115200 8N1 with the FIFO on, and its transmit side. */
#ifndef KERNEL_CONSOLE_UART_H
#define KERNEL_CONSOLE_UART_H

#include <stdbool.h>
#include <stdint.h>

#define UART_COM1 0x3f8
#define UART_COM2 0x2f8
#define UART_FIFO 16 /* 16550A transmit FIFO depth */

/* 115200 baud, 8N1, FIFO on and cleared, no interrupts. */
void uart_init(uint16_t base);
/* The transmit FIFO is empty: UART_FIFO bytes may be written without waiting. */
bool uart_tx_empty(uint16_t base);
/* The last byte has left the wire. */
bool uart_tx_done(uint16_t base);
void uart_put(uint16_t base, uint8_t c);

#endif
