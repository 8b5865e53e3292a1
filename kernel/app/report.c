/* kernel/app/report.c: crash reports for apps: what the app did, where (symbol+offset), its registers and frames. */
#include "kernel/app/report.h"
#include "kernel/console/console.h"
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"
#include "kernel/arch/exc.h"
#include "include/abi/uv_bootinfo.h"
#include "kernel/arch/x86.h"

/* " <main+0x13>": addr named by the app's symbols (the last at or below it, when addr lies
 * within its size), or "". */
static const char *symbol(const struct app *a, uint64_t addr, char *buf, unsigned buflen)
{
	const struct uv_symtab *t = a->syms;
	if (!t || a->syms_size < sizeof(*t) || t->n == 0)
		return "";
	/* Binary search for the last symbol at or below addr (manifest_check verified sorting). */
	uint32_t lo = 0, hi = t->n;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (t->syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	const struct uv_sym *s = &t->syms[lo];
	if (s->addr > addr || (s->size && addr - s->addr >= s->size) || s->name_off >= t->strtab_size)
		return "";
	const char *name = (const char *)&t->syms[t->n] + s->name_off; /* the string table follows the symbols */
	/* A long name is cut so that " <", "+0x" and 16 digits, ">" and the NUL still fit. */
	size_t len = strnlen(name, t->strtab_size - s->name_off), room = buflen > 24 ? buflen - 24 : 0;
	ksnprintf(buf, buflen, " <%.*s+%#llx>", (int)(len < room ? len : room), name, (unsigned long long)(addr - s->addr));
	return buf;
}

/* Explains where a faulting address lies in the app's layout. */
static const char *where(const struct app *a, uint64_t addr)
{
	const struct guest_layout *L = &a->layout;
	if (addr < PAGE_SIZE)
		return " (NULL page)";
	if (addr >= L->guard && addr < L->guard + PAGE_SIZE)
		return " (stack guard page)";
	if (addr >= a->mem.size)
		return " (outside its RAM)";
	return "";
}

static void reason(const struct app *a, const struct hv_exit *e, char *b, size_t n)
{
	const char *npf = hv_caps()->vendor == HV_VENDOR_VMX ? "EPT" : "NPT";
	switch (e->reason) {
	case HV_EXIT_MEMORY_ACCESS:
		if (e->mem.misconfig)
			ksnprintf(b, n, "%s misconfiguration at gpa=%#llx (a kernel bug)", npf, (unsigned long long)e->mem.gpa);
		else
			ksnprintf(b, n, "%s violation %s gpa=%#llx%s", npf,
				  e->mem.access & PROT_W ? "write" : e->mem.access & PROT_X ? "execute" : "read",
				  (unsigned long long)e->mem.gpa, where(a, e->mem.gpa));
		break;
	case HV_EXIT_IO_PORT:
		ksnprintf(b, n, "I/O port %s %#x size %u%s%s", e->io.write ? "write" : "read", e->io.port, e->io.size,
			  e->io.string ? " (string)" : "", e->io.rep ? " (rep)" : "");
		break;
	case HV_EXIT_MSR:
		if (e->msr.write)
			ksnprintf(b, n, "wrmsr %#x value=%#llx", e->msr.index, (unsigned long long)e->msr.value);
		else
			ksnprintf(b, n, "rdmsr %#x", e->msr.index);
		break;
	case HV_EXIT_EXCEPTION: {
		uint8_t v = e->exception.vector;
		const char *w = exc_words(v);
		if (v == 14) {
			uint32_t ec = e->exception.error_code;
			ksnprintf(b, n, "page fault (#PF) %s at %#llx%s error=%#x%s", ec & 16 ? "fetch" : ec & 2 ? "write" : "read",
				  (unsigned long long)e->exception.cr2, where(a, e->exception.cr2), ec,
				  ec & 1 ? " (protection)" : " (not present)");
		} else if (v == 8) {
			ksnprintf(b, n, "double fault (#DF): its exception handling failed (a triple fault was next)");
		} else if (e->exception.why) {
			ksnprintf(b, n, "%s (%s): %s", w, exc_mnemonic(v), e->exception.why);
		} else if (e->exception.has_error_code) {
			ksnprintf(b, n, "%s (%s) error=%#x", w, exc_mnemonic(v), e->exception.error_code);
		} else {
			ksnprintf(b, n, "%s (%s)", w, exc_mnemonic(v));
		}
		break;
	}
	case HV_EXIT_UNRECOVERABLE:
		ksnprintf(b, n, "triple fault (shutdown)");
		break;
	case HV_EXIT_INVALID_STATE:
		ksnprintf(b, n, "VM entry failed: %s (error %u)", e->invalid.check ? e->invalid.check : "?", e->invalid.error);
		break;
	case HV_EXIT_UNSUPPORTED:
		ksnprintf(b, n, "unsupported instruction: %s", e->unsupported.insn ? e->unsupported.insn : "?");
		break;
	default:
		ksnprintf(b, n, "unexpected exit: %s", hv_exit_reason_name(e->reason));
		break;
	}
}

void report_stop(struct app *a, const struct hv_exit *e)
{
	char why[192], sym[128]; /* " <name+0x13>", cut to fit */
	struct hv_regs r;
	reason(a, e, why, sizeof(why));
	hv_vcpu_get_regs(a->vcpu, &r);
	app_console_flush(a);
	kprintf("app '%s' stopped: %s rip=%#llx%s\n", a->name, why, (unsigned long long)e->rip,
		symbol(a, e->rip, sym, sizeof(sym)));
	kprintf("  rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx\n", (unsigned long long)r.rax,
		(unsigned long long)r.rbx, (unsigned long long)r.rcx, (unsigned long long)r.rdx);
	kprintf("  rsi=%016llx rdi=%016llx rbp=%016llx rsp=%016llx\n", (unsigned long long)r.rsi,
		(unsigned long long)r.rdi, (unsigned long long)r.rbp, (unsigned long long)r.rsp);
	kprintf("  r8 =%016llx r9 =%016llx r10=%016llx r11=%016llx\n", (unsigned long long)r.r8,
		(unsigned long long)r.r9, (unsigned long long)r.r10, (unsigned long long)r.r11);
	kprintf("  r12=%016llx r13=%016llx r14=%016llx r15=%016llx\n", (unsigned long long)r.r12,
		(unsigned long long)r.r13, (unsigned long long)r.r14, (unsigned long long)r.r15);
	kprintf("  rflags=%#llx cr0=%#llx cr3=%#llx cr4=%#llx efer=%#llx exit=%#llx\n", (unsigned long long)r.rflags,
		(unsigned long long)r.cr0, (unsigned long long)r.cr3, (unsigned long long)r.cr4,
		(unsigned long long)r.efer, (unsigned long long)e->vendor_code);
	/* Frames by the app's frame pointers, read through the checked copy (the stack is the app's). */
	uint64_t fp = r.rbp;
	for (int i = 0; i < 8 && a->syms; i++) {
		uint64_t frame[2];
		if (fp & 7 || guest_copy_in(&a->mem, frame, fp, sizeof(frame)) || frame[1] == 0)
			break;
		kprintf("  frame %d: %#llx%s\n", i, (unsigned long long)frame[1], symbol(a, frame[1], sym, sizeof(sym)));
		if (frame[0] <= fp)
			break;
		fp = frame[0];
	}
	app_finish(a, UV_EXIT_STATUS_KILLED, true);
}
