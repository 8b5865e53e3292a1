/* apps/hello/hello.c: the friendly default app: greets, shows its arguments, the time, and some libc at work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <univisor.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct timespec mono, wall;
	char buf[64];
	struct tm tm;

	printf("Hello from %s, a C app on newlib inside its own VM!\n", argv[0]);
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &wall);
	gmtime_r(&wall.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("time: monotonic %lld.%09ld s since start, wall %s\n", (long long)mono.tv_sec, mono.tv_nsec, buf);

	/* malloc + strtod + qsort + floating-point printf */
	const char *text = "3.5 -1.25 2e3 0.001 42";
	double *v = malloc(8 * sizeof(*v));
	int n = 0;
	for (char *p = (char *)text, *end; n < 8; p = end) {
		double d = strtod(p, &end);
		if (end == p)
			break;
		v[n++] = d;
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	double sum = 0;
	printf("sorted:");
	for (int i = 0; i < n; i++) {
		printf(" %g", v[i]);
		sum += v[i];
	}
	printf("\n");
	snprintf(buf, sizeof(buf), "%.3f", sum / n);
	printf("mean %s, pi ~ %f, e ~ %.10e\n", buf, 3.14159265358979, 2.718281828459045);
	free(v);
	printf("bye from %s (%s on %s)\n", argv[0], uv_boot_info()->name,
	       uv_boot_info()->hc_insn == UV_HC_INSN_VMMCALL ? "AMD SVM" : "Intel VMX");
	return 0;
}
