/* tools/bench/fwstub/bzimage.S: stub bzImage (boot protocol 2.06) whose setup code reads the TSC first: the firmware share of Linux's default boot. */
/* Layout per Documentation/x86/boot.rst: one setup sector after the boot sector, the
 * header at 0x1f1, the entry at 0x200 (a 2-byte jump, then RDTSC). QEMU's linuxboot
 * option ROM enters at setup+0x200 in real mode with DS = the setup segment. */
	.code16
	.text
	.org 0x1f1
	.byte 1                          /* setup_sects */
	.word 0                          /* root_flags */
	.long 0                          /* syssize (16-byte units; QEMU ignores it) */
	.word 0                          /* ram_size */
	.word 0                          /* vid_mode */
	.word 0                          /* root_dev */
	.word 0xaa55                     /* boot_flag */
	.org 0x200
	jmp start                        /* 0x200: the entry, a 2-byte jump */
	.ascii "HdrS"                    /* 0x202 */
	.word 0x0206                     /* 0x206: protocol version */
	.long 0                          /* realmode_swtch */
	.word 0                          /* start_sys_seg */
	.word 0                          /* kernel_version */
	.byte 0xff                       /* 0x210: type_of_loader */
	.byte 1                          /* 0x211: loadflags: LOADED_HIGH */
	.word 0                          /* setup_move_size */
	.long 0x100000                   /* code32_start */
	.long 0                          /* ramdisk_image */
	.long 0                          /* ramdisk_size */
	.long 0                          /* bootsect_kludge */
	.word 0                          /* heap_end_ptr */
	.byte 0, 0                       /* ext_loader_ver, ext_loader_type */
	.long 0                          /* cmd_line_ptr */
	.long 0x7fffffff                 /* 0x22c: initrd_addr_max */
	.long 0                          /* kernel_alignment */
	.byte 0, 0                       /* relocatable_kernel, min_alignment */
	.word 0                          /* xloadflags */
	.long 255                        /* 0x238: cmdline_size */
#define STUB_PREP pushw %cs; popw %ds   /* strings are addressed through CS */
#define POP_SI popw %si
#define STUB_DIE                        /* halts below */
start:
#include "body.S"
	.org 0x400                       /* end of the setup sectors */
	.fill 512, 1, 0                  /* the "protected-mode kernel": unused */
	.section .note.GNU-stack, "", @progbits
