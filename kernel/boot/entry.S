/* kernel/boot/entry.S: Multiboot2 header, PVH note, 32-bit entry, switch to long mode, call kmain. */
#include <multiboot2.h>
#include "kernel/boot/boot.h"

#define CR0_PE (1 << 0)
#define CR0_ET (1 << 4)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xC0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define COM1 0x3f8

/* ---- Multiboot2 header (Multiboot2 spec 3.1): magic, arch, length, checksum, end tag. ---- */
	.section .multiboot2, "a"
	.balign MULTIBOOT_HEADER_ALIGN
mb2_header:
	.long MULTIBOOT2_HEADER_MAGIC
	.long MULTIBOOT2_ARCHITECTURE_I386
#define MB2_HEADER_LEN 24
	.long MB2_HEADER_LEN
	.long -(MULTIBOOT2_HEADER_MAGIC + MULTIBOOT2_ARCHITECTURE_I386 + MB2_HEADER_LEN)
	.short MULTIBOOT_HEADER_TAG_END
	.short 0
	.long 8
mb2_header_end:
	.if mb2_header_end - mb2_header - MB2_HEADER_LEN
	.error "Multiboot2 header length mismatch"
	.endif

/* ---- PVH entry note (Xen's XEN_ELFNOTE_PHYS32_ENTRY = 18): QEMU -kernel enters here. ---- */
	.section .note.Xen, "a"
	.balign 4
	.long 4                 /* namesz: "Xen\0" */
	.long 8                 /* descsz */
	.long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad pvh_entry
	.balign 4

/* ---- 32-bit entry: protected mode, paging off, interrupts off. ---- */
	.section .boot.text, "ax"
	.code32
	.globl mb2_entry
mb2_entry:
	cli
	cmpl $MULTIBOOT2_BOOTLOADER_MAGIC, %eax
	jne bad_magic
	movl $BOOT_PROTO_MB2, %edi
	movl %ebx, %esi
	jmp common32

	.globl pvh_entry
pvh_entry:
	cli
	movl $BOOT_PROTO_PVH, %edi
	movl %ebx, %esi
	jmp common32

bad_magic:
	movl $msg_magic, %esi
	jmp die32

/* From here to kmain, EDI holds the boot protocol and ESI the loader's structure (kmain's
 * two arguments): nothing on the way touches them but die32, which stops. */
common32:
	cld
	lgdt gdt32_ptr
	ljmp $0x18, $1f            /* a known 32-bit code segment */
1:	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl $boot_stack_top, %esp

	/* .bss is zeroed in long mode below (8 bytes a store); nothing in it is used before. */

	/* Long mode needs CPUID 0x80000001 EDX.LM (bit 29). */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode
	movl %edx, %ebp            /* keep EDX: bit 20 = NX */

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $early_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	btl $20, %ebp
	jnc 4f
	orl $EFER_NXE, %eax
4:	wrmsr
	movl $(CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG), %eax
	movl %eax, %cr0
	ljmp $0x08, $long_entry

no_long_mode:
	movl $msg_lm, %esi
	/* fall through */
/* Prints the NUL-terminated string at %esi on COM1 and halts. */
die32:
	movb (%esi), %al
	testb %al, %al
	jz 6f
	movw $COM1, %dx
	outb %al, %dx
	incl %esi
	jmp die32
6:	hlt
	jmp 6b

	.code64
long_entry:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	/* Zero .bss (the loaders do too; do not rely on it). The boot stack is in it: nothing
	 * has been pushed yet. */
	movl %edi, %r8d            /* rep stos needs RDI */
	movq $__bss_start, %rdi
	movq $__bss_end, %rcx
	subq %rdi, %rcx
	shrq $3, %rcx
	xorl %eax, %eax
	rep stosq
	movq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl %r8d, %edi
	call kmain
7:	cli
	hlt
	jmp 7b

	.section .rodata
msg_magic:
	.asciz "univisor: not started by a Multiboot2 loader or PVH; stopping\r\n"
msg_lm:
	.asciz "univisor: this CPU has no 64-bit long mode; stopping\r\n"

	.balign 16
gdt32:
	.quad 0
	.quad 0x00af9a000000ffff   /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff   /* 0x10: data */
	.quad 0x00cf9a000000ffff   /* 0x18: 32-bit code */
gdt32_end:
gdt32_ptr:
	.short gdt32_end - gdt32 - 1
	.long gdt32

	/* Early page tables: identity map [0, 1 GiB) with 2 MiB pages (SDM 3A 4.5), enough
	 * for the boot information and the first allocations until paging_init() builds the
	 * real map. Assembled whole, in .data: nothing to write before paging is on. */
	.section .data
	.balign 4096
early_pml4:
	.quad early_pdpt + 3       /* present, writable */
	.skip 4096 - 8
early_pdpt:
	.quad early_pd + 3
	.skip 4096 - 8
early_pd:
	.set .Lpa, 0
	.rept 512
	.quad .Lpa | 0x83          /* present, writable, PS */
	.set .Lpa, .Lpa + (2 << 20)
	.endr

	.section .bss
	.balign 4096
	.globl boot_stack_guard, boot_stack_top
boot_stack_guard:            /* unmapped by paging_init(): a stack overflow faults */
	.skip 4096
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
