/* tools/mkimage/elf64.h: the ELF-64 file format structures and constants the ELF checker and mkimage read. */
#ifndef MKIMAGE_ELF64_H
#define MKIMAGE_ELF64_H

#include <stdint.h>

/* ELF-64 Object File Format, version 1.5 (and the System V gABI): the fields we read. */
struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
struct elf64_shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};
struct elf64_sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF header layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "program header layout");
_Static_assert(sizeof(struct elf64_shdr) == 64, "section header layout");
_Static_assert(sizeof(struct elf64_sym) == 24, "symbol layout");

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_TLS 7
#define SHT_SYMTAB 2
#define SHN_UNDEF 0
#define SHN_LORESERVE 0xff00
#define STT_FUNC 2
#define ELF64_ST_TYPE(info) ((info) & 0xf)

#endif
