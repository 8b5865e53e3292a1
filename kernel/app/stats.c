/* kernel/app/stats.c: the per-app console summary: state, restarts, hypercalls, denials, CPU time, console waits, hand-offs, exits by reason. */
#include "kernel/app/stats.h"
#include "kernel/console/console.h"
#include "kernel/dev/time.h"
#include "kernel/arch/trap.h"
#include "hv/hv.h"
#include "kernel/net/net.h"
#include "kernel/chan/chan.h"

void stats_print(const struct app *apps, unsigned n, const char *title)
{
	uint64_t hz = time_tsc_hz() ? time_tsc_hz() : 1;
	kprintf("%s: %u apps\n", title, n);
	if (trap_host_nmis())
		kprintf("  host NMIs: %llu\n", (unsigned long long)trap_host_nmis());
	for (unsigned i = 0; i < n; i++) {
		const struct app *a = &apps[i];
		const char *state = a->state == APP_DONE ? (a->failed ? "stopped" : "exited ") :
				    a->state == APP_BLOCKED ? "waiting" : a->state == APP_RESTART_WAIT ? "backoff" :
				    a->state == APP_NEW ? "new    " : "running";
		kprintf("  %-16s %s status=%lld restarts=%u hypercalls=%llu denied=%llu cpu=%llums", a->name,
			state, (long long)a->exit_status, a->restarts,
			(unsigned long long)a->stats.hypercalls, (unsigned long long)a->stats.denied,
			(unsigned long long)(a->stats.cpu_tsc * 1000 / hz));
		if (a->stats.console_waits)
			kprintf(" console-waits=%llu/%llums", (unsigned long long)a->stats.console_waits,
				(unsigned long long)(a->stats.console_wait_ns / 1000000));
		if (a->stats.handoffs)
			kprintf(" handoffs=%llu", (unsigned long long)a->stats.handoffs);
		kprintf(" exits:");
		for (unsigned r = 0; r < HV_EXIT_COUNT; r++) {
			/* Hypercalls completed inside hv_vcpu_run never reach the run loop's count. */
			uint64_t n = r == HV_EXIT_HYPERCALL ? a->stats.hypercalls : a->stats.exits[r];
			if (n)
				kprintf(" %s=%llu", hv_exit_reason_short((enum hv_exit_reason)r), (unsigned long long)n);
		}
		kprintf("\n");
	}
	net_print();
	chan_print();
}

