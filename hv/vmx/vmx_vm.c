/* hv/vmx/vmx_vm.c: a VM's guest-physical address space (EPT built with kernel/mm/pt.c), its VPID, and TLB invalidation. */
#include "hv/vmx/vmx.h"
#include "hv/vmx/vmx_ops.h"
#include "kernel/console/console.h"
#include "kernel/mm/mm.h"
#include "include/abi/uv_errno.h"


static struct vmx_vm *to_vmx(struct hv_vm *vm) { return (struct vmx_vm *)vm; }

static void update_overhead(struct vmx_vm *vm) { vm->common.overhead_bytes = (vm->ept.tables + 1) * PAGE_SIZE; }

/*
 * SDM 3C 28.4.3.1: after an EPT entry is changed, INVEPT drops the guest-physical and
 * combined mappings derived from this EPTP; INVVPID drops the linear ones of the VPID
 * (28.4.3.3). Single-context where offered, else all-context. Failure is a kernel bug.
 */
static void flush(struct vmx_vm *vm)
{
	int r = vmx_model.invept_single ? invept(INVEPT_SINGLE_CONTEXT, vm->eptp) : invept(INVEPT_ALL_CONTEXT, 0);
	if (r)
		panic("vmx: INVEPT for EPTP %#llx failed (%d)", (unsigned long long)vm->eptp, r);
	if (vm->vpid) {
		r = vmx_model.invvpid_single ? invvpid(INVVPID_SINGLE_CONTEXT, vm->vpid, 0) : invvpid(INVVPID_ALL_CONTEXT, 0, 0);
		if (r)
			panic("vmx: INVVPID for VPID %u failed (%d)", vm->vpid, r);
	}
}

int vmx_vm_create(struct hv_vm **out)
{
	struct vmx_vm *vm = kalloc_page();
	if (!vm)
		return -UV_ENOMEM;
	int r = pt_init(&vm->ept, ept_format(vmx_model.max_leaf_level), &mm_table_mem);
	if (r) {
		kfree_page(vm);
		return r;
	}
	vm->common.tables = &vm->ept;
	vm->eptp = ept_eptp(vm->ept.root, vmx_model.ept_wb);
	if (vmx_model.vpid) {
		vm->vpid = vmx_vpid_alloc();
		if (!vm->vpid) {
			kprintf("vmx: all %u VPIDs are in use\n", VMX_VPID_MAX);
			pt_destroy(&vm->ept);
			kfree_page(vm);
			return -UV_ENOMEM;
		}
	}
	update_overhead(vm);
	*out = &vm->common;
	return 0;
}

void vmx_vm_destroy(struct hv_vm *hvm)
{
	struct vmx_vm *vm = to_vmx(hvm);
	/* Flush before the tables go back to the allocator: a later VM may get the same
	 * root page, hence the same EPTP, and the same VPID. */
	flush(vm);
	vmx_vpid_free(vm->vpid);
	pt_destroy(&vm->ept);
	kfree_page(vm);
}

int vmx_vm_map(struct hv_vm *hvm, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned prot)
{
	struct vmx_vm *vm = to_vmx(hvm);
	if (ept_check_prot(prot, vmx_model.execute_only))
		return -UV_EINVAL;
	if (hpa + size < hpa || ((hpa + size - 1) >> vmx_model.phys_bits) != 0)
		return -UV_EINVAL;
	/* New entries replace not-present ones only (pt_map refuses overlaps): the CPU caches
	 * no not-present EPT entries beyond an EPT violation, which flushes them (28.4.3.1). */
	int r = pt_map(&vm->ept, gpa, hpa, size, prot);
	update_overhead(vm);
	return r;
}

int vmx_vm_unmap(struct hv_vm *hvm, uint64_t gpa, uint64_t size)
{
	struct vmx_vm *vm = to_vmx(hvm);
	int r = pt_unmap(&vm->ept, gpa, size);
	update_overhead(vm);
	flush(vm); /* also after a partial unmap: some entries may be gone */
	return r;
}
