/* kernel/lib/calendar.h: calendar arithmetic for the RTC (pure, unit-tested). */
#ifndef KERNEL_LIB_CALENDAR_H
#define KERNEL_LIB_CALENDAR_H

#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12, d 1..31). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
