/* tests/attack/guest_idt.h: an IDT of the app's own (for `exceptions = guest` apps): every exception calls guest_trap() with a frame it may change. */
#ifndef TESTS_ATTACK_GUEST_IDT_H
#define TESTS_ATTACK_GUEST_IDT_H

#include <stdint.h>

/* What the stubs push, from low addresses: the GPRs, the vector, the error code (0 when
 * the CPU pushes none), then the CPU's own frame (RIP, CS, RFLAGS, RSP, SS). */
struct gframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* The app's handler: runs on the interrupted stack (apps run at CPL 0, so the CPU does
 * not switch stacks; attack apps are built with -mno-red-zone). Changes to *f take
 * effect at the IRETQ. */
void guest_trap(struct gframe *f);

#define GUEST_RFLAGS_TF (1ull << 8)

/* For handlers: an exception the app did not plan: says which and where, exits 3. */
#define guest_unexpected(f)                                              \
	do {                                                             \
		put_num("unexpected exception", (int64_t)(f)->vector, 0); \
		put_num("  error", (int64_t)(f)->error, 1);               \
		put_num("  rip", (int64_t)(f)->rip, 1);                   \
		exit_(3);                                                \
	} while (0)

__asm__(".pushsection .text\n"
	".balign 16\n"
	"guest_idt_stubs:\n"
	".altmacro\n"
	".macro gstub v\n"
	".balign 16\n"
	".if ((\\v == 8) || (\\v >= 10 && \\v <= 14) || (\\v == 17) || (\\v == 21) || (\\v == 29) || (\\v == 30)) == 0\n"
	"pushq $0\n"
	".endif\n"
	"pushq $\\v\n"
	"jmp guest_idt_common\n"
	".endm\n"
	".set gv, 0\n"
	".rept 32\n"
	"gstub %gv\n"
	".set gv, gv + 1\n"
	".endr\n"
	"guest_idt_common:\n"
	"pushq %rax\n pushq %rbx\n pushq %rcx\n pushq %rdx\n pushq %rsi\n pushq %rdi\n pushq %rbp\n"
	"pushq %r8\n pushq %r9\n pushq %r10\n pushq %r11\n pushq %r12\n pushq %r13\n pushq %r14\n pushq %r15\n"
	"movq %rsp, %rdi\n movq %rsp, %rbx\n andq $-16, %rsp\n cld\n"
	"call guest_trap\n"
	"movq %rbx, %rsp\n"
	"popq %r15\n popq %r14\n popq %r13\n popq %r12\n popq %r11\n popq %r10\n popq %r9\n popq %r8\n"
	"popq %rbp\n popq %rdi\n popq %rsi\n popq %rdx\n popq %rcx\n popq %rbx\n popq %rax\n"
	"addq $16, %rsp\n"
	"iretq\n"
	".popsection\n");

extern char guest_idt_stubs[];

static struct {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed, aligned(16))) guest_idt[32];

/* Loads an IDT whose 32 exception gates (64-bit interrupt gates, DPL 0, the kernel's
 * flat code selector 0x08) lead to guest_trap. */
static inline void guest_idt_install(void)
{
	for (int v = 0; v < 32; v++) {
		uint64_t a = (uint64_t)(uintptr_t)guest_idt_stubs + 16 * (uint64_t)v;
		guest_idt[v].off_lo = (uint16_t)a;
		guest_idt[v].sel = 0x08;
		guest_idt[v].ist = 0;
		guest_idt[v].type = 0x8e;
		guest_idt[v].off_mid = (uint16_t)(a >> 16);
		guest_idt[v].off_hi = (uint32_t)(a >> 32);
		guest_idt[v].zero = 0;
	}
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr = { sizeof(guest_idt) - 1,
										  (uint64_t)(uintptr_t)guest_idt };
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

#endif
