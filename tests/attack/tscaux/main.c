/* tests/attack/tscaux/main.c: RDTSCP and RDPID return the app's own index (its TSC_AUX, never the host's) where CPUID offers them, and raise #UD where it does not. */
#include "tests/attack/attack.h"
#include "tests/attack/guest_idt.h"

static volatile unsigned n_ud;

void guest_trap(struct gframe *f)
{
	if (f->vector == 6) { /* RDTSCP (0f 01 f9) / RDPID (f3 0f c7 f8-ff) not offered */
		n_ud++;
		f->rip += *(volatile uint8_t *)(uintptr_t)f->rip == 0xf3 ? 4 : 3;
		return;
	}
	guest_unexpected(f);
}

int main(void)
{
	guest_idt_install();
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000001), "c"(0));
	int has_rdtscp = (d >> 27) & 1;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	int has_rdpid = (c >> 22) & 1;
	uint32_t want = boot_info->app_index;
	const char *bad = "";
	for (int r = 0; r < 20 && !*bad; r++) {
		uint32_t lo, hi, aux = 0xdeadbeef;
		n_ud = 0;
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "+c"(aux));
		if (has_rdtscp ? aux != want : n_ud != 1)
			bad = has_rdtscp ? "RDTSCP returned a TSC_AUX that is not the app's own index" : "RDTSCP did not #UD";
		uint64_t id = 0xdeadbeef;
		n_ud = 0;
		__asm__ volatile(".byte 0xf3, 0x0f, 0xc7, 0xf8" : "+a"(id)); /* rdpid %rax */
		if (!*bad && (has_rdpid ? id != want : n_ud != 1))
			bad = has_rdpid ? "RDPID returned a TSC_AUX that is not the app's own index" : "RDPID did not #UD";
		yield_();
	}
	check(has_rdtscp ? "tscaux.rdtscp-rdpid-own-index" : "tscaux.rdtscp-refused", !*bad, bad);
	checks_done();
	return 0;
}
