/* kernel/test/selftest_hv.c: the test kernel's hv self-test: a tiny guest through the hv.h API, one exit of each kind. */
#include <stdarg.h>
#include "kernel/test/selftest.h"
#include "kernel/console/console.h"
#include "kernel/app/guest.h"
#include "kernel/app/guestmem.h"
#include "kernel/mm/mm.h"
#include "kernel/dev/lapic.h"
#include "kernel/dev/time.h"
#include "kernel/arch/trap.h"
#include "kernel/lib/kstring.h"
#include "hv/hv.h"
#include "include/abi/uv_abi.h"
#include "kernel/arch/x86.h"

extern const uint8_t hvtest_guest_start[], hvtest_guest_end[], hvtest_hc1[], hvtest_hc2[];
extern const uint8_t hvtest_ud2[], hvtest_out[], hvtest_rdmsr[], hvtest_xsetbv0[];

#define CODE 0x200000ull
#define HOLE 0x300000ull

static int failures;

__attribute__((format(printf, 3, 4))) static void check(const char *name, int ok, const char *fmt, ...)
{
	if (ok) {
		kprintf("hvtest: %s ok\n", name);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	kprintf("hvtest: %s FAILED: ", name);
	kvprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
	failures++;
}

static uint64_t off(const uint8_t *label) { return CODE + (uint64_t)(label - hvtest_guest_start); }

/* Runs until an exit that is not a host interrupt. */
static int run(struct hv_vcpu *v, struct hv_exit *e)
{
	for (;;) {
		int r = hv_vcpu_run(v, 0, e);
		if (r || e->reason != HV_EXIT_INTERRUPT)
			return r;
		__asm__ volatile("sti; nop; cli");
	}
}

/* Goes on past the instruction at label that exited and that the kernel does not complete
 * (it would stop an app there): NOPs over its bytes in g, so it runs on from there. */
static void skip(struct guestmem *g, const uint8_t *label, uint64_t bytes)
{
	memset(guest_ptr(g, off(label)), 0x90, bytes);
}

static volatile int ticks;
static void tick(struct trap_frame *f)
{
	(void)f;
	ticks++;
}

/* The LAPIC tick (what ends an app's slice) makes the spinning guest's run return with
 * HV_EXIT_INTERRUPT, and the kernel takes the interrupt once it enables them. */
static void check_interrupt_exit(struct hv_vcpu *v)
{
	struct hv_exit e;
	trap_set_handler(VEC_TIMER, tick);
	lapic_timer_oneshot(time_lapic_hz() / 1000 + 1); /* ~1 ms */
	int r = hv_vcpu_run(v, 0, &e);
	__asm__ volatile("sti; nop; cli");
	lapic_timer_stop();
	trap_set_handler(VEC_TIMER, 0);
	check("interrupt-exit", r == 0 && e.reason == HV_EXIT_INTERRUPT && ticks == 1, "reason %d (%s), %d ticks",
	      e.reason, hv_exit_reason_name(e.reason), ticks);
}

void selftest_hv(void)
{
	struct guestmem g = { 0 };
	struct guest_layout L;
	struct hv_vm *vm;
	struct hv_vcpu *v;
	struct hv_exit e;
	const char *why = "";
	uint64_t code_len = (uint64_t)(hvtest_guest_end - hvtest_guest_start);
	kprintf("hvtest: backend %s\n", hv_caps()->backend);

	/* A 4 MiB guest: code at 0x200000, stack at the top. */
	const struct uv_manifest_load code = { .vaddr = CODE, .memsz = PAGE_SIZE, .filesz = code_len, .flags = UV_LOAD_R | UV_LOAD_X };
	const struct guest_image img = { (const uint8_t *)hvtest_guest_start, &code, 1, CODE + PAGE_SIZE };
	if (guestmem_alloc(&g, 4ull << 20) || guest_build(&g, &img, 64 * 1024, &L, &why)) {
		check("setup", 0, "guest memory: %s", why);
		return;
	}
	/* The hypercall instruction of this vendor (VMCALL 0f 01 c1 / VMMCALL 0f 01 d9). */
	uint8_t third = hv_caps()->hc_insn == UV_HC_INSN_VMMCALL ? 0xd9 : 0xc1;
	*((uint8_t *)guest_ptr(&g, off(hvtest_hc1)) + 2) = third;
	*((uint8_t *)guest_ptr(&g, off(hvtest_hc2)) + 2) = third;

	check("vm-create", hv_vm_create(&vm) == 0, "returned an error");
	for (uint64_t i = 0; i < g.n_chunks; i++)
		hv_vm_map(vm, i * GUESTMEM_CHUNK, guestmem_chunk_ready(&g, i), guestmem_chunk_size(&g, i), PROT_R | PROT_W | PROT_X);
	uint64_t hpa;
	unsigned prot;
	check("vm-translate", hv_vm_translate(vm, HOLE + 8, &hpa, &prot) == 0 && hpa == g.chunk_hpa[1] + 0x100008,
	      "hpa %#llx expected %#llx",
	      (unsigned long long)hpa, (unsigned long long)(g.chunk_hpa[1] + 0x100008));
	check("vm-map-overlap-refused", hv_vm_map(vm, HOLE, g.chunk_hpa[0], PAGE_SIZE, PROT_R) != 0, "returned an error");
	check("vm-unmap", hv_vm_unmap(vm, HOLE, PAGE_SIZE) == 0 && hv_vm_translate(vm, HOLE, &hpa, &prot) != 0 &&
	      hv_vm_translate(vm, HOLE + PAGE_SIZE, &hpa, &prot) == 0, "returned an error");

	struct hv_vcpu_setup st = {
		.rip = CODE, .rsp = L.stack_top, .rdi = UV_GUEST_BOOTINFO, .rflags = 2, .cr3 = L.pml4,
		.gdt_base = L.gdt, .gdt_limit = L.gdt_limit, .tss_base = L.tss, .exception_intercepts = 0xffffffff,
	};
	if (hv_vcpu_create(vm, &st, &v)) {
		check("vcpu-create", 0, "returned an error");
		return;
	}
	int r = run(v, &e);
	check("exit-hypercall", r == 0 && e.reason == HV_EXIT_HYPERCALL && e.hypercall.nr == 0 &&
	      e.rip == off(hvtest_hc1), "reason %d rip %#llx", e.reason, (unsigned long long)e.rip);
	hv_vcpu_set_rax(v, 0x55);
	run(v, &e);
	check("exit-cpuid", e.reason == HV_EXIT_CPUID && e.cpuid.leaf == 1, "reason %d leaf %u", e.reason, e.cpuid.leaf);
	hv_vcpu_set_cpuid_result(v, 11, 22, 33, 44);
	run(v, &e);
	check("exit-hlt", e.reason == HV_EXIT_HALT, "reason %d", e.reason);
	run(v, &e);
	check("exit-io", e.reason == HV_EXIT_IO_PORT && e.io.port == 0x80 && e.io.write && e.io.size == 1 &&
	      e.rip == off(hvtest_out), "reason %d port %#x", e.reason, e.io.port);
	skip(&g, hvtest_out, 1);
	run(v, &e);
	check("exit-msr", e.reason == HV_EXIT_MSR && e.msr.index == 0x10 && !e.msr.write && e.rip == off(hvtest_rdmsr),
	      "reason %d msr %#x", e.reason, e.msr.index);
	skip(&g, hvtest_rdmsr, 2);
	run(v, &e);
	check("exit-memory", e.reason == HV_EXIT_MEMORY_ACCESS && e.mem.gpa == HOLE && e.mem.access == PROT_R,
	      "reason %d gpa %#llx", e.reason, (unsigned long long)e.mem.gpa);
	uint64_t magic = 0x1122334455667788ull;
	guest_copy_out(&g, HOLE, &magic, 8);
	check("vm-remap", hv_vm_map(vm, HOLE, g.chunk_hpa[1] + (HOLE - GUESTMEM_CHUNK), PAGE_SIZE,
				     PROT_R | PROT_W | PROT_X) == 0, "returned an error");
	run(v, &e);
	check("exit-exception", e.reason == HV_EXIT_EXCEPTION && e.exception.vector == EXC_UD && e.rip == off(hvtest_ud2),
	      "reason %d vector %u", e.reason, e.exception.vector);
	skip(&g, hvtest_ud2, 2);
	run(v, &e);
	check("xsetbv-refused-gp", e.reason == HV_EXIT_EXCEPTION && e.exception.vector == EXC_GP, "reason %d vector %u",
	      e.reason, e.exception.vector);
	skip(&g, hvtest_xsetbv0, 3);
	run(v, &e);
	check("exit-hypercall-args", e.reason == HV_EXIT_HYPERCALL && e.hypercall.nr == 1 && e.hypercall.arg[0] == 0x55 &&
	      e.hypercall.arg[5] == 0x99, "nr %llu arg0 %#llx", (unsigned long long)e.hypercall.nr, (unsigned long long)e.hypercall.arg[0]);
	check("cpuid-result", e.hypercall.arg[3] == 22, "rbx after cpuid %llu, expected 22", (unsigned long long)e.hypercall.arg[3]);
	check("unmapped-page-reread", e.hypercall.arg[4] == magic, "read %#llx, expected %#llx", (unsigned long long)e.hypercall.arg[4], (unsigned long long)magic);
	if (hv_caps()->xsave)
		check("xsetbv", e.hypercall.arg[1] == hv_caps()->xcr0_supported && e.hypercall.arg[2] == 3,
		      "xcr0 initial %#llx, after xsetbv %#llx",
		      (unsigned long long)e.hypercall.arg[1], (unsigned long long)e.hypercall.arg[2]);
	struct hv_regs regs;
	hv_vcpu_get_regs(v, &regs);
	/* The guest now spins (jmp .) until the LAPIC tick. */
	check_interrupt_exit(v);
	check("regs", regs.rdi == 0x55 && regs.r9 == 0x99 && regs.rip == off(hvtest_hc2) + 3, "rdi %#llx rip %#llx",
	      (unsigned long long)regs.rdi, (unsigned long long)regs.rip);
	uint64_t before = mm_pages_in_use();
	hv_vcpu_destroy(v);
	hv_vm_destroy(vm);
	guestmem_free(&g);
	check("teardown-frees", mm_pages_in_use() < before, "pages in use %llu, before %llu",
	      (unsigned long long)mm_pages_in_use(), (unsigned long long)before);
	kprintf("hvtest: %s, %d failed\n", failures ? "FAILED" : "done", failures);
}
