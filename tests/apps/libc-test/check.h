/* tests/apps/libc-test/check.h: the check reporter: one `check <name> ok|FAIL: why` line per check, then `checks done=N` (tests/boot/lib.sh's relay). */
#ifndef LIBC_TEST_CHECK_H
#define LIBC_TEST_CHECK_H

#include <stdio.h>

/* A check returns NULL when it passed, else why it failed (FAILF formats into one buffer). */
typedef const char *(*check_fn)(void);
extern char check_why[256];
#define FAILF(...) (snprintf(check_why, sizeof(check_why), __VA_ARGS__), (const char *)check_why)

/* Runs fn, prints its line and counts it. */
void check_run(const char *name, check_fn fn);
/* Prints `check <name> skipped: why` (not counted as a check; the boot test fails it). */
void check_skip(const char *name, const char *why);
/* Prints the final `checks done=N` line (N checks ran); returns the number failed. */
int check_summary(void);

/* The groups of checks (one file each). */
void checks_boot(int argc, char **argv);
void checks_stdio(void);
void checks_memory(void);
void checks_time(void);
void checks_misc(void);
void checks_cpu_state(void);

#endif
