/* kernel/boot/boot.h: what the boot stubs hand to kmain, shared by entry.S and C. */
#ifndef KERNEL_BOOT_BOOT_H
#define KERNEL_BOOT_BOOT_H

#define BOOT_PROTO_MB2 1 /* GRUB (or any Multiboot2 loader): EBX = multiboot2 info */
#define BOOT_PROTO_PVH 2 /* QEMU -kernel via the PVH note: EBX = hvm_start_info */
#define BOOT_STACK_SIZE (32 * 1024)

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 8
#define BOOT_CMDLINE_MAX 256
/* The ACPI RSDP (ACPI 6.x 5.2.5.3): 20 bytes in ACPI 1.0, 36 from 2.0 on. */
#define BOOT_RSDP_V1_LEN 20
#define BOOT_RSDP_MAX 36

enum boot_mem_type { BOOT_MEM_RAM = 1, BOOT_MEM_RESERVED = 2, BOOT_MEM_ACPI = 3, BOOT_MEM_NVS = 4, BOOT_MEM_BAD = 5 };

struct boot_region {
	uint64_t base, len;
	uint32_t type; /* enum boot_mem_type */
};

/* Everything the kernel keeps of the loader's information, copied out before the
 * loader's memory can be reused. */
struct boot_info {
	const char *loader; /* "multiboot2" or "pvh" */
	struct boot_region regions[BOOT_MAX_REGIONS];
	size_t n_regions;
	struct boot_region modules[BOOT_MAX_MODULES];
	size_t n_modules;
	char cmdline[BOOT_CMDLINE_MAX];
	uint64_t info_base, info_len; /* where the loader's structure lay */
	/* A copy of the ACPI RSDP (rsdp_len bytes, 0 = none found): its signature and
	 * checksum(s) were right when it was taken; the ACPI parser checks it again. */
	uint8_t rsdp[BOOT_RSDP_MAX];
	uint32_t rsdp_len;
	uint64_t rsdp_pa;      /* where it lay; 0 when the loader gave only a copy (Multiboot2) */
	const char *rsdp_from; /* "multiboot2", "pvh", "bios" (the EBDA / BIOS area scan) */
};

/* Parses the loader's structure at info_pa (identity-mapped). Returns 0 or -UV_EINVAL
 * with *why set. Pure: reads only [info_pa, info_pa + its own size). */
int boot_info_parse_mb2(const void *mbi, size_t max_len, struct boot_info *out, const char **why);
int boot_info_parse_pvh(const void *start_info, struct boot_info *out, const char **why,
			const void *(*phys)(uint64_t pa, size_t len));
/* When the loader gave no RSDP: scans the first KiB of the EBDA (its segment in the BIOS
 * data area at 0x40e) and 0xe0000-0xfffff on 16-byte boundaries (ACPI 6.x 5.2.5.1) for
 * one whose signature and checksum(s) are right, and copies it into bi. Reads only
 * through phys; bounded. Returns 0 (found, or already there) or -UV_ENOENT. */
int boot_info_find_rsdp(struct boot_info *bi, const void *(*phys)(uint64_t pa, size_t len));
/* How many bytes of p (avail readable) make a valid RSDP: 20 (ACPI 1.0: signature and
 * checksum), 36 (2.0 on: its length must be 36 and its extended checksum right too), or
 * 0. The one RSDP check: the boot info keeps no other copy, the ACPI parser trusts no other. */
size_t boot_rsdp_size(const uint8_t *p, size_t avail);
/* Looks for "key" or "key=value" in the command line; returns the value ("" for a bare key) or NULL. */
const char *boot_cmdline_get(const struct boot_info *bi, const char *key, char *buf, size_t buflen);

extern char boot_stack_guard[], boot_stack_top[];
#endif
#endif
