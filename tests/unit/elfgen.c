/* tests/unit/elfgen.c: an in-memory ELF builder for tests: program headers, segment bytes, .symtab and .strtab. */
#include <stdlib.h>
#include <string.h>
#include "tests/unit/elfgen.h"
#include "tools/mkimage/elf64.h"

void gen_default(struct gen_elf *g)
{
	memset(g, 0, sizeof(*g));
	g->cls = 2;
	g->data = 1;
	g->type = ET_EXEC;
	g->machine = EM_X86_64;
	g->entry = 0x200000;
	g->n_segs = 2;
	g->segs[0] = (struct gen_seg){ PT_LOAD, 5, 0x200000, 0x1000, 0x1000 };
	g->segs[1] = (struct gen_seg){ PT_LOAD, 6, 0x201000, 0x2000, 0x1000 };
	gen_add_sym(g, "_start", 0x200000, 0x10, STT_FUNC);
	gen_add_sym(g, "main", 0x200010, 0x20, STT_FUNC);
}

void gen_add_sym(struct gen_elf *g, const char *name, uint64_t value, uint64_t size, unsigned type)
{
	if (g->n_syms < GEN_MAX_SYMS)
		g->syms[g->n_syms++] = (struct gen_sym){ name, value, size, type };
}

size_t gen_build(const struct gen_elf *g, uint8_t **out)
{
	uint64_t data_end = 0x1000;
	for (unsigned i = 0; i < g->n_segs; i++)
		if (0x1000 * (i + 1) + g->segs[i].filesz > data_end)
			data_end = 0x1000 * (i + 1) + g->segs[i].filesz;
	/* .strtab, then .symtab (8-aligned), then three section headers. */
	size_t strsz = 1;
	for (unsigned i = 0; i < g->n_syms; i++)
		strsz += strlen(g->syms[i].name) + 1;
	uint64_t str_off = data_end, sym_off = (str_off + strsz + 7) & ~7ull;
	uint64_t symsz = (g->n_syms + 1) * sizeof(struct elf64_sym);
	uint64_t sh_off = sym_off + symsz;
	size_t len = g->no_sections ? data_end : sh_off + 3 * sizeof(struct elf64_shdr);
	uint8_t *b = calloc(1, len);

	struct elf64_ehdr eh = { .type = g->type, .machine = g->machine, .version = 1, .entry = g->entry,
				 .phoff = 64, .ehsize = 64, .phentsize = 56, .phnum = (uint16_t)g->n_segs };
	memcpy(eh.ident, "\177ELF", 4);
	eh.ident[4] = g->cls;
	eh.ident[5] = g->data;
	eh.ident[6] = 1;
	if (!g->no_sections) {
		eh.shoff = sh_off;
		eh.shentsize = 64;
		eh.shnum = 3;
	}
	memcpy(b, &eh, sizeof(eh));
	for (unsigned i = 0; i < g->n_segs; i++) {
		const struct gen_seg *s = &g->segs[i];
		struct elf64_phdr ph = { s->type, s->flags, 0x1000 * (i + 1), s->vaddr, s->vaddr, s->filesz, s->memsz, 0x1000 };
		memcpy(b + 64 + 56 * i, &ph, sizeof(ph));
		if (s->filesz && 0x1000 * (i + 1) + s->filesz <= len)
			memset(b + 0x1000 * (i + 1), 0x90, s->filesz);
	}
	if (g->no_sections) {
		*out = b;
		return len;
	}
	size_t so = 1;
	for (unsigned i = 0; i < g->n_syms; i++) {
		const struct gen_sym *s = &g->syms[i];
		struct elf64_sym e = { (uint32_t)so, (uint8_t)(0x10 | s->type), 0, 1, s->value, s->size };
		memcpy(b + sym_off + (i + 1) * sizeof(e), &e, sizeof(e));
		strcpy((char *)b + str_off + so, s->name);
		so += strlen(s->name) + 1;
	}
	struct elf64_shdr sh[3] = {
		{ 0 },
		{ .type = SHT_SYMTAB, .offset = sym_off, .size = symsz, .link = 2, .info = 1, .addralign = 8, .entsize = 24 },
		{ .type = 3 /* SHT_STRTAB */, .offset = str_off, .size = strsz, .addralign = 1 },
	};
	memcpy(b + sh_off, sh, sizeof(sh));
	*out = b;
	return len;
}
