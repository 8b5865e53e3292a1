/* kernel/mm/paging.c: builds the kernel's page tables with the generic builder and loads CR3. */
#include "kernel/mm/paging.h"
#include "kernel/mm/pt.h"
#include "kernel/mm/mm.h"
#include "kernel/arch/cpu.h"
#include "kernel/console/console.h"
#include "include/abi/uv_errno.h"
#include "kernel/arch/x86.h"
#include "kernel/arch/cpufeature.h"

#define MAX_GUARDS 8

static struct pt kpt;
static struct pt_format kfmt;
static uint64_t guards[MAX_GUARDS];
static unsigned n_guards;


void paging_add_guard(uint64_t va)
{
	if (n_guards == MAX_GUARDS)
		panic("too many guard pages");
	guards[n_guards++] = va & ~0xfffull;
}

static bool is_guard(uint64_t va)
{
	for (unsigned i = 0; i < n_guards; i++)
		if (guards[i] == va)
			return true;
	return false;
}

/* Identity-maps [start, end). */
static void map_or_panic(uint64_t start, uint64_t end, unsigned prot)
{
	int r = pt_map(&kpt, start, start, end - start, prot);
	if (r)
		panic("kernel map [%#llx, %#llx) failed: %d", (unsigned long long)start, (unsigned long long)end, r);
}

/* Maps [start, end) with prot, page by page runs, skipping guard pages. */
static void map_skipping_guards(uint64_t start, uint64_t end, unsigned prot)
{
	uint64_t run = start;
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		if (is_guard(va)) {
			if (va > run)
				map_or_panic(run, va, prot);
			run = va + PAGE_SIZE;
		}
	}
	if (end > run)
		map_or_panic(run, end, prot);
}

void paging_init(const struct boot_info *bi)
{
	uint32_t a, b, c, d;
	cpuid(0x80000001, &a, &b, &c, &d);
	kfmt = rdmsr(MSR_EFER) & EFER_NXE ? pt_x86_format : pt_x86_format_nonx;
	kfmt.max_leaf_level = d & CPUID_80000001_EDX_1G ? 3 : 2;
	if (pt_init(&kpt, &kfmt, &mm_table_mem))
		panic("no memory for the kernel page tables");

	uint64_t ks = (uint64_t)(uintptr_t)__kernel_start, ke = (uint64_t)(uintptr_t)__kernel_end;
	for (size_t i = 0; i < bi->n_regions; i++) {
		const struct boot_region *r = &bi->regions[i];
		if (r->type != BOOT_MEM_RAM && r->type != BOOT_MEM_ACPI)
			continue;
		uint64_t s = page_round_up(r->base), e = page_round_down(r->base + r->len);
		if (s < PAGE_SIZE)
			s = PAGE_SIZE; /* page 0 stays unmapped: NULL faults in the kernel too */
		if (e > (1ull << 46))
			e = 1ull << 46;
		if (s >= e)
			continue;
		/* The image gets its own per-section mapping below. */
		if (s < ks)
			map_or_panic(s, e < ks ? e : ks, PROT_R | PROT_W | PT_GLOBAL);
		if (e > ke)
			map_or_panic(s > ke ? s : ke, e, PROT_R | PROT_W | PT_GLOBAL);
	}
	map_or_panic((uint64_t)(uintptr_t)__text_start, (uint64_t)(uintptr_t)__text_end, PROT_R | PROT_X | PT_GLOBAL);
	map_or_panic((uint64_t)(uintptr_t)__rodata_start, (uint64_t)(uintptr_t)__rodata_end, PROT_R | PT_GLOBAL);
	map_skipping_guards((uint64_t)(uintptr_t)__data_start, (uint64_t)(uintptr_t)__bss_end,
			    PROT_R | PROT_W | PT_GLOBAL);

	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(kpt.root);
}

int paging_map_mmio(uint64_t pa, uint64_t size)
{
	uint64_t s = page_round_down(pa), e = page_round_up(pa + size);
	uint64_t got;
	unsigned prot;
	int level;
	/* Already mapped (a second device in the same page): fine if uncached. */
	if (pt_lookup(&kpt, s, &got, &prot, &level) == 0)
		return (prot & PT_UC) ? 0 : -UV_EINVAL;
	int r = pt_map(&kpt, s, s, e - s, PROT_R | PROT_W | PT_UC);
	if (r == 0)
		for (uint64_t va = s; va < e; va += PAGE_SIZE)
			invlpg(va);
	return r;
}

int paging_lookup(uint64_t va, uint64_t *pa, unsigned *prot)
{
	int level;
	return pt_lookup(&kpt, va, pa, prot, &level);
}
