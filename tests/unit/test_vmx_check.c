/* tests/unit/test_vmx_check.c: the VM-entry checks: univisor's initial vCPU state passes them, and each broken field is named. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "hv/vmx/vmx.h"
#include "kernel/arch/cpu.h"

#define CAP(allowed0, allowed1) (((uint64_t)(allowed1) << 32) | (uint32_t)(allowed0))

/* Capability MSRs shaped like a Skylake's (true controls, EPT, VPID, preemption timer). */
static const struct vmx_msrs caps = {
	.basic = 1 | (4096ull << 32) | (6ull << 50) | VMX_BASIC_TRUE_CTLS,
	.misc = 5 | (4 << 16),
	.ept_vpid = VMX_EPT_EXECUTE_ONLY | VMX_EPT_WALK_4 | VMX_EPT_MEMTYPE_UC | VMX_EPT_MEMTYPE_WB | VMX_EPT_2M |
		    VMX_EPT_1G | VMX_EPT_INVEPT | VMX_EPT_INVEPT_SINGLE | VMX_EPT_INVEPT_ALL | VMX_VPID_INVVPID |
		    VMX_VPID_INVVPID_SINGLE | VMX_VPID_INVVPID_ALL,
	.pinbased = CAP(0x16, 0x7f), .true_pinbased = CAP(0x16, 0x7f),
	.procbased = CAP(0x0401e172, 0xfff9fffe), .true_procbased = CAP(0x04006172, 0xfff9fffe),
	.procbased2 = CAP(0, 0x001fffff),
	.exit = CAP(0x36dff, 0x3fffff), .true_exit = CAP(0x36dfb, 0x3fffff),
	.entry = CAP(0x11ff, 0xffff), .true_entry = CAP(0x11fb, 0xffff),
	.cr0_fixed0 = 0x80000021, .cr0_fixed1 = 0xffffffff, .cr4_fixed0 = 0x2000, .cr4_fixed1 = 0x3767ff,
};

static char why[256];

/* The state vmx_vcpu_create builds, with vmx_cpu.c's controls and a host like the kernel's. */
static void good(struct vmx_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->caps = caps;
	s->phys_bits = 40;
	uint32_t pin = 0, proc = 0, proc2 = 0, exit = 0, entry = 0;
	vmx_adjust(&caps, MSR_IA32_VMX_PINBASED_CTLS, PIN_PREEMPTION_TIMER, VMX_PIN_MUST, &pin, why, sizeof(why));
	vmx_adjust(&caps, MSR_IA32_VMX_PROCBASED_CTLS, 0, VMX_PROC_MUST, &proc, why, sizeof(why));
	vmx_adjust(&caps, MSR_IA32_VMX_PROCBASED_CTLS2, VMX_PROC2_WANT, VMX_PROC2_MUST, &proc2, why, sizeof(why));
	vmx_adjust(&caps, MSR_IA32_VMX_EXIT_CTLS, 0, VMX_EXIT_MUST, &exit, why, sizeof(why));
	vmx_adjust(&caps, MSR_IA32_VMX_ENTRY_CTLS, 0, VMX_ENTRY_MUST, &entry, why, sizeof(why));
	s->pin = pin, s->proc = proc, s->proc2 = proc2, s->exit = exit, s->entry = entry;
	s->io_bitmap_a = 0x300000, s->io_bitmap_b = 0x301000, s->msr_bitmap = 0x302000;
	s->eptp = ept_eptp(0x400000, true);
	s->vpid = 1;
	s->host_cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	s->host_cr3 = 0x1000000;
	s->host_cr4 = CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_VMXE | CR4_OSXSAVE;
	s->host_rip = 0x10a000, s->host_rsp = 0x120000;
	const uint16_t sel[7] = { 0x10, 0x08, 0x10, 0x10, 0, 0, 0x18 };
	memcpy(s->host_sel, sel, sizeof(sel));
	s->host_tr_base = 0x130000, s->host_gdtr_base = 0x131000, s->host_idtr_base = 0x132000;
	s->host_efer = EFER_LME | EFER_LMA | EFER_NXE;
	s->host_pat = 0x0007040600070406ull;
	const struct hv_vcpu_setup setup = {
		.rip = 0x201000, .rsp = 0x7ff000, .rdi = 0x1000, .rflags = 0x202, .cr3 = 0x2000,
		.gdt_base = 0x3000, .gdt_limit = 0x27, .tss_base = 0x3100, .exception_intercepts = ~0u,
	};
	vmx_guest_init(s, &setup, CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG,
		       CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE, EFER_LME | EFER_LMA | EFER_NXE);
}

static bool any(const struct vmx_snapshot *s)
{
	return vmx_check_controls(s, why, sizeof(why)) || vmx_check_host(s, why, sizeof(why)) ||
	       vmx_check_guest(s, why, sizeof(why));
}
#define EXPECT(s, text) do { CHECK(any(s)); CHECK(strstr(why, text) != NULL); } while (0)

TEST(initial_state_passes_every_check)
{
	struct vmx_snapshot s;
	good(&s);
	bool bad = any(&s);
	if (bad)
		unit_fail(__FILE__, __LINE__, why);
	CHECK(!bad);
	CHECK(s.cr4 & CR4_VMXE);                 /* real CR4 has VMXE; the read shadow hides it */
	CHECK_EQ(s.seg[VMX_SEG_CS].ar, 0xa09b);  /* 64-bit code, accessed (SDM 3C 24.4.1) */
	CHECK_EQ(s.seg[VMX_SEG_TR].ar, 0x008b);
	CHECK_EQ(s.seg[VMX_SEG_LDTR].ar, 0x10000);
	CHECK_EQ(s.rflags, 0x202);
}

TEST(guest_state_pitfalls_are_named)
{
	struct vmx_snapshot s;
	good(&s);
	s.link_ptr = 0;
	EXPECT(&s, "VMCS link pointer 0 is not FFFFFFFF_FFFFFFFFH");
	good(&s);
	s.cr4 &= ~CR4_VMXE;
	EXPECT(&s, "VMXE must be set");
	good(&s);
	s.seg[VMX_SEG_CS].ar |= AR_DB;
	EXPECT(&s, "guest CS access rights 0xe09b: L and D both set in IA-32e mode (SDM 3C 26.3.1.2)");
	good(&s);
	s.seg[VMX_SEG_SS].ar = 0;
	EXPECT(&s, "guest SS access rights 0: type 0");
	good(&s);
	s.seg[VMX_SEG_TR].ar = 0x89;
	EXPECT(&s, "guest TR access rights 0x89: type 9 is not a busy 64-bit TSS");
	good(&s);
	s.rflags = 0;
	EXPECT(&s, "guest RFLAGS 0: reserved bits set or bit 1 clear");
	good(&s);
	s.efer &= ~EFER_LMA;
	EXPECT(&s, "guest IA32_EFER.LMA (0x900) does not match the IA-32e mode guest entry control (1)");
	good(&s);
	s.cr0 &= ~CR0_NE;
	EXPECT(&s, "guest CR0 0x80010013 violates IA32_VMX_CR0_FIXED0/1");
	good(&s);
	s.rip = 0x0000800000000000ull;
	EXPECT(&s, "guest RIP 0x800000000000 is not valid");
	good(&s);
	s.seg[VMX_SEG_DS].ar &= ~1u; /* not accessed */
	EXPECT(&s, "guest DS access rights 0xc092: type 2 not accessed");
	good(&s);
	s.seg[VMX_SEG_CS].limit = 0xffffe; /* G=1 needs limit[11:0] = fff */
	EXPECT(&s, "guest CS limit 0xffffe does not match its granularity bit");
	good(&s);
	s.interruptibility = INTERRUPTIBILITY_STI;
	s.rflags &= ~RFLAGS_IF;
	EXPECT(&s, "blocking by STI with RFLAGS.IF clear");
	good(&s);
	s.activity = 5;
	EXPECT(&s, "guest activity state 5 is not 0..3");
}

TEST(control_and_host_pitfalls_are_named)
{
	struct vmx_snapshot s;
	good(&s);
	s.proc &= ~(1u << 1); /* a default-1 bit */
	EXPECT(&s, "primary proc-based controls");
	CHECK(strstr(why, "bit 1 (reserved) must be 1") != NULL);
	good(&s);
	s.pin |= PIN_POSTED_INTERRUPTS;
	EXPECT(&s, "pin-based controls 0xdf: bit 7 (process posted interrupts) must be 0");
	good(&s);
	s.eptp = (s.eptp & ~7ull) | 2;
	EXPECT(&s, "memory type 2 not allowed");
	good(&s);
	s.eptp = (s.eptp & ~0x38ull) | (2 << 3);
	EXPECT(&s, "page-walk length is not 4");
	good(&s);
	s.vpid = 0;
	EXPECT(&s, "enable VPID with VPID 0");
	good(&s);
	s.msr_bitmap = 0x302008;
	EXPECT(&s, "MSR bitmap address 0x302008 is not 4 KiB aligned");
	good(&s);
	s.io_bitmap_a = 0x300800;
	EXPECT(&s, "I/O bitmap A address 0x300800 is not 4 KiB aligned");
	good(&s);
	s.io_bitmap_b = 1ull << 52;
	EXPECT(&s, "I/O bitmap B address 0x10000000000000 is not 4 KiB aligned inside the physical address width");
	good(&s);
	s.entry_intr_info = INTR_INFO_VALID | (INTR_TYPE_HW_EXCEPTION << 8) | 13; /* #GP without its error code */
	EXPECT(&s, "injection of vector 13 type 3: deliver-error-code must be 1");
	good(&s);
	s.entry_intr_info = INTR_INFO_VALID | INTR_INFO_ERROR_CODE | (INTR_TYPE_HW_EXCEPTION << 8) | 13;
	CHECK(!any(&s));
	good(&s);
	s.host_sel[6] = 0;
	EXPECT(&s, "host TR selector is 0");
	good(&s);
	s.host_sel[3] = 0x13;
	EXPECT(&s, "host DS selector 0x13 has RPL or TI set");
	good(&s);
	s.host_cr0 &= ~CR0_NE;
	EXPECT(&s, "host CR0 0x80010013 violates IA32_VMX_CR0_FIXED0/1");
	good(&s);
	s.exit &= ~EXIT_HOST_ADDRESS_SPACE_SIZE;
	CHECK(any(&s));
	good(&s);
	s.host_pat = 0x0007040600070402ull;
	EXPECT(&s, "host IA32_PAT 0x7040600070402 holds an invalid memory type");
}

/* A hypercall or CPUID completed by the kernel right after STI or MOV SS, with RFLAGS.TF
 * set: entering with the blocking left in place would fail (no emulator here checks it);
 * the state the kernel writes passes. */
TEST(completed_instruction_under_tf_and_blocking)
{
	struct vmx_snapshot s;
	uint32_t blockings[2] = { INTERRUPTIBILITY_STI, INTERRUPTIBILITY_MOV_SS };
	for (int i = 0; i < 2; i++) {
		good(&s);
		s.rflags |= RFLAGS_TF;
		s.interruptibility = blockings[i];
		EXPECT(&s, "RFLAGS.TF with STI/MOV-SS blocking or HLT needs pending debug BS");
		s.interruptibility = vmx_interruptibility_after_insn(s.interruptibility);
		CHECK_EQ(s.interruptibility, 0);
		CHECK(!any(&s));
	}
}

/* A #DB the kernel passes on from inside an STI shadow with TF set carries BS; without TF
 * nothing is added (BS then would fail the check too). */
TEST(reflected_db_carries_bs)
{
	struct vmx_snapshot s;
	good(&s);
	s.rflags |= RFLAGS_TF;
	s.interruptibility = INTERRUPTIBILITY_STI;
	s.pending_dbg = vmx_pending_dbg_for_db(0, s.rflags, s.interruptibility);
	CHECK_EQ(s.pending_dbg, PENDING_DBG_BS);
	CHECK(!any(&s));
	good(&s);
	s.interruptibility = INTERRUPTIBILITY_MOV_SS;
	s.pending_dbg = vmx_pending_dbg_for_db(0, s.rflags, s.interruptibility);
	CHECK_EQ(s.pending_dbg, 0);
	CHECK(!any(&s));
	s.pending_dbg = PENDING_DBG_BS;
	EXPECT(&s, "pending debug BS set with STI/MOV-SS blocking or HLT but no single step");
}

/* VM entry delivers an error code for 8, 10-14, 17 and 21 only (SDM 3C 26.2.1.3): AMD's #VC
 * (29) and #SX (30), which exc_has_error_code counts, are refused with one (vmx_inject). */
TEST(vmx_error_code_vectors)
{
	unsigned with = 0;
	for (unsigned v = 0; v < 32; v++)
		if (vmx_exc_has_error_code(v))
			with |= 1u << v;
	CHECK_EQ(with, (1u << 8) | (0x1fu << 10) | (1u << 17) | (1u << 21));
	CHECK(exc_has_error_code(29) && !vmx_exc_has_error_code(29) && !vmx_exc_has_error_code(30));
	struct vmx_snapshot s;
	good(&s);
	s.entry_intr_info = INTR_INFO_VALID | (INTR_TYPE_HW_EXCEPTION << 8) | 29 | INTR_INFO_ERROR_CODE;
	EXPECT(&s, "deliver-error-code must be 0");
}
