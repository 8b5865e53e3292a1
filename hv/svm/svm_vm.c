/* hv/svm/svm_vm.c: what a VM needs of SVM beside its NPT (built by hv.c with kernel/mm/pt.c): its ASID, TLB flushes, NPT's mapping rules. */
#include "hv/svm/svm.h"
#include "include/abi/uv_errno.h"

static struct svm_vm *to_svm(struct hv_vm *vm) { return (struct svm_vm *)vm; }

int svm_vm_init(struct hv_vm *v)
{
	_Static_assert(sizeof(struct svm_vm) <= PAGE_SIZE, "svm_vm fits a page");
	struct svm_vm *vm = to_svm(v);
	vm->asid = svm_asid_alloc();
	if (!vm->asid)
		return -UV_ENOMEM;
	vm->flush = true; /* the ASID may hold a previous VM's translations */
	return 0;
}

void svm_vm_fini(struct hv_vm *v)
{
	svm_asid_free(to_svm(v)->asid); /* its next owner starts with a flush (svm_vm_init) */
}

int svm_vm_map_check(unsigned prot, uint64_t hpa, uint64_t size)
{
	(void)hpa;
	(void)size;
	if (!(prot & PROT_R) || (prot & ~PROT_RWX))
		return -UV_EINVAL; /* NPT cannot express write- or execute-only */
	return 0;
}

void svm_vm_flush(struct hv_vm *v)
{
	struct svm_vm *vm = to_svm(v);
	vm->flush = true; /* APM2 15.16.1: the ASID's cached translations go at the next VMRUN */
	vm->map_gen++;    /* and the host pointers svm_run.c caches into the VM expire */
}
