/* libos/sys_exit.c: how an app ends: _exit (the exit hypercall), abort, and kill/getpid for raise(). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "libos.h"

/* The exit hypercall does not return; if the kernel ever refused it, stop with #UD. */
__attribute__((noreturn)) void _exit(int status)
{
	uv_hc_exit(status);
	for (;;)
		__builtin_trap();
}

/* No stdio flush (abort may come from inside stdio): say so and exit with 128 + SIGABRT. */
__attribute__((noreturn)) void abort(void)
{
	__uv_console_puts("libos: abort() called\n");
	_exit(128 + SIGABRT);
}

int uv_errno(long r)
{
	return uv_errno_map(r);
}

/* The app is process 1 of its own machine. */
pid_t getpid(void)
{
	return 1;
}

/* newlib's raise() with no handler installed lands here: a signal to self ends the app. */
int kill(pid_t pid, int sig)
{
	if (pid != 1 && pid != 0) {
		errno = ESRCH;
		return -1;
	}
	if (sig == 0)
		return 0;
	if (sig < 0 || sig >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	char msg[] = "libos: killed by signal 00\n";
	msg[sizeof(msg) - 4] = (char)('0' + sig / 10);
	msg[sizeof(msg) - 3] = (char)('0' + sig % 10);
	__uv_console_puts(msg);
	_exit(128 + sig);
}
