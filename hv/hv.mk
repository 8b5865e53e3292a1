# hv/hv.mk: the virtualization layer: the vendor-neutral API (hv/*.c) and both backends.
HV_COMMON_SRCS := hv/hv.c hv/fpu.c hv/spec.c hv/names.c
# Pure parts (table formats, decoders, names) unit-tested on the host.
HV_HOST_SRCS := hv/names.c
include hv/vmx/vmx.mk
include hv/svm/svm.mk
# What root mode links: both backends (the default), or one (an image's `hv = vmx | svm`:
# kernel/kernel.mk's kernel-vmx.o and kernel-svm.o).
HV_SRCS := $(HV_COMMON_SRCS) $(HV_VMX_SRCS) $(HV_SVM_SRCS)
