/* tests/attack/entry_state.h: what a newly started (or restarted) app must find: zeroed registers, x87/SSE/AVX in their init state, CR2 and segment bases zero, zeroed RAM. */
#ifndef TESTS_ATTACK_ENTRY_STATE_H
#define TESTS_ATTACK_ENTRY_STATE_H

#include <stdint.h>
#include "tests/attack/attack.h"
#include "tests/attack/regs_secret.h"

/* "" when the state the app started with holds nothing of anyone, else what. */
static inline const char *entry_state_clean(void)
{
	/* GPRs: all zero but RDI (the boot-info page) and RSP (the stack top). */
	for (int i = 0; i < 15; i++)
		if (i != 5 && entry_regs[i] != 0)
			return "a general register was not zero at entry";
	if (entry_regs[5] != UV_GUEST_BOOTINFO || entry_regs[15] != boot_info->stack_top)
		return "RDI or RSP at entry are not the boot-info page and the stack top";
	static uint8_t img[512] __attribute__((aligned(16)));
	__asm__ volatile("fxsave64 %0" : "=m"(img));
	uint16_t fcw, fsw;
	uint32_t mxcsr;
	__builtin_memcpy(&fcw, img, 2);
	__builtin_memcpy(&fsw, img + 2, 2);
	__builtin_memcpy(&mxcsr, img + 24, 4);
	if (fcw != 0x37f || fsw != 0 || img[4] != 0 || mxcsr != 0x1f80)
		return "x87 or MXCSR not in the init state";
	for (int i = 8; i < 24; i++) /* FIP, FDP */
		if (img[i])
			return "the x87 error pointers are not zero";
	for (int i = 32; i < 160 + 256; i++) /* ST0-7, XMM0-15 */
		if (img[i])
			return "an x87 or XMM register is not zero";
	if (read_cr2() != 0)
		return "CR2 is not zero";
	return "";
}

static inline const char *ram_zero(uint64_t from, uint64_t to)
{
	for (uint64_t a = from; a < to; a += 8)
		if (*(volatile uint64_t *)(uintptr_t)a)
			return "its heap holds something it did not write";
	return "";
}

#endif
