/* hv/hv.c: picks the backend by CPUID, dispatches the vCPU API to it, and switches guest FPU/XSAVE state. */
#include "hv/hv_backend.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/mm.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"

#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)
#define XCR0_GUEST_ALLOWED (XCR0_X87 | XCR0_SSE | XCR0_AVX)
#define FXSAVE_BYTES 512
#define MXCSR_DEFAULT 0x1f80

static const struct hv_backend *be;
static struct hv_caps caps;
static struct hv_vcpu *fpu_owner; /* whose FPU state is in this CPU's registers */
static uint64_t fpu_bytes;

static bool cpu_has_vmx(void)
{
	uint32_t a, b, c, d;
	cpuid(1, &a, &b, &c, &d);
	return (c >> 5) & 1; /* CPUID.1:ECX.VMX (SDM 3C 23.6) */
}

static bool cpu_has_svm(void)
{
	uint32_t a, b, c, d;
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x80000001)
		return false;
	cpuid(0x80000001, &a, &b, &c, &d);
	return (c >> 2) & 1; /* CPUID Fn8000_0001_ECX.SVM (APM2 15.4) */
}

/* Host FPU setup: CR0.MP|NE, no EM/TS; CR4.OSFXSR|OSXMMEXCPT, and OSXSAVE when present. */
static void fpu_init(void)
{
	uint32_t a, b, c, d;
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	cpuid(1, &a, &b, &c, &d);
	caps.xsave = (c >> 26) & 1;
	fpu_bytes = FXSAVE_BYTES;
	if (caps.xsave) {
		write_cr4(cr4 | CR4_OSXSAVE);
		cpuid2(0xd, 0, &a, &b, &c, &d);
		uint64_t supported = ((uint64_t)d << 32) | a;
		caps.xcr0_supported = supported & XCR0_GUEST_ALLOWED;
		write_xcr0(caps.xcr0_supported);
		cpuid2(0xd, 0, &a, &b, &c, &d); /* EBX: bytes for the features now in XCR0 */
		fpu_bytes = b;
	} else {
		write_cr4(cr4);
		caps.xcr0_supported = XCR0_X87 | XCR0_SSE;
	}
}

int hv_cpu_init(void)
{
	if (cpu_has_vmx())
		be = &hv_vmx_backend;
	else if (cpu_has_svm())
		be = &hv_svm_backend;
	else {
		kprintf("hv: this CPU has neither Intel VMX nor AMD SVM: univisor needs hardware virtualization\n");
		return -UV_ENOSYS;
	}
	fpu_init();
	int r = be->cpu_init(&caps);
	if (r)
		return r;
	caps.backend = be->name;
	if (!caps.nested_paging) {
		kprintf("hv: %s without nested paging (EPT/NPT): not supported\n", be->name);
		return -UV_ENOSYS;
	}
	return 0;
}

const struct hv_caps *hv_caps(void) { return &caps; }

uint64_t hv_guest_cr0(void) { return CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG; }
uint64_t hv_guest_cr4(void) { return CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT | (caps.xsave ? CR4_OSXSAVE : 0); }
uint64_t hv_guest_efer(void) { return EFER_LME | EFER_LMA | EFER_NXE; }

int hv_guest_xsetbv(struct hv_vcpu *vcpu, uint32_t xcr, uint64_t value)
{
	/* SDM 1 13.3: x87 must be set; AVX needs SSE; only bits we switch are allowed. */
	if (xcr != 0 || !caps.xsave || !(value & XCR0_X87) || (value & ~caps.xcr0_supported) ||
	    ((value & XCR0_AVX) && !(value & XCR0_SSE)))
		return -UV_EINVAL;
	vcpu->xcr0 = value;
	write_xcr0(value);
	return 0;
}

/* ---- FPU switching: lazy, on entry, by owner ---- */
static void fpu_save(struct hv_vcpu *v)
{
	if (caps.xsave)
		__asm__ volatile("xsave64 (%0)" : : "r"(v->fpu_area), "a"((uint32_t)v->xcr0), "d"((uint32_t)(v->xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(v->fpu_area) : "memory");
}

static void fpu_load(struct hv_vcpu *v)
{
	if (caps.xsave) {
		write_xcr0(v->xcr0);
		__asm__ volatile("xrstor64 (%0)" : : "r"(v->fpu_area), "a"((uint32_t)v->xcr0), "d"((uint32_t)(v->xcr0 >> 32)) : "memory");
	} else {
		__asm__ volatile("fxrstor64 (%0)" : : "r"(v->fpu_area) : "memory");
	}
}

static int fpu_create(struct hv_vcpu *v)
{
	uint64_t pages = (fpu_bytes + 4095) / 4096;
	v->fpu_area = (void *)(uintptr_t)kalloc_pages(pages, 1);
	if (!v->fpu_area)
		return -UV_ENOMEM;
	v->fpu_area_bytes = pages * 4096;
	/* Zeroed area = init state (XSTATE_BV 0); MXCSR is loaded regardless (SDM 1 13.8). */
	uint32_t mxcsr = MXCSR_DEFAULT;
	memcpy((uint8_t *)v->fpu_area + 24, &mxcsr, 4);
	if (!caps.xsave) {
		uint16_t fcw = 0x37f;
		memcpy(v->fpu_area, &fcw, 2);
	}
	v->xcr0 = caps.xsave ? caps.xcr0_supported : 0;
	return 0;
}

/* ---- The API ---- */
int hv_vm_create(struct hv_vm **out) { return be->vm_create(out); }
void hv_vm_destroy(struct hv_vm *vm) { if (vm) be->vm_destroy(vm); }
int hv_vm_map(struct hv_vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned prot)
{
	return be->vm_map(vm, gpa, hpa, size, prot);
}
int hv_vm_unmap(struct hv_vm *vm, uint64_t gpa, uint64_t size) { return be->vm_unmap(vm, gpa, size); }
int hv_vm_translate(struct hv_vm *vm, uint64_t gpa, uint64_t *hpa, unsigned *prot)
{
	return be->vm_translate(vm, gpa, hpa, prot);
}

int hv_vcpu_create(struct hv_vm *vm, const struct hv_vcpu_setup *setup, struct hv_vcpu **out)
{
	struct hv_vcpu *v;
	int r = be->vcpu_create(vm, setup, &v);
	if (r)
		return r;
	v->vm = vm;
	v->cancel = 0;
	r = fpu_create(v);
	if (r) {
		be->vcpu_destroy(v);
		return r;
	}
	*out = v;
	return 0;
}

void hv_vcpu_destroy(struct hv_vcpu *v)
{
	if (!v)
		return;
	if (fpu_owner == v)
		fpu_owner = 0;
	void *area = v->fpu_area;
	uint64_t bytes = v->fpu_area_bytes;
	be->vcpu_destroy(v);
	if (area)
		kfree_pages((uint64_t)(uintptr_t)area, bytes / 4096);
}

void hv_vcpu_get_regs(struct hv_vcpu *v, struct hv_regs *r) { be->get_regs(v, r); }
void hv_vcpu_set_regs(struct hv_vcpu *v, const struct hv_regs *r) { be->set_regs(v, r); }
void hv_vcpu_set_rax(struct hv_vcpu *v, uint64_t rax) { be->set_rax(v, rax); }
void hv_vcpu_set_cpuid_result(struct hv_vcpu *v, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	be->set_cpuid_result(v, a, b, c, d);
}
int hv_vcpu_inject(struct hv_vcpu *v, uint8_t vector, bool has_error_code, uint32_t error_code)
{
	return be->inject(v, vector, has_error_code, error_code);
}

void hv_vcpu_cancel(struct hv_vcpu *v)
{
	v->cancel = 1;
	/* One CPU for now: an interrupt that calls this has already made the guest exit. */
}

int hv_vcpu_run(struct hv_vcpu *v, uint64_t slice_tsc, struct hv_exit *exit)
{
	/* Every hypercall comes through here twice: keep it to two tests. */
	if (__builtin_expect(v->cancel, 0)) {
		v->cancel = 0;
		exit->reason = HV_EXIT_CANCELED;
		exit->rip = 0;
		exit->vendor_code = 0;
		return 0;
	}
	if (__builtin_expect(fpu_owner != v, 0)) {
		if (fpu_owner)
			fpu_save(fpu_owner);
		fpu_load(v);
		fpu_owner = v;
	}
	return be->run(v, slice_tsc, exit);
}

uint64_t hv_vm_overhead_bytes(const struct hv_vm *vm) { return vm->overhead_bytes; }
uint64_t hv_vcpu_overhead_bytes(const struct hv_vcpu *v) { return v->overhead_bytes + v->fpu_area_bytes; }

const char *hv_exit_reason_name(enum hv_exit_reason r)
{
	static const char *const n[] = {
		[HV_EXIT_HYPERCALL] = "hypercall", [HV_EXIT_MEMORY_ACCESS] = "memory access",
		[HV_EXIT_IO_PORT] = "I/O port", [HV_EXIT_MSR] = "MSR", [HV_EXIT_CPUID] = "CPUID",
		[HV_EXIT_EXCEPTION] = "exception", [HV_EXIT_HALT] = "HLT", [HV_EXIT_TIMESLICE] = "time slice",
		[HV_EXIT_INTERRUPT] = "interrupt",
		[HV_EXIT_UNRECOVERABLE] = "triple fault", [HV_EXIT_INVALID_STATE] = "invalid guest state",
		[HV_EXIT_UNSUPPORTED] = "unsupported instruction", [HV_EXIT_CANCELED] = "canceled",
	};
	return (unsigned)r < sizeof(n) / sizeof(n[0]) && n[r] ? n[r] : "unknown";
}

const char *hv_exception_name(uint8_t v)
{
	static const char *const n[32] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#MF-old", "#TS", "#NP",
		"#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	};
	return v < 32 && n[v] ? n[v] : "#?";
}
