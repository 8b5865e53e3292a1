/* kernel/test/selftest.c: boot-time self-tests of the test kernel: allocator, kernel page tables, a deliberate exception. */
#include "kernel/test/selftest.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/dev/lapic.h"
#include "kernel/arch/trap.h"
#include "kernel/mm/mm.h"
#include "kernel/mm/paging.h"
#include "kernel/mm/pt.h"
#include "kernel/lib/kstring.h"
#include "hv/hv.h"
#include "kernel/arch/x86.h"

/* Prints "selftest: <name> ok" or "selftest: <name> FAILED: <why>". */
static int check(const char *name, int ok, const char *why)
{
	if (ok)
		kprintf("selftest: %s ok\n", name);
	else
		kprintf("selftest: %s FAILED: %s\n", name, why);
	return ok;
}

static void test_allocator(void)
{
	uint64_t before = mm_pages_in_use();
	uint64_t a = kalloc_pages(1, 1), b = kalloc_pages(3, 1), c = kalloc_pages(512, 512);
	int ok = a && b && c && (c % (2ull << 20)) == 0 && a != b;
	check("pmm-alloc", ok, "allocation failed or misaligned");
	check("pmm-count", mm_pages_in_use() - before == 516, "free count did not drop by 516 pages");
	uint8_t *p = (uint8_t *)(uintptr_t)c;
	int zero = 1;
	for (uint64_t i = 0; i < 512 * PAGE_SIZE; i += 4093)
		zero &= p[i] == 0;
	p[0] = 0xaa;
	check("pmm-zeroed", zero, "a fresh page was not zero");
	kfree_pages(a, 1);
	kfree_pages(b, 3);
	kfree_pages(c, 512);
	uint64_t after = mm_pages_in_use();
	check("pmm-free", after == before, "pages were not given back");
	/* The same 2 MiB block comes back, zeroed again. */
	uint64_t c2 = kalloc_pages(512, 512);
	check("pmm-reuse-zeroed", c2 && ((uint8_t *)(uintptr_t)c2)[0] == 0, "reused page not zeroed");
	if (c2)
		kfree_pages(c2, 512);
	kprintf("selftest: pmm handed out 516 pages and took them back (%llu pages in use)\n",
		(unsigned long long)after);
}

static void test_paging(void)
{
	uint64_t pa;
	unsigned prot;
	check("paging-page0", paging_lookup(0, &pa, &prot) != 0, "page 0 is mapped");
	check("paging-guard", paging_lookup((uint64_t)(uintptr_t)boot_stack_guard, &pa, &prot) != 0,
	      "the boot stack guard page is mapped");
	int t = paging_lookup((uint64_t)(uintptr_t)test_paging, &pa, &prot);
	check("paging-text-rx", t == 0 && (prot & PROT_X) && !(prot & PROT_W), "kernel text is not R-X");
	static int data_word;
	t = paging_lookup((uint64_t)(uintptr_t)&data_word, &pa, &prot);
	check("paging-data-nx", t == 0 && (prot & PROT_W) && (!(rdmsr(MSR_EFER) & EFER_NXE) || !(prot & PROT_X)), "kernel data is not RW-NX");
	t = paging_lookup((uint64_t)(uintptr_t)"rodata", &pa, &prot);
	check("paging-rodata-ro", t == 0 && !(prot & PROT_W), "rodata is writable");
}

/* Sends this CPU an NMI through its LAPIC's ICR (SDM 3A 10.6.1: to its own APIC id, the
 * "self" shorthand being for fixed delivery only); lapic_init mapped the LAPIC at its address. */
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define ICR_NMI (4u << 8)      /* delivery mode NMI */
#define ICR_ASSERT (1u << 14)
#define ICR_PENDING (1u << 12) /* delivery status: send pending */
static void lapic_send_nmi_self(void)
{
	volatile uint32_t *apic = (volatile uint32_t *)(uintptr_t)(rdmsr(MSR_APIC_BASE) & 0x000ffffffffff000ull);
	apic[LAPIC_ICR_HI / 4] = (uint32_t)lapic_id() << 24;
	apic[LAPIC_ICR_LO / 4] = ICR_NMI | ICR_ASSERT;
	for (int spins = 0; (apic[LAPIC_ICR_LO / 4] & ICR_PENDING) && spins < 100000; spins++)
		cpu_relax();
}

/* An NMI in the kernel is the host's: taken, counted, and the kernel goes on. */
static void test_host_nmi(void)
{
	uint64_t before = trap_host_nmis();
	lapic_send_nmi_self();
	for (int i = 0; i < 1000 && trap_host_nmis() == before; i++)
		cpu_relax();
	check("host-nmi-in-kernel", trap_host_nmis() == before + 1, "the NMI was not taken once, or the kernel stopped");
}

void selftest_early(const struct boot_info *bi)
{
	kprintf("selftest: test kernel\n");
	test_allocator();
	test_paging();
	test_host_nmi();
	char v[4];
	if (boot_cmdline_get(bi, "hvtest", v, sizeof(v))) {
		if (hv_caps()->backend)
			selftest_hv();
		else
			kprintf("hvtest: FAILED: no hardware virtualization backend\n");
	}
	if (boot_cmdline_get(bi, "nettest", v, sizeof(v)))
		selftest_net();
	char mode[16];
	if (boot_cmdline_get(bi, "virtiotest", mode, sizeof(mode)))
		selftest_virtio(mode);
}

/* The deliberate fault: the harness compares the reported RIP with this symbol. */
__attribute__((noinline)) static void fault_ud(void)
{
	__asm__ volatile(".globl selftest_fault_ud\nselftest_fault_ud: ud2");
}
__attribute__((noinline)) static void fault_pf(void)
{
	__asm__ volatile(".globl selftest_fault_pf\nselftest_fault_pf: movq $0xdead, (%%rax)" : : "a"(0x10) : "memory");
}
static volatile int stack_limit = 1 << 30; /* never reached: the guard page stops the recursion */
__attribute__((noinline)) static int fault_stack(int depth)
{
	volatile char buf[512];
	buf[0] = (char)depth;
	if (depth < stack_limit)
		return fault_stack(depth + 1) + buf[0];
	return 0;
}

/* An instruction breakpoint on the kernel's own exception report, then a #UD: the report
 * traps at its first instruction; the kernel must stop cleanly, not recurse (the pattern
 * of an app that aimed DR0-DR3 at kernel addresses). */
__attribute__((noinline)) static void fault_nested(void)
{
	__asm__ volatile("mov %0, %%dr0\n\tmov %1, %%dr7" : : "r"((uint64_t)(uintptr_t)trap_report_exception), "r"(0x401ull));
	fault_ud();
}

void selftest_late(const struct boot_info *bi)
{
	char v[16];
	if (!boot_cmdline_get(bi, "fault", v, sizeof(v)))
		return;
	kprintf("selftest: raising a deliberate exception (%s)\n", v);
	if (!strcmp(v, "ud"))
		fault_ud();
	else if (!strcmp(v, "pf"))
		fault_pf();
	else if (!strcmp(v, "stack"))
		fault_stack(0);
	else if (!strcmp(v, "nested"))
		fault_nested();
	kprintf("selftest: deliberate exception %s did not stop the kernel\n", v);
}
