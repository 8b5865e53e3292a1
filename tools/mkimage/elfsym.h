/* tools/mkimage/elfsym.h: reads the symbol table of an app ELF (untrusted): for the grant check and crash reports. */
#ifndef TOOLS_MKIMAGE_ELFSYM_H
#define TOOLS_MKIMAGE_ELFSYM_H

#include <stddef.h>
#include <stdint.h>

struct elf_sym_entry {
	uint64_t addr, size;
	unsigned type;    /* STT_* */
	const char *name; /* points into the ELF buffer, NUL-terminated */
};

/*
 * Lists the defined, named symbols of the ELF's SHT_SYMTAB in [elf, elf+len) into a
 * malloc'd array *out of *n entries. Returns 0, or -1 with a reason in why (no section
 * headers, no symbol table, anything out of bounds).
 */
int elf_symbols(const uint8_t *elf, size_t len, struct elf_sym_entry **out, size_t *n, char *why, size_t whylen);

#endif
