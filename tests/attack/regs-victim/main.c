/* tests/attack/regs-victim/main.c: plants secrets in CR2 (a #PF it handles), FS/GS base and KERNEL_GS_BASE, yields many times and checks they are still its own. */
#include "tests/attack/attack.h"
#include "tests/attack/guest_idt.h"
#include "tests/attack/regs_secret.h"

#define ROUNDS 40
static volatile uint64_t pf_addr;

void guest_trap(struct gframe *f)
{
	if (f->vector == 14) { /* the planted #PF: step over the 3-byte load */
		pf_addr = read_cr2();
		f->rip += 3;
		return;
	}
	guest_unexpected(f);
}

static void mark(uint64_t addr, uint64_t v) { *(volatile uint64_t *)(uintptr_t)addr = v; }

int main(void)
{
	guest_idt_install();
	/* What each base reads at base + PROBE: a marker of its own. */
	mark(SECRET_FS + PROBE, 0x5346564943544956ull);  /* "VICTVCFS" */
	mark(SECRET_GS + PROBE, 0x5347564943544956ull);
	mark(SECRET_KGS + PROBE, 0x474b564943544956ull);
	uint64_t v;
	__asm__ volatile("movq (%1), %0" : "=r"(v) : "b"(SECRET_CR2) : "memory"); /* 48 8b 03: #PF */
	(void)v;
	own_gdt_load(SECRET_FS, SECRET_KGS);
	/* The selector loads read own_gdt: "memory", so the compiler keeps both stores to it. */
	__asm__ volatile("movw %0, %%fs\n\tmovw %1, %%gs\n\tswapgs" : : "r"((uint16_t)SEL_FS), "r"((uint16_t)SEL_GS) : "memory");
	own_gdt[6] = data_desc(SECRET_GS);
	__asm__ volatile("movw %0, %%gs" : : "r"((uint16_t)SEL_GS) : "memory"); /* GS = SECRET_GS, KERNEL_GS_BASE = SECRET_KGS */
	check("regs-victim.planted", pf_addr == SECRET_CR2 && read_fs_probe() == 0x5346564943544956ull &&
	      read_gs_probe() == 0x5347564943544956ull && read_kgs_probe() == 0x474b564943544956ull,
	      "the secrets did not take");
	const char *bad = "";
	for (int r = 0; r < ROUNDS && !*bad; r++) {
		yield_();
		if (read_cr2() != SECRET_CR2)
			bad = "CR2 changed across a yield";
		else if (read_fs_probe() != 0x5346564943544956ull)
			bad = "FS base changed across a yield";
		else if (read_gs_probe() != 0x5347564943544956ull)
			bad = "GS base changed across a yield";
		else if (read_kgs_probe() != 0x474b564943544956ull)
			bad = "KERNEL_GS_BASE changed across a yield";
	}
	check("regs-victim.kept-across-yields", !*bad, bad);
	checks_done();
	return 0;
}
