/* kernel/lib/calendar.c: days since the Unix epoch of a calendar date. */
#include "kernel/lib/calendar.h"

int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* The era-based algorithm (400-year cycles of 146097 days), after H. Hinnant's write-up. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}
