/* tests/unit/test_time.c: an app's yield deadline in kernel time, at the edges of the clock. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "kernel/dev/time.h"

TEST(deadline_in_the_past_is_now)
{
	CHECK_EQ(time_deadline_kernel_ns(0, 5, 100), 100);
	CHECK_EQ(time_deadline_kernel_ns(5, 5, 100), 100);
}

TEST(deadline_ahead_keeps_its_distance)
{
	CHECK_EQ(time_deadline_kernel_ns(1005, 5, 100), 1100);
	CHECK_EQ(time_deadline_kernel_ns(6, 5, 0), 1);
}

TEST(deadline_near_the_top_never_wraps)
{
	/* The app started 1 s after the kernel: its clock lags the kernel's. */
	uint64_t now = 2000000000ull, know = 3000000000ull;
	CHECK_EQ((unsigned long long)time_deadline_kernel_ns(UINT64_MAX - 1, now, know), (unsigned long long)UINT64_MAX);
	CHECK_EQ((unsigned long long)time_deadline_kernel_ns(UINT64_MAX - 1000000000ull, now, know),
		 (unsigned long long)UINT64_MAX);
	/* 2^63 is far but countable: it stays finite and later than now. */
	uint64_t k = time_deadline_kernel_ns(1ull << 63, now, know);
	CHECK(k != UINT64_MAX && k > know);
	CHECK_EQ((unsigned long long)k, (unsigned long long)((1ull << 63) - now + know));
	/* the exact edge: kernel_now + left == UINT64_MAX is still a time, one more is not */
	CHECK_EQ((unsigned long long)time_deadline_kernel_ns(UINT64_MAX - know + now, now, know),
		 (unsigned long long)UINT64_MAX);
	CHECK_EQ((unsigned long long)time_deadline_kernel_ns(UINT64_MAX - know + now - 1, now, know),
		 (unsigned long long)(UINT64_MAX - 1));
}
