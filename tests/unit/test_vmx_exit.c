/* tests/unit/test_vmx_exit.c: VMX exit decoding: reasons, qualifications and event information into struct hv_exit. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "hv/vmx/vmx.h"

static struct hv_exit ex;
static char text[64];

/* A vCPU holding registers g (zero: none), its RAX in them as on VMX. */
static const struct hv_vcpu *vcpu(const struct hv_gprs *g)
{
	static struct hv_vcpu v;
	v = (struct hv_vcpu){ .gprs = g ? *g : (struct hv_gprs){ 0 } };
	v.rax = &v.gprs.rax;
	return &v;
}

static enum vmx_action decode(uint32_t reason, uint64_t qual, const struct hv_gprs *g)
{
	struct vmx_exit_info in = { .reason = reason, .qual = qual, .rip = 0x201000 };
	return vmx_decode_exit(&in, vcpu(g), &ex, text, sizeof(text));
}

TEST(vmcall_is_a_hypercall_with_the_abi_registers)
{
	struct hv_gprs g = { .rax = 7, .rdi = 1, .rsi = 2, .rdx = 3, .r10 = 4, .r8 = 5, .r9 = 6, .rcx = 99 };
	CHECK_EQ(decode(EXIT_REASON_VMCALL, 0, &g), VMX_ACT_REPORT_ADVANCE);
	CHECK_EQ(ex.reason, HV_EXIT_HYPERCALL);
	CHECK_EQ(ex.rip, 0x201000);
	CHECK_EQ(ex.vendor_code, EXIT_REASON_VMCALL);
	CHECK_EQ(ex.hypercall.nr, 7);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(ex.hypercall.arg[i], i + 1);
}

TEST(ept_violation_access_and_addresses)
{
	struct vmx_exit_info in = { .reason = EXIT_REASON_EPT_VIOLATION, .rip = 0x201000, .gpa = 0x10000000,
				    .gla = 0x10000008 };
	/* A write with the linear address valid (bits 1, 7, 8; SDM 3C table 27-7). */
	in.qual = EPT_QUAL_WRITE | EPT_QUAL_GLA_VALID | EPT_QUAL_GLA_TRANSLATED;
	CHECK_EQ(vmx_decode_exit(&in, vcpu(0), &ex, text, sizeof(text)), VMX_ACT_REPORT);
	CHECK_EQ(ex.reason, HV_EXIT_MEMORY_ACCESS);
	CHECK_EQ(ex.mem.gpa, 0x10000000);
	CHECK_EQ(ex.mem.access, PROT_W);
	CHECK(ex.mem.gla_valid);
	CHECK_EQ(ex.mem.gla, 0x10000008);
	CHECK(!ex.mem.misconfig);
	/* An instruction fetch from a readable page, no linear address. */
	in.qual = EPT_QUAL_FETCH | EPT_QUAL_READABLE;
	vmx_decode_exit(&in, vcpu(0), &ex, text, sizeof(text));
	CHECK_EQ(ex.mem.access, PROT_X);
	CHECK(!ex.mem.gla_valid);
	CHECK_EQ(ex.mem.gla, 0);
	in.qual = EPT_QUAL_READ;
	vmx_decode_exit(&in, vcpu(0), &ex, text, sizeof(text));
	CHECK_EQ(ex.mem.access, PROT_R);
	in.reason = EXIT_REASON_EPT_MISCONFIG;
	vmx_decode_exit(&in, vcpu(0), &ex, text, sizeof(text));
	CHECK_EQ(ex.reason, HV_EXIT_MEMORY_ACCESS);
	CHECK(ex.mem.misconfig);
	CHECK_EQ(ex.mem.gpa, 0x10000000);
}

TEST(io_qualification)
{
	/* out %al, $0x80: size 1 (0), OUT, immediate operand (bit 6), port in 31:16 (table 27-5). */
	CHECK_EQ(decode(EXIT_REASON_IO_INSTRUCTION, 0x00800040, 0), VMX_ACT_REPORT);
	CHECK_EQ(ex.reason, HV_EXIT_IO_PORT);
	CHECK_EQ(ex.io.port, 0x80);
	CHECK_EQ(ex.io.size, 1);
	CHECK(ex.io.write && !ex.io.string && !ex.io.rep);
	/* rep insw from port 0x1f0 (DX): size 2, IN, string, REP. */
	decode(EXIT_REASON_IO_INSTRUCTION, (0x1f0ull << 16) | 1 | 8 | 16 | 32, 0);
	CHECK_EQ(ex.io.port, 0x1f0);
	CHECK_EQ(ex.io.size, 2);
	CHECK(!ex.io.write && ex.io.string && ex.io.rep);
	/* inl: size 4 (3). */
	decode(EXIT_REASON_IO_INSTRUCTION, (0xcfcull << 16) | 3 | 8, 0);
	CHECK_EQ(ex.io.size, 4);
	CHECK_EQ(ex.io.port, 0xcfc);
}

TEST(msr_and_cpuid)
{
	struct hv_gprs g = { .rcx = 0xffffffffc0000080ull, .rax = 0xdead00000d00ull, .rdx = 0xbeef00000001ull };
	CHECK_EQ(decode(EXIT_REASON_WRMSR, 0, &g), VMX_ACT_REPORT);
	CHECK_EQ(ex.reason, HV_EXIT_MSR);
	CHECK_EQ(ex.msr.index, 0xc0000080);
	CHECK(ex.msr.write);
	CHECK_EQ(ex.msr.value, 0x0000000100000d00ull); /* EDX:EAX, upper halves ignored */
	decode(EXIT_REASON_RDMSR, 0, &g);
	CHECK(!ex.msr.write);
	CHECK_EQ(ex.msr.value, 0);
	struct hv_gprs c = { .rax = 0x100000007ull, .rcx = 0x200000001ull };
	CHECK_EQ(decode(EXIT_REASON_CPUID, 0, &c), VMX_ACT_REPORT_ADVANCE);
	CHECK_EQ(ex.reason, HV_EXIT_CPUID);
	CHECK_EQ(ex.cpuid.leaf, 7);
	CHECK_EQ(ex.cpuid.subleaf, 1);
}

TEST(exceptions_and_nmi)
{
	struct hv_gprs g = { 0 };
	struct vmx_exit_info in = { .reason = EXIT_REASON_EXCEPTION_NMI, .rip = 0x2001a3, .qual = 0x10 };
	/* #PF with error code 6 (write, user... ): vector 14, type 3, error code valid. */
	in.intr_info = INTR_INFO_VALID | INTR_INFO_ERROR_CODE | (INTR_TYPE_HW_EXCEPTION << 8) | 14;
	in.intr_error = 6;
	CHECK_EQ(vmx_decode_exit(&in, vcpu(&g), &ex, text, sizeof(text)), VMX_ACT_REPORT);
	CHECK_EQ(ex.reason, HV_EXIT_EXCEPTION);
	CHECK_EQ(ex.exception.vector, 14);
	CHECK(ex.exception.has_error_code);
	CHECK_EQ(ex.exception.error_code, 6);
	CHECK_EQ(ex.exception.cr2, 0x10);
	CHECK_EQ(ex.rip, 0x2001a3);
	/* #UD: no error code, no CR2. */
	in.intr_info = INTR_INFO_VALID | (INTR_TYPE_HW_EXCEPTION << 8) | 6;
	in.intr_error = 0x55;
	vmx_decode_exit(&in, vcpu(&g), &ex, text, sizeof(text));
	CHECK_EQ(ex.exception.vector, 6);
	CHECK(!ex.exception.has_error_code);
	CHECK_EQ(ex.exception.error_code, 0);
	CHECK_EQ(ex.exception.cr2, 0);
	/* int3: a software exception, still vector 3. */
	in.intr_info = INTR_INFO_VALID | (INTR_TYPE_SW_EXCEPTION << 8) | 3;
	vmx_decode_exit(&in, vcpu(&g), &ex, text, sizeof(text));
	CHECK_EQ(ex.exception.vector, 3);
	/* A host NMI: handed to the host, reported as an interrupt. */
	in.intr_info = INTR_INFO_VALID | (INTR_TYPE_NMI << 8) | 2;
	CHECK_EQ(vmx_decode_exit(&in, vcpu(&g), &ex, text, sizeof(text)), VMX_ACT_NMI);
	CHECK_EQ(ex.reason, HV_EXIT_INTERRUPT);
}

TEST(simple_reasons)
{
	CHECK_EQ(decode(EXIT_REASON_HLT, 0, 0), VMX_ACT_REPORT_ADVANCE);
	CHECK_EQ(ex.reason, HV_EXIT_HALT);
	/* The backend never turns the VMX-preemption timer on: its exit would be a kernel bug, named. */
	CHECK_EQ(decode(EXIT_REASON_PREEMPTION_TIMER, 0, 0), VMX_ACT_REPORT);
	CHECK_EQ(ex.reason, HV_EXIT_UNSUPPORTED);
	CHECK_STR(ex.unsupported.insn, "VMX-preemption timer expired");
	CHECK_EQ(decode(EXIT_REASON_EXTERNAL_INTERRUPT, 0, 0), VMX_ACT_REPORT);
	CHECK_EQ(ex.reason, HV_EXIT_INTERRUPT);
	CHECK_EQ(decode(EXIT_REASON_TRIPLE_FAULT, 0, 0), VMX_ACT_REPORT);
	CHECK_EQ(ex.reason, HV_EXIT_UNRECOVERABLE);
	struct hv_gprs g = { .rcx = 0, .rax = 7, .rdx = 0 };
	CHECK_EQ(decode(EXIT_REASON_XSETBV, 0, &g), VMX_ACT_XSETBV); /* finished inside the backend */
}

TEST(entry_failure)
{
	CHECK_EQ(decode(EXIT_REASON_ENTRY_FAILURE | EXIT_REASON_INVALID_GUEST_STATE, 0, 0), VMX_ACT_ENTRY_FAILED);
	CHECK_EQ(ex.reason, HV_EXIT_INVALID_STATE);
	CHECK_EQ(ex.invalid.error, 33);
	CHECK_EQ(ex.vendor_code, 0x80000021);
}

TEST(unsupported_instructions_are_named)
{
	static const struct { uint32_t reason; uint64_t qual; const char *name; } cases[] = {
		{ EXIT_REASON_VMXON, 0, "VMXON" }, { EXIT_REASON_VMCLEAR, 0, "VMCLEAR" },
		{ EXIT_REASON_VMLAUNCH, 0, "VMLAUNCH" }, { EXIT_REASON_INVEPT, 0, "INVEPT" },
		{ EXIT_REASON_INVVPID, 0, "INVVPID" }, { EXIT_REASON_VMFUNC, 0, "VMFUNC" },
		{ EXIT_REASON_GETSEC, 0, "GETSEC" }, { EXIT_REASON_INVD, 0, "INVD" },
		{ EXIT_REASON_WBINVD, 0, "WBINVD" }, { EXIT_REASON_MWAIT, 0, "MWAIT" },
		{ EXIT_REASON_MONITOR, 0, "MONITOR" }, { EXIT_REASON_RDPMC, 0, "RDPMC" },
		/* MOV DR: DR number in 2:0, bit 4 = from (table 27-4) */
		{ EXIT_REASON_DR_ACCESS, 0x000, "mov to DR0" }, { EXIT_REASON_DR_ACCESS, 0x017, "mov from DR7" },
		{ EXIT_REASON_DR_ACCESS, 0x013, "mov from DR3" },
		/* control-register accesses: CR number in 3:0, type in 5:4 (table 27-3) */
		{ EXIT_REASON_CR_ACCESS, 0x000, "mov to CR0" }, { EXIT_REASON_CR_ACCESS, 0x104, "mov to CR4" },
		{ EXIT_REASON_CR_ACCESS, 0x018, "mov from CR8" }, { EXIT_REASON_CR_ACCESS, 0x020, "CLTS" },
		{ EXIT_REASON_CR_ACCESS, 0x030, "LMSW" }, { EXIT_REASON_CR_ACCESS, 0x003, "mov to CR3" },
		{ 70, 0, "VMX exit reason 70" }, { 35, 0, "VMX exit reason 35" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ(decode(cases[i].reason, cases[i].qual, 0), VMX_ACT_REPORT);
		CHECK_EQ(ex.reason, HV_EXIT_UNSUPPORTED);
		CHECK_STR(ex.unsupported.insn, cases[i].name);
	}
}
