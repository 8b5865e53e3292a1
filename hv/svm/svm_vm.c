/* hv/svm/svm_vm.c: a VM's guest-physical address space (NPT built with kernel/mm/pt.c), its ASID, and TLB flushes. */
#include "hv/svm/svm.h"
#include "kernel/mm/mm.h"
#include "include/abi/uv_errno.h"

static struct svm_vm *to_svm(struct hv_vm *vm) { return (struct svm_vm *)vm; }

static void update_overhead(struct svm_vm *vm) { vm->common.overhead_bytes = PAGE_SIZE * (1 + vm->npt.tables); }

int svm_vm_create(struct hv_vm **out)
{
	struct svm_vm *vm = kalloc_page();
	if (!vm)
		return -UV_ENOMEM;
	vm->asid = svm_asid_alloc();
	if (!vm->asid) {
		kfree_page(vm);
		return -UV_ENOMEM;
	}
	int r = pt_init(&vm->npt, &svm_model.npt_format, &mm_table_mem);
	if (r) {
		svm_asid_free(vm->asid);
		kfree_page(vm);
		return r;
	}
	vm->common.tables = &vm->npt;
	vm->flush = true; /* the ASID may hold a previous VM's translations */
	update_overhead(vm);
	*out = &vm->common;
	return 0;
}

void svm_vm_destroy(struct hv_vm *v)
{
	struct svm_vm *vm = to_svm(v);
	pt_destroy(&vm->npt);
	svm_asid_free(vm->asid); /* its next owner starts with a flush (svm_vm_create) */
	kfree_page(vm);
}

int svm_vm_map(struct hv_vm *v, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned prot)
{
	struct svm_vm *vm = to_svm(v);
	if (!(prot & PROT_R) || (prot & ~PROT_RWX))
		return -UV_EINVAL; /* NPT cannot express write- or execute-only */
	int r = pt_map(&vm->npt, gpa, hpa, size, prot);
	update_overhead(vm);
	return r;
}

int svm_vm_unmap(struct hv_vm *v, uint64_t gpa, uint64_t size)
{
	struct svm_vm *vm = to_svm(v);
	int r = pt_unmap(&vm->npt, gpa, size);
	vm->flush = true; /* APM2 15.16.1: the ASID's cached translations must go */
	vm->map_gen++;
	update_overhead(vm);
	return r;
}
