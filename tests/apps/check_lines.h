/* tests/apps/check_lines.h: the check lines libos test apps print for tests/boot/lib.sh's relay: `check NAME ok`, `check NAME FAIL: why`, then `checks done=N`. */
#ifndef TESTS_APPS_CHECK_LINES_H
#define TESTS_APPS_CHECK_LINES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int n_checks, n_failed;

/* One verdict line; counts it (a failure with why, formatted from fmt and ap). */
static void __attribute__((format(printf, 3, 0), unused)) vck(bool ok, const char *name, const char *fmt, va_list ap)
{
	n_checks++;
	if (ok) {
		printf("check %s ok\n", name);
		return;
	}
	n_failed++;
	char why[200];
	vsnprintf(why, sizeof(why), fmt, ap);
	printf("check %s FAIL: %s\n", name, why);
}

#ifndef CHECK_LINES_EXTERN_CK /* an app of several files defines ck itself, over vck */
/* One verdict line; counts it (a failure with why, formatted). */
static void __attribute__((format(printf, 3, 4), unused)) ck(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vck(ok, name, fmt, ap);
	va_end(ap);
}
#endif

/* The closing line; returns how many checks failed (the app's exit status). */
static int __attribute__((unused)) checks_done(void)
{
	printf("checks done=%d\n", n_checks);
	return n_failed;
}

#endif
