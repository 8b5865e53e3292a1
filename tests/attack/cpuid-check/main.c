/* tests/attack/cpuid-check/main.c: what CPUID shows inside an app: only what works there (the kernel's whitelist), with the hypervisor signature. */
#include "tests/attack/attack.h"
static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static int zero(uint32_t leaf, uint32_t sub)
{
	uint32_t r[4];
	cpuid(leaf, sub, r);
	return !r[0] && !r[1] && !r[2] && !r[3];
}
#define BIT(v, n) (((v) >> (n)) & 1)

int main(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	check("cpuid.hypervisor-bit", BIT(r[2], 31), "leaf 1 ECX[31] is clear");
	check("cpuid.no-vmx", !BIT(r[2], 5), "VMX is shown");
	check("cpuid.no-monitor-x2apic-pcid", !BIT(r[2], 3) && !BIT(r[2], 21) && !BIT(r[2], 17), "MONITOR, x2APIC or PCID shown");
	check("cpuid.no-apic-mtrr-mce", !BIT(r[3], 9) && !BIT(r[3], 12) && !BIT(r[3], 7) && !BIT(r[3], 14), "APIC, MTRR or MCE/MCA shown");
	check("cpuid.apic-id-zero", (r[1] >> 24) == 0, "the host's APIC id shows");
	cpuid(7, 0, r);
	check("cpuid.no-fsgsbase-invpcid", !BIT(r[1], 0) && !BIT(r[1], 10), "FSGSBASE or INVPCID shown");
	check("cpuid.no-sgx-pt-tsx-mpx", !BIT(r[1], 2) && !BIT(r[1], 25) && !BIT(r[1], 4) && !BIT(r[1], 11) && !BIT(r[1], 14),
	      "SGX, processor trace, TSX or MPX shown");
	check("cpuid.no-avx512", !BIT(r[1], 16) && !BIT(r[1], 30) && !BIT(r[1], 31), "AVX-512 shown (XCR0 cannot enable it)");
	check("cpuid.no-pku-waitpkg", !BIT(r[2], 3) && !BIT(r[2], 4) && !BIT(r[2], 5), "PKU, OSPKE or WAITPKG shown");
	check("cpuid.no-spec-ctrl-msrs", !BIT(r[3], 26) && !BIT(r[3], 27) && !BIT(r[3], 29) && !BIT(r[3], 31),
	      "IBRS/STIBP/ARCH_CAPABILITIES/SSBD (MSRs) shown");
	uint32_t rdpid = BIT(r[2], 22);
	check("cpuid.pmu-leaf-zero", zero(0xa, 0), "leaf 0xa (PMU) is not zero");
	check("cpuid.sgx-leaf-zero", zero(0x12, 0), "leaf 0x12 (SGX) is not zero");
	check("cpuid.pt-leaf-zero", zero(0x14, 0), "leaf 0x14 (processor trace) is not zero");
	check("cpuid.topology-leaf-zero", zero(0xb, 0), "leaf 0xb (x2APIC topology) is not zero");
	cpuid(0xd, 1, r);
	check("cpuid.no-xsaves", !BIT(r[0], 3), "XSAVES shown (IA32_XSS is not switched)");
	cpuid(0xd, 0, r);
	check("cpuid.xsave-only-switched", (r[0] & ~7u) == 0 && r[3] == 0, "XCR0 bits beyond x87|SSE|AVX offered");
	cpuid(0x80000001, 0, r);
	check("cpuid.no-svm", !BIT(r[2], 2), "SVM is shown");
	check("cpuid.no-syscall-monitorx", !BIT(r[3], 11) && !BIT(r[2], 29), "SYSCALL or MONITORX shown");
	check("cpuid.rdpid-only-with-rdtscp", !rdpid || BIT(r[3], 27), "RDPID shown without RDTSCP");
	check("cpuid.svm-leaf-zero", zero(0x8000000a, 0), "leaf 0x8000000a (SVM) is not zero");
	cpuid(0x40000000, 0, r);
	char sig[13];
	for (int i = 0; i < 4; i++) {
		sig[i] = (char)(r[1] >> (8 * i));
		sig[4 + i] = (char)(r[2] >> (8 * i));
		sig[8 + i] = (char)(r[3] >> (8 * i));
	}
	sig[12] = 0;
	int same = 1;
	for (int i = 0; i < 12; i++)
		same &= sig[i] == "univisor v1\0"[i];
	check("cpuid.signature", same && r[0] == 0x40000000, "leaf 0x40000000 is not univisor's");
	check("cpuid.no-other-hypervisor-leaves", zero(0x40000001, 0), "leaf 0x40000001 is not zero");
	checks_done();
	return 0;
}
