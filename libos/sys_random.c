/* libos/sys_random.c: getentropy() from the kernel's random hypercall (RDSEED/RDRAND). */
#include <errno.h>
#include <unistd.h>
#include "libos.h"

/* Fills all of buf (any length: the call takes UV_RANDOM_MAX bytes at a time); 0 or -1 with errno. */
int getentropy(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len > 0) {
		size_t n = len > UV_RANDOM_MAX ? UV_RANDOM_MAX : len;
		long r = uv_hc_random(p, n);
		if (r <= 0 || (size_t)r > n) {
			errno = r < 0 ? uv_errno_map(r) : EIO;
			return -1;
		}
		p += r;
		len -= (size_t)r;
	}
	return 0;
}
