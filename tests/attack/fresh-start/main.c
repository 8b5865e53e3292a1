/* tests/attack/fresh-start/main.c: started after other apps ran: its registers, FPU state, CR2 and RAM hold nothing of theirs. */
#include "tests/attack/attack.h"
#include "tests/attack/entry_state.h"

int main(void)
{
	const char *e = entry_state_clean();
	check("fresh-start.registers-at-start", !*e, e);
	e = ram_zero(boot_info->heap_start, boot_info->heap_end);
	check("fresh-start.ram-at-start", !*e, e);
	checks_done();
	return 0;
}
