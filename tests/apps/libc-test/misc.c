/* tests/apps/libc-test/misc.c: getentropy, errno for what an app can't do, libm, setjmp. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <univisor.h>
#include "check.h"

static const char *check_getentropy(void)
{
	unsigned char a[32], b[32], big[1000];
	int zero = 0;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	if (getentropy(a, sizeof(a)) < 0 || getentropy(b, sizeof(b)) < 0)
		return FAILF("getentropy failed, errno %d", errno);
	if (!memcmp(a, b, sizeof(a)))
		return "two calls gave the same 32 bytes";
	for (size_t i = 0; i < sizeof(a); i++)
		zero += a[i] == 0;
	if (zero == (int)sizeof(a))
		return "32 zero bytes";
	/* More than one random hypercall's worth (UV_RANDOM_MAX): the tail must be filled too. */
	memset(big, 0, sizeof(big));
	if (getentropy(big, sizeof(big)) < 0)
		return FAILF("getentropy(1000) failed, errno %d", errno);
	zero = 0;
	for (size_t i = sizeof(big) - 64; i < sizeof(big); i++)
		zero += big[i] == 0;
	if (zero > 16)
		return FAILF("getentropy(1000): %d of the last 64 bytes are 0", zero);
	return NULL;
}

/* What has no meaning in an app fails with a clean errno instead of crashing. */
static const char *check_errno_unsupported(void)
{
	char c;

	errno = 0;
	if (open("/etc/passwd", O_RDONLY) != -1 || errno != ENOSYS)
		return FAILF("open: errno %d, want ENOSYS (%d)", errno, ENOSYS);
	errno = 0;
	if (fopen("/tmp/x", "w") != NULL || errno != ENOSYS)
		return FAILF("fopen: errno %d, want ENOSYS", errno);
	errno = 0;
	if (fork() != -1 || errno != ENOSYS)
		return FAILF("fork: errno %d, want ENOSYS", errno);
	errno = 0;
	if (unlink("/x") != -1 || errno != ENOSYS)
		return FAILF("unlink: errno %d, want ENOSYS", errno);
	errno = 0;
	if (write(7, "x", 1) != -1 || errno != EBADF)
		return FAILF("write(7): errno %d, want EBADF", errno);
	errno = 0;
	if (lseek(1, 0, SEEK_SET) != -1 || errno != ESPIPE)
		return FAILF("lseek(1): errno %d, want ESPIPE", errno);
	if (read(0, &c, 1) != 0)
		return "read(0) is not end of file";
	if (!isatty(1) || isatty(9))
		return "isatty wrong for fd 1 or 9";
	if (getpid() != 1)
		return FAILF("getpid %d", (int)getpid());
	return NULL;
}

/* Hypercall errors (Linux numbers) become this libc's errno values, which differ. */
static const char *check_errno_map(void)
{
	static const struct { long uv; int e; } map[] = {
		{ -UV_EPERM, EPERM }, { -UV_ENOENT, ENOENT }, { -UV_EIO, EIO }, { -UV_E2BIG, E2BIG },
		{ -UV_EBADF, EBADF }, { -UV_EAGAIN, EAGAIN }, { -UV_ENOMEM, ENOMEM },
		{ -UV_EFAULT, EFAULT }, { -UV_EINVAL, EINVAL }, { -UV_ENOSYS, ENOSYS },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (uv_errno(map[i].uv) != map[i].e)
			return FAILF("UV error %ld -> %d, want %d", map[i].uv, uv_errno(map[i].uv), map[i].e);
	/* A real one: console_write beyond the app's RAM is -UV_EFAULT. */
	long r = uv_hc_console_write((const void *)(uintptr_t)(uv_boot_info()->mem_size - 2), 16);
	if (r != -UV_EFAULT)
		return FAILF("console_write past the end of RAM returned %ld, want %d", r, -UV_EFAULT);
	return NULL;
}

static const char *check_libm(void)
{
	volatile double two = 2.0, half = 0.5;

	if (fabs(sqrt(two) - 1.4142135623730951) > 1e-15)
		return FAILF("sqrt(2) = %.17g", sqrt(two));
	if (fabs(sin(half) - 0.479425538604203) > 1e-15 || fabs(exp(two) - 7.38905609893065) > 1e-13)
		return FAILF("sin(0.5) = %.17g, exp(2) = %.17g", sin(half), exp(two));
	if (pow(two, 10) != 1024.0 || fabs(log(exp(half)) - 0.5) > 1e-15)
		return FAILF("pow(2,10) = %g", pow(two, 10));
	return NULL;
}

static jmp_buf jb;

static void jump_back(int v)
{
	longjmp(jb, v);
}

static const char *check_setjmp(void)
{
	volatile int step = 0;
	int r = setjmp(jb);

	if (r == 0) {
		step = 1;
		jump_back(7);
		return "longjmp returned";
	}
	if (r != 7 || step != 1)
		return FAILF("setjmp returned %d, step %d", r, step);
	return NULL;
}

void checks_misc(void)
{
	check_run("getentropy", check_getentropy);
	check_run("errno-unsupported", check_errno_unsupported);
	check_run("errno-map", check_errno_map);
	check_run("libm", check_libm);
	check_run("setjmp", check_setjmp);
}
