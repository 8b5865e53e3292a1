/* include/abi/uv_types.h: fixed-width types and the guest-address type shared by kernel and libos. */
#ifndef UV_ABI_TYPES_H
#define UV_ABI_TYPES_H

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * A guest address (guest virtual == guest physical in every app). The kernel never
 * dereferences one: it turns a checked range into a kernel pointer in one place
 * (kernel/app/guestmem.c). In the app it is just a pointer cast to an integer.
 */
typedef uint64_t uv_gaddr_t;
#endif

#define UV_PAGE_SIZE 4096ULL
#define UV_LARGE_PAGE_SIZE (2ULL * 1024 * 1024)

#define UV_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

#endif
