/* tests/unit/elfgen.h: builds small static x86-64 ELFs in memory (valid by default, easy to break) for mkimage tests and fuzzers. */
#ifndef TESTS_UNIT_ELFGEN_H
#define TESTS_UNIT_ELFGEN_H

#include <stddef.h>
#include <stdint.h>

#define GEN_MAX_SEGS 12
#define GEN_MAX_SYMS 16

struct gen_seg {
	uint32_t type, flags;        /* PT_*, PF_* (R=4 W=2 X=1) */
	uint64_t vaddr, memsz, filesz;
};
struct gen_sym {
	const char *name;
	uint64_t value, size;
	unsigned type;               /* STT_FUNC = 2, STT_NOTYPE = 0 */
};
struct gen_elf {
	uint8_t cls, data;           /* ident[4], ident[5]: 2, 1 */
	uint16_t type, machine;      /* ET_EXEC, EM_X86_64 */
	uint64_t entry;
	unsigned n_segs, n_syms;
	struct gen_seg segs[GEN_MAX_SEGS];
	struct gen_sym syms[GEN_MAX_SYMS];
	int no_sections;             /* leave out section headers (a stripped ELF) */
};

/* The default: text RX [0x200000, +0x1000) with _start and main, data RW [0x201000, +0x2000) half bss. */
void gen_default(struct gen_elf *g);
void gen_add_sym(struct gen_elf *g, const char *name, uint64_t value, uint64_t size, unsigned type);
/* Lays the ELF out in a malloc'd buffer; returns its length. Segment i's file bytes sit at 0x1000 * (i + 1). */
size_t gen_build(const struct gen_elf *g, uint8_t **out);

/* Offsets of header fields, for byte-editing a built ELF. */
#define GEN_OFF_PHOFF 32
#define GEN_OFF_SHOFF 40
#define GEN_OFF_PHNUM 56
#define GEN_OFF_SHNUM 60
#define GEN_PHDR(i) (64 + 56 * (i))

#endif
