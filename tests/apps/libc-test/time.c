/* tests/apps/libc-test/time.c: clocks move forward and agree (TSC vs hypercall, realtime vs wall), sleeps last long enough. */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <univisor.h>
#include "check.h"

#define MS 1000000LL

static int64_t ns_of(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return -1;
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static const char *check_monotonic_forward(void)
{
	int64_t t0 = ns_of(CLOCK_MONOTONIC), t1;
	volatile unsigned spin = 0;

	if (t0 < 0)
		return FAILF("clock_gettime(CLOCK_MONOTONIC) failed, errno %d", errno);
	for (int i = 0; i < 100000; i++)
		spin += (unsigned)i;
	t1 = ns_of(CLOCK_MONOTONIC);
	if (t1 <= t0)
		return FAILF("monotonic did not advance: %lld then %lld", (long long)t0, (long long)t1);
	for (int i = 0; i < 1000; i++) {
		int64_t t2 = ns_of(CLOCK_MONOTONIC);
		if (t2 < t1)
			return FAILF("monotonic went back: %lld then %lld", (long long)t1, (long long)t2);
		t1 = t2;
	}
	return NULL;
}

/* The in-app TSC clock and the clock_monotonic hypercall read the same time. */
static const char *check_tsc_vs_hypercall(void)
{
	int64_t worst = 0;

	if (!(uv_boot_info()->flags & UV_BOOT_TSC_USABLE))
		return "boot info says the TSC clock is unusable";
	for (int i = 0; i < 5; i++) {
		int64_t a = uv_tsc_ns(), h = uv_hc_clock_monotonic(), b = uv_tsc_ns();
		if (a < 0 || h < 0 || b < 0)
			return FAILF("tsc %lld hypercall %lld tsc %lld", (long long)a, (long long)h, (long long)b);
		/* The hypercall's value was taken between a and b; allow 1 ms of scaling difference. */
		if (h < a - MS || h > b + MS)
			return FAILF("hypercall %lld ns outside [%lld, %lld] +- 1 ms", (long long)h, (long long)a,
				     (long long)b);
		int64_t d = h < a ? a - h : h > b ? h - b : 0;
		worst = d > worst ? d : worst;
	}
	printf("info clock-tsc-vs-hypercall: worst distance %lld ns\n", (long long)worst);
	return NULL;
}

/* realtime = wall_ns_at_start + monotonic; gettimeofday and time() agree with it. */
static const char *check_realtime(void)
{
	const struct uv_boot_info *bi = uv_boot_info();
	int64_t m = ns_of(CLOCK_MONOTONIC), r = ns_of(CLOCK_REALTIME), m2 = ns_of(CLOCK_MONOTONIC);
	struct timeval tv;
	time_t t;
	int64_t start = (int64_t)bi->wall_ns_at_start;

	if (m < 0 || r < 0)
		return FAILF("clock_gettime failed, errno %d", errno);
	if (r < start + m || r > start + m2)
		return FAILF("realtime %lld not wall_ns_at_start %lld + monotonic [%lld, %lld]", (long long)r,
			     (long long)start, (long long)m, (long long)m2);
	if (start < 946684800LL * 1000000000LL) /* 2000-01-01, Bochs' clock */
		return FAILF("wall clock at start %lld is before 2000", (long long)start);
	if (gettimeofday(&tv, NULL) < 0)
		return FAILF("gettimeofday failed, errno %d", errno);
	t = time(NULL);
	if (tv.tv_sec < r / 1000000000 || tv.tv_sec > r / 1000000000 + 1 || t < tv.tv_sec || t > tv.tv_sec + 1)
		return FAILF("gettimeofday %lld / time %lld vs realtime %lld s", (long long)tv.tv_sec,
			     (long long)t, (long long)(r / 1000000000));
	return NULL;
}

static const char *check_nanosleep(void)
{
	struct timespec req = { 0, 20 * MS }, rem = { 1, 1 }, bad = { 0, 1000000000 };
	int64_t t0 = ns_of(CLOCK_MONOTONIC), t1, t2;

	if (nanosleep(&req, &rem) < 0)
		return FAILF("nanosleep failed, errno %d", errno);
	t1 = ns_of(CLOCK_MONOTONIC);
	if (t1 - t0 < 20 * MS)
		return FAILF("nanosleep(20 ms) slept %lld ns", (long long)(t1 - t0));
	if (rem.tv_sec || rem.tv_nsec)
		return "nanosleep left a remainder";
	if (usleep(5000) < 0)
		return FAILF("usleep failed, errno %d", errno);
	t2 = ns_of(CLOCK_MONOTONIC);
	if (t2 - t1 < 5 * MS)
		return FAILF("usleep(5000) slept %lld ns", (long long)(t2 - t1));
	errno = 0;
	if (nanosleep(&bad, NULL) != -1 || errno != EINVAL)
		return FAILF("nanosleep(tv_nsec = 1e9) gave errno %d, want EINVAL", errno);
	if (sleep(0) != 0)
		return "sleep(0) did not return 0";
	printf("info nanosleep: 20 ms took %lld us, 5 ms took %lld us\n", (long long)((t1 - t0) / 1000),
	       (long long)((t2 - t1) / 1000));
	return NULL;
}

/* Not a check: what reading the time costs, in-app (TSC) and by hypercall (an exit). */
static void report_clock_cost(void)
{
	enum { N = 1000 };
	int64_t t0 = uv_monotonic_ns(), t1, t2;

	for (int i = 0; i < N; i++)
		(void)ns_of(CLOCK_MONOTONIC);
	t1 = uv_monotonic_ns();
	for (int i = 0; i < N; i++)
		(void)uv_hc_clock_monotonic();
	t2 = uv_monotonic_ns();
	printf("info clock-cost: clock_gettime %lld ns, clock_monotonic hypercall %lld ns (mean of %d)\n",
	       (long long)((t1 - t0) / N), (long long)((t2 - t1) / N), N);
}

void checks_time(void)
{
	report_clock_cost();
	check_run("clock-monotonic-forward", check_monotonic_forward);
	check_run("clock-tsc-vs-hypercall", check_tsc_vs_hypercall);
	check_run("clock-realtime", check_realtime);
	check_run("nanosleep", check_nanosleep);
}
