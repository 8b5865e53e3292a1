/* tools/bench/fwstub/pvh.S: stub kernel entered by PVH (QEMU -kernel) or Multiboot2 (GRUB) whose first instruction reads the TSC. */
/* Measures the firmware (+ boot loader) share of a boot: the path our kernel and Linux's
 * tuned boot take. Linked with link/kernel.ld, so it loads exactly like the univisor kernel. */
	.section .multiboot2, "a"       /* Multiboot2 spec 3.1: magic, arch, length, checksum, end tag */
	.balign 8
mb2:	.long 0xe85250d6, 0, 24, -(0xe85250d6 + 24)
	.short 0, 0
	.long 8

	.section .note.Xen, "a"         /* XEN_ELFNOTE_PHYS32_ENTRY (18): QEMU's PVH loader */
	.balign 4
	.long 4, 8, 18
	.asciz "Xen"
	.balign 4
	.quad mb2_entry
	.balign 4

	.text
	.code32
	.globl mb2_entry
#define STUB_PREP
#define POP_SI popl %esi
#define STUB_DIE lidt zero_idt_ptr; int3  /* no IDT: triple fault */
mb2_entry:
#include "body.S"
	.balign 8
zero_idt_ptr:
	.word 0
	.long 0
	.section .note.GNU-stack, "", @progbits
