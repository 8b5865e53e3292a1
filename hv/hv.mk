# hv/hv.mk: the virtualization layer: the vendor-neutral API (hv/*.c) and both backends.
HV_SRCS := hv/hv.c hv/fpu.c hv/spec.c hv/guestwalk.c hv/names.c
# Pure parts (table formats, decoders, names) unit-tested on the host.
HV_HOST_SRCS := hv/names.c
include hv/vmx/vmx.mk
include hv/svm/svm.mk
