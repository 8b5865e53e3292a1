/* tools/mkimage/elf.c: mkimage's ELF checker: a static x86-64 executable whose loadable segments fit the app's image area. */
#include "tools/mkimage/elf.h"
#include "tools/mkimage/elf64.h"
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"
#include "kernel/arch/x86.h"
#include "include/abi/uv_errno.h"

#define FAIL(...)                                       \
	do {                                            \
		ksnprintf(msg, msglen, __VA_ARGS__);    \
		return -UV_EINVAL;                      \
	} while (0)

int elf_check(const void *elf, uint64_t len, uint64_t image_min, uint64_t image_max,
	      struct elf_image *img, char *msg, size_t msglen)
{
	struct elf64_ehdr eh;
	memset(img, 0, sizeof(*img));
	if (len < sizeof(eh))
		FAIL("not an ELF file (%llu bytes, shorter than an ELF header)", (unsigned long long)len);
	memcpy(&eh, elf, sizeof(eh));
	if (memcmp(eh.ident, "\177ELF", 4))
		FAIL("not an ELF file (bad magic)");
	if (eh.ident[4] != 2 || eh.ident[5] != 1)
		FAIL("not a 64-bit little-endian ELF");
	if (eh.machine != EM_X86_64)
		FAIL("ELF machine is %u, not x86-64", eh.machine);
	if (eh.type != ET_EXEC)
		FAIL("ELF type %u is not a static executable (ET_EXEC); PIE and shared objects are refused", eh.type);
	if (eh.phentsize != sizeof(struct elf64_phdr))
		FAIL("ELF program header size %u, expected %zu", eh.phentsize, sizeof(struct elf64_phdr));
	if (eh.phnum == 0 || eh.phnum > 64)
		FAIL("ELF has %u program headers", eh.phnum);
	if (eh.phoff > len || (uint64_t)eh.phnum * sizeof(struct elf64_phdr) > len - eh.phoff)
		FAIL("ELF program headers lie outside the file");

	int entry_ok = 0;
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		memcpy(&ph, (const uint8_t *)elf + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_DYNAMIC || ph.type == PT_INTERP)
			FAIL("ELF is dynamically linked (has %s); link it -static", ph.type == PT_INTERP ? "PT_INTERP" : "PT_DYNAMIC");
		if (ph.type == PT_TLS)
			FAIL("ELF uses thread-local storage (PT_TLS), which apps cannot have");
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (img->n_segments == ELF_MAX_SEGMENTS)
			FAIL("ELF has more than %d loadable segments", ELF_MAX_SEGMENTS);
		if (ph.filesz > ph.memsz)
			FAIL("segment %u: file size %#llx exceeds memory size %#llx", i, (unsigned long long)ph.filesz,
			     (unsigned long long)ph.memsz);
		if (ph.offset > len || ph.filesz > len - ph.offset)
			FAIL("segment %u: file bytes [%#llx, +%#llx) lie outside the file (%llu bytes)", i,
			     (unsigned long long)ph.offset, (unsigned long long)ph.filesz, (unsigned long long)len);
		if (ph.vaddr + ph.memsz < ph.vaddr || ph.vaddr + ph.memsz > UINT64_MAX - PAGE_SIZE)
			FAIL("segment %u: address range wraps around", i);
		uint64_t start = page_round_down(ph.vaddr);
		uint64_t end = page_round_up(ph.vaddr + ph.memsz);
		if (start < image_min || end > image_max)
			FAIL("segment %u: [%#llx, %#llx) lies outside the app's image area [%#llx, %#llx)", i,
			     (unsigned long long)ph.vaddr, (unsigned long long)(ph.vaddr + ph.memsz),
			     (unsigned long long)image_min, (unsigned long long)image_max);
		for (unsigned k = 0; k < img->n_segments; k++) {
			const struct elf_segment *o = &img->seg[k];
			if (start < o->vaddr + o->memsz && o->vaddr < end)
				FAIL("segment %u: [%#llx, %#llx) overlaps another segment's pages [%#llx, %#llx)", i,
				     (unsigned long long)start, (unsigned long long)end, (unsigned long long)o->vaddr,
				     (unsigned long long)(o->vaddr + o->memsz));
		}
		struct elf_segment *s = &img->seg[img->n_segments++];
		s->vaddr = start;
		s->memsz = end - start;
		s->offset = ph.offset;
		s->filesz = ph.filesz;
		s->skip = ph.vaddr - start;
		s->flags = ph.flags & (ELF_SEG_R | ELF_SEG_W | ELF_SEG_X);
		if ((s->flags & ELF_SEG_X) && eh.entry >= ph.vaddr && eh.entry < ph.vaddr + ph.memsz)
			entry_ok = 1;
		if (img->n_segments == 1 || start < img->lowest)
			img->lowest = start;
		if (end > img->highest)
			img->highest = end;
	}
	if (img->n_segments == 0)
		FAIL("ELF has no loadable segments");
	if (!entry_ok)
		FAIL("entry point %#llx is not inside an executable segment", (unsigned long long)eh.entry);
	img->entry = eh.entry;
	return 0;
}
