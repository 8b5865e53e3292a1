/* tests/attack/ticker/main.c: wakes every argv[1] ms for argv[2] rounds by yield(deadline); checks it never woke early or more than two scheduler slices late, and that its own console_write never waited. */
/* It first sleeps WARMUP_NS, unmeasured: the other apps are started then (building an
 * app's RAM holds the CPU for tens of ms on Bochs), and what it measures is the run. */
#include "tests/attack/attack.h"

#define SLICE_NS 10000000ull         /* SCHED_SLICE_NS */
#define MAX_LATE_NS (2 * SLICE_NS)
#define WARMUP_NS 300000000ull

static uint64_t now(void) { return (uint64_t)hc(UV_HC_CLOCK_MONOTONIC, 0, 0, 0); }

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
static void print(const char *start, char *end)
{
	*end++ = '\n';
	hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)start, (uint64_t)(end - start), 0);
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

/* "check <name> ok <detail>" or "check <name> FAIL: <what> <value> (round <r>)". */
static void verdict(const char *name, int ok, const char *what, uint64_t value, uint64_t round)
{
	char b[160], *p = add(add(add(b, "check "), name), ok ? " ok " : " FAIL: ");
	p = add_num(add(p, what), value);
	if (!ok)
		p = add(add_num(add(p, " (round "), round), ")");
	print(b, p);
}

int main(void)
{
	const char *arg = (const char *)boot_info + boot_info->args_off;
	uint64_t period_ns = next_arg(&arg) * 1000000ull, rounds = next_arg(&arg);
	uint64_t worst_late = 0, late_round = 0, worst_write = 0, write_round = 0, early_round = 0;
	int64_t bad_ret = 0;
	hc(UV_HC_YIELD, now() + WARMUP_NS, 0, 0);
	uint64_t start = now();
	char b[96];
	for (uint64_t r = 1; r <= rounds; r++) {
		uint64_t deadline = start + r * period_ns;
		int64_t ret = hc(UV_HC_YIELD, deadline, 0, 0);
		uint64_t t = now();
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
		char *p = add_num(add(add_num(add(b, "round="), r), " late-us="), late / 1000);
		uint64_t t0 = now();
		print(b, p);
		uint64_t took = now() - t0;
		if (took > worst_write) {
			worst_write = took;
			write_round = r;
		}
	}
	verdict("wake-lateness", worst_late <= MAX_LATE_NS, "worst-late-us=", worst_late / 1000, late_round);
	verdict("never-early", early_round == 0, "early-round=", early_round, early_round);
	verdict("yield-returned-0", bad_ret == 0, "bad-return=", (uint64_t)bad_ret, 0);
	verdict("console-write-prompt", worst_write <= MAX_LATE_NS, "worst-write-us=", worst_write / 1000, write_round);
	return 0;
}
