/* tests/attack/code_buf.h: writing instructions into its own RAM and running them (under own_tables.h's RWX 2 MiB pages). */
#ifndef TESTS_ATTACK_CODE_BUF_H
#define TESTS_ATTACK_CODE_BUF_H

#include <stdint.h>
#include "tests/attack/attack.h"

/* The vendor's hypercall instruction, 3 bytes. */
static inline void put_hc_insn(volatile uint8_t *p)
{
	p[0] = 0x0f;
	p[1] = 0x01;
	p[2] = boot_info->hc_insn == UV_HC_INSN_VMMCALL ? 0xd9 : 0xc1;
}

/* Calls code at addr with RAX = rax (and ECX = 0); returns RAX. */
static inline uint64_t call_code(uint64_t addr, uint64_t rax)
{
	uint64_t rcx = 0;
	__asm__ volatile("call *%2" : "+a"(rax), "+c"(rcx) : "r"(addr) : "rbx", "rdx", "memory", "cc");
	return rax;
}

#endif
