/* tests/unit/unit_main.c: runs every registered unit test and prints one PASS/FAIL line each (path "host"). */
#include <stdlib.h>
#include "tests/unit/unit.h"

#define MAX_TESTS 1024

static struct { char suite[64]; const char *name; unit_fn fn; } tests[MAX_TESTS];
static int n_tests, current_failed;
static char why[1024];

void unit_register(const char *file, const char *name, unit_fn fn)
{
	if (n_tests == MAX_TESTS)
		abort();
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	snprintf(tests[n_tests].suite, sizeof(tests[n_tests].suite), "%.*s", (int)strcspn(base, "."), base);
	tests[n_tests].name = name;
	tests[n_tests].fn = fn;
	n_tests++;
}

void unit_fail(const char *file, int line, const char *what)
{
	if (!current_failed)
		snprintf(why, sizeof(why), "%s:%d: %s", file, line, what);
	current_failed = 1;
}

int unit_failed(void) { return current_failed; }

int main(int argc, char **argv)
{
	int failed = 0;
	const char *only = argc > 1 ? argv[1] : NULL;
	for (int i = 0; i < n_tests; i++) {
		if (only && strcmp(only, tests[i].suite))
			continue;
		current_failed = 0;
		tests[i].fn();
		if (current_failed) {
			printf("FAIL host unit.%s.%s: %s\n", tests[i].suite, tests[i].name, why);
			failed++;
		} else {
			printf("PASS host unit.%s.%s\n", tests[i].suite, tests[i].name);
		}
		fflush(stdout);
	}
	return failed ? 1 : 0;
}
