/* hv/svm/svm_guestwalk.c: reads guest memory at a guest virtual address by walking the guest's own page tables (the SVM decoder's, when the CPU saves no next RIP; VMX reports the exiting instruction's length). */
#include "hv/hv_backend.h"
#include "kernel/lib/kstring.h"
#include "kernel/arch/x86.h"

#define PTE_P 1ull
#define PTE_PS (1ull << 7)
#define ADDR 0x000ffffffffff000ull

/* Guest-physical -> host pointer for one byte range inside one page, or NULL. */
static const uint8_t *gpa_ptr(struct hv_vm *vm, uint64_t gpa)
{
	uint64_t hpa;
	unsigned prot;
	if (hv_vm_translate(vm, gpa, &hpa, &prot))
		return 0;
	return (const uint8_t *)(uintptr_t)hpa;
}

/* 4-level walk (SDM 3A 4.5); returns the guest-physical address or ~0. */
static uint64_t walk(struct hv_vm *vm, uint64_t cr3, uint64_t gva)
{
	uint64_t table = cr3 & ADDR;
	for (int level = 4; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		const uint8_t *p = gpa_ptr(vm, table + ((gva >> shift) & 511) * 8);
		if (!p)
			return ~0ull;
		uint64_t e;
		memcpy(&e, p, 8);
		if (!(e & PTE_P))
			return ~0ull;
		if (level == 1 || (level <= 3 && (e & PTE_PS))) {
			uint64_t mask = (1ull << shift) - 1;
			return ((e & ADDR) & ~mask) | (gva & mask);
		}
		table = e & ADDR;
	}
	return ~0ull;
}

const uint8_t *hv_guest_map_virt(struct hv_vm *vm, uint64_t cr3, uint64_t gva, size_t *avail)
{
	uint64_t gpa = walk(vm, cr3, gva);
	const uint8_t *p = gpa == ~0ull ? 0 : gpa_ptr(vm, gpa);
	*avail = p ? PAGE_SIZE - (gpa & (PAGE_SIZE - 1)) : 0;
	return p;
}

size_t hv_guest_read_virt(struct hv_vm *vm, uint64_t cr3, uint64_t gva, void *buf, size_t len)
{
	size_t done = 0, avail;
	const uint8_t *p;
	while (done < len && (p = hv_guest_map_virt(vm, cr3, gva + done, &avail))) {
		size_t chunk = avail < len - done ? avail : len - done;
		memcpy((uint8_t *)buf + done, p, chunk);
		done += chunk;
	}
	return done;
}
