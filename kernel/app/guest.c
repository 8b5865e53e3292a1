/* kernel/app/guest.c: builds an app's initial memory image: its loads, GDT/TSS and the guest's own page tables. */
#include "kernel/app/guest.h"
#include "kernel/mm/pt.h"
#include "kernel/lib/kstring.h"
#include "hv/hv.h"
#include "include/abi/uv_bootinfo.h"
#include "include/abi/uv_errno.h"
#include "kernel/arch/x86.h"

#define SYS_GDT UV_GUEST_SYS_BASE             /* GDT (5 entries) then the TSS, one page */
#define SYS_TSS (UV_GUEST_SYS_BASE + 0x40)
#define SYS_PT_FIRST (UV_GUEST_SYS_BASE + PAGE_SIZE) /* guest page tables from here */

/* Guest page-table pages come from [SYS_PT_FIRST, UV_GUEST_SYS_END), bump-allocated. */
struct pt_bump {
	struct guestmem *g;
	uint64_t next;
};

static int bump_alloc(void *ctx, uint64_t *pa)
{
	struct pt_bump *b = ctx;
	if (b->next >= UV_GUEST_SYS_END)
		return -UV_ENOMEM;
	*pa = b->next;
	b->next += PAGE_SIZE;
	return 0; /* guest RAM is zeroed at allocation */
}
static void bump_free(void *ctx, uint64_t pa) { (void)ctx; (void)pa; }
static uint64_t *bump_ptr(void *ctx, uint64_t pa) { return guest_ptr(((struct pt_bump *)ctx)->g, pa); }

static unsigned seg_prot(unsigned flags)
{
	return PROT_R | (flags & UV_LOAD_W ? PROT_W : 0) | (flags & UV_LOAD_X ? PROT_X : 0);
}

static void write_gdt(struct guestmem *g)
{
	/* The flat segments of hv.h, as the vCPU starts with them loaded. */
	uint64_t gdt[HV_GUEST_GDT_ENTRIES] = { 0 };
	gdt[HV_GUEST_SEL_CODE / 8] = seg_descriptor(0, SEG_LIMIT_FLAT, HV_GUEST_SEG_CODE);
	gdt[HV_GUEST_SEL_DATA / 8] = seg_descriptor(0, SEG_LIMIT_FLAT, HV_GUEST_SEG_DATA);
	seg_tss_descriptor(SYS_TSS, HV_GUEST_SEG_TSS, &gdt[HV_GUEST_SEL_TSS / 8]);
	guest_copy_out(g, SYS_GDT, gdt, sizeof(gdt));
	/* The TSS stays zero but for the I/O map base: no I/O bitmap (SDM 3A 8.7). */
	uint16_t iomap = TSS64_IOMAP_NONE;
	guest_copy_out(g, SYS_TSS + 102, &iomap, 2);
}

int guest_build(struct guestmem *g, const struct guest_image *img, uint64_t stack_size,
		struct guest_layout *L, const char **why)
{
	memset(L, 0, sizeof(*L));
	if (stack_size + PAGE_SIZE + UV_GUEST_IMAGE_MIN > g->size || img->highest > guest_image_max(g->size, stack_size)) {
		*why = "the image and the stack do not fit in the app's memory";
		return -UV_EINVAL;
	}
	for (unsigned i = 0; i < img->n; i++) {
		const struct uv_manifest_load *s = &img->load[i];
		/* Its .bss too (zeroed, so its pages are in the VM from the start). */
		if (guest_copy_out(g, s->vaddr + s->skip, img->bytes + s->off, s->filesz) ||
		    guest_zero(g, s->vaddr + s->skip + s->filesz, s->memsz - s->skip - s->filesz)) {
			*why = "a loadable segment lies outside the app's memory";
			return -UV_EINVAL;
		}
	}
	guest_zero(g, g->size - PAGE_SIZE, PAGE_SIZE); /* the stack's first page: its first push */
	L->stack_top = g->size;
	L->stack_bottom = g->size - stack_size;
	L->guard = L->stack_bottom - PAGE_SIZE;
	L->heap_start = img->highest;
	L->heap_end = L->guard;
	L->gdt = SYS_GDT;
	L->tss = SYS_TSS;
	L->gdt_limit = HV_GUEST_GDT_ENTRIES * 8 - 1;
	write_gdt(g);

	struct pt_bump bump = { g, SYS_PT_FIRST };
	const struct pt_mem mem = { &bump, bump_alloc, bump_free, bump_ptr };
	struct pt_format fmt = pt_x86_format;
	fmt.max_leaf_level = 2; /* 2 MiB leaves: every long-mode CPU has them, 1 GiB ones not */
	struct pt pt;
	int r = pt_init(&pt, &fmt, &mem);
	L->pml4 = pt.root;
	r = r ? r : pt_map(&pt, UV_GUEST_BOOTINFO, UV_GUEST_BOOTINFO, PAGE_SIZE, PROT_R);
	r = r ? r : pt_map(&pt, UV_GUEST_SYS_BASE, UV_GUEST_SYS_BASE, UV_GUEST_SYS_END - UV_GUEST_SYS_BASE, PROT_R);
	for (unsigned i = 0; i < img->n && !r; i++)
		r = pt_map(&pt, img->load[i].vaddr, img->load[i].vaddr, img->load[i].memsz, seg_prot(img->load[i].flags));
	if (!r && L->heap_end > L->heap_start)
		r = pt_map(&pt, L->heap_start, L->heap_start, L->heap_end - L->heap_start, PROT_R | PROT_W);
	r = r ? r : pt_map(&pt, L->stack_bottom, L->stack_bottom, stack_size, PROT_R | PROT_W);
	if (r) {
		*why = r == -UV_ENOMEM ? "the guest page tables do not fit in the system area" : "overlapping guest mappings";
		return r;
	}
	L->pt_pages = pt.tables;
	return 0;
}
