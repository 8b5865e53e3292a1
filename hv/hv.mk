# hv/hv.mk: the virtualization layer: the vendor-neutral API and both backends.
HV_SRCS :=
