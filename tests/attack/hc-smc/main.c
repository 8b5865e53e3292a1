/* tests/attack/hc-smc/main.c: runs a hypercall at one address until the kernel knows it, then rewrites those bytes into CPUID; ret; ud2: completing it as the old 3-byte instruction would land on the UD2. */
#include "tests/attack/attack.h"
#include "tests/attack/own_tables.h"
#include "tests/attack/code_buf.h"

int main(void)
{
	own_tables_identity_4g();
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)((boot_info->heap_start + 0x1fff) & ~0xfffull);
	put_hc_insn(p);
	p[3] = 0xc3;
	int ok = 1;
	for (int i = 0; i < 5; i++)
		ok &= call_code((uint64_t)(uintptr_t)p, UV_HC_VERSION) == UV_ABI_VERSION;
	check("hc-smc.hypercall-repeats", ok, "the repeated hypercall failed");
	p[0] = 0x0f; /* cpuid (2 bytes) */
	p[1] = 0xa2;
	p[2] = 0xc3; /* ret */
	p[3] = 0x0f; /* ud2: where a stale 3-byte completion would land */
	p[4] = 0x0b;
	uint64_t max = call_code((uint64_t)(uintptr_t)p, 0);
	check("hc-smc.rewritten-bytes-decoded-again", max >= 1 && max < 0x100, "CPUID at the old hypercall address misbehaved");
	/* And back: the hypercall again at the same place. */
	put_hc_insn(p);
	p[3] = 0xc3;
	check("hc-smc.and-back", call_code((uint64_t)(uintptr_t)p, UV_HC_VERSION) == UV_ABI_VERSION, "the hypercall after CPUID failed");
	checks_done();
	return 0;
}
