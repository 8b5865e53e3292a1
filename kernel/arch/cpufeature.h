/* kernel/arch/cpufeature.h: the CPUID feature bits the kernel and hv test on the host, each once, named CPUID_<leaf>_<register>_<feature> (SDM 2A, CPUID; APM3 Appendix E). */
#ifndef KERNEL_ARCH_CPUFEATURE_H
#define KERNEL_ARCH_CPUFEATURE_H

/* Leaf 1 */
#define CPUID_1_ECX_VMX (1u << 5)
#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_1_ECX_RDRAND (1u << 30)
#define CPUID_1_EDX_MCE (1u << 7)
#define CPUID_1_EDX_MCA (1u << 14)

/* Leaf 7, subleaf 0 */
#define CPUID_7_EBX_INVPCID (1u << 10)
#define CPUID_7_EBX_RDSEED (1u << 18)
#define CPUID_7_ECX_RDPID (1u << 22)
#define CPUID_7_EDX_MD_CLEAR (1u << 10)
#define CPUID_7_EDX_IBRS_IBPB (1u << 26) /* Intel: IA32_SPEC_CTRL and IA32_PRED_CMD */
#define CPUID_7_EDX_L1D_FLUSH (1u << 28)
#define CPUID_7_EDX_ARCH_CAP (1u << 29)

/* Extended leaves */
#define CPUID_80000001_ECX_SVM (1u << 2)
#define CPUID_80000001_EDX_1G (1u << 26)
#define CPUID_80000001_EDX_RDTSCP (1u << 27)
#define CPUID_80000008_EBX_XSAVE_ERPTR (1u << 2) /* AMD: XSAVE/FXSAVE always save FIP/FDP/FOP */
#define CPUID_80000008_EBX_INVLPGB (1u << 3)
#define CPUID_80000008_EBX_RDPRU (1u << 4)
#define CPUID_80000008_EBX_MCOMMIT (1u << 8)
#define CPUID_80000008_EBX_IBPB (1u << 12) /* AMD */

#endif
