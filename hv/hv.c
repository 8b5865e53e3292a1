/* hv/hv.c: picks the backend by CPUID and dispatches the API to it; owns what both share: the VMs' nested tables, the vCPUs' allocation and general registers, guest FPU/XSAVE state. */
#include "hv/hv_backend.h"
#include "hv/fpu.h"
#include "hv/spec.h"
#include "hv/switch.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/mm/mm.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_errno.h"
#include "kernel/arch/x86.h"
#include "kernel/arch/cpufeature.h"


static const struct hv_backend *be;
static struct hv_caps caps;
/* An image built with one backend (kernel-vmx.o, kernel-svm.o: its config's hv) lacks the
 * other: referred to weakly, the missing one's address is 0. The definitions stay strong. */
extern const struct hv_backend hv_vmx_backend __attribute__((weak));
extern const struct hv_backend hv_svm_backend __attribute__((weak));


static bool cpu_has_vmx(void)
{
	uint32_t a, b, c, d;
	cpuid(1, &a, &b, &c, &d);
	return (c & CPUID_1_ECX_VMX) != 0; /* CPUID.1:ECX.VMX (SDM 3C 23.6) */
}

static bool cpu_has_svm(void)
{
	uint32_t a, b, c, d;
	cpuid_leaf(0x80000001, &a, &b, &c, &d);
	return (c & CPUID_80000001_ECX_SVM) != 0; /* CPUID Fn8000_0001_ECX.SVM (APM2 15.4) */
}

/* IA32_TSC_AUX is what RDTSCP and RDPID return in the guest: it holds each app's own
 * value while it runs (never the host's), set lazily when the CPU changes apps. */
static void tsc_aux_init(struct hv_percpu *cpu)
{
	uint32_t a, b, c, d, ext_d, ecx7;
	cpuid_leaf(0x80000001, &a, &b, &c, &ext_d);
	cpuid_leaf(7, &a, &b, &ecx7, &d);
	cpu->tsc_aux_msr = (ext_d & CPUID_80000001_EDX_RDTSCP) || (ecx7 & CPUID_7_ECX_RDPID);
	if (cpu->tsc_aux_msr && wrmsr_safe(MSR_TSC_AUX, 0))
		cpu->tsc_aux_msr = false;
	cpu->tsc_aux = 0;
}

int hv_cpu_init(void)
{
	bool vmx = cpu_has_vmx(), svm = cpu_has_svm();
	be = vmx && &hv_vmx_backend ? &hv_vmx_backend : svm && &hv_svm_backend ? &hv_svm_backend : NULL;
	if (!vmx && !svm) {
		kprintf("hv: this CPU has neither Intel VMX nor AMD SVM: univisor needs hardware virtualization\n");
		return -UV_ENOSYS;
	}
	if (!be) { /* an image built for the other vendor (its config's hv = vmx or svm) */
		kprintf("hv: this CPU has %s, but this image carries only the %s backend (built with hv = %s): "
			"build it with hv = %s or hv = both\n", vmx ? "Intel VMX" : "AMD SVM", vmx ? "SVM" : "VMX",
			vmx ? "svm" : "vmx", vmx ? "vmx" : "svm");
		return -UV_ENOSYS;
	}
	struct hv_percpu *cpu = kalloc_page();
	if (!cpu) {
		kprintf("hv: out of memory for the per-CPU state\n");
		return -UV_ENOMEM;
	}
	this_cpu()->hv = cpu;
	fpu_init();
	caps.xsave = fpu_host.xsave;
	caps.xcr0_supported = fpu_host.xcr0;
	int r = be->cpu_init(&caps, cpu);
	if (r)
		return r;
	caps.backend = be->name;
	tsc_aux_init(cpu);
	caps.rdtscp = caps.rdtscp && cpu->tsc_aux_msr;
	spec_init(caps.vendor == HV_VENDOR_VMX);
	return 0;
}

const struct hv_caps *hv_caps(void) { return &caps; }

uint64_t hv_all_ones(uint64_t bytes)
{
	uint64_t pa = kalloc_pages(bytes / PAGE_SIZE, 1);
	if (pa)
		memset((void *)(uintptr_t)pa, 0xff, bytes);
	return pa;
}

uint64_t hv_guest_cr0(void) { return CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG; }
uint64_t hv_guest_cr4(void) { return CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT | (caps.xsave ? CR4_OSXSAVE : 0); }
uint64_t hv_guest_efer(void) { return EFER_LME | EFER_LMA | EFER_NXE; }

int hv_guest_xsetbv(struct hv_vcpu *v) { return fpu_guest_xsetbv(v, (uint32_t)v->gprs.rcx, hv_edx_eax(v)); }

int hv_xsetbv_refused_exit(struct hv_exit *e)
{
	e->reason = HV_EXIT_EXCEPTION;
	e->exception = (struct hv_exception){ .vector = EXC_GP, .has_error_code = true,
					      .why = "XSETBV with a value the kernel refuses" };
	return 0;
}

void hv_single_step_pending(struct hv_vcpu *v) { v->step_owed = true; }

/* ---- The API ---- */
int hv_vm_create(struct hv_vm **out)
{
	struct hv_vm *vm = kalloc_page();
	if (!vm)
		return -UV_ENOMEM;
	int r = pt_init(&vm->tables, hv_this_cpu()->npt_format, &mm_table_mem);
	if (!r && (r = be->vm_init(vm)))
		pt_destroy(&vm->tables);
	if (r) {
		kfree_page(vm);
		return r;
	}
	*out = vm;
	return 0;
}

void hv_vm_destroy(struct hv_vm *vm)
{
	if (!vm)
		return;
	be->vm_fini(vm);
	pt_destroy(&vm->tables);
	kfree_page(vm);
}

int hv_vm_map(struct hv_vm *vm, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned prot)
{
	if (be->vm_map_check(prot, hpa, size))
		return -UV_EINVAL;
	/* New entries replace not-present ones only (pt_map refuses overlaps), and no CPU caches
	 * a translation from a not-present entry (EPT: SDM 3C 28.4.3.1; NPT entries are x86 page
	 * table entries, SDM 3A 4.10.2.3): nothing to flush. */
	return pt_map(&vm->tables, gpa, hpa, size, prot);
}

int hv_vm_unmap(struct hv_vm *vm, uint64_t gpa, uint64_t size)
{
	int r = pt_unmap(&vm->tables, gpa, size);
	be->vm_flush(vm); /* also after a partial unmap: some entries may be gone */
	return r;
}

int hv_vm_translate(struct hv_vm *vm, uint64_t gpa, uint64_t *hpa, unsigned *prot)
{
	int level;
	if (pt_lookup(&vm->tables, gpa, hpa, prot, &level))
		return -UV_EFAULT;
	*prot &= PROT_RWX;
	return 0;
}

int hv_vcpu_create(struct hv_vm *vm, const struct hv_vcpu_setup *setup, struct hv_vcpu **out)
{
	/* #DB and #AC always exit, so no event can be delivered to the guest forever without
	 * the kernel seeing it (an exception that recurs during its own delivery: the pattern
	 * of CVE-2015-8104 and CVE-2015-5307); #MC always goes to the host's handling. The
	 * kernel passes #DB and #AC on to an app that handles its own exceptions. */
	struct hv_vcpu_setup s = *setup;
	s.exception_intercepts |= (1u << EXC_DB) | (1u << EXC_AC) | (1u << EXC_MC);
	struct hv_vcpu *v = kalloc_page();
	if (!v)
		return -UV_ENOMEM;
	v->vm = vm;
	v->gprs.rdi = setup->rdi;
	v->tsc_aux = setup->tsc_aux;
	int r = be->vcpu_init(v, &s);
	if (!r && (r = fpu_area_create(v)))
		be->vcpu_fini(v);
	if (r) {
		kfree_page(v);
		return r;
	}
	*out = v;
	return 0;
}

void hv_vcpu_destroy(struct hv_vcpu *v)
{
	if (!v)
		return;
	struct hv_percpu *cpu = hv_this_cpu();
	if (cpu->current == v)
		cpu->current = 0; /* its registers stay until the next app's image replaces them all */
	fpu_area_destroy(v);
	be->vcpu_fini(v);
	kfree_page(v);
}

void hv_vcpu_get_regs(struct hv_vcpu *v, struct hv_regs *r)
{
	const struct hv_gprs *g = &v->gprs;
	*r = (struct hv_regs){
		.rax = *v->rax, .rbx = g->rbx, .rcx = g->rcx, .rdx = g->rdx, .rsi = g->rsi, .rdi = g->rdi, .rbp = g->rbp,
		.r8 = g->r8, .r9 = g->r9, .r10 = g->r10, .r11 = g->r11, .r12 = g->r12, .r13 = g->r13, .r14 = g->r14,
		.r15 = g->r15,
	};
	be->get_regs(v, r);
}

void hv_vcpu_set_rax(struct hv_vcpu *v, uint64_t rax) { *v->rax = rax; }
void hv_vcpu_set_hypercall_fn(struct hv_vcpu *v, hv_hypercall_fn fn, void *owner)
{
	v->hc_fn = fn;
	v->hc_owner = owner;
}
void hv_vcpu_set_cpuid_result(struct hv_vcpu *v, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	*v->rax = a; /* CPUID zero-extends into the 64-bit registers */
	v->gprs.rbx = b;
	v->gprs.rcx = c;
	v->gprs.rdx = d;
}
int hv_vcpu_inject(struct hv_vcpu *v, uint8_t vector, bool has_error_code, uint32_t error_code)
{
	return be->inject(v, vector, has_error_code, error_code);
}

void hv_set_handoff_fn(hv_handoff_fn fn) { hv_this_cpu()->handoff = fn; }
bool hv_vcpu_ready(const struct hv_vcpu *v) { return !v->step_owed && v->hc_fn; }

int hv_single_step_exit(struct hv_vcpu *v, struct hv_exit *exit)
{
	struct hv_regs r;
	v->step_owed = false;
	be->get_regs(v, &r);
	exit->rip = r.rip; /* a trap: after the instruction that completed */
	exit->vendor_code = 0;
	exit->reason = HV_EXIT_EXCEPTION;
	exit->exception = (struct hv_exception){
		.vector = EXC_DB, .why = "single-step trap after an instruction the kernel completed",
	};
	return 0;
}

int hv_vcpu_run(struct hv_vcpu *v, uint64_t slice_end, struct hv_exit *exit)
{
	/* Hypercalls that go on complete inside the backend: this runs once per slice. */
	if (__builtin_expect(v->step_owed, 0))
		return hv_single_step_exit(v, exit);
	if (__builtin_expect(hv_this_cpu()->current != v, 0))
		hv_switch_to(v);
	return be->run(v, slice_end, exit);
}

/* The VM's page and its tables; the vCPU's page, its VMCS/VMCB and its FPU image. */
uint64_t hv_vm_overhead_bytes(const struct hv_vm *vm) { return (1 + vm->tables.tables) * PAGE_SIZE; }
uint64_t hv_vcpu_overhead_bytes(const struct hv_vcpu *v) { return 2 * PAGE_SIZE + v->fpu_area_bytes; }
