/* tests/attack/read-outside/main.c: maps guest-physical memory beyond its RAM with its own page tables and reads it. */
#include "tests/attack/attack.h"
#include "tests/attack/own_tables.h"
int main(void)
{
	uint64_t target = 0x40000000ull; /* 1 GiB: far beyond its 4 MiB of RAM */
	own_tables_identity_4g();
	put_num("reading gpa", (int64_t)target, 1);
	volatile uint64_t v = *(volatile uint64_t *)(uintptr_t)target;
	put_num("ESCAPED: read", (int64_t)v, 1);
	return 0;
}
