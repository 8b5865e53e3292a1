/* libos/errno_map.c: hypercall error codes (UV_E*, Linux numbering) to this libc's errno values. */
#include <errno.h>
#include "libos.h"

int uv_errno_map(long r)
{
	if (r >= 0)
		return 0;
	if (r < -4095) /* not an error code (and -r might not be representable) */
		return EIO;
	switch (-r) {
	case UV_EPERM: return EPERM;
	case UV_ENOENT: return ENOENT;
	case UV_EIO: return EIO;
	case UV_E2BIG: return E2BIG;
	case UV_EBADF: return EBADF;
	case UV_EAGAIN: return EAGAIN;
	case UV_ENOMEM: return ENOMEM;
	case UV_EFAULT: return EFAULT;
	case UV_EINVAL: return EINVAL;
	case UV_ENOSYS: return ENOSYS;
	case UV_ENODEV: return ENODEV;
	case UV_EMSGSIZE: return EMSGSIZE;
	case UV_ENETDOWN: return ENETDOWN;
	case UV_ECONNRESET: return ECONNRESET;
	case UV_ETIMEDOUT: return ETIMEDOUT;
	default: return EIO;
	}
}
