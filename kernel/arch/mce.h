/* kernel/arch/mce.h: machine-check handling: CR4.MCE on at boot, bank reports, and whether the machine can go on. */
#ifndef KERNEL_MCE_H
#define KERNEL_MCE_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_MCG_CAP 0x179
#define MSR_MCG_STATUS 0x17a
#define MSR_MC_STATUS(i) (0x401u + 4u * (i))
#define MSR_MC_ADDR(i) (0x402u + 4u * (i))
#define MCG_CAP_COUNT(c) ((unsigned)((c) & 0xff))
#define MCG_STATUS_RIPV (1ull << 0) /* the interrupted context can be resumed at its RIP */
#define MCI_STATUS_VAL (1ull << 63)
#define MCI_STATUS_UC (1ull << 61)  /* not corrected */
#define MCI_STATUS_ADDRV (1ull << 58)
#define MCI_STATUS_PCC (1ull << 57) /* processor context corrupt */
#define MCE_MAX_BANKS 32

enum mce_verdict {
	MCE_GO_ON,    /* corrected, or nothing logged: the interrupted context resumes */
	MCE_STOP_APP, /* the app that ran is no longer trustworthy; the kernel is */
	MCE_STOP_ALL, /* the kernel's own context is lost or corrupt: stop the machine */
};

/* What to do after a machine check (SDM 3B 15.3.2, 15.10): MCG_STATUS and the banks'
 * MCi_STATUS, and whether it struck while an app ran (the exit brought the CPU back to
 * the kernel intact) or in the kernel. Pure. */
enum mce_verdict mce_decide(uint64_t mcg_status, const uint64_t *bank_status, unsigned n_banks, bool in_app);

#ifndef UV_HOST
/* Turns on CR4.MCE where the CPU has the machine-check architecture; prints one line. */
void mce_init(void);
/* Reports the banks that logged an error, clears them and MCIP, and decides. */
enum mce_verdict mce_handle(bool in_app);
#endif

#endif
