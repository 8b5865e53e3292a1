/* tools/mkimage/elfsym.c: symbol tables and trimming of app ELFs, every offset bounds-checked (the ELF is untrusted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tools/mkimage/elfsym.h"
#include "tools/mkimage/elf64.h"

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

/* Whether [off, off+size) lies in [0, len). */
static int inside(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

int elf_symbols(const uint8_t *elf, size_t len, struct elf_sym_entry **out, size_t *n, char *why, size_t whylen)
{
	struct elf64_ehdr eh;
	struct elf64_shdr sym, str;
	*out = NULL;
	*n = 0;
	if (len < sizeof(eh))
		return WHY("shorter than an ELF header");
	memcpy(&eh, elf, sizeof(eh));
	if (eh.shoff == 0 || eh.shnum == 0)
		return WHY("has no section headers, so no symbol table (do not strip app ELFs)");
	if (eh.shentsize != sizeof(struct elf64_shdr) || !inside(eh.shoff, (uint64_t)eh.shnum * sizeof(sym), len))
		return WHY("section headers lie outside the file or have size %u", eh.shentsize);
	unsigned i = 0;
	for (; i < eh.shnum; i++) {
		memcpy(&sym, elf + eh.shoff + (uint64_t)i * sizeof(sym), sizeof(sym));
		if (sym.type == SHT_SYMTAB)
			break;
	}
	if (i == eh.shnum)
		return WHY("has no symbol table (do not strip app ELFs)");
	if (sym.entsize != sizeof(struct elf64_sym) || sym.size % sizeof(struct elf64_sym) ||
	    !inside(sym.offset, sym.size, len))
		return WHY("symbol table [%#llx, +%#llx) lies outside the file or has entries of %llu bytes",
			   (unsigned long long)sym.offset, (unsigned long long)sym.size, (unsigned long long)sym.entsize);
	if (sym.link >= eh.shnum)
		return WHY("symbol table's string table index %u is out of range", sym.link);
	memcpy(&str, elf + eh.shoff + (uint64_t)sym.link * sizeof(str), sizeof(str));
	if (!inside(str.offset, str.size, len))
		return WHY("symbol string table lies outside the file");
	const char *strtab = (const char *)elf + str.offset;
	size_t count = sym.size / sizeof(struct elf64_sym);
	struct elf_sym_entry *v = calloc(count ? count : 1, sizeof(*v));
	if (!v)
		return WHY("out of memory");
	size_t k = 0;
	for (size_t j = 0; j < count; j++) {
		struct elf64_sym s;
		memcpy(&s, elf + sym.offset + j * sizeof(s), sizeof(s));
		if (s.shndx == SHN_UNDEF || s.name == 0)
			continue;
		if (s.name >= str.size || !memchr(strtab + s.name, 0, str.size - s.name)) {
			free(v);
			return WHY("symbol %zu: name offset %u is outside the string table", j, s.name);
		}
		v[k++] = (struct elf_sym_entry){ s.value, s.size, ELF64_ST_TYPE(s.info), strtab + s.name };
	}
	*out = v;
	*n = k;
	return 0;
}
