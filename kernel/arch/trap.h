/* kernel/arch/trap.h: GDT/TSS, the IDT, CPU exception reports and interrupt handler registration. */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define KERNEL_TSS 0x18

#define VEC_PIC_BASE 0x20   /* the legacy PICs, remapped and masked */
#define VEC_TIMER 0x40      /* LAPIC timer */
#define VEC_SPURIOUS 0xff

/* Saved by the common stub (kernel/arch/isr.S), in this order from low addresses. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

typedef void (*irq_handler)(struct trap_frame *f);

/* Loads the GDT with a TSS (IST stacks for #DF, NMI, #MC) and the IDT; masks the PICs. */
void trap_init(void);
/* Registers the handler of an interrupt vector (>= 32). */
void trap_set_handler(uint8_t vector, irq_handler h);
/* The interrupt controller's end-of-interrupt, called after each handler of a vector
 * from VEC_TIMER up (the LAPIC registers it: the CPU layer knows no device). */
void trap_set_eoi(void (*eoi)(void));
/* The guard pages under the IST stacks (for paging_init to leave unmapped); returns
 * how many of max were stored. */
unsigned trap_guard_pages(uint64_t *pages, unsigned max);
/* A single-step #DB the CPU raises in the kernel at rip is dropped: an emulator's
 * leftover of a guest's trap (the SVM backend names the instruction after VMRUN). */
void trap_ignore_single_step_at(uint64_t rip);
/* Prints the report of a CPU exception in the kernel (vector, registers, frames). */
void trap_report_exception(const struct trap_frame *f);
/* NMIs the host received (each one is taken and the system goes on). */
uint64_t trap_host_nmis(void);
/* Host state the VMX backend needs for its host-state area. */
uint64_t trap_gdt_base(void);
uint64_t trap_idt_base(void);
uint64_t trap_tss_base(void);

#endif
