/* tests/unit/test_calendar.c: days since the epoch for RTC dates. */
#include <time.h>
#include "tests/unit/unit.h"
#include "kernel/lib/calendar.h"

TEST(known_dates)
{
	CHECK_EQ(time_days_from_civil(1970, 1, 1), 0);
	CHECK_EQ(time_days_from_civil(2000, 3, 1), 11017);
	CHECK_EQ(time_days_from_civil(2024, 2, 29), 19782);
	CHECK_EQ(time_days_from_civil(1969, 12, 31), -1);
}

TEST(matches_timegm_for_every_day_2000_2100)
{
	for (int y = 2000; y < 2100; y++)
		for (int m = 1; m <= 12; m++) {
			struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = 1 };
			time_t t = timegm(&tm);
			CHECK_EQ(time_days_from_civil(y, (unsigned)m, 1) * 86400, t);
		}
}
