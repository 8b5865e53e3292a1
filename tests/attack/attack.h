/* tests/attack/attack.h: the bare runtime of the hostile test apps: entry, hypercalls, printing (no libc). */
#ifndef TESTS_ATTACK_ATTACK_H
#define TESTS_ATTACK_ATTACK_H

#include <stdint.h>
#include "include/abi/uv_abi.h"
#include "tests/apps/yield_asm.h"

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

/* Writes v at b as signed decimal or 0x hex (no terminator); returns its length (at most 20). */
static inline uint64_t fmt_num(char *b, int64_t v, int hex)
{
	uint64_t i = 0, u = (v < 0 && !hex) ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char d[24];
	int n = 0;
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
	return i;
}

/* Prints "<label>=<signed decimal or 0x hex>\n" in one console_write. */
static inline void put_num(const char *label, int64_t v, int hex)
{
	char b[96];
	uint64_t i = 0;
	while (*label && i < 60)
		b[i++] = *label++;
	b[i++] = '=';
	i += fmt_num(b + i, v, hex);
	b[i++] = '\n';
	hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)b, i, 0);
}

/* A check's verdict, one line the boot test relays: "check NAME ok" or "check NAME FAIL: why". */
static unsigned checks_run;
static inline void check(const char *name, int ok, const char *why)
{
	char b[160];
	uint64_t i = 0;
	for (const char *p = "check "; *p; p++)
		b[i++] = *p;
	while (*name && i < 80)
		b[i++] = *name++;
	for (const char *p = ok ? " ok\n" : " FAIL: "; *p; p++)
		b[i++] = *p;
	if (!ok) {
		while (*why && i < 157)
			b[i++] = *why++;
		b[i++] = '\n';
	}
	hc(UV_HC_CONSOLE_WRITE, (uint64_t)(uintptr_t)b, i, 0);
	checks_run++;
}
/* A check that got == want; its failure says both ("got -7, expected -14"), decimal or hex. */
static inline void check_eq(const char *name, int64_t got, int64_t want, int hex)
{
	char why[64];
	uint64_t i = 0;
	for (const char *p = "got "; *p; p++)
		why[i++] = *p;
	i += fmt_num(why + i, got, hex);
	for (const char *p = ", expected "; *p; p++)
		why[i++] = *p;
	i += fmt_num(why + i, want, hex);
	why[i] = 0;
	check(name, got == want, why);
}
/* The last line: how many checks ran (the boot test compares). */
static inline void checks_done(void) { put_num("checks done", checks_run, 0); }

static inline uint64_t xgetbv0(void)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static inline void xsetbv0_(uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/* The app's own clock from its TSC (the boot-info page's scale), in ns; no exit. */
static inline uint64_t now_ns(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	uint64_t t = ((uint64_t)hi << 32) | lo;
	return (uint64_t)(((unsigned __int128)t * boot_info->tsc_to_ns_mul) >> boot_info->tsc_to_ns_shift);
}

/* yield(0): give up the CPU, stay runnable (the other apps run). */
static inline void yield_(void) { hc(UV_HC_YIELD, 0, 0, 0); }

__attribute__((noreturn)) static inline void exit_(int64_t status)
{
	hc(UV_HC_EXIT, (uint64_t)status, 0, 0);
	for (;;)
		;
}

/* yield(0) from inside an asm block: see tests/apps/yield_asm.h. */
#define YIELD0_ASM UV_YIELD_ASM("xorl %%edi, %%edi\n\t")

int main(void);

/* The kernel enters with RDI = the boot-info page and RSP = the top of the stack. */
__attribute__((used, section(".text.start"))) void _start_c(const struct uv_boot_info *bi)
{
	boot_info = bi;
	exit_(main());
}
/* The general registers as the kernel started the app (order: rax rbx rcx rdx rsi rdi rbp
 * r8-r15 rsp), saved before any code of the app changes them. */
static uint64_t entry_regs[16] __attribute__((used));
__asm__(".section .text.start\n.globl _start\n_start:\n"
	" movq %rax, entry_regs+0(%rip)\n movq %rbx, entry_regs+8(%rip)\n movq %rcx, entry_regs+16(%rip)\n"
	" movq %rdx, entry_regs+24(%rip)\n movq %rsi, entry_regs+32(%rip)\n movq %rdi, entry_regs+40(%rip)\n"
	" movq %rbp, entry_regs+48(%rip)\n movq %r8, entry_regs+56(%rip)\n movq %r9, entry_regs+64(%rip)\n"
	" movq %r10, entry_regs+72(%rip)\n movq %r11, entry_regs+80(%rip)\n movq %r12, entry_regs+88(%rip)\n"
	" movq %r13, entry_regs+96(%rip)\n movq %r14, entry_regs+104(%rip)\n movq %r15, entry_regs+112(%rip)\n"
	" movq %rsp, entry_regs+120(%rip)\n"
	" andq $-16, %rsp\n call _start_c\n ud2\n.previous");

#endif
