/* hv/svm/svm_backend.c: the AMD SVM implementation of the hv backend contract (hv/hv_backend.h). */
#include "hv/svm/svm.h"

const struct hv_backend hv_svm_backend = {
	.name = "svm",
	.cpu_init = svm_cpu_init,
	.vm_create = svm_vm_create,
	.vm_destroy = svm_vm_destroy,
	.vm_map = svm_vm_map,
	.vm_unmap = svm_vm_unmap,
	.vcpu_create = svm_vcpu_create,
	.vcpu_destroy = svm_vcpu_destroy,
	.get_regs = svm_get_regs,
	.set_regs = svm_set_regs,
	.run = svm_run,
	.inject = svm_inject,
};
