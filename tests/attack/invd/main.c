/* tests/attack/invd/main.c: INVD would drop dirty cache lines, the host's too: stopped. */
#include "tests/attack/attack.h"
int main(void)
{
	__asm__ volatile("invd" ::: "memory");
	puts_("ESCAPED: INVD ran\n");
	return 1;
}
