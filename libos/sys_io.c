/* libos/sys_io.c: newlib's file glue: fds 0-2 (stdout/stderr -> console_write), sockets (fd 3 and up) through the socket hooks. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "libos.h"

/* Writes all of [buf, buf+len) to the console in console_write-sized pieces; bytes written or -UV_E*. */
static long console_write_all(const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done > UV_CONSOLE_WRITE_MAX ? UV_CONSOLE_WRITE_MAX : len - done;
		long r = uv_hc_console_write(buf + done, n);
		if (r < 0)
			return done > 0 ? (long)done : r;
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (long)done;
}

const struct uv_fd_ops *__uv_socket_fd_ops;

/* fd is a socket fd and the stack runs (the hooks then judge the fd itself). */
static int is_socket(int fd)
{
	return fd >= UV_FD_SOCKET_FIRST && __uv_socket_fd_ops;
}

void __uv_console_puts(const char *s)
{
	console_write_all(s, strlen(s));
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
	long r;

	if (is_socket(fd))
		return __uv_socket_fd_ops->write(fd, buf, len);
	if (fd != STDOUT_FILENO && fd != STDERR_FILENO) {
		errno = EBADF;
		return -1;
	}
	r = console_write_all(buf, len);
	if (r < 0) {
		errno = uv_errno_map(r);
		return -1;
	}
	return r;
}

/* (_READ_WRITE_RETURN_TYPE: newlib's x86_64-elf build declares int, not ssize_t.) */
/* stdin has no source yet: always end of file. */
_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
	if (is_socket(fd))
		return __uv_socket_fd_ops->read(fd, buf, len);
	if (fd != STDIN_FILENO) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

/* fds 0-2 are character devices (so stdio line-buffers stdout); nothing else is open. */
int fstat(int fd, struct stat *st)
{
	if (is_socket(fd) && __uv_socket_fd_ops->fcntl(fd, F_GETFL, 0) >= 0) {
		memset(st, 0, sizeof(*st));
		st->st_mode = S_IFSOCK | 0600;
		return 0;
	}
	if (fd < 0 || fd > 2) {
		errno = EBADF;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_blksize = 1024;
	return 0;
}

int isatty(int fd)
{
	if (fd < 0 || fd > 2) {
		errno = is_socket(fd) ? ENOTTY : EBADF;
		return 0;
	}
	return 1;
}

off_t lseek(int fd, off_t off, int whence)
{
	(void)off;
	(void)whence;
	errno = (fd < 0 || (fd > 2 && !is_socket(fd))) ? EBADF : ESPIPE;
	return -1;
}

/* Closing 0-2 is allowed (they stay usable: there is nothing to release). */
int close(int fd)
{
	if (is_socket(fd))
		return __uv_socket_fd_ops->close(fd);
	if (fd < 0 || fd > 2) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

/* F_GETFL / F_SETFL (O_NONBLOCK) on sockets; on 0-2 F_GETFL says read or write only. */
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	int val = va_arg(ap, int); /* read even for F_GETFL: lwIP ignores it there */
	va_end(ap);
	if (is_socket(fd))
		return __uv_socket_fd_ops->fcntl(fd, cmd, val);
	if (fd < 0 || fd > 2) {
		errno = EBADF;
		return -1;
	}
	if (cmd == F_GETFL)
		return fd == STDIN_FILENO ? O_RDONLY : O_WRONLY;
	errno = EINVAL;
	return -1;
}
