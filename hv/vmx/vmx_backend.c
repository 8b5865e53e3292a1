/* hv/vmx/vmx_backend.c: the Intel VMX implementation of the hv backend contract (hv/hv_backend.h). */
#include "hv/vmx/vmx.h"

const struct hv_backend hv_vmx_backend = {
	.name = "vmx",
	.cpu_init = vmx_cpu_init,
	.vm_create = vmx_vm_create,
	.vm_destroy = vmx_vm_destroy,
	.vm_map = vmx_vm_map,
	.vm_unmap = vmx_vm_unmap,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_destroy = vmx_vcpu_destroy,
	.get_regs = vmx_get_regs,
	.set_regs = vmx_set_regs,
	.run = vmx_run,
	.inject = vmx_inject,
};
