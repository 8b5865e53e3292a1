/* hv/vmx/vmx_vm.c: what a VM needs of VMX beside its EPT (built by hv.c with kernel/mm/pt.c): the EPTP, its VPID, TLB invalidation, EPT's mapping rules. */
#include "hv/vmx/vmx.h"
#include "hv/vmx/vmx_ops.h"
#include "kernel/console/console.h"
#include "include/abi/uv_errno.h"

static struct vmx_vm *to_vmx(struct hv_vm *vm) { return (struct vmx_vm *)vm; }

/*
 * SDM 3C 28.4.3.1: after an EPT entry is changed, INVEPT drops the guest-physical and
 * combined mappings derived from this EPTP; INVVPID drops the linear ones of the VPID
 * (28.4.3.3). Single-context where offered, else all-context. Failure is a kernel bug.
 */
void vmx_vm_flush(struct hv_vm *hvm)
{
	struct vmx_vm *vm = to_vmx(hvm);
	int r = vmx_model.invept_single ? invept(INVEPT_SINGLE_CONTEXT, vm->eptp) : invept(INVEPT_ALL_CONTEXT, 0);
	if (r)
		panic("vmx: INVEPT for EPTP %#llx failed (%d)", (unsigned long long)vm->eptp, r);
	if (vm->vpid) {
		r = vmx_model.invvpid_single ? invvpid(INVVPID_SINGLE_CONTEXT, vm->vpid, 0) : invvpid(INVVPID_ALL_CONTEXT, 0, 0);
		if (r)
			panic("vmx: INVVPID for VPID %u failed (%d)", vm->vpid, r);
	}
}

int vmx_vm_init(struct hv_vm *hvm)
{
	_Static_assert(sizeof(struct vmx_vm) <= PAGE_SIZE, "vmx_vm fits a page");
	struct vmx_vm *vm = to_vmx(hvm);
	vm->eptp = ept_eptp(hvm->tables.root, vmx_model.ept_wb);
	if (vmx_model.vpid && !(vm->vpid = vmx_vpid_alloc())) {
		kprintf("vmx: all %u VPIDs are in use\n", VMX_VPID_MAX);
		return -UV_ENOMEM;
	}
	return 0;
}

void vmx_vm_fini(struct hv_vm *hvm)
{
	/* Flush before the tables go back to the allocator: a later VM may get the same
	 * root page, hence the same EPTP, and the same VPID. */
	vmx_vm_flush(hvm);
	vmx_vpid_free(to_vmx(hvm)->vpid);
}

int vmx_vm_map_check(unsigned prot, uint64_t hpa, uint64_t size)
{
	if (ept_check_prot(prot, vmx_model.execute_only))
		return -UV_EINVAL;
	if (hpa + size < hpa || ((hpa + size - 1) >> vmx_model.phys_bits) != 0)
		return -UV_EINVAL;
	return 0;
}
