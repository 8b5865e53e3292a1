/* hv/vmx/vmx_fields.h: Intel VMX encodings: capability MSRs, VMCS fields, control bits, exit reasons, EPT bits. */
#ifndef HV_VMX_VMX_FIELDS_H
#define HV_VMX_VMX_FIELDS_H

/* Names follow the SDM (vol. 3C appendices A-C) with a VMX_/VMCS_ prefix. */

/* ---- MSRs (SDM 3C appendix A, vol. 4 table 2-2) ---- */
#define MSR_IA32_FEATURE_CONTROL 0x03a
#define FEATURE_CONTROL_LOCK (1ull << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)

#define MSR_IA32_VMX_BASIC 0x480
#define MSR_IA32_VMX_PINBASED_CTLS 0x481
#define MSR_IA32_VMX_PROCBASED_CTLS 0x482
#define MSR_IA32_VMX_EXIT_CTLS 0x483
#define MSR_IA32_VMX_ENTRY_CTLS 0x484
#define MSR_IA32_VMX_MISC 0x485
#define MSR_IA32_VMX_CR0_FIXED0 0x486
#define MSR_IA32_VMX_CR0_FIXED1 0x487
#define MSR_IA32_VMX_CR4_FIXED0 0x488
#define MSR_IA32_VMX_CR4_FIXED1 0x489
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS 0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS 0x48f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS 0x490

/* IA32_VMX_BASIC (SDM 3C A.1) */
#define VMX_BASIC_REVISION(b) ((uint32_t)(b) & 0x7fffffffu)
#define VMX_BASIC_VMCS_SIZE(b) (((b) >> 32) & 0x1fff)
#define VMX_BASIC_32BIT_ADDRESSES (1ull << 48)
#define VMX_BASIC_MEMTYPE(b) (((b) >> 50) & 0xf)
#define VMX_BASIC_TRUE_CTLS (1ull << 55)

/* IA32_VMX_EPT_VPID_CAP (SDM 3C A.10) */
#define VMX_EPT_EXECUTE_ONLY (1ull << 0)
#define VMX_EPT_WALK_4 (1ull << 6)
#define VMX_EPT_MEMTYPE_UC (1ull << 8)
#define VMX_EPT_MEMTYPE_WB (1ull << 14)
#define VMX_EPT_2M (1ull << 16)
#define VMX_EPT_1G (1ull << 17)
#define VMX_EPT_INVEPT (1ull << 20)
#define VMX_EPT_AD (1ull << 21)
#define VMX_EPT_INVEPT_SINGLE (1ull << 25)
#define VMX_EPT_INVEPT_ALL (1ull << 26)
#define VMX_VPID_INVVPID (1ull << 32)
#define VMX_VPID_INVVPID_SINGLE (1ull << 41)
#define VMX_VPID_INVVPID_ALL (1ull << 42)

/* INVEPT / INVVPID types (SDM 3C 30.3) */
#define INVEPT_SINGLE_CONTEXT 1
#define INVEPT_ALL_CONTEXT 2
#define INVVPID_SINGLE_CONTEXT 1
#define INVVPID_ALL_CONTEXT 2

/* ---- VMCS field encodings (SDM 3C appendix B) ---- */
/* 16-bit */
#define VMCS_VPID 0x0000
#define VMCS_GUEST_ES_SELECTOR 0x0800
#define VMCS_HOST_ES_SELECTOR 0x0c00
#define VMCS_HOST_CS_SELECTOR 0x0c02
#define VMCS_HOST_SS_SELECTOR 0x0c04
#define VMCS_HOST_DS_SELECTOR 0x0c06
#define VMCS_HOST_FS_SELECTOR 0x0c08
#define VMCS_HOST_GS_SELECTOR 0x0c0a
#define VMCS_HOST_TR_SELECTOR 0x0c0c
/* 64-bit */
#define VMCS_IO_BITMAP_A 0x2000
#define VMCS_IO_BITMAP_B 0x2002
#define VMCS_MSR_BITMAP 0x2004
#define VMCS_TSC_OFFSET 0x2010
#define VMCS_EPT_POINTER 0x201a
#define VMCS_ENCLS_EXITING_BITMAP 0x202e
#define VMCS_ENCLV_EXITING_BITMAP 0x2036
#define VMCS_GUEST_PHYSICAL_ADDRESS 0x2400
#define VMCS_LINK_POINTER 0x2800
#define VMCS_GUEST_IA32_DEBUGCTL 0x2802
#define VMCS_GUEST_IA32_PAT 0x2804
#define VMCS_GUEST_IA32_EFER 0x2806
#define VMCS_HOST_IA32_PAT 0x2c00
#define VMCS_HOST_IA32_EFER 0x2c02
/* 32-bit */
#define VMCS_PIN_BASED_CTLS 0x4000
#define VMCS_PROC_BASED_CTLS 0x4002
#define VMCS_EXCEPTION_BITMAP 0x4004
#define VMCS_PF_ERROR_CODE_MASK 0x4006
#define VMCS_PF_ERROR_CODE_MATCH 0x4008
#define VMCS_CR3_TARGET_COUNT 0x400a
#define VMCS_EXIT_CTLS 0x400c
#define VMCS_EXIT_MSR_STORE_COUNT 0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT 0x4010
#define VMCS_ENTRY_CTLS 0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT 0x4014
#define VMCS_ENTRY_INTR_INFO 0x4016
#define VMCS_ENTRY_EXCEPTION_ERROR_CODE 0x4018
#define VMCS_ENTRY_INSTRUCTION_LEN 0x401a
#define VMCS_PROC_BASED_CTLS2 0x401e
#define VMCS_VM_INSTRUCTION_ERROR 0x4400
#define VMCS_EXIT_REASON 0x4402
#define VMCS_EXIT_INTR_INFO 0x4404
#define VMCS_EXIT_INTR_ERROR_CODE 0x4406
#define VMCS_IDT_VECTORING_INFO 0x4408
#define VMCS_IDT_VECTORING_ERROR_CODE 0x440a
#define VMCS_EXIT_INSTRUCTION_LEN 0x440c
#define VMCS_GUEST_ES_LIMIT 0x4800 /* ES, CS, SS, DS, FS, GS, LDTR, TR: +2 each */
#define VMCS_GUEST_GDTR_LIMIT 0x4810
#define VMCS_GUEST_IDTR_LIMIT 0x4812
#define VMCS_GUEST_ES_AR 0x4814    /* access rights, same order */
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824
#define VMCS_GUEST_ACTIVITY_STATE 0x4826
#define VMCS_GUEST_SYSENTER_CS 0x482a
#define VMCS_HOST_IA32_SYSENTER_CS 0x4c00
/* natural width */
#define VMCS_CR0_GUEST_HOST_MASK 0x6000
#define VMCS_CR4_GUEST_HOST_MASK 0x6002
#define VMCS_CR0_READ_SHADOW 0x6004
#define VMCS_CR4_READ_SHADOW 0x6006
#define VMCS_EXIT_QUALIFICATION 0x6400
#define VMCS_GUEST_LINEAR_ADDRESS 0x640a
#define VMCS_GUEST_CR0 0x6800
#define VMCS_GUEST_CR3 0x6802
#define VMCS_GUEST_CR4 0x6804
#define VMCS_GUEST_ES_BASE 0x6806  /* ES, CS, SS, DS, FS, GS, LDTR, TR: +2 each */
#define VMCS_GUEST_GDTR_BASE 0x6816
#define VMCS_GUEST_IDTR_BASE 0x6818
#define VMCS_GUEST_DR7 0x681a
#define VMCS_GUEST_RSP 0x681c
#define VMCS_GUEST_RIP 0x681e
#define VMCS_GUEST_RFLAGS 0x6820
#define VMCS_GUEST_PENDING_DBG_EXCEPTIONS 0x6822
#define VMCS_GUEST_SYSENTER_ESP 0x6824
#define VMCS_GUEST_SYSENTER_EIP 0x6826
#define VMCS_HOST_CR0 0x6c00
#define VMCS_HOST_CR3 0x6c02
#define VMCS_HOST_CR4 0x6c04
#define VMCS_HOST_FS_BASE 0x6c06
#define VMCS_HOST_GS_BASE 0x6c08
#define VMCS_HOST_TR_BASE 0x6c0a
#define VMCS_HOST_GDTR_BASE 0x6c0c
#define VMCS_HOST_IDTR_BASE 0x6c0e
#define VMCS_HOST_SYSENTER_ESP 0x6c10
#define VMCS_HOST_SYSENTER_EIP 0x6c12
#define VMCS_HOST_RSP 0x6c14
#define VMCS_HOST_RIP 0x6c16

/* Guest segment registers in VMCS order: field = base field + 2 * index. */
#ifndef __ASSEMBLER__
enum vmx_seg { VMX_SEG_ES, VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_FS, VMX_SEG_GS, VMX_SEG_LDTR, VMX_SEG_TR, VMX_SEG_COUNT };
#endif
#define VMCS_GUEST_SELECTOR(s) (VMCS_GUEST_ES_SELECTOR + 2 * (s))
#define VMCS_GUEST_LIMIT(s) (VMCS_GUEST_ES_LIMIT + 2 * (s))
#define VMCS_GUEST_AR(s) (VMCS_GUEST_ES_AR + 2 * (s))
#define VMCS_GUEST_BASE(s) (VMCS_GUEST_ES_BASE + 2 * (s))

/* ---- Control bits (SDM 3C 24.6-24.8) ---- */
/* Pin-based VM-execution controls (24.6.1) */
#define PIN_EXTERNAL_INTERRUPT_EXITING (1u << 0)
#define PIN_NMI_EXITING (1u << 3)
#define PIN_VIRTUAL_NMIS (1u << 5)
#define PIN_PREEMPTION_TIMER (1u << 6)
#define PIN_POSTED_INTERRUPTS (1u << 7)
/* Primary processor-based VM-execution controls (24.6.2) */
#define PROC_USE_TSC_OFFSETTING (1u << 3)
#define PROC_HLT_EXITING (1u << 7)
#define PROC_MWAIT_EXITING (1u << 10)
#define PROC_RDPMC_EXITING (1u << 11)
#define PROC_CR3_LOAD_EXITING (1u << 15)
#define PROC_CR8_LOAD_EXITING (1u << 19)
#define PROC_CR8_STORE_EXITING (1u << 20)
#define PROC_NMI_WINDOW_EXITING (1u << 22)
#define PROC_MOV_DR_EXITING (1u << 23)
#define PROC_USE_IO_BITMAPS (1u << 25)
#define PROC_USE_MSR_BITMAPS (1u << 28)
#define PROC_MONITOR_EXITING (1u << 29)
#define PROC_ACTIVATE_SECONDARY (1u << 31)
/* Secondary processor-based VM-execution controls (24.6.2) */
#define PROC2_ENABLE_EPT (1u << 1)
#define PROC2_ENABLE_RDTSCP (1u << 3)
#define PROC2_ENABLE_VPID (1u << 5)
#define PROC2_WBINVD_EXITING (1u << 6)
#define PROC2_UNRESTRICTED_GUEST (1u << 7)
#define PROC2_ENCLS_EXITING (1u << 15)
#define PROC2_ENCLV_EXITING (1u << 28)
/* VM-exit controls (24.7.1) */
#define EXIT_HOST_ADDRESS_SPACE_SIZE (1u << 9)
#define EXIT_SAVE_IA32_PAT (1u << 18)
#define EXIT_LOAD_IA32_PAT (1u << 19)
#define EXIT_SAVE_IA32_EFER (1u << 20)
#define EXIT_LOAD_IA32_EFER (1u << 21)
#define EXIT_SAVE_PREEMPTION_TIMER (1u << 22)
/* VM-entry controls (24.8.1) */
#define ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define ENTRY_IA32E_MODE_GUEST (1u << 9)
#define ENTRY_TO_SMM (1u << 10)
#define ENTRY_DEACTIVATE_DUAL_MONITOR (1u << 11)
#define ENTRY_LOAD_IA32_PAT (1u << 14)
#define ENTRY_LOAD_IA32_EFER (1u << 15)

/* ---- Event information (SDM 3C 24.8.3, 24.9.2) ---- */
#define INTR_INFO_VECTOR(i) ((i) & 0xff)
#define INTR_INFO_TYPE(i) (((i) >> 8) & 7)
#define INTR_INFO_ERROR_CODE (1u << 11)
#define INTR_INFO_NMI_UNBLOCKING (1u << 12)
#define INTR_INFO_VALID (1u << 31)
#define INTR_TYPE_EXTERNAL 0
#define INTR_TYPE_NMI 2
#define INTR_TYPE_HW_EXCEPTION 3
#define INTR_TYPE_SW_INTERRUPT 4
#define INTR_TYPE_PRIV_SW_EXCEPTION 5
#define INTR_TYPE_SW_EXCEPTION 6

/* Guest interruptibility state (24.4.2) */
#define INTERRUPTIBILITY_STI (1u << 0)
#define INTERRUPTIBILITY_MOV_SS (1u << 1)
#define PENDING_DBG_BS (1ull << 14)  /* a single-step trap is pending (SDM 3C 24.4.2) */
/* MOV DR exit qualification (SDM 3C 27.2.1, table 27-4): DR number, direction. */
#define DR_QUAL_DR(q) ((unsigned)((q) & 7))
#define DR_QUAL_FROM (1ull << 4)

/* Segment access rights in the VMCS (24.4.1) */
#define AR_TYPE(a) ((a) & 0xf)
#define AR_S (1u << 4)
#define AR_DPL(a) (((a) >> 5) & 3)
#define AR_P (1u << 7)
#define AR_L (1u << 13)
#define AR_DB (1u << 14)
#define AR_G (1u << 15)
#define AR_UNUSABLE (1u << 16)
#define AR_RESERVED 0xfffe0f00u

/* ---- Exit reasons (SDM 3C appendix C) ---- */
#define EXIT_REASON_EXCEPTION_NMI 0
#define EXIT_REASON_EXTERNAL_INTERRUPT 1
#define EXIT_REASON_TRIPLE_FAULT 2
#define EXIT_REASON_CPUID 10
#define EXIT_REASON_GETSEC 11
#define EXIT_REASON_HLT 12
#define EXIT_REASON_INVD 13
#define EXIT_REASON_RDPMC 15
#define EXIT_REASON_VMCALL 18
#define EXIT_REASON_VMCLEAR 19
#define EXIT_REASON_VMLAUNCH 20
#define EXIT_REASON_VMXON 27
#define EXIT_REASON_CR_ACCESS 28
#define EXIT_REASON_DR_ACCESS 29
#define EXIT_REASON_IO_INSTRUCTION 30
#define EXIT_REASON_RDMSR 31
#define EXIT_REASON_WRMSR 32
#define EXIT_REASON_INVALID_GUEST_STATE 33
#define EXIT_REASON_MSR_LOADING 34
#define EXIT_REASON_MWAIT 36
#define EXIT_REASON_MONITOR 39
#define EXIT_REASON_EPT_VIOLATION 48
#define EXIT_REASON_EPT_MISCONFIG 49
#define EXIT_REASON_INVEPT 50
#define EXIT_REASON_PREEMPTION_TIMER 52
#define EXIT_REASON_INVVPID 53
#define EXIT_REASON_WBINVD 54
#define EXIT_REASON_XSETBV 55
#define EXIT_REASON_VMFUNC 59
#define EXIT_REASON_BASIC(r) ((r) & 0xffff)
#define EXIT_REASON_ENTRY_FAILURE (1u << 31)

/* EPT-violation exit qualification (SDM 3C 28.3.3.2, table 27-7) */
#define EPT_QUAL_READ (1ull << 0)
#define EPT_QUAL_WRITE (1ull << 1)
#define EPT_QUAL_FETCH (1ull << 2)
#define EPT_QUAL_READABLE (1ull << 3)
#define EPT_QUAL_GLA_VALID (1ull << 7)
#define EPT_QUAL_GLA_TRANSLATED (1ull << 8)

/* I/O-instruction exit qualification (SDM 3C 27.2.1, table 27-5) */
#define IO_QUAL_SIZE(q) (((q) & 7) + 1)
#define IO_QUAL_IN (1ull << 3)
#define IO_QUAL_STRING (1ull << 4)
#define IO_QUAL_REP (1ull << 5)
#define IO_QUAL_PORT(q) ((uint16_t)((q) >> 16))

/* Control-register-access exit qualification (table 27-3) */
#define CR_QUAL_CR(q) ((q) & 0xf)
#define CR_QUAL_TYPE(q) (((q) >> 4) & 3)
#define CR_TYPE_MOV_TO 0
#define CR_TYPE_MOV_FROM 1
#define CR_TYPE_CLTS 2
#define CR_TYPE_LMSW 3

/* ---- EPT (SDM 3C 28.3.2) ---- */
#define EPT_R (1ull << 0)
#define EPT_W (1ull << 1)
#define EPT_X (1ull << 2)
#define EPT_MEMTYPE_SHIFT 3          /* leaf bits 5:3 */
#define EPT_IPAT (1ull << 6)         /* leaf: ignore the guest PAT, the EPT memory type alone holds */
#define EPT_LARGE (1ull << 7)        /* a 2 MiB / 1 GiB leaf */
#define EPT_MEMTYPE_UC 0
#define EPT_MEMTYPE_WB 6
/* EPTP (24.6.11): memory type bits 2:0, walk length - 1 in bits 5:3. */
#define EPTP_WALK_4 (3ull << 3)
#define EPTP_AD (1ull << 6)

#endif
