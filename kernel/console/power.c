/* kernel/console/power.c: stops the machine: QEMU's isa-debug-exit, Bochs' shutdown port, then halt. */
#include "kernel/console/power.h"
#include "kernel/arch/cpu.h"
#include "kernel/console/console.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4 /* -device isa-debug-exit,iobase=0xf4: exit status (v << 1) | 1 */
#define BOCHS_SHUTDOWN_PORT 0x8900

void power_off(uint32_t code)
{
	cli();
	console_flush();
	power_off_now(code);
}

void power_off_now(uint32_t code)
{
	cli();
	outl(QEMU_DEBUG_EXIT_PORT, code);
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	for (;;)
		__asm__ volatile("cli; hlt");
}
