# hv/vmx/vmx.mk: the Intel VMX backend sources.
# Pure parts (no privileged instructions), also built for the host unit tests.
VMX_PURE_SRCS := hv/vmx/vmx_adjust.c hv/vmx/vmx_names.c hv/vmx/ept.c hv/vmx/vmx_vpid.c \
	hv/vmx/vmx_exit.c hv/vmx/vmx_check.c hv/vmx/vmx_state.c
HV_VMX_SRCS := $(VMX_PURE_SRCS) hv/vmx/vmx_cpu.c hv/vmx/vmx_vm.c hv/vmx/vmx_vcpu.c hv/vmx/vmx_run.c \
	hv/vmx/vmx_entry.S hv/vmx/vmx_backend.c
HV_HOST_SRCS += $(VMX_PURE_SRCS)
