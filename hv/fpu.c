/* hv/fpu.c: guest x87/SSE/AVX state: one XSAVE image per vCPU, saved and restored whole under the kernel's own XCR0. */
#include "hv/fpu.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/mm/mm.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"
#include "kernel/arch/cpufeature.h"

#define FXSAVE_BYTES 512
#define FXSAVE_MXCSR_OFF 24
#define FCW_DEFAULT 0x37f
#define MXCSR_DEFAULT 0x1f80

/*
 * The rules (SDM 1 13.7, 13.8): XSAVE writes XSTATE_BV only for the components in
 * RFBM = XCR0 & EDX:EAX and leaves the others as they were; XRSTOR #GPs when XSTATE_BV
 * has a bit outside XCR0, and leaves the components outside RFBM as they are in the
 * registers. So a guest's XCR0 must never be the one these run under, nor the mask:
 * a guest that lowered XCR0 would otherwise keep the previous app's XMM/YMM registers
 * and MXCSR, or make the kernel's XRSTOR fault. Every image is saved and restored with
 * host_xcr0, the full set the kernel switches, while host_xcr0 is in XCR0; the guest's
 * own XCR0 is loaded only around VM entry (fpu_guest_xcr0 / fpu_host_xcr0).
 */
struct fpu_host fpu_host;

void fpu_init(void)
{
	uint32_t a, b, c, d;
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	cpuid(1, &a, &b, &c, &d);
	fpu_host.xsave = (c & CPUID_1_ECX_XSAVE) != 0;
	fpu_host.area_bytes = FXSAVE_BYTES;
	if (fpu_host.xsave) {
		write_cr4(cr4 | CR4_OSXSAVE);
		cpuid2(0xd, 0, &a, &b, &c, &d);
		fpu_host.xcr0 = (((uint64_t)d << 32) | a) & XCR0_SWITCHED;
		write_xcr0(fpu_host.xcr0);
		cpuid2(0xd, 0, &a, &b, &c, &d); /* EBX: bytes of the standard-form image for XCR0 now */
		fpu_host.area_bytes = b;
	} else {
		write_cr4(cr4);
		fpu_host.xcr0 = XCR0_X87 | XCR0_SSE;
	}
	/* Some AMD CPUs save FIP/FDP/FOP only while an x87 exception is pending, so an
	 * XRSTOR would leave the previous app's values for the next one to read (FNSTENV):
	 * unless the CPU says it always saves them, load known values before each restore. */
	bool amd = cpu_vendor() == CPU_VENDOR_AMD;
	uint32_t erptr;
	cpuid_leaf(0x80000008, &a, &erptr, &c, &d);
	fpu_host.fip_fence = amd && !(erptr & CPUID_80000008_EBX_XSAVE_ERPTR);
	kprintf("fpu: %s, XCR0 %#llx switched whole on every app switch (%u-byte image), guests may set "
		"x87|SSE[|AVX]; x87 error pointers %s\n",
		fpu_host.xsave ? "XSAVE" : "FXSAVE", (unsigned long long)fpu_host.xcr0, fpu_host.area_bytes,
		fpu_host.fip_fence ? "reset before each restore (this CPU may not save them)" : "saved by the CPU");
}

int fpu_area_create(struct hv_vcpu *v)
{
	uint64_t pages = (fpu_host.area_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	v->fpu_area = (void *)(uintptr_t)kalloc_pages(pages, 1);
	if (!v->fpu_area)
		return -UV_ENOMEM;
	v->fpu_area_bytes = pages * PAGE_SIZE;
	/* A zeroed image is the init state (XSTATE_BV = XCOMP_BV = 0, SDM 1 13.8.1); MXCSR is
	 * loaded from the image whenever SSE or AVX is restored, so it holds the default. */
	uint32_t mxcsr = MXCSR_DEFAULT;
	memcpy((uint8_t *)v->fpu_area + FXSAVE_MXCSR_OFF, &mxcsr, sizeof(mxcsr));
	if (!fpu_host.xsave) {
		uint16_t fcw = FCW_DEFAULT;
		memcpy(v->fpu_area, &fcw, sizeof(fcw));
	}
	v->xcr0 = fpu_host.xcr0;
	return 0;
}

void fpu_area_destroy(struct hv_vcpu *v)
{
	if (v->fpu_area)
		kfree_pages((uint64_t)(uintptr_t)v->fpu_area, v->fpu_area_bytes / PAGE_SIZE);
	v->fpu_area = 0;
}

int fpu_guest_xsetbv(struct hv_vcpu *v, uint32_t xcr, uint64_t value)
{
	/* SDM 1 13.3 and SDM 2 XSETBV: only XCR0; x87 always; AVX needs SSE. Stricter here:
	 * SSE is required too, and only components the kernel switches may be enabled. */
	if (xcr != 0 || !fpu_host.xsave || (value & (XCR0_X87 | XCR0_SSE)) != (XCR0_X87 | XCR0_SSE) ||
	    (value & ~fpu_host.xcr0))
		return -UV_EINVAL;
	v->xcr0 = value;
	return 0;
}
