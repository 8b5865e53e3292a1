/* tests/attack/hc-smc/main.c: runs a hypercall at one address until the kernel knows it, then rewrites those bytes into CPUID; ret; ud2: completing it as the old 3-byte instruction would land on the UD2. Once inside a page, once in its last 5 bytes (SVM without nRIP compares the 8 bytes that end the page there). */
#include "tests/attack/attack.h"
#include "tests/attack/own_tables.h"
#include "tests/attack/code_buf.h"

/* The three checks at p, named hc-smc.<where>.hypercall-repeats, .rewritten-bytes-decoded-again, .and-back. */
#define SMC_AT(p, where) \
	smc_at((p), "hc-smc." where ".hypercall-repeats", "hc-smc." where ".rewritten-bytes-decoded-again", \
	       "hc-smc." where ".and-back")
static void smc_at(volatile uint8_t *p, const char *repeats, const char *again, const char *back)
{
	put_hc_insn(p);
	p[3] = 0xc3;
	int ok = 1;
	for (int i = 0; i < 5; i++)
		ok &= call_code((uint64_t)(uintptr_t)p, UV_HC_VERSION) == UV_ABI_VERSION;
	check(repeats, ok, "the repeated hypercall failed");
	p[0] = 0x0f; /* cpuid (2 bytes) */
	p[1] = 0xa2;
	p[2] = 0xc3; /* ret */
	p[3] = 0x0f; /* ud2: where a stale 3-byte completion would land */
	p[4] = 0x0b;
	uint64_t max = call_code((uint64_t)(uintptr_t)p, 0);
	check(again, max >= 1 && max < 0x100, "CPUID at the old hypercall address misbehaved");
	/* And back: the hypercall again at the same place. */
	put_hc_insn(p);
	p[3] = 0xc3;
	check(back, call_code((uint64_t)(uintptr_t)p, UV_HC_VERSION) == UV_ABI_VERSION, "the hypercall after CPUID failed");
}

int main(void)
{
	own_tables_identity_4g();
	uint64_t page = (boot_info->heap_start + 0x1fff) & ~0xfffull;
	SMC_AT((volatile uint8_t *)(uintptr_t)page, "in-page");
	SMC_AT((volatile uint8_t *)(uintptr_t)(page + 0x2000 - 5), "page-end");
	checks_done();
	return 0;
}
