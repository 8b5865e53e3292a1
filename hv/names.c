/* hv/names.c: names for reports both backends give in the same words: exit reasons, control- and debug-register accesses (pure). */
#include "hv/hv_backend.h"

/* Every exit reason's names, once. */
static const struct {
	const char *name, *short_name;
} reason_names[HV_EXIT_COUNT] = {
	[HV_EXIT_HYPERCALL] = { "hypercall", "hc" }, [HV_EXIT_MEMORY_ACCESS] = { "memory access", "mem" },
	[HV_EXIT_IO_PORT] = { "I/O port", "io" }, [HV_EXIT_MSR] = { "MSR", "msr" }, [HV_EXIT_CPUID] = { "CPUID", "cpuid" },
	[HV_EXIT_EXCEPTION] = { "exception", "exc" }, [HV_EXIT_HALT] = { "HLT", "hlt" },
	[HV_EXIT_INTERRUPT] = { "interrupt", "irq" },
	[HV_EXIT_UNRECOVERABLE] = { "triple fault", "shutdown" }, [HV_EXIT_INVALID_STATE] = { "invalid guest state", "invalid" },
	[HV_EXIT_UNSUPPORTED] = { "unsupported instruction", "unsupported" },
};

const char *hv_exit_reason_name(enum hv_exit_reason r)
{
	return (unsigned)r < HV_EXIT_COUNT && reason_names[r].name ? reason_names[r].name : "unknown";
}

const char *hv_exit_reason_short(enum hv_exit_reason r)
{
	return (unsigned)r < HV_EXIT_COUNT && reason_names[r].short_name ? reason_names[r].short_name : "unknown";
}

const char *hv_cr_write_name(unsigned cr)
{
	static const char *const names[16] = {
		"mov to CR0", "mov to CR1", "mov to CR2", "mov to CR3", "mov to CR4", "mov to CR5", "mov to CR6",
		"mov to CR7", "mov to CR8", "mov to CR9", "mov to CR10", "mov to CR11", "mov to CR12", "mov to CR13",
		"mov to CR14", "mov to CR15",
	};
	return cr < 16 ? names[cr] : "mov to a control register";
}

const char *hv_dr_access_name(bool write, unsigned dr)
{
	static const char *const names[2][8] = {
		{ "mov from DR0", "mov from DR1", "mov from DR2", "mov from DR3", "mov from DR4", "mov from DR5",
		  "mov from DR6", "mov from DR7" },
		{ "mov to DR0", "mov to DR1", "mov to DR2", "mov to DR3", "mov to DR4", "mov to DR5", "mov to DR6",
		  "mov to DR7" },
	};
	return dr < 8 ? names[write][dr] : write ? "mov to DR8-15" : "mov from DR8-15";
}
