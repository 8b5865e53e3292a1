# hv/vmx/vmx.mk: the Intel VMX backend sources.
HV_SRCS += 
HV_HOST_SRCS += 
