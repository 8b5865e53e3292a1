# hv/svm/svm.mk: the AMD SVM backend sources (the split mirrors hv/vmx: CPU, VM + NPT, ASIDs, vCPU, run loop, exits).
# Pure parts (no privileged instructions), also built for the host unit tests.
SVM_PURE_SRCS := hv/svm/svm_decode.c hv/svm/svm_event.c hv/svm/svm_exit.c hv/svm/svm_asid.c
HV_SVM_SRCS := $(SVM_PURE_SRCS) hv/svm/svm_cpu.c hv/svm/svm_vm.c hv/svm/svm_vcpu.c hv/svm/svm_run.c \
	hv/svm/svm_guestwalk.c hv/svm/svm_entry.S hv/svm/svm_backend.c
HV_HOST_SRCS += $(SVM_PURE_SRCS)
