/* hv/svm/svm_backend.c: the AMD SVM implementation of the hv backend contract (hv/hv_backend.h). */
#include "hv/svm/svm.h"

const struct hv_backend hv_svm_backend = {
	.name = "svm",
	.cpu_init = svm_cpu_init,
	.vm_init = svm_vm_init,
	.vm_fini = svm_vm_fini,
	.vm_map_check = svm_vm_map_check,
	.vm_flush = svm_vm_flush,
	.vcpu_init = svm_vcpu_init,
	.vcpu_fini = svm_vcpu_fini,
	.get_regs = svm_get_regs,
	.run = svm_run,
	.inject = svm_inject,
};
