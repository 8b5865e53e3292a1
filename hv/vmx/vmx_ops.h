/* hv/vmx/vmx_ops.h: the VMX instructions as inline functions that report VMfailInvalid / VMfailValid (kernel only). */
#ifndef HV_VMX_VMX_OPS_H
#define HV_VMX_VMX_OPS_H

#include <stdint.h>
#include "hv/vmx/vmx.h"

/*
 * SDM 3C 30.2: a VMX instruction succeeds with CF=ZF=0, fails with CF=1 (VMfailInvalid:
 * no current VMCS) or ZF=1 (VMfailValid: the error number is in the VM-instruction
 * error field). These return VMX_OK, VMX_FAIL_INVALID or VMX_FAIL_VALID (vmx.h).
 */
#define VMX_RESULT(insn, ...)                                                              \
	({                                                                                 \
		uint8_t _cf, _zf;                                                          \
		__asm__ volatile(insn "\n\tsetc %0\n\tsetz %1"                             \
				 : "=qm"(_cf), "=qm"(_zf) : __VA_ARGS__ : "cc", "memory"); \
		_cf ? VMX_FAIL_INVALID : _zf ? VMX_FAIL_VALID : VMX_OK;                    \
	})

static inline int vmxon(uint64_t pa) { return VMX_RESULT("vmxon %2", "m"(pa)); }
static inline int vmclear(uint64_t pa) { return VMX_RESULT("vmclear %2", "m"(pa)); }
static inline int vmptrld(uint64_t pa) { return VMX_RESULT("vmptrld %2", "m"(pa)); }

/* Raw VMREAD / VMWRITE; vmx_read / vmx_write (vmx.h) are the checked accessors. */
static inline int vmread_raw(uint64_t field, uint64_t *value)
{
	uint8_t cf, zf;
	uint64_t v = 0;
	__asm__ volatile("vmread %3, %0\n\tsetc %1\n\tsetz %2"
			 : "=rm"(v), "=qm"(cf), "=qm"(zf) : "r"(field) : "cc");
	*value = v;
	return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}
static inline int vmwrite_raw(uint64_t field, uint64_t value)
{
	return VMX_RESULT("vmwrite %2, %3", "rm"(value), "r"(field));
}

/* The checked accessors: a VMREAD/VMWRITE that fails is a kernel bug (panic). Two
 * instructions on the way through (the access and a JBE on CF|ZF); a failure repeats the
 * access with the flags captured, so the panic still says which failure it was. */
static inline uint64_t vmx_read(uint32_t field)
{
	uint64_t v;
	__asm__ goto("vmread %1, %0\n\tjbe %l[failed]" : "=r"(v) : "r"((uint64_t)field) : "cc" : failed);
	return v;
failed:
	vmx_access_failed(0, field, 0, vmread_raw(field, &v));
}
static inline void vmx_write(uint32_t field, uint64_t value)
{
	__asm__ goto("vmwrite %0, %1\n\tjbe %l[failed]" : : "r"(value), "r"((uint64_t)field) : "cc", "memory" : failed);
	return;
failed:
	vmx_access_failed(1, field, value, vmwrite_raw(field, value));
}

/* Makes v's VMCS current on this CPU (pc), whose current one is another's: VMPTRLD is
 * needed whenever the VMCS changes, as VMREAD/VMWRITE/VMRESUME act on the current one only
 * (SDM 3C 24.1, 30.3 VMPTRLD); the CPU keeps the old one's launch state (24.11.3). Two
 * instructions on the way through; a failure repeats it with the flags captured. */
static inline void vmx_load_other(struct vmx_percpu *pc, struct vmx_vcpu *v)
{
	__asm__ goto("vmptrld %0\n\tjbe %l[failed]" : : "m"(v->vmcs_pa) : "cc", "memory" : failed);
	pc->current = v;
	return;
failed:
	vmx_load_failed(v->vmcs_pa, vmptrld(v->vmcs_pa));
}

/* SDM 3C 30.3 INVEPT / INVVPID: 128-bit descriptors in memory, the type in a register. */
static inline int invept(uint64_t type, uint64_t eptp)
{
	struct { uint64_t eptp, zero; } d = { eptp, 0 };
	return VMX_RESULT("invept %2, %3", "m"(d), "r"(type));
}
static inline int invvpid(uint64_t type, uint16_t vpid, uint64_t gla)
{
	struct { uint64_t vpid, gla; } d = { vpid, gla };
	return VMX_RESULT("invvpid %2, %3", "m"(d), "r"(type));
}

#endif
