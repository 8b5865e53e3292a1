/* tests/attack/write-outside/main.c: maps the LAPIC's physical page with its own page tables and writes to it. */
#include "tests/attack/attack.h"
#include "tests/attack/own_tables.h"
int main(void)
{
	uint64_t target = 0xfee000b0ull; /* the host LAPIC's EOI register */
	own_tables_identity_4g();
	put_num("writing gpa", (int64_t)target, 1);
	*(volatile uint32_t *)(uintptr_t)target = 0;
	puts_("ESCAPED: wrote the LAPIC\n");
	return 0;
}
