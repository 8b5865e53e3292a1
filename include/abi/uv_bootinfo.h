/* include/abi/uv_bootinfo.h: the guest memory layout and the boot-info page the kernel gives each app. */
#ifndef UV_ABI_BOOTINFO_H
#define UV_ABI_BOOTINFO_H

#include "uv_types.h"
#include "uv_netcfg.h"

/*
 * Guest memory layout (guest virtual == guest physical, [0, mem_size) is the app's RAM):
 *
 *   0x0000_0000  page 0: not present, so NULL dereferences fault
 *   0x0000_1000  boot-info page (struct uv_boot_info), read-only to the app
 *   0x0000_2000  guest page tables and GDT, built by the kernel (up to UV_GUEST_SYS_END)
 *   0x0020_0000  lowest address an ELF segment may use (UV_GUEST_IMAGE_MIN)
 *   ...          ELF segments at their link addresses, then the heap
 *   stack_bottom - 4 KiB: guard page, not present
 *   stack_bottom .. mem_size: the stack; RSP starts at mem_size (16-byte aligned)
 */
#define UV_GUEST_BOOTINFO 0x1000ULL
#define UV_GUEST_SYS_BASE 0x2000ULL
#define UV_GUEST_SYS_END 0x20000ULL
#define UV_GUEST_IMAGE_MIN 0x200000ULL
#define UV_GUEST_MEM_MIN (4ULL << 20)     /* smallest app RAM */
#define UV_GUEST_MEM_MAX (1ULL << 32)     /* largest app RAM */
#define UV_GUEST_STACK_DEFAULT (256ULL << 10)
#define UV_GUEST_GUARD_SIZE 0x1000ULL

#define UV_BOOT_INFO_MAGIC 0x4f464e49564eULL /* "UVNIFO" little-endian-ish tag */
#define UV_BOOT_INFO_ARGS_OFF 1024           /* where the argument strings start */
#define UV_BOOT_INFO_ARGS_MAX (UV_PAGE_SIZE - UV_BOOT_INFO_ARGS_OFF)
#define UV_APP_NAME_MAX 32                    /* including the NUL */
#define UV_BOOT_INFO_MAX_NICS 8               /* = UV_APP_MAX_VNICS */

/* flags */
#define UV_BOOT_TSC_USABLE 1u /* the in-app TSC clock (tsc_to_ns_*) is valid */

/*
 * Written by the kernel before the app's first instruction; RDI holds its address
 * at entry. The app may read it but cannot change it (mapped read-only).
 *
 * Time: the app's TSC reads 0 when the app starts (TSC offsetting), so
 *   monotonic ns = (tsc * tsc_to_ns_mul) >> tsc_to_ns_shift      (128-bit product)
 * equals what UV_HC_CLOCK_MONOTONIC returns, and wall-clock ns is that plus
 * wall_ns_at_start.
 */
struct uv_boot_info {
	uint64_t magic;            /* UV_BOOT_INFO_MAGIC */
	uint32_t abi_version;      /* UV_ABI_VERSION of the kernel */
	uint32_t hc_insn;          /* UV_HC_INSN_VMCALL or UV_HC_INSN_VMMCALL */
	uint64_t mem_size;         /* bytes of guest RAM at [0, mem_size) */
	uint64_t heap_start;       /* first byte after the ELF image, page-aligned */
	uint64_t heap_end;         /* one past the last heap byte (the guard page follows) */
	uint64_t stack_bottom;     /* lowest stack byte */
	uint64_t stack_top;        /* initial RSP */
	uint64_t tsc_hz;           /* TSC ticks per second, as calibrated by the kernel */
	uint64_t tsc_to_ns_mul;    /* see above */
	uint32_t tsc_to_ns_shift;  /* see above */
	uint32_t flags;            /* UV_BOOT_* */
	uint64_t wall_ns_at_start; /* wall-clock ns (since 1970) when the app's TSC was 0 */
	uint64_t grants;           /* the app's grant mask (enum uv_grant) */
	uint32_t app_index;        /* position of the app in the appliance */
	uint32_t restart_count;    /* how many times this app has been restarted */
	uint32_t n_nics;           /* NIC handles 0 .. n_nics-1 */
	uint32_t n_chans;          /* channel handles 0 .. n_chans-1 */
	char name[UV_APP_NAME_MAX]; /* the app's name, NUL-terminated */
	uint32_t argc;             /* number of NUL-terminated strings at args_off */
	uint32_t args_len;         /* bytes used at args_off */
	uint32_t args_off;         /* UV_BOOT_INFO_ARGS_OFF: offset of the strings in this page */
	uint32_t reserved0;
	struct uv_vnic_ip nic_ip[UV_BOOT_INFO_MAX_NICS]; /* NIC handle h's address from the config (h < n_nics; the rest zero) */
};
UV_STATIC_ASSERT(sizeof(struct uv_boot_info) <= UV_BOOT_INFO_ARGS_OFF, "boot info overlaps args");

#endif
