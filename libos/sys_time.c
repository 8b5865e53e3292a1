/* libos/sys_time.c: clocks: monotonic from the scaled TSC (no exit), realtime = wall at start + monotonic. */
#include <errno.h>
#include <time.h>
#include <sys/time.h>
#include <sys/times.h>
#include "libos.h"

int64_t uv_tsc_ns(void)
{
	if (!(__uv_bi->flags & UV_BOOT_TSC_USABLE))
		return -UV_ENOSYS;
	return __uv_now_ns();
}

int64_t uv_monotonic_ns(void)
{
	return __uv_bi->flags & UV_BOOT_TSC_USABLE ? __uv_now_ns() : uv_hc_clock_monotonic();
}

/* ns for a clock id, or a negative UV_E*. */
static int64_t clock_ns(clockid_t id)
{
	int64_t t;

	switch (id) {
	case CLOCK_MONOTONIC:
#ifdef CLOCK_PROCESS_CPUTIME_ID
	case CLOCK_PROCESS_CPUTIME_ID: /* one vCPU per app: its time is the app's time */
#endif
		return __uv_now_ns();
	case CLOCK_REALTIME:
		t = __uv_now_ns();
		return t < 0 ? t : uv_deadline((int64_t)__uv_bi->wall_ns_at_start, t);
	default:
		return -UV_EINVAL;
	}
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	int64_t t = clock_ns(id);

	if (t < 0) {
		errno = uv_errno_map(t);
		return -1;
	}
	ts->tv_sec = t / 1000000000;
	ts->tv_nsec = t % 1000000000;
	return 0;
}

int clock_getres(clockid_t id, struct timespec *res)
{
	int64_t t = clock_ns(id);

	if (t < 0) {
		errno = uv_errno_map(t);
		return -1;
	}
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

int clock_settime(clockid_t id, const struct timespec *ts)
{
	(void)id;
	(void)ts;
	errno = EPERM;
	return -1;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	(void)tz;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

/* For newlib's clock(): the app's time so far, in CLOCKS_PER_SEC ticks, as user time. */
clock_t times(struct tms *t)
{
	int64_t ns = __uv_now_ns();
	clock_t ticks;

	if (ns < 0) {
		errno = uv_errno_map(ns);
		return (clock_t)-1;
	}
	ticks = (clock_t)(ns / (1000000000 / CLOCKS_PER_SEC));
	t->tms_utime = ticks;
	t->tms_stime = 0;
	t->tms_cutime = 0;
	t->tms_cstime = 0;
	return ticks;
}
