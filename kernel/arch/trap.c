/* kernel/arch/trap.c: GDT, TSS with IST stacks, IDT, PIC masking, host NMIs and machine checks, and the report of a CPU exception in the kernel. */
#include "kernel/arch/trap.h"
#include "kernel/arch/cpu.h"
#include "kernel/console/console.h"
#include "kernel/console/power.h"
#include "kernel/arch/exc.h"
#include "kernel/arch/mce.h"
#include "kernel/lib/kstring.h"
#include "kernel/arch/x86.h"

#define IST_STACK_SIZE 8192

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == TSS64_LIMIT + 1, "TSS layout (SDM 3A 8.7)");
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame: isr.S's 15 pushes, vector, error, the CPU's 5 words");

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

/* IST stacks, each with a guard page below it (unmapped by paging_init). */
static struct {
	uint8_t guard[PAGE_SIZE];
	uint8_t stack[IST_STACK_SIZE];
} __attribute__((aligned(PAGE_SIZE))) ist_stacks[3];

static uint64_t gdt[5] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static struct idt_entry idt[256] __attribute__((aligned(16)));
static irq_handler handlers[256];
extern char isr_stubs[];

static void set_gate(int v, int ist)
{
	uint64_t a = (uint64_t)(uintptr_t)isr_stubs + 16 * (uint64_t)v;
	idt[v] = (struct idt_entry){
		.off_lo = (uint16_t)a, .sel = KERNEL_CS, .ist = (uint8_t)ist,
		.type = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
		.off_mid = (uint16_t)(a >> 16), .off_hi = (uint32_t)(a >> 32),
	};
}

static void pic_mask_all(void)
{
	/* Remap the 8259s to VEC_PIC_BASE (ICW1-4) so a stray IRQ can't look like an exception, then mask. */
	outb(0x20, 0x11); outb(0xa0, 0x11);
	outb(0x21, VEC_PIC_BASE); outb(0xa1, VEC_PIC_BASE + 8);
	outb(0x21, 4); outb(0xa1, 2);
	outb(0x21, 1); outb(0xa1, 1);
	outb(0x21, 0xff); outb(0xa1, 0xff);
}

void trap_init(void)
{
	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i].stack + IST_STACK_SIZE);
	tss.iomap_base = TSS64_IOMAP_NONE;
	uint64_t tb = (uint64_t)(uintptr_t)&tss;
	gdt[0] = 0;
	gdt[KERNEL_CS / 8] = seg_descriptor(0, SEG_LIMIT_FLAT, SEG_CODE64);
	gdt[KERNEL_DS / 8] = seg_descriptor(0, SEG_LIMIT_FLAT, SEG_DATA);
	seg_tss_descriptor(tb, SEG_TYPE_TSS64 | SEG_P, &gdt[KERNEL_TSS / 8]); /* LTR marks it busy */
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr = { sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt };
	__asm__ volatile("lgdt %0\n"
			 "pushq $0x08\n"
			 "leaq 1f(%%rip), %%rax\n"
			 "pushq %%rax\n"
			 "lretq\n"
			 "1: movw $0x10, %%ax\n"
			 "movw %%ax, %%ds\n movw %%ax, %%es\n movw %%ax, %%ss\n"
			 "movw $0x18, %%ax\n ltr %%ax\n"
			 : : "m"(gdtr) : "rax", "memory");

	for (int v = 0; v < 256; v++)
		set_gate(v, 0);
	set_gate(8, 1); /* #DF on IST1 */
	set_gate(2, 2); /* NMI on IST2 */
	set_gate(18, 3); /* #MC on IST3 */
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" : : "m"(idtr));
	pic_mask_all();
	debug_regs_reset(); /* whatever firmware or a loader left: no breakpoint aims at the kernel */
}

void trap_set_handler(uint8_t vector, irq_handler h) { handlers[vector] = h; }

static void (*eoi)(void); /* the interrupt controller's end-of-interrupt (trap_set_eoi) */
void trap_set_eoi(void (*fn)(void)) { eoi = fn; }

unsigned trap_guard_pages(uint64_t *pages, unsigned max)
{
	unsigned n = 0;
	for (unsigned i = 0; i < 3 && n < max; i++)
		pages[n++] = (uint64_t)(uintptr_t)ist_stacks[i].guard;
	return n;
}

static uint64_t ignore_step_rip; /* trap_ignore_single_step_at */
static uint64_t host_nmis;

void trap_ignore_single_step_at(uint64_t rip) { ignore_step_rip = rip; }
uint64_t trap_host_nmis(void) { return host_nmis; }
uint64_t trap_gdt_base(void) { return (uint64_t)(uintptr_t)gdt; }
uint64_t trap_idt_base(void) { return (uint64_t)(uintptr_t)idt; }
uint64_t trap_tss_base(void) { return (uint64_t)(uintptr_t)&tss; }

/* The exception report (its symbol is the self-test's breakpoint target: fault=nested). */
void trap_report_exception(const struct trap_frame *f)
{
	kprintf("\nKERNEL EXCEPTION vector %llu (%s %s) error=%#llx rip=%#llx\n", (unsigned long long)f->vector,
		exc_mnemonic((unsigned)f->vector), exc_words((unsigned)f->vector), (unsigned long long)f->error,
		(unsigned long long)f->rip);
	kprintf("  cs=%#llx rflags=%#llx rsp=%#llx ss=%#llx cr2=%#llx cr3=%#llx\n",
		(unsigned long long)f->cs, (unsigned long long)f->rflags, (unsigned long long)f->rsp,
		(unsigned long long)f->ss, (unsigned long long)read_cr2(), (unsigned long long)read_cr3());
	/* The general registers, four a line: "  rax=... rbx=... rcx=... rdx=...". */
	static const char names[15][4] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8 ",
					   "r9 ", "r10", "r11", "r12", "r13", "r14", "r15" };
	const uint64_t regs[15] = { f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, f->rbp, f->r8,
				    f->r9, f->r10, f->r11, f->r12, f->r13, f->r14, f->r15 };
	for (int i = 0; i < 15; i++)
		kprintf("%s%s=%016llx%s", i % 4 ? " " : "  ", names[i], (unsigned long long)regs[i], i % 4 == 3 || i == 14 ? "\n" : "");
	if (f->vector == EXC_PF)
		kprintf("  page fault: %s %s address %#llx%s\n", (f->error & 2) ? "write to" : (f->error & 16) ? "fetch from" : "read from",
			(f->error & 1) ? "protected" : "unmapped", (unsigned long long)read_cr2(),
			(f->error & 8) ? " (reserved bit set)" : "");
	/* A few frames of the kernel's own stack, by frame pointers. */
	uint64_t fp = f->rbp;
	for (int i = 0; i < 6 && fp > PAGE_SIZE && (fp & 7) == 0; i++) {
		uint64_t next, ret;
		if (read_u64_safe(fp, &next) || read_u64_safe(fp + 8, &ret)) /* a bad RBP ends the walk */
			break;
		kprintf("  frame %d: %#llx\n", i, (unsigned long long)ret);
		fp = next;
	}
}

extern const uint64_t __extable_start[], __extable_end[];

/* A fault at an instruction listed in .extable resumes at its fixup (kernel/arch/cpu.h *_safe). */
static int fixup(struct trap_frame *f)
{
	for (const uint64_t *e = __extable_start; e < __extable_end; e += 2)
		if (e[0] == f->rip) {
			f->rip = e[1];
			return 1;
		}
	return 0;
}

/* An NMI is the host's (a watchdog, a hardware error line): counted, said once, and the
 * interrupted code goes on, whether that was the kernel or, through the exit, an app. */
static void host_nmi(void)
{
	if (host_nmis++ == 0)
		kprintf("kernel: host NMI received (counted in the summary; the system goes on)\n");
}

/* #DB in the kernel: the kernel sets no breakpoint and never runs with TF, so it is an
 * app's leftover the backend named (dropped), or a breakpoint nobody should have set. */
static bool debug_trap_ignored(const struct trap_frame *f)
{
	uint64_t dr6 = read_dr6();
	debug_regs_reset(); /* first: the report below must not trap again */
	return f->rip == ignore_step_rip && ignore_step_rip && (dr6 & DR6_BS);
}

static unsigned reporting; /* exceptions being reported: a second one must not recurse */

void trap_dispatch(struct trap_frame *f)
{
	if (f->vector < 32) {
		if ((f->vector == EXC_GP || f->vector == EXC_PF) && fixup(f))
			return;
		if (f->vector == EXC_NMI) {
			host_nmi();
			return;
		}
		if (f->vector == EXC_DB && debug_trap_ignored(f))
			return;
		if (f->vector == EXC_MC && mce_handle(false) == MCE_GO_ON)
			return;
		if (reporting++) {
			/* The report itself faulted: a few words straight to the UART, then stop. */
			if (reporting == 2)
				console_emergency("\nKERNEL EXCEPTION while reporting an exception; stopping\n");
			power_off_now(POWER_EXIT_PANIC);
		}
		console_set_async(false); /* the report goes out now */
		trap_report_exception(f);
		kprintf("kernel: stopped after an exception in the kernel\n");
		power_off(POWER_EXIT_PANIC);
	}
	if (handlers[f->vector])
		handlers[f->vector](f);
	if (f->vector != VEC_SPURIOUS && f->vector >= VEC_TIMER && eoi)
		eoi();
}
