/* libos/clock_math.c: timespec and deadline arithmetic, overflow-checked (the TSC-to-ns scaling is inline in libos.h). */
#include "libos.h"

int64_t uv_timespec_to_ns(int64_t sec, long nsec)
{
	if (sec < 0 || nsec < 0 || nsec >= 1000000000L)
		return -UV_EINVAL;
	if (sec > (INT64_MAX - nsec) / 1000000000LL)
		return INT64_MAX;
	return sec * 1000000000LL + nsec;
}

int64_t uv_deadline(int64_t now, int64_t delta)
{
	if (now < 0)
		now = 0;
	if (delta < 0)
		delta = 0;
	return delta > INT64_MAX - now ? INT64_MAX : now + delta;
}
