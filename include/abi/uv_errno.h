/* include/abi/uv_errno.h: error codes of the hypercall ABI (hypercalls return -UV_E*). */
#ifndef UV_ABI_ERRNO_H
#define UV_ABI_ERRNO_H

/*
 * Every hypercall returns a signed 64-bit value in RAX: >= 0 is success, < 0 is the
 * negation of one of these. The numbers are Linux's, so they read familiarly in
 * reports; libos translates them to newlib's errno values, which differ.
 */
#define UV_EPERM 1   /* the app's grants do not include this call or handle */
#define UV_ENOENT 2  /* no such handle (NIC, channel) */
#define UV_E2BIG 7   /* a length above the call's limit */
#define UV_EBADF 9   /* handle out of range; a channel's other end */
#define UV_EAGAIN 11 /* nothing to read now / no room to write now */
#define UV_ENOMEM 12 /* the kernel is out of memory for this request */
#define UV_EFAULT 14 /* a guest range is not wholly inside the app's RAM, or wraps */
#define UV_EINVAL 22 /* a malformed argument (flags, alignment, ...) */
#define UV_ENOSYS 38 /* unknown hypercall number */
#define UV_EIO 5     /* the device behind the handle failed */
#define UV_ENODEV 19 /* no such device (a configured NIC the machine does not have) */
#define UV_EMSGSIZE 90 /* a frame or message outside the sizes the call takes */
#define UV_ENETDOWN 100 /* the NIC's link is down */
#define UV_ECONNRESET 104 /* the channel was reset (its peer stopped): told once */
#define UV_ETIMEDOUT 110 /* the deadline passed before an answer came (chan_sendrecv) */

#endif
