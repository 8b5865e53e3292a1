/* kernel/console/power.h: ending the run: power off (emulators' exit devices, else halt forever). */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

#include <stdint.h>

#define POWER_EXIT_OK 0      /* every app ended; QEMU exits with status 1 */
#define POWER_EXIT_FAILURE 1 /* the kernel could not run the appliance; QEMU status 3 */
#define POWER_EXIT_PANIC 2   /* a broken kernel invariant or a kernel exception; QEMU status 5 */

/* Prints nothing; sends what the console holds, then stops the machine. */
__attribute__((noreturn)) void power_off(uint32_t code);
/* Stops the machine at once, without touching the console (when reporting failed). */
__attribute__((noreturn)) void power_off_now(uint32_t code);

#endif
