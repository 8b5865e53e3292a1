/* kernel/dev/time.h: time: TSC calibrated against the PIT, TSC -> ns scaling, the CMOS RTC wall clock. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>

/* TSC at kernel entry (kmain's first instruction), for the boot figures. */
extern uint64_t time_entry_tsc;

/* Starts the PIT calibration window (the kernel's first act) and, once the LAPIC is
 * mapped, its timer's; time_init() closes both and reads the RTC. */
void time_calibration_start(void);
void time_calibration_lapic(void);
/* Calibrates the TSC and the LAPIC timer against PIT channel 2 and reads the RTC. */
void time_init(void);
/* PIT ticks the calibration window lasted (its precision is +-1 tick). */
uint64_t time_calibration_ticks(void);
/* The LAPIC timer's rate, measured against the TSC at the first call. */
uint64_t time_lapic_hz(void);
uint64_t time_tsc_hz(void);
/* ns = (tsc * mul) >> shift with a 128-bit product. */
void time_tsc_scale(uint64_t *mul, uint32_t *shift);
static inline uint64_t time_scale(uint64_t ticks, uint64_t mul, uint32_t shift)
{
	return (uint64_t)(((unsigned __int128)ticks * mul) >> shift);
}
/* The kernel time (time_ns) at which an app's deadline (its own clock, app_now now)
 * falls: a deadline that lies beyond what the kernel clock can count is UINT64_MAX
 * (never), it never wraps round to a near one. Pure. */
static inline uint64_t time_deadline_kernel_ns(uint64_t deadline, uint64_t app_now, uint64_t kernel_now)
{
	if (deadline <= app_now)
		return kernel_now;
	uint64_t left = deadline - app_now;
	return left > UINT64_MAX - kernel_now ? UINT64_MAX : kernel_now + left;
}
/* Nanoseconds since TSC since_tsc (an app's clock: since its start), and since time_init. */
uint64_t time_ns_since(uint64_t since_tsc);
uint64_t time_ns(void);
/* time_ns(), and in *since_ns the ns since TSC since_tsc, from one TSC read (an app's clock
 * and the kernel's at the same instant). */
uint64_t time_ns_and_since(uint64_t since_tsc, uint64_t *since_ns);
uint64_t time_ns_to_tsc(uint64_t ns);
/* Nanoseconds since 1970-01-01 UTC (RTC at boot + monotonic). */
uint64_t time_wall_ns(void);

#endif
