/* tests/attack/flooder/main.c: floods the console with 4 KiB console_writes of numbered lines for about 1.5 s of its own time (or 100 writes), then says how many lines it wrote. */
/* It starts after WARMUP_NS, when the tickers (tests/attack/ticker) have begun to time
 * their wake-ups: the flood must fall inside what they measure. */
#include "tests/attack/attack.h"

#define WRITE_BYTES 4096 /* UV_CONSOLE_WRITE_MAX: the most one call takes */
#define LINE_BYTES 64
#define MAX_WRITES 100
#define RUN_NS 1500000000ull
#define WARMUP_NS 400000000ull /* a little after the tickers (300 ms after their start) */

/* Line n: "flood NNNNNNNN " then letters up to 63 bytes, then '\n' (64 bytes). */
static void make_line(char *p, uint64_t n)
{
	static const char head[] = "flood ";
	for (int i = 0; i < 6; i++)
		p[i] = head[i];
	for (int i = 13; i >= 6; i--, n /= 10)
		p[i] = (char)('0' + n % 10);
	p[14] = ' ';
	for (int i = 15; i < LINE_BYTES - 1; i++)
		p[i] = (char)('a' + (i - 15) % 26);
	p[LINE_BYTES - 1] = '\n';
}

int main(void)
{
	static char buf[WRITE_BYTES];
	uint64_t line = 0, writes = 0, bad = 0;
	int64_t bad_ret = 0;
	int clock = (boot_info->flags & UV_BOOT_TSC_USABLE) != 0;
	hc(UV_HC_YIELD, WARMUP_NS, 0, 0); /* a deadline in the app's monotonic ns: its TSC clock's */
	uint64_t end = WARMUP_NS + RUN_NS;
	while (writes < MAX_WRITES && (!clock || now_ns() < end)) {
		for (int k = 0; k < WRITE_BYTES / LINE_BYTES; k++)
			make_line(buf + k * LINE_BYTES, line++);
		int64_t r = hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)buf, WRITE_BYTES, 0);
		if (r != WRITE_BYTES) {
			bad++;
			bad_ret = r;
		}
		writes++;
	}
	put_num("writes", (int64_t)writes, 0);
	put_num("lines", (int64_t)line, 0);
	if (bad)
		put_num("bad-return", bad_ret, 0);
	check("flooder.writes-accepted", !bad, "a console_write did not return 4096 (see bad-return)");
	checks_done();
	return 0;
}
