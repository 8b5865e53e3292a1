/* libos/sys_unsupported.c: the POSIX calls newlib may pull in that an app has no use for: ENOSYS. */
/* Only names libc.a does not define itself (else two archive members could clash). */
#include <errno.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "libos.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"

/* There are no files, processes or links: each of these fails cleanly and sets errno. */
#define UNSUPPORTED(ret, name, ...)          \
	ret name(__VA_ARGS__)                \
	{                                    \
		errno = ENOSYS;              \
		return (ret)-1;              \
	}

UNSUPPORTED(int, open, const char *path, int flags, ...)
UNSUPPORTED(int, stat, const char *path, struct stat *st)
UNSUPPORTED(int, lstat, const char *path, struct stat *st)
UNSUPPORTED(int, link, const char *old, const char *new)
UNSUPPORTED(int, unlink, const char *path)
UNSUPPORTED(int, mkdir, const char *path, mode_t mode)
UNSUPPORTED(int, rmdir, const char *path)
UNSUPPORTED(int, chdir, const char *path)
UNSUPPORTED(int, fork, void)
UNSUPPORTED(int, execve, const char *path, char *const argv[], char *const envp[])
UNSUPPORTED(int, wait, int *status)
UNSUPPORTED(int, waitpid, int pid, int *status, int options)
UNSUPPORTED(int, dup, int fd)
UNSUPPORTED(int, dup2, int fd, int fd2)
UNSUPPORTED(int, pipe, int fds[2])
