/* kernel/arch/cpu.h: inline wrappers for the x86-64 instructions the kernel uses (port I/O, MSRs, CRs, DRs, CPUID); the facts they use are in x86.h. */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdint.h>
#include <stdbool.h>
#include "kernel/arch/x86.h"

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/* RDMSR/WRMSR that return -UV_EFAULT (-14) instead of faulting on #GP (an absent MSR):
 * trap_dispatch resumes at the fixup listed in .extable. */
static inline int rdmsr_safe(uint32_t msr, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;
	int err = 0;
	__asm__ volatile("1: rdmsr\n2:\n"
			 ".pushsection .extable, \"a\"\n.quad 1b, 3f\n.popsection\n"
			 ".pushsection .text.fixup, \"ax\"\n3: movl $-14, %2\njmp 2b\n.popsection"
			 : "+a"(lo), "+d"(hi), "+r"(err) : "c"(msr));
	*v = ((uint64_t)hi << 32) | lo;
	return err;
}
static inline int wrmsr_safe(uint32_t msr, uint64_t v)
{
	int err = 0;
	__asm__ volatile("1: wrmsr\n2:\n"
			 ".pushsection .extable, \"a\"\n.quad 1b, 3f\n.popsection\n"
			 ".pushsection .text.fixup, \"ax\"\n3: movl $-14, %0\njmp 2b\n.popsection"
			 : "+r"(err) : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
	return err;
}

/* Reads 8 bytes at addr, or returns -UV_EFAULT (-14) instead of faulting (#PF or #GP:
 * trap_dispatch resumes at the fixup). For reports that follow pointers they cannot trust. */
static inline int read_u64_safe(uint64_t addr, uint64_t *v)
{
	uint64_t x = 0;
	int err = 0;
	__asm__ volatile("1: movq (%2), %0\n2:\n"
			 ".pushsection .extable, \"a\"\n.quad 1b, 3f\n.popsection\n"
			 ".pushsection .text.fixup, \"ax\"\n3: movl $-14, %1\njmp 2b\n.popsection"
			 : "+r"(x), "+r"(err) : "r"(addr) : "memory");
	*v = x;
	return err;
}

static inline void cpuid2(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}
static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	cpuid2(leaf, 0, a, b, c, d);
}
/* Sub-leaf 0 of a basic or extended leaf if the CPU has it (leaf 0 or 0x80000000 gives the
 * highest): true with its values, else false with all four zero, so absent means no feature
 * (Intel answers a leaf above the highest with the highest basic one's values). */
static inline bool cpuid_leaf(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	cpuid(leaf & 0x80000000, a, b, c, d);
	bool have = *a >= leaf;
	if (have)
		cpuid(leaf, a, b, c, d);
	else
		*a = *b = *c = *d = 0;
	return have;
}

enum cpu_vendor { CPU_VENDOR_OTHER, CPU_VENDOR_INTEL, CPU_VENDOR_AMD };
/* CPUID leaf 0's vendor string: "GenuineIntel" or "AuthenticAMD" (in EBX, EDX, ECX). */
static inline enum cpu_vendor cpu_vendor(void)
{
	uint32_t a, b, c, d;
	cpuid(0, &a, &b, &c, &d);
	if (b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e)
		return CPU_VENDOR_INTEL;
	if (b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163)
		return CPU_VENDOR_AMD;
	return CPU_VENDOR_OTHER;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR(n)                                                                      \
	static inline uint64_t read_cr##n(void)                                           \
	{                                                                                 \
		uint64_t v;                                                               \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                         \
		return v;                                                                 \
	}                                                                                 \
	static inline void write_cr##n(uint64_t v) { __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline uint64_t read_xcr0(void)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}
static inline void write_xcr0(uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t read_rflags(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause"); }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

static inline void write_dr7(uint64_t v) { __asm__ volatile("mov %0, %%dr7" : : "r"(v)); }
static inline void write_dr6(uint64_t v) { __asm__ volatile("mov %0, %%dr6" : : "r"(v)); }
static inline uint64_t read_dr6(void)
{
	uint64_t v;
	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}
/* The kernel's own debug state: no breakpoint anywhere, nothing recorded. */
static inline void debug_regs_reset(void)
{
	write_dr7(DR7_RESET);
	__asm__ volatile("mov %0, %%dr0\n\tmov %0, %%dr1\n\tmov %0, %%dr2\n\tmov %0, %%dr3" : : "r"(0ull));
	write_dr6(DR6_RESET);
}

#endif
