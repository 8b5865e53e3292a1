/* tests/apps/libc-test/stdio.c: formatted output and input: %f/%e/%g, snprintf truncation, strtod, sscanf. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

/* Formats one double with fmt and compares with want. */
#define FMT_IS(fmt, val, want)                                                                 \
	do {                                                                                   \
		char b_[64];                                                                   \
		snprintf(b_, sizeof(b_), fmt, val);                                            \
		if (strcmp(b_, want))                                                          \
			return FAILF("\"%s\" of %s gave \"%s\", want \"%s\"", fmt, #val, b_, want); \
	} while (0)

static const char *check_printf_f(void)
{
	FMT_IS("%f", 3.14159, "3.141590");
	FMT_IS("%f", -0.5, "-0.500000");
	FMT_IS("%.2f", 1234.5678, "1234.57");
	FMT_IS("%.0f", 1e15, "1000000000000000");
	FMT_IS("%8.3f", 2.0, "   2.000");
	return NULL;
}

static const char *check_printf_e(void)
{
	FMT_IS("%e", 12345.678, "1.234568e+04");
	FMT_IS("%.2e", -0.000123, "-1.23e-04");
	FMT_IS("%E", 1e100, "1.000000E+100");
	return NULL;
}

static const char *check_printf_g(void)
{
	FMT_IS("%g", 0.0001, "0.0001");
	FMT_IS("%g", 0.00001, "1e-05");
	FMT_IS("%g", 123456789.0, "1.23457e+08");
	FMT_IS("%g", 100.0, "100");
	FMT_IS("%g", INFINITY, "inf");
	FMT_IS("%g", NAN, "nan");
	return NULL;
}

static const char *check_printf_int(void)
{
	char b[96];

	snprintf(b, sizeof(b), "%d|%5ld|%-4u|%llx|%zu|%08.3f|%s|%c|%%", -42, 7L, 3u, 0xdeadbeefcafeULL,
		 (size_t)12, 3.25, "str", 'z');
	if (strcmp(b, "-42|    7|3   |deadbeefcafe|12|0003.250|str|z|%"))
		return FAILF("got \"%s\"", b);
	return NULL;
}

static const char *check_snprintf_trunc(void)
{
	char b[8];
	volatile size_t size = sizeof(b), one = 1; /* not constants: the point is run-time truncation */
	int n;

	memset(b, 'X', sizeof(b));
	n = snprintf(b, size, "%s", "0123456789");
	if (n != 10)
		return FAILF("returned %d, want 10", n);
	if (strcmp(b, "0123456"))
		return FAILF("buffer \"%.8s\", want \"0123456\"", b);
	n = snprintf(NULL, 0, "%f", 1.5);
	if (n != 8)
		return FAILF("snprintf(NULL, 0) returned %d, want 8", n);
	n = snprintf(b, one, "abc");
	if (n != 3 || b[0] != '\0')
		return FAILF("size 1: returned %d, b[0]=%d", n, b[0]);
	return NULL;
}

static const char *check_strtod(void)
{
	char *end;
	double d;

	d = strtod("1.5e3", &end);
	if (d != 1500.0 || *end)
		return FAILF("\"1.5e3\" -> %g", d);
	d = strtod("  -2.25xyz", &end);
	if (d != -2.25 || strcmp(end, "xyz"))
		return FAILF("\"  -2.25xyz\" -> %g, rest \"%s\"", d, end);
	d = strtod("0x1p4", &end);
	if (d != 16.0 || *end)
		return FAILF("\"0x1p4\" -> %g", d);
	d = strtod("0.1", NULL);
	if (d != 0.1)
		return FAILF("\"0.1\" -> %.17g", d);
	errno = 0;
	d = strtod("1e400", &end);
	if (d != HUGE_VAL || errno != ERANGE)
		return FAILF("\"1e400\" -> %g errno %d", d, errno);
	return NULL;
}

static const char *check_sscanf(void)
{
	double d = 0;
	int i = 0;
	char w[8] = "";

	if (sscanf("3.25 -7 word", "%lf %d %7s", &d, &i, w) != 3 || d != 3.25 || i != -7 || strcmp(w, "word"))
		return FAILF("got %g %d \"%s\"", d, i, w);
	return NULL;
}

void checks_stdio(void)
{
	check_run("printf-f", check_printf_f);
	check_run("printf-e", check_printf_e);
	check_run("printf-g", check_printf_g);
	check_run("printf-int", check_printf_int);
	check_run("snprintf-truncation", check_snprintf_trunc);
	check_run("strtod", check_strtod);
	check_run("sscanf", check_sscanf);
}
