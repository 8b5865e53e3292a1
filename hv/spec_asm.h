/* hv/spec_asm.h: RSB_REFILL, for the world switches of both backends right after a VM exit. */
#ifndef HV_SPEC_ASM_H
#define HV_SPEC_ASM_H

/*
 * Refills the return stack buffer with 32 harmless entries (each call's return address
 * is a speculation trap), so no `ret` in the kernel after an exit can be steered by
 * return predictions the guest left behind. Uses only RSP and the flags: every other
 * register may still hold the guest's values. Retires 34 instructions.
 */
.macro RSB_REFILL
	.rept 16
	call 1f
	int3
1:	call 2f
	int3
2:
	.endr
	add $(32 * 8), %rsp
	lfence
.endm

#endif
