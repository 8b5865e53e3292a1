/* kernel/power.h: ending the run: power off (emulators' exit devices, else halt forever). */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

#include <stdint.h>

#define POWER_EXIT_OK 0      /* every app ended; QEMU exits with status 1 */
#define POWER_EXIT_FAILURE 1 /* the kernel could not run the appliance; QEMU status 3 */
#define POWER_EXIT_PANIC 2   /* a broken kernel invariant or a kernel exception; QEMU status 5 */

/* Prints nothing; stops the machine. */
__attribute__((noreturn)) void power_off(uint32_t code);

#endif
