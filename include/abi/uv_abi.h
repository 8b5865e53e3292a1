/* include/abi/uv_abi.h: the whole ABI shared by the kernel and libos (include this one). */
#ifndef UV_ABI_H
#define UV_ABI_H
#include "uv_types.h"
#include "uv_errno.h"
#include "uv_hypercall.h"
#include "uv_bootinfo.h"
#include "uv_manifest.h"
#endif
