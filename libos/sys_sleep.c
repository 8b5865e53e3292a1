/* libos/sys_sleep.c: nanosleep/sleep/usleep: yield to the kernel until a monotonic deadline. */
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include "libos.h"
#include "include/uv_thread.h"

/*
 * Sleeps until the monotonic clock reaches deadline; 0 or a negative UV_E* (no clock).
 * Only the calling thread sleeps (libos/thread.c): when no thread can run, the app
 * blocks in yield until the earliest deadline.
 */
static int sleep_until(int64_t deadline)
{
	static struct uv_waitq sleepers; /* nobody wakes it: each sleeper leaves at its deadline */
	for (;;) {
		int64_t now = uv_monotonic_ns();
		if (now < 0)
			return (int)now;
		if (now >= deadline)
			return 0;
		uv_waitq_wait(&sleepers, deadline);
	}
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	int64_t ns, now;
	int r;

	ns = req ? uv_timespec_to_ns(req->tv_sec, req->tv_nsec) : -UV_EFAULT;
	if (ns < 0) {
		errno = uv_errno_map(ns);
		return -1;
	}
	now = uv_monotonic_ns();
	r = now < 0 ? (int)now : sleep_until(uv_deadline(now, ns));
	if (r < 0) {
		errno = uv_errno_map(r);
		return -1;
	}
	if (rem) {
		rem->tv_sec = 0;
		rem->tv_nsec = 0;
	}
	return 0;
}

unsigned sleep(unsigned seconds)
{
	struct timespec ts = { .tv_sec = seconds, .tv_nsec = 0 };

	return nanosleep(&ts, NULL) < 0 ? seconds : 0;
}

int usleep(useconds_t us)
{
	struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}
