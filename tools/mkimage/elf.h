/* tools/mkimage/elf.h: checks an app's static x86-64 ELF and lists its loadable segments (mkimage turns them into the manifest's loads). */
#ifndef MKIMAGE_ELF_H
#define MKIMAGE_ELF_H

#include <stdint.h>
#include <stddef.h>
#include "include/abi/uv_manifest.h"

#define ELF_MAX_SEGMENTS UV_MANIFEST_MAX_LOADS
#define ELF_SEG_R 4u /* p_flags bits (ELF spec) */
#define ELF_SEG_W 2u
#define ELF_SEG_X 1u

struct elf_segment {
	uint64_t vaddr;  /* page-aligned start (p_vaddr rounded down) */
	uint64_t memsz;  /* bytes from vaddr, rounded up to whole pages */
	uint64_t offset; /* file offset of p_vaddr's first byte */
	uint64_t filesz; /* bytes to copy from offset to p_vaddr */
	uint64_t skip;   /* p_vaddr - vaddr */
	unsigned flags;  /* ELF_SEG_* */
};

struct elf_image {
	uint64_t entry;
	uint64_t lowest, highest; /* page-aligned span of all segments: [lowest, highest) */
	unsigned n_segments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Checks that [elf, elf+len) is a static, non-PIE x86-64 ELF64 executable whose
 * PT_LOAD segments lie in the file, inside [image_min, image_max) without wrapping or
 * overlapping each other, with the entry point inside an executable segment. Fills
 * *img. On failure returns -UV_EINVAL and writes a one-line reason to msg.
 * The input is untrusted: every field is checked before it is used.
 */
int elf_check(const void *elf, uint64_t len, uint64_t image_min, uint64_t image_max,
	      struct elf_image *img, char *msg, size_t msglen);

#endif
