/* hv/vmx/vmx_backend.c: the Intel VMX implementation of the hv backend contract (hv/hv_backend.h). */
#include "hv/vmx/vmx.h"

const struct hv_backend hv_vmx_backend = {
	.name = "vmx",
	.cpu_init = vmx_cpu_init,
	.vm_init = vmx_vm_init,
	.vm_fini = vmx_vm_fini,
	.vm_map_check = vmx_vm_map_check,
	.vm_flush = vmx_vm_flush,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_fini = vmx_vcpu_fini,
	.get_regs = vmx_get_regs,
	.run = vmx_run,
	.inject = vmx_inject,
};
