/* kernel/arch/exc.c: the names of the x86 exception vectors (SDM 3A 6.3.1, table 6-1), once. */
#include "kernel/arch/exc.h"
#include "kernel/arch/x86.h"

static const struct {
	const char *mnemonic, *words;
} names[32] = {
	[EXC_DE] = { "#DE", "divide error" }, [EXC_DB] = { "#DB", "debug" }, [EXC_NMI] = { "NMI", "NMI" },
	[EXC_BP] = { "#BP", "breakpoint" }, [EXC_OF] = { "#OF", "overflow" }, [EXC_BR] = { "#BR", "bound range exceeded" },
	[EXC_UD] = { "#UD", "invalid opcode" }, [EXC_NM] = { "#NM", "device not available" },
	[EXC_DF] = { "#DF", "double fault" }, [9] = { "#MF-old", "coprocessor segment overrun" },
	[EXC_TS] = { "#TS", "invalid TSS" }, [EXC_NP] = { "#NP", "segment not present" }, [EXC_SS] = { "#SS", "stack fault" },
	[EXC_GP] = { "#GP", "general protection fault" }, [EXC_PF] = { "#PF", "page fault" },
	[EXC_MF] = { "#MF", "x87 floating-point error" }, [EXC_AC] = { "#AC", "alignment check" },
	[EXC_MC] = { "#MC", "machine check" }, [EXC_XM] = { "#XM", "SIMD floating-point error" },
	[EXC_VE] = { "#VE", "virtualization exception" }, [EXC_CP] = { "#CP", "control protection" },
};

const char *exc_mnemonic(unsigned v) { return v < 32 && names[v].mnemonic ? names[v].mnemonic : "#?"; }
const char *exc_words(unsigned v) { return v < 32 && names[v].words ? names[v].words : "exception"; }
