/* tests/attack/ticker/main.c: wakes every argv[1] ms for argv[2] rounds by yield(deadline); checks it never woke early or more than two scheduler slices late, and that its own console_write never waited. */
/* It first sleeps WARMUP_NS, unmeasured: the other apps are started then (building an
 * app's RAM holds the CPU for tens of ms on Bochs), and what it measures is the run. */
#include "tests/attack/attack.h"

#define SLICE_NS 10000000ull /* SCHED_SLICE_NS */
#define MAX_LATE_NS (2 * SLICE_NS)
#define WARMUP_NS 300000000ull

/* Appends s, or v in decimal, at p; returns the new end. */
static char *add(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}
static char *add_num(char *p, uint64_t v)
{
	char d[24];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = d[--n];
	return p;
}

/* The next decimal argument after *arg (the strings follow each other, NUL-separated). */
static uint64_t next_arg(const char **arg)
{
	while (**arg)
		(*arg)++;
	(*arg)++;
	uint64_t v = 0;
	for (const char *p = *arg; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

/* A verdict whose reason names a time and the round it happened in. */
static void check_time(const char *name, int ok, const char *what, uint64_t ns, uint64_t round)
{
	char why[120], *p = add(why, what);
	p = add(add_num(p, ns / 1000), " us, in round ");
	*add_num(p, round) = 0;
	check(name, ok, why);
}

int main(void)
{
	const char *arg = (const char *)boot_info + boot_info->args_off;
	uint64_t period_ns = next_arg(&arg) * 1000000ull, rounds = next_arg(&arg);
	uint64_t worst_late = 0, late_round = 0, worst_write = 0, write_round = 0, early_round = 0;
	int64_t bad_ret = 0;
	hc(UV_HC_YIELD, now_ns() + WARMUP_NS, 0, 0);
	uint64_t start = now_ns();
	char b[96];
	for (uint64_t r = 1; r <= rounds; r++) {
		uint64_t deadline = start + r * period_ns;
		int64_t ret = hc(UV_HC_YIELD, deadline, 0, 0);
		uint64_t t = now_ns();
		if (ret != 0)
			bad_ret = ret;
		if (t < deadline && !early_round)
			early_round = r;
		uint64_t late = t > deadline ? t - deadline : 0;
		if (late > worst_late) {
			worst_late = late;
			late_round = r;
		}
		/* A short line of its own: its share of the console is not the flooder's. */
		char *p = add(add_num(add(add_num(add(b, "round="), r), " late-us="), late / 1000), "\n");
		uint64_t t0 = now_ns();
		hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)b, (uint64_t)(p - b), 0);
		uint64_t took = now_ns() - t0;
		if (took > worst_write) {
			worst_write = took;
			write_round = r;
		}
	}
	put_num("worst-late-us", (int64_t)(worst_late / 1000), 0);
	put_num("worst-write-us", (int64_t)(worst_write / 1000), 0);
	check_time("ticker.wake-lateness", worst_late <= MAX_LATE_NS, "woke more than two slices late: ", worst_late,
		   late_round);
	check("ticker.never-early", early_round == 0, "a yield returned before its deadline");
	check("ticker.yield-returned-0", bad_ret == 0, "a yield returned something else than 0");
	check_time("ticker.console-write-prompt", worst_write <= MAX_LATE_NS, "a console_write took ", worst_write,
		   write_round);
	checks_done();
	return 0;
}
