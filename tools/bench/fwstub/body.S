/* tools/bench/fwstub/body.S: the stub kernel's body (16- or 32-bit): RDTSC first, print it in hex on COM1, power off. */
/*
 * Included by pvh.S (.code32) and bzimage.S (.code16) right at the entry point. POP_SI
 * STUB_PREP, POP_SI, STUB_DIE and the mode come from the includer. Prints "fwstub: first-kernel-insn tsc=0x<16 hex>"
 * then asks every power-off device it may have: QEMU's PIIX4 ACPI (S5), isa-debug-exit,
 * Bochs' shutdown port; a triple fault ends it otherwise (run with -no-reboot).
 */
	rdtsc                           /* the first instruction: firmware share = this TSC */
	movl %eax, %ebx
	movl %edx, %ebp
	STUB_PREP
	movw $0x3fb, %dx                /* COM1 LCR: 8 data bits (Bochs masks to the set width) */
	movb $3, %al
	outb %al, %dx
	call 1f
	.asciz "fwstub: first-kernel-insn tsc=0x"
1:	POP_SI
	call puts
	movl %ebp, %eax
	call puthex32
	movl %ebx, %eax
	call puthex32
	movb $'\n', %al
	call putc
	movw $0x3fd, %dx                /* wait until the transmitter is empty (LSR bit 6) */
7:	inb %dx, %al
	testb $0x40, %al
	jz 7b

	movw $0x604, %dx                /* QEMU i440fx: PM1a_CNT at 0x600+4; SLP_EN | SLP_TYP(S5)=0 */
	movw $0x2000, %ax
	outw %ax, %dx
	movw $0xf4, %dx                 /* isa-debug-exit, when present */
	xorl %eax, %eax
	outl %eax, %dx
	movw $0x8900, %dx               /* Bochs: "Shutdown" to port 0x8900 */
	.irpc c, Shutdown
	movb $'\c', %al
	outb %al, %dx
	.endr
	cli
	STUB_DIE
2:	hlt
	jmp 2b

/* puts: prints the NUL-terminated string at SI. */
puts:	lodsb
	testb %al, %al
	jz 3f
	call putc
	jmp puts
3:	ret

/* puthex32: prints EAX as 8 hex digits. */
puthex32:
	movw $8, %cx
4:	roll $4, %eax
	pushl %eax
	andb $15, %al
	addb $'0', %al
	cmpb $'9', %al
	jbe 5f
	addb $('a' - '9' - 1), %al
5:	call putc
	popl %eax
	decw %cx
	jnz 4b
	ret

/* putc: sends AL to COM1 once the transmit holding register is empty (LSR bit 5). */
putc:	movb %al, %ah
	movw $0x3fd, %dx
6:	inb %dx, %al
	testb $0x20, %al
	jz 6b
	movb %ah, %al
	movw $0x3f8, %dx
	outb %al, %dx
	ret
