/* tests/attack/db-storm/main.c: a #DB handler that sets TF again on every return: 20,000 traps in a row, each one seen by the kernel (#DB always exits), while the other apps keep their time. */
#include "tests/attack/attack.h"
#include "tests/attack/guest_idt.h"

#define TRAPS 20000
static volatile uint64_t n_db;

void guest_trap(struct gframe *f)
{
	if (f->vector != 1) {
		put_num("unexpected exception", (int64_t)f->vector, 0);
		exit_(3);
	}
	if (++n_db < TRAPS)
		f->rflags |= GUEST_RFLAGS_TF; /* again and again */
	else
		f->rflags &= ~GUEST_RFLAGS_TF;
}

int main(void)
{
	guest_idt_install();
	volatile uint64_t spins = 0;
	__asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq" ::: "memory", "cc");
	while (n_db < TRAPS)
		spins++;
	check("db-storm.all-traps-delivered", n_db == TRAPS, "the trap count is off");
	check("db-storm.made-progress", spins > 0, "its loop never ran");
	checks_done();
	return 0;
}
