/* kernel/arch/mce.c: machine checks: enables them at boot, reports and clears the banks, decides who can go on. */
#include "kernel/arch/mce.h"
#ifndef UV_HOST
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/arch/cpufeature.h"
#endif

#define CR4_MCE (1ull << 6)

enum mce_verdict mce_decide(uint64_t mcg_status, const uint64_t *bank, unsigned n, bool in_app)
{
	bool logged = false, uncorrected = false, corrupt = false;
	for (unsigned i = 0; i < n; i++) {
		if (!(bank[i] & MCI_STATUS_VAL))
			continue;
		logged = true;
		uncorrected |= (bank[i] & MCI_STATUS_UC) != 0;
		corrupt |= (bank[i] & MCI_STATUS_PCC) != 0;
	}
	/* PCC: the CPU's own state is gone, whoever ran. */
	if (corrupt)
		return MCE_STOP_ALL;
	/* Not restartable, or not corrected: what ran cannot simply go on. An app's exit
	 * left the kernel's context intact, so only the app stops. */
	if (!(mcg_status & MCG_STATUS_RIPV) || uncorrected || !logged)
		return in_app ? MCE_STOP_APP : MCE_STOP_ALL;
	return MCE_GO_ON;
}

#ifndef UV_HOST
static unsigned n_banks; /* 0: no machine-check architecture */

void mce_init(void)
{
	uint32_t a, b, c, d;
	cpuid(1, &a, &b, &c, &d);
	if (!(d & CPUID_1_EDX_MCE)) {
		kprintf("mce: the CPU has no machine-check exception\n");
		return;
	}
	if (d & CPUID_1_EDX_MCA) {
		uint64_t cap;
		if (rdmsr_safe(MSR_MCG_CAP, &cap) == 0)
			n_banks = MCG_CAP_COUNT(cap) < MCE_MAX_BANKS ? MCG_CAP_COUNT(cap) : MCE_MAX_BANKS;
	}
	write_cr4(read_cr4() | CR4_MCE);
	kprintf("mce: machine checks on (CR4.MCE), %u banks; one in an app stops that app, one in the kernel "
		"or with the CPU's context corrupt stops the machine\n", n_banks);
}

enum mce_verdict mce_handle(bool in_app)
{
	uint64_t mcg = 0, status[MCE_MAX_BANKS];
	if (n_banks)
		rdmsr_safe(MSR_MCG_STATUS, &mcg);
	for (unsigned i = 0; i < n_banks; i++) {
		if (rdmsr_safe(MSR_MC_STATUS(i), &status[i]))
			status[i] = 0;
		if (!(status[i] & MCI_STATUS_VAL))
			continue;
		uint64_t addr = 0;
		if (status[i] & MCI_STATUS_ADDRV)
			rdmsr_safe(MSR_MC_ADDR(i), &addr);
		kprintf("mce: bank %u status %#llx addr %#llx%s%s\n", i, (unsigned long long)status[i],
			(unsigned long long)addr, status[i] & MCI_STATUS_UC ? " uncorrected" : " corrected",
			status[i] & MCI_STATUS_PCC ? ", processor context corrupt" : "");
		wrmsr_safe(MSR_MC_STATUS(i), 0);
	}
	enum mce_verdict v = mce_decide(mcg, status, n_banks, in_app);
	kprintf("mce: machine check %s (MCG_STATUS %#llx)\n", in_app ? "while an app ran" : "in the kernel",
		(unsigned long long)mcg);
	if (n_banks)
		wrmsr_safe(MSR_MCG_STATUS, 0); /* MCIP off: a second one no longer shuts the CPU down */
	return v;
}
#endif
