/* tests/attack/attack.h: the bare runtime of the hostile test apps: entry, hypercalls, printing (no libc). */
#ifndef TESTS_ATTACK_ATTACK_H
#define TESTS_ATTACK_ATTACK_H

#include <stdint.h>
#include "include/abi/uv_abi.h"

static const struct uv_boot_info *boot_info;

/* A hypercall with the instruction the boot-info page names. */
static inline int64_t hc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	int64_t r;
	if (boot_info->hc_insn == UV_HC_INSN_VMMCALL)
		__asm__ volatile("vmmcall" : "=a"(r) : "a"(nr), "D"(a0), "S"(a1), "d"(a2) : "memory");
	else
		__asm__ volatile("vmcall" : "=a"(r) : "a"(nr), "D"(a0), "S"(a1), "d"(a2) : "memory");
	return r;
}

static inline uint64_t slen(const char *s)
{
	uint64_t n = 0;
	while (s[n])
		n++;
	return n;
}

static inline void puts_(const char *s) { hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)s, slen(s), 0); }

/* Prints "<label>=<signed decimal or 0x hex>\n" in one console_write. */
static inline void put_num(const char *label, int64_t v, int hex)
{
	char b[96];
	uint64_t i = 0, u = (v < 0 && !hex) ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char d[24];
	int n = 0;
	while (*label && i < 60)
		b[i++] = *label++;
	b[i++] = '=';
	if (v < 0 && !hex)
		b[i++] = '-';
	if (hex) {
		b[i++] = '0';
		b[i++] = 'x';
	}
	do {
		d[n++] = "0123456789abcdef"[u % (hex ? 16 : 10)];
		u /= hex ? 16 : 10;
	} while (u);
	while (n)
		b[i++] = d[--n];
	b[i++] = '\n';
	hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)b, i, 0);
}

__attribute__((noreturn)) static inline void exit_(int64_t status)
{
	hc(UV_HC_EXIT, (uint64_t)status, 0, 0);
	for (;;)
		;
}

int main(void);

/* The kernel enters with RDI = the boot-info page and RSP = the top of the stack. */
__attribute__((used, section(".text.start"))) void _start_c(const struct uv_boot_info *bi)
{
	boot_info = bi;
	exit_(main());
}
__asm__(".section .text.start\n.globl _start\n_start:\n andq $-16, %rsp\n call _start_c\n ud2\n.previous");

#endif
