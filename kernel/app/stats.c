/* kernel/app/stats.c: the per-app console summary: state, restarts, hypercalls, denials, CPU time, console waits, exits by reason. */
#include "kernel/app/stats.h"
#include "kernel/console/console.h"
#include "kernel/dev/time.h"
#include "kernel/arch/trap.h"
#include "hv/hv.h"

void stats_print(const struct app *apps, unsigned n, const char *title)
{
	static const char *const short_names[16] = {
		[HV_EXIT_HYPERCALL] = "hc", [HV_EXIT_MEMORY_ACCESS] = "mem", [HV_EXIT_IO_PORT] = "io",
		[HV_EXIT_MSR] = "msr", [HV_EXIT_CPUID] = "cpuid", [HV_EXIT_EXCEPTION] = "exc",
		[HV_EXIT_HALT] = "hlt", [HV_EXIT_TIMESLICE] = "slice", [HV_EXIT_INTERRUPT] = "irq",
		[HV_EXIT_UNRECOVERABLE] = "shutdown", [HV_EXIT_INVALID_STATE] = "invalid",
		[HV_EXIT_UNSUPPORTED] = "unsupported", [HV_EXIT_CANCELED] = "canceled",
	};
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
		kprintf(" exits:");
		for (unsigned r = 0; r < 16; r++)
			if (a->stats.exits[r] && short_names[r])
				kprintf(" %s=%llu", short_names[r], (unsigned long long)a->stats.exits[r]);
		kprintf("\n");
	}
}

