/* tests/unit/test_vmx_adjust.c: vmx_adjust with fake capability MSRs: required, wanted and refused bits, true controls. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "hv/vmx/vmx.h"
#include "include/abi/uv_errno.h"

#define CAP(allowed0, allowed1) (((uint64_t)(allowed1) << 32) | (uint32_t)(allowed0))

TEST(required_bits_are_set_and_wanted_bits_where_allowed)
{
	struct vmx_msrs m = { 0 };
	m.pinbased = CAP(0x16, 0x7f); /* default1 bits 1, 2, 4; timer (6) offered, posted (7) not */
	uint32_t v = 0;
	char why[200];
	CHECK_EQ(vmx_adjust(&m, MSR_IA32_VMX_PINBASED_CTLS, PIN_PREEMPTION_TIMER | PIN_POSTED_INTERRUPTS,
			    PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING, &v, why, sizeof(why)), 0);
	CHECK_EQ(v, 0x16 | PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING | PIN_PREEMPTION_TIMER);
}

TEST(refusal_names_the_control_and_bit)
{
	struct vmx_msrs m = { 0 };
	m.basic = VMX_BASIC_TRUE_CTLS;
	m.procbased = CAP(0x0401e172, 0xffffffff);
	m.true_procbased = CAP(0x04006172, 0xffffff7f); /* HLT exiting (bit 7) cannot be 1 */
	uint32_t v = 0x1234;
	char why[200];
	CHECK_EQ(vmx_adjust(&m, MSR_IA32_VMX_PROCBASED_CTLS, 0, PROC_HLT_EXITING | PROC_USE_TSC_OFFSETTING, &v, why,
			    sizeof(why)), -UV_ENOSYS);
	CHECK_STR(why, "vmx: cannot set primary proc-based control bit 7 (HLT exiting): "
		       "IA32_VMX_TRUE_PROCBASED_CTLS is 0xffffff7f04006172");
	CHECK_EQ(v, 0x1234); /* untouched on failure */
}

TEST(true_msr_only_with_basic_bit_55)
{
	struct vmx_msrs m = { 0 };
	m.procbased = CAP(0x0401e172, 0xffffffff);      /* CR3-load/store exiting forced */
	m.true_procbased = CAP(0x04006172, 0xffffffff); /* ...but not in the true MSR */
	uint32_t v;
	char why[200];
	CHECK_EQ(vmx_adjust(&m, MSR_IA32_VMX_PROCBASED_CTLS, 0, PROC_HLT_EXITING, &v, why, sizeof(why)), 0);
	CHECK(v & PROC_CR3_LOAD_EXITING);
	m.basic = VMX_BASIC_TRUE_CTLS;
	CHECK_EQ(vmx_adjust(&m, MSR_IA32_VMX_PROCBASED_CTLS, 0, PROC_HLT_EXITING, &v, why, sizeof(why)), 0);
	CHECK(!(v & PROC_CR3_LOAD_EXITING));
	CHECK_EQ(v, 0x04006172 | PROC_HLT_EXITING);
}

TEST(secondary_controls_and_reserved_bits)
{
	struct vmx_msrs m = { 0 };
	m.basic = VMX_BASIC_TRUE_CTLS;
	m.procbased2 = CAP(0, PROC2_ENABLE_EPT | PROC2_ENABLE_RDTSCP);
	uint32_t v;
	char why[200];
	CHECK_EQ(vmx_adjust(&m, MSR_IA32_VMX_PROCBASED_CTLS2, PROC2_ENABLE_VPID | PROC2_ENABLE_RDTSCP, PROC2_ENABLE_EPT,
			    &v, why, sizeof(why)), 0);
	CHECK_EQ(v, PROC2_ENABLE_EPT | PROC2_ENABLE_RDTSCP); /* VPID wanted, not offered: dropped */
	CHECK_EQ(vmx_adjust(&m, MSR_IA32_VMX_PROCBASED_CTLS2, 0, PROC2_ENABLE_VPID, &v, why, sizeof(why)), -UV_ENOSYS);
	CHECK_STR(why, "vmx: cannot set secondary proc-based control bit 5 (enable VPID): IA32_VMX_PROCBASED_CTLS2 is 0xa00000000");
	/* A bit without a name is called reserved. */
	m.exit = CAP(0x36dff, 0x36dff);
	CHECK_EQ(vmx_adjust(&m, MSR_IA32_VMX_EXIT_CTLS, 0, 1u << 30, &v, why, sizeof(why)), -UV_ENOSYS);
	CHECK(strstr(why, "VM-exit control bit 30 (reserved)") != NULL);
	CHECK_EQ(vmx_adjust(&m, 0x999, 0, 0, &v, why, sizeof(why)), -UV_EINVAL);
}

TEST(names)
{
	CHECK_STR(vmx_control_name(MSR_IA32_VMX_ENTRY_CTLS), "VM-entry");
	CHECK_STR(vmx_control_bit_name(MSR_IA32_VMX_ENTRY_CTLS, 9), "IA-32e mode guest");
	CHECK_STR(vmx_control_bit_name(MSR_IA32_VMX_PINBASED_CTLS, 6), "activate VMX-preemption timer");
	CHECK(vmx_control_bit_name(MSR_IA32_VMX_PINBASED_CTLS, 1) == NULL);
	CHECK_STR(vmx_exit_reason_name(EXIT_REASON_EPT_VIOLATION), "EPT violation");
	CHECK(vmx_exit_reason_name(35) == NULL);
	CHECK(vmx_exit_reason_name(1000) == NULL);
	CHECK_STR(vmx_insn_error_name(7), "VM entry with invalid control field(s)");
	CHECK_STR(vmx_insn_error_name(14), "unknown VM-instruction error");
	CHECK_STR(vmx_insn_error_name(99), "unknown VM-instruction error");
}

TEST(vpid_allocator)
{
	uint16_t a = vmx_vpid_alloc(), b = vmx_vpid_alloc();
	CHECK(a != 0 && b != 0 && a != b);
	vmx_vpid_free(a);
	CHECK_EQ(vmx_vpid_alloc(), a); /* freed tags are reused */
	int n = 2;
	while (vmx_vpid_alloc())
		n++;
	CHECK_EQ(n, VMX_VPID_MAX);   /* 1..65535, never 0 */
	vmx_vpid_free(b);
	CHECK_EQ(vmx_vpid_alloc(), b);
	for (uint32_t v = 1; v <= VMX_VPID_MAX; v++)
		vmx_vpid_free((uint16_t)v);
	vmx_vpid_free(0); /* the host's: ignored */
	CHECK_EQ(vmx_vpid_alloc(), 1);
	vmx_vpid_free(1);
}
