/* tests/apps/libc-test/main.c: checks newlib + libos behaviour from inside the VM, one line per check. */
#include <stdlib.h>
#include "check.h"

char check_why[256];
static int n_checks, n_failed;

void check_run(const char *name, check_fn fn)
{
	const char *why = fn();

	n_checks++;
	if (why) {
		n_failed++;
		printf("check %s FAIL: %s\n", name, why);
	} else {
		printf("check %s ok\n", name);
	}
}

void check_skip(const char *name, const char *why)
{
	printf("check %s skipped: %s\n", name, why);
}

int check_summary(void)
{
	printf("checks done=%d\n", n_checks);
	return n_failed;
}

static void at_exit(void)
{
	printf("libc-test: atexit handler ran\n"); /* stdout is flushed after this by exit() */
}

int main(int argc, char **argv)
{
	atexit(at_exit);
	checks_boot(argc, argv);
	checks_stdio();
	checks_memory();
	checks_time();
	checks_misc();
	checks_cpu_state();
	return check_summary();
}
