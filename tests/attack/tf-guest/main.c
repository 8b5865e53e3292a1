/* tests/attack/tf-guest/main.c: single-steps with its own #DB handler across every instruction the kernel completes (hypercall, CPUID, HLT, XSETBV, a refused XSETBV, sti; hypercall): each trap arrives once, right after the instruction. */
#include "tests/attack/attack.h"
#include "tests/attack/guest_idt.h"

#define MAX_TRAPS 16
static volatile unsigned n_db, n_gp;
static volatile uint64_t stop_rip; /* 0: one trap only; else TF stays on until a trap here */
static volatile uint64_t db_rip[MAX_TRAPS];

void guest_trap(struct gframe *f)
{
	if (f->vector == 1) {
		if (n_db < MAX_TRAPS)
			db_rip[n_db] = f->rip;
		n_db++;
		if (!stop_rip || f->rip == stop_rip || n_db >= MAX_TRAPS)
			f->rflags &= ~GUEST_RFLAGS_TF;
		return;
	}
	if (f->vector == 13) { /* the refused XSETBV: step over its 3 bytes */
		n_gp++;
		f->rip += 3;
		return;
	}
	guest_unexpected(f);
}

/* Sets TF with POPF (the trap comes after the instruction that follows), runs body. */
#define STEP(body) "pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n\t" body

static void reset(uint64_t stop) { n_db = n_gp = 0; stop_rip = stop; for (int i = 0; i < MAX_TRAPS; i++) db_rip[i] = 0; }

/* The traps it saw, for a failed check's diagnosis. */
static void show(const char *what)
{
	puts_(what);
	put_num(" traps", n_db, 0);
	put_num("  #GP", n_gp, 0);
	for (unsigned i = 0; i < n_db && i < MAX_TRAPS; i++)
		put_num("  at", (int64_t)db_rip[i], 1);
}

static int one_trap_at(uint64_t rip)
{
	if (n_db == 1 && db_rip[0] == rip)
		return 1;
	show("unexpected traps:");
	put_num("  wanted one at", (int64_t)rip, 1);
	return 0;
}

int main(void)
{
	extern char tf_after_nop[], tf_after_cpuid[], tf_after_hlt[], tf_after_xsetbv[];
	extern char tf_after_gp_nop[], tf_after_hc_a[], tf_after_hc_i[];
	guest_idt_install();
	int vmm = boot_info->hc_insn == UV_HC_INSN_VMMCALL;
	static const char msg[] = "tf-guest: in the stepped hypercall\n";

	reset(0);
	__asm__ volatile(STEP("nop\n.globl tf_after_nop\ntf_after_nop:\n\t") ::: "memory", "cc");
	check("tf-guest.plain-step", one_trap_at((uint64_t)(uintptr_t)tf_after_nop), "no single trap right after the NOP");

	reset(0);
	uint64_t nr = UV_HC_CONSOLE_WRITE, len = sizeof(msg) - 1;
	if (vmm)
		__asm__ volatile(STEP("vmmcall\n.globl tf_after_hc_a\ntf_after_hc_a:\n\t") : "+a"(nr) : "D"(msg), "S"(len) : "memory", "cc");
	else
		__asm__ volatile(STEP("vmcall\n.globl tf_after_hc_i\ntf_after_hc_i:\n\t") : "+a"(nr) : "D"(msg), "S"(len) : "memory", "cc");
	uint64_t tf_after_hc = vmm ? (uint64_t)(uintptr_t)tf_after_hc_a : (uint64_t)(uintptr_t)tf_after_hc_i;
	check("tf-guest.hypercall-completes", nr == len, "the stepped hypercall did not return its length");
	check("tf-guest.hypercall-trap", one_trap_at(tf_after_hc), "no single trap right after the hypercall");

	reset(0);
	uint32_t a = 0, b, c = 0, d;
	__asm__ volatile(STEP("cpuid\n.globl tf_after_cpuid\ntf_after_cpuid:\n\t") : "+a"(a), "=b"(b), "+c"(c), "=d"(d) :: "memory", "cc");
	check("tf-guest.cpuid-trap", one_trap_at((uint64_t)(uintptr_t)tf_after_cpuid) && a >= 1, "no single trap right after CPUID");

	reset(0);
	__asm__ volatile(STEP("hlt\n.globl tf_after_hlt\ntf_after_hlt:\n\t") ::: "memory", "cc");
	check("tf-guest.hlt-trap", one_trap_at((uint64_t)(uintptr_t)tf_after_hlt), "no single trap right after HLT");

	reset(0);
	uint64_t x = xgetbv0();
	__asm__ volatile(STEP("xsetbv\n.globl tf_after_xsetbv\ntf_after_xsetbv:\n\t") : : "c"(0), "a"((uint32_t)x), "d"((uint32_t)(x >> 32)) : "memory", "cc");
	check("tf-guest.xsetbv-trap", one_trap_at((uint64_t)(uintptr_t)tf_after_xsetbv), "no single trap right after XSETBV");

	/* A refused XSETBV faults (#GP, no trap for it); the trap comes after the next one. */
	reset(0);
	__asm__ volatile(STEP("xsetbv\n\tnop\n.globl tf_after_gp_nop\ntf_after_gp_nop:\n\t") : : "c"(0), "a"(1), "d"(0) : "memory", "cc");
	uint64_t now = xgetbv0();
	if (n_gp == 0 && now == x) {
		/* No #GP, and XCR0 is the kernel's again: the emulator ran XSETBV without its
		 * intercept (QEMU's TCG), and the exit for the trap put the kernel's value back. */
		puts_("tf-guest: XSETBV ran without an intercept here (the emulator); the kernel's XCR0 held\n");
		check("tf-guest.refused-xsetbv-gp-then-trap", n_db == 1, "not one trap");
	} else {
		int gp_ok = n_gp == 1 && now == x;
		if (!gp_ok)
			show("refused XSETBV:");
		check("tf-guest.refused-xsetbv-gp-then-trap", gp_ok && one_trap_at((uint64_t)(uintptr_t)tf_after_gp_nop),
		      now == 1 ? "the refused XCR0 took effect" : "not one #GP then one trap after the next instruction");
	}

	/* POPF sets TF and clears IF, then STI: its trap comes inside its interrupt shadow (the
	 * #DB the kernel passes on from there must carry BS: SDM 3C 26.3.1.5), then the
	 * hypercall's and the NOP's. (QEMU's TCG takes no trap after STI: two traps there.) */
	extern char tf_sti_hc_a[], tf_after_sti_hc_a[], tf_after_sti_nop_a[], tf_sti_hc_i[], tf_after_sti_hc_i[], tf_after_sti_nop_i[];
	uint64_t tf_sti_hc = vmm ? (uint64_t)(uintptr_t)tf_sti_hc_a : (uint64_t)(uintptr_t)tf_sti_hc_i;
	uint64_t tf_after_sti_hc = vmm ? (uint64_t)(uintptr_t)tf_after_sti_hc_a : (uint64_t)(uintptr_t)tf_after_sti_hc_i;
	uint64_t tf_after_sti_nop = vmm ? (uint64_t)(uintptr_t)tf_after_sti_nop_a : (uint64_t)(uintptr_t)tf_after_sti_nop_i;
	reset(tf_after_sti_nop);
	nr = UV_HC_VERSION;
	if (vmm)
		__asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tandq $~0x200, (%%rsp)\n\tpopfq\n\tsti\n"
				 ".globl tf_sti_hc_a\ntf_sti_hc_a:\n\tvmmcall\n.globl tf_after_sti_hc_a\ntf_after_sti_hc_a:\n\tnop\n"
				 ".globl tf_after_sti_nop_a\ntf_after_sti_nop_a:\n\t" : "+a"(nr) :: "memory", "cc");
	else
		__asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tandq $~0x200, (%%rsp)\n\tpopfq\n\tsti\n"
				 ".globl tf_sti_hc_i\ntf_sti_hc_i:\n\tvmcall\n.globl tf_after_sti_hc_i\ntf_after_sti_hc_i:\n\tnop\n"
				 ".globl tf_after_sti_nop_i\ntf_after_sti_nop_i:\n\t" : "+a"(nr) :: "memory", "cc");
	unsigned skip = n_db == 3 && db_rip[0] == tf_sti_hc ? 1 : 0; /* the trap after STI, where there is one */
	int sti_ok = n_db == 2 + skip && db_rip[skip] == tf_after_sti_hc && db_rip[skip + 1] == tf_after_sti_nop;
	if (!sti_ok)
		show("sti sequence:");
	check("tf-guest.sti-hypercall-returns", nr == UV_ABI_VERSION, "the hypercall after STI failed");
	check("tf-guest.sti-hypercall-traps", sti_ok, "not one trap after the hypercall and one after the NOP");

	/* MOV SS holds the trap back until after the next instruction, a hypercall here: the
	 * kernel completes it inside the MOV-SS shadow with TF set (an entry that kept the
	 * blocking would fail its checks on VMX), and the trap arrives after it. */
	extern char tf_ss_read_a[], tf_after_ss_hc_a[], tf_after_ss_nop_a[], tf_ss_read_i[], tf_after_ss_hc_i[], tf_after_ss_nop_i[];
	uint64_t tf_ss_read = vmm ? (uint64_t)(uintptr_t)tf_ss_read_a : (uint64_t)(uintptr_t)tf_ss_read_i;
	uint64_t tf_after_ss_hc = vmm ? (uint64_t)(uintptr_t)tf_after_ss_hc_a : (uint64_t)(uintptr_t)tf_after_ss_hc_i;
	uint64_t tf_after_ss_nop = vmm ? (uint64_t)(uintptr_t)tf_after_ss_nop_a : (uint64_t)(uintptr_t)tf_after_ss_nop_i;
	reset(tf_after_ss_nop);
	nr = UV_HC_VERSION;
	if (vmm)
		__asm__ volatile(STEP("movw %%ss, %%cx\n.globl tf_ss_read_a\ntf_ss_read_a:\n\tmovw %%cx, %%ss\n\tvmmcall\n"
				 ".globl tf_after_ss_hc_a\ntf_after_ss_hc_a:\n\tnop\n.globl tf_after_ss_nop_a\ntf_after_ss_nop_a:\n\t")
				 : "+a"(nr) :: "rcx", "memory", "cc");
	else
		__asm__ volatile(STEP("movw %%ss, %%cx\n.globl tf_ss_read_i\ntf_ss_read_i:\n\tmovw %%cx, %%ss\n\tvmcall\n"
				 ".globl tf_after_ss_hc_i\ntf_after_ss_hc_i:\n\tnop\n.globl tf_after_ss_nop_i\ntf_after_ss_nop_i:\n\t")
				 : "+a"(nr) :: "rcx", "memory", "cc");
	int ss_ok = n_db == 3 && db_rip[0] == tf_ss_read && db_rip[1] == tf_after_ss_hc && db_rip[2] == tf_after_ss_nop;
	if (!ss_ok)
		show("mov-ss sequence:");
	check("tf-guest.mov-ss-hypercall-returns", nr == UV_ABI_VERSION, "the hypercall in the MOV-SS shadow failed");
	check("tf-guest.mov-ss-hypercall-traps", ss_ok, "not three traps: before MOV SS, after the hypercall, after the NOP");
	checks_done();
	return 0;
}
