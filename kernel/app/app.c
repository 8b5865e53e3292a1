/* kernel/app/app.c: starts and ends an app: checks its ELF again, builds its RAM and boot-info page, creates its VM and vCPU. */
#include "kernel/app/app.h"
#include "kernel/arch/percpu.h"
#include "kernel/console/console.h"
#include "kernel/arch/cpu.h"
#include "kernel/dev/time.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/nospec.h"
#include "include/abi/uv_errno.h"
#include "hv/hv.h"
#include "kernel/arch/x86.h"
#include "kernel/app/bench.h"
#include "kernel/hc/hypercall.h"
#include "kernel/net/net.h"
#include "kernel/chan/chan.h"

uint64_t app_now_ns(const struct app *a) { return time_ns_since(a->start_tsc); }

static void fill_boot_info(struct app *a)
{
	struct uv_boot_info bi;
	memset(&bi, 0, sizeof(bi));
	bi.magic = UV_BOOT_INFO_MAGIC;
	bi.abi_version = UV_ABI_VERSION;
	bi.hc_insn = hv_caps()->hc_insn;
	bi.mem_size = a->mem.size;
	bi.heap_start = a->layout.heap_start;
	bi.heap_end = a->layout.heap_end;
	bi.stack_bottom = a->layout.stack_bottom;
	bi.stack_top = a->layout.stack_top;
	bi.tsc_hz = time_tsc_hz();
	time_tsc_scale(&bi.tsc_to_ns_mul, &bi.tsc_to_ns_shift);
	bi.flags = UV_BOOT_TSC_USABLE;
	bi.wall_ns_at_start = time_wall_ns() - app_now_ns(a);
	bi.grants = a->grants;
	bi.app_index = a->index;
	bi.restart_count = a->restarts;
	bi.n_chans = a->n_chans;
	kstrlcpy(bi.name, a->name, sizeof(bi.name));
	bi.argc = a->rec->argc;
	bi.args_off = UV_BOOT_INFO_ARGS_OFF;
	bi.args_len = (uint32_t)a->rec->args.size; /* <= UV_BOOT_INFO_ARGS_MAX: manifest_check */
	bi.n_nics = a->n_nics;
	memcpy(bi.nic_ip, a->nic_ip, sizeof(bi.nic_ip));
	guest_copy_out(&a->mem, UV_GUEST_BOOTINFO, &bi, sizeof(bi));
	guest_copy_out(&a->mem, UV_GUEST_BOOTINFO + UV_BOOT_INFO_ARGS_OFF, a->args, a->rec->args.size);
}

/* Puts chunk i of the app's RAM into its VM whole (one 2 MiB leaf where it is one),
 * zeroed first (guestmem_chunk_ready); a chunk mapped page by page before is unmapped
 * first (hv_vm_unmap flushes its translations). A not-present entry becoming present needs
 * no flush (hv_vm_map: the violation that brought us here dropped what was cached for it,
 * SDM 3C 28.4.3.1 for EPT). */
static int map_chunk(struct app *a, uint64_t i)
{
	uint64_t gpa = i * GUESTMEM_CHUNK, size = guestmem_chunk_size(&a->mem, i);
	uint64_t hpa = guestmem_chunk_ready(&a->mem, i);
	int r = 0;
	if (a->mem.chunk_state[i] & GUESTMEM_MAPPED_PAGES)
		r = hv_vm_unmap(a->vm, gpa, size);
	if (!r)
		r = hv_vm_map(a->vm, gpa, hpa, size, PROT_RWX);
	if (!r)
		a->mem.chunk_state[i] = (uint8_t)((a->mem.chunk_state[i] & ~GUESTMEM_MAPPED_PAGES) | GUESTMEM_MAPPED);
	return r;
}

/* At start, a chunk the loader wrote: whole when it is all zeroed, else only its pages that
 * are (in 4 KiB leaves: the rest is zeroed at the app's first touch of it). */
static int map_loaded_chunk(struct app *a, uint64_t i)
{
	const struct guestmem *g = &a->mem;
	if (!(g->chunk_state[i] & GUESTMEM_DIRTY))
		return map_chunk(a, i);
	uint64_t pages = guestmem_chunk_size(g, i) / PAGE_SIZE, base = i * GUESTMEM_CHUNK;
	for (uint64_t p, q = 0; guestmem_next_run(g, i, pages, true, &p, &q);) {
		int r = hv_vm_map(a->vm, base + p * PAGE_SIZE, g->chunk_hpa[i] + p * PAGE_SIZE, (q - p) * PAGE_SIZE, PROT_RWX);
		if (r)
			return r;
	}
	a->mem.chunk_state[i] |= GUESTMEM_MAPPED_PAGES;
	return 0;
}

int app_first_touch(struct app *a, uint64_t gpa)
{
	if (gpa >= a->mem.size)
		return -UV_EFAULT;
	gpa = nospec_index(gpa, a->mem.size);
	uint64_t i = gpa / GUESTMEM_CHUNK, base = gpa & ~(uint64_t)(PAGE_SIZE - 1);
	uint8_t st = a->mem.chunk_state[i];
	if (st & GUESTMEM_MAPPED)
		return -UV_EFAULT; /* mapped RWX whole already: a violation there is not a first touch */
	/* A chunk the loader wrote part of: its next few pages one at a time (an app that uses
	 * a little more stack or heap than it was given pays no 2 MiB), then all of it. */
	if ((st & GUESTMEM_MAPPED_PAGES) && GUESTMEM_TOUCHES(st) < GUESTMEM_TOUCHES_MAX) {
		uint64_t hpa = guestmem_page_ready(&a->mem, i, gpa % GUESTMEM_CHUNK / PAGE_SIZE);
		int r = hv_vm_map(a->vm, base, hpa, PAGE_SIZE, PROT_RWX);
		if (!r)
			a->mem.chunk_state[i] = (uint8_t)(st + GUESTMEM_TOUCH_ONE);
		return r;
	}
	return map_chunk(a, i); /* untouched, or mapped page by page: now whole */
}

/* Reports why the app cannot start, ends it as failed (releasing what it got), and passes
 * the error on. */
static int fail(struct app *a, int err, const char *what, const char *why)
{
	kprintf("app '%s' cannot start: %s: %s\n", a->name, what, why);
	app_finish(a, UV_EXIT_STATUS_KILLED, true); /* (no output of this run to flush yet) */
	return err;
}

int app_start(struct app *a)
{
	uint64_t t0 = rdtsc();
	char msg[160];
	const char *why = "";
	int r;
	uint64_t mem = a->rec->mem_size, stack = a->rec->stack_size;
	/* Checked by manifest_check already; checked again right where it is used. */
	if (mem < UV_GUEST_MEM_MIN || mem > UV_GUEST_MEM_MAX || mem % PAGE_SIZE || stack % PAGE_SIZE || stack >= mem)
		return fail(a, -UV_EINVAL, "memory", "bad memory or stack size");
	struct guest_image img = { a->image, a->rec->load, a->rec->n_loads, 0 };
	if ((r = manifest_loads_check(a->rec, &img.highest, msg, sizeof(msg))))
		return fail(a, r, "image", msg);
	a->grants = a->rec->grants | UV_GRANT_BASE;
	if ((r = guestmem_alloc(&a->mem, mem)))
		return fail(a, r, "memory", "out of host memory for its RAM");
	if ((r = guest_build(&a->mem, &img, stack, &a->layout, &why)))
		return fail(a, r, "memory image", why);
	a->start_tsc = rdtsc();
	fill_boot_info(a);
	if ((r = hv_vm_create(&a->vm)))
		return fail(a, r, "VM", "cannot create (out of memory or tags)");
	/* Only what the loader wrote goes into the VM now (the pages it zeroed and wrote);
	 * everything else is zeroed, unless the idle scrub did, and mapped when the app first
	 * touches it, a whole 2 MiB chunk at a time. */
	for (uint64_t i = 0; i < a->mem.n_chunks; i++)
		if ((a->mem.chunk_state[i] & GUESTMEM_USED) && (r = map_loaded_chunk(a, i)))
			return fail(a, r, "VM", "cannot map its RAM");
	struct hv_vcpu_setup st = {
		.rip = a->rec->entry,
		.rsp = a->layout.stack_top,
		.rdi = UV_GUEST_BOOTINFO,
		.rflags = RFLAGS_FIXED1 | RFLAGS_IF, /* IF: harmless (nothing is injected), and Bochs gates host interrupts on it */
		.cr3 = a->layout.pml4,
		.gdt_base = a->layout.gdt,
		.gdt_limit = a->layout.gdt_limit,
		.tss_base = a->layout.tss,
		/* All exceptions stop the app, unless it handles its own; even then a #DF (its
		 * handling failed: a triple fault is next) and #MC come to the kernel. */
		.exception_intercepts = (a->rec->flags & UV_APP_GUEST_EXCEPTIONS) ? (1u << EXC_DF) | (1u << EXC_MC) : 0xffffffffu,
		.tsc_offset = 0 - a->start_tsc, /* the app's TSC starts at 0 */
		.tsc_aux = a->index,            /* RDTSCP/RDPID tell the app its own index */
	};
	if ((r = hv_vcpu_create(a->vm, &st, &a->vcpu)))
		return fail(a, r, "vCPU", "cannot create");
	hv_vcpu_set_hypercall_fn(a->vcpu, hypercall_exit, a); /* calls that go on complete inside hv_vcpu_run */
	a->state = APP_RUNNABLE;
	if (a->restarts)
		net_app_reset(a); /* frames queued for an earlier run are not this one's */
	a->failed = false;
	console_line_init(&a->con, a->name);
	a->console_wait.len = 0;
	a->net_wait.active = false; /* (a wait of an earlier run is not this one's) */
	uint64_t overhead = hv_vcpu_overhead_bytes(a->vcpu) + hv_vm_overhead_bytes(a->vm);
	kprintf("app '%s' started: mem=%lluKiB entry=%#llx (vcpu+vm overhead %llu bytes)\n", a->name,
		(unsigned long long)(mem >> 10), (unsigned long long)a->rec->entry, (unsigned long long)overhead);
	/* For make bench: fixed bytes per app besides its RAM (VMCS/VMCB, EPT/NPT, FPU area,
	 * chunk table; its guest page tables and boot-info page lie in its RAM), when its TSC
	 * read 0 and how long starting it took, in ticks from kernel entry. */
	bench_figure("app %s overhead-bytes %llu tsc-zero %llu start-ticks %llu\n", a->name,
		(unsigned long long)(overhead + a->mem.table_pages * PAGE_SIZE),
		(unsigned long long)(a->start_tsc - time_entry_tsc), (unsigned long long)(rdtsc() - t0));
	return 0;
}

void app_finish(struct app *a, int64_t status, bool failed)
{
	app_console_flush(a);
	a->exit_status = status;
	a->failed = failed;
	a->state = APP_DONE;
	if (a->vcpu)
		hv_vcpu_destroy(a->vcpu);
	if (a->vm)
		hv_vm_destroy(a->vm);
	guestmem_free(&a->mem);
	a->vcpu = 0;
	a->vm = 0;
	chan_app_stopped(a); /* its channels reset; the peers are told once */
}

/* Its owner number in the console ring. */
static unsigned console_owner(const struct app *a) { return a->index + 1; }
_Static_assert(UV_MANIFEST_MAX_APPS <= CRING_APPS, "every app needs an owner number in the console ring");

bool app_console_write(struct app *a, const char *buf, uv_gaddr_t gaddr, uint64_t len)
{
	uint64_t done = console_line_feed(&a->con, console_owner(a), buf, len);
	if (done == len)
		return true;
	a->console_wait.gaddr = gaddr;
	a->console_wait.len = len;
	a->console_wait.done = done;
	a->console_wait.since_ns = time_ns();
	a->wake_ns = UINT64_MAX; /* woken by app_console_resume, not by time */
	a->wait_mask = 0;
	a->stats.console_waits++;
	return false;
}

bool app_console_resume(struct app *a)
{
	char *buf = (char *)this_cpu()->hc_buf; /* this CPU's bounce page (no hypercall is under way) */
	if (console_room(console_owner(a)) < CONSOLE_RESUME_ROOM)
		return false;
	uint64_t n = a->console_wait.len - a->console_wait.done;
	/* Checked when the call was made; the app's RAM has not changed since. */
	KASSERT(n <= PAGE_SIZE && !guest_copy_in(&a->mem, buf, a->console_wait.gaddr + a->console_wait.done, n));
	a->console_wait.done += console_line_feed(&a->con, console_owner(a), buf, n);
	if (a->console_wait.done < a->console_wait.len)
		return false;
	a->console_wait.len = 0;
	a->stats.console_wait_ns += time_ns() - a->console_wait.since_ns;
	return true;
}

void app_console_flush(struct app *a)
{
	console_line_end(&a->con, console_owner(a));
}
