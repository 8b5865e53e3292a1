/* tests/attack/regs-spy/main.c: between yields, reads CR2 and its FS/GS/KERNEL_GS_BASE (through markers in its own RAM): always its own (zero bases), never regs-victim's secrets. */
#include "tests/attack/attack.h"
#include "tests/attack/regs_secret.h"

#define ROUNDS 40
#define OWN 0x4e574f5950534f4eull    /* read through a zero base at PROBE */
#define LEAK 0x44454b41454c2121ull   /* read through a leaked base */

static void mark(uint64_t addr, uint64_t v) { *(volatile uint64_t *)(uintptr_t)addr = v; }

int main(void)
{
	mark(PROBE, OWN);
	mark(SECRET_FS + PROBE, LEAK);
	mark(SECRET_GS + PROBE, LEAK);
	mark(SECRET_KGS + PROBE, LEAK);
	check("regs-spy.starts-clean", read_cr2() == 0 && read_fs_probe() == OWN && read_gs_probe() == OWN &&
	      read_kgs_probe() == OWN, "CR2 or a segment base did not start at zero");
	const char *bad = "";
	for (int r = 0; r < ROUNDS && !*bad; r++) {
		yield_();
		if (read_cr2() == SECRET_CR2)
			bad = "it read regs-victim's CR2";
		else if (read_cr2() != 0)
			bad = "CR2 is not its own (zero)";
		else if (read_fs_probe() != OWN)
			bad = "its FS base is not its own";
		else if (read_gs_probe() != OWN)
			bad = "its GS base is not its own";
		else if (read_kgs_probe() != OWN)
			bad = "its KERNEL_GS_BASE is not its own";
	}
	check("regs-spy.never-sees-the-victims", !*bad, bad);
	checks_done();
	return 0;
}
