/* tests/attack/hc-prefixed/main.c: hypercalls with segment-override and REX prefixes in front: each completes and execution goes on right after the whole instruction. */
#include "tests/attack/attack.h"
#include "tests/attack/own_tables.h"
#include "tests/attack/code_buf.h"

/* Writes prefixes, the hypercall and RET at p; calls it. */
static int64_t prefixed(volatile uint8_t *p, const uint8_t *pre, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = pre[i];
	put_hc_insn(p + n);
	p[n + 3] = 0xc3;
	return (int64_t)call_code((uint64_t)(uintptr_t)p, UV_HC_VERSION);
}

int main(void)
{
	own_tables_identity_4g();
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)((boot_info->heap_start + 0x1fff) & ~0xfffull);
	static const uint8_t cs_ds[] = { 0x2e, 0x3e }, es_fs_gs[] = { 0x26, 0x64, 0x65 }, rex[] = { 0x48 };
	static const uint8_t many[] = { 0x2e, 0x3e, 0x26, 0x64, 0x65, 0x2e, 0x3e, 0x26, 0x64, 0x65, 0x48 };
	check("hc-prefixed.cs-ds", prefixed(p, cs_ds, 2) == UV_ABI_VERSION, "not completed");
	check("hc-prefixed.es-fs-gs", prefixed(p, es_fs_gs, 3) == UV_ABI_VERSION, "not completed");
	check("hc-prefixed.rex", prefixed(p, rex, 1) == UV_ABI_VERSION, "not completed");
	check("hc-prefixed.eleven-prefixes", prefixed(p, many, 11) == UV_ABI_VERSION, "not completed");
	checks_done();
	return 0;
}
