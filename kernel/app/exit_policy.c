/* kernel/app/exit_policy.c: the exit policy: what the kernel does with each exit of an app, in one switch. */
#include "kernel/app/exit_policy.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/app/cpuid.h"
#include "kernel/hc/hypercall.h"
#include "kernel/arch/mce.h"
#include "kernel/app/report.h"

/* Exceptions the kernel intercepts even for an app that handles its own (hv.c: #DB, #AC
 * so that no delivery can loop unseen) are passed on to it; so are the ones the backend
 * raises itself (a refused XSETBV's #GP, a single-step trap after a completed hypercall). */
static bool reflect(const struct app *a, const struct hv_exception *x)
{
	if (!(a->rec->flags & UV_APP_GUEST_EXCEPTIONS))
		return false;
	return x->vector == EXC_DB || x->vector == EXC_AC || x->why;
}

static enum exit_action exception(struct app *a, struct hv_exit *e)
{
	const struct hv_exception *x = &e->exception;
	if (x->vector == EXC_MC && !x->why) {
		/* The host's machine-check handling; the app that ran is stopped either way. */
		if (mce_handle(true) == MCE_STOP_ALL)
			panic("machine check with the processor context corrupt");
		report_stop(a, e);
		return EXIT_ENDED;
	}
	if (reflect(a, x) && hv_vcpu_inject(a->vcpu, x->vector, x->has_error_code, x->error_code) == 0)
		return EXIT_RESUME;
	report_stop(a, e);
	return EXIT_ENDED;
}

/* What a hypercall's result means for the app's slice. */
static enum exit_action hypercall(struct app *a, struct hv_exit *e)
{
	/* Run already by the vCPU's handler (hypercall_exit) when it left its action. */
	enum hc_action act = e->hypercall.handled ? (enum hc_action)e->hypercall.handled
						  : hypercall_dispatch(a, e->hypercall.nr, e->hypercall.arg);
	switch (act) {
	case HC_CONTINUE: return EXIT_RESUME;
	case HC_YIELD: return EXIT_SLICE_END;
	case HC_BLOCK: a->state = APP_BLOCKED; return EXIT_SLICE_END;
	case HC_EXIT: app_finish(a, a->exit_status, false); return EXIT_ENDED;
	}
	report_stop(a, e);
	return EXIT_ENDED;
}

/* Every other exit, in one switch. */
static __attribute__((noinline)) enum exit_action other(struct app *a, struct hv_exit *e)
{
	switch (e->reason) {
	case HV_EXIT_HYPERCALL:
		return hypercall(a, e);
	case HV_EXIT_CPUID: {
		uint32_t out[4];
		const struct hv_caps *caps = hv_caps();
		const struct cpuid_guest g = { .xcr0_allowed = caps->xcr0_supported, .xcr0 = e->cpuid.xcr0,
					       .rdtscp = caps->rdtscp };
		cpuid_emulate(e->cpuid.leaf, e->cpuid.subleaf, &g, out);
		hv_vcpu_set_cpuid_result(a->vcpu, out[0], out[1], out[2], out[3]);
		return EXIT_RESUME;
	}
	case HV_EXIT_INTERRUPT:
		/* The host's interrupt (or NMI, SMI, INIT) is pending: take it now, go on. */
		sti();
		__asm__ volatile("nop");
		cli();
		return EXIT_RESUME;
	case HV_EXIT_HALT: /* HLT is a yield */
		return EXIT_SLICE_END;
	case HV_EXIT_EXCEPTION:
		return exception(a, e);
	case HV_EXIT_MEMORY_ACCESS:
		/* The first touch of a chunk of its RAM: zeroed, mapped, the app goes on. Else it
		 * is outside its RAM, or a kernel bug (EPT misconfiguration): stopped. */
		if (!e->mem.misconfig && app_first_touch(a, e->mem.gpa) == 0)
			return EXIT_RESUME;
		break;
	case HV_EXIT_IO_PORT:       /* no ports for apps */
	case HV_EXIT_MSR:           /* no MSRs for apps */
	case HV_EXIT_UNRECOVERABLE: /* triple fault */
	case HV_EXIT_INVALID_STATE: /* the entry failed: named by the backend */
	case HV_EXIT_UNSUPPORTED:   /* VMX/SVM instructions, DR access, INVD, WBINVD, ... */
	case HV_EXIT_COUNT:         /* not a reason */
		break;
	}
	report_stop(a, e);
	return EXIT_ENDED;
}

enum exit_action exit_policy(struct app *a, struct hv_exit *e)
{
	/* The hot path first: no frame of the switch below around it. */
	if (__builtin_expect(e->reason == HV_EXIT_HYPERCALL, 1))
		return hypercall(a, e);
	return other(a, e);
}
