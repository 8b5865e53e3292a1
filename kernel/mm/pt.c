/* kernel/mm/pt.c: the generic 4-level page-table builder and the standard x86-64 entry format. */
#include "kernel/mm/pt.h"
#include "include/abi/uv_errno.h"

#define LEVEL_SHIFT(l) (12 + 9 * ((l) - 1))
#define LEVEL_SIZE(l) (1ull << LEVEL_SHIFT(l))
#define INDEX(va, l) (((va) >> LEVEL_SHIFT(l)) & 511)
#define CANONICAL_LIMIT (1ull << 47)

int pt_init(struct pt *pt, const struct pt_format *fmt, const struct pt_mem *mem)
{
	pt->fmt = fmt;
	pt->mem = mem;
	pt->tables = 0;
	int r = mem->alloc(mem->ctx, &pt->root);
	if (r == 0)
		pt->tables = 1;
	return r;
}

/* Calls visit on each present entry of the table at `level` (its first entry maps base) that
 * maps part of [va, end), with lo the address the entry's range starts at; stops at the
 * first visit that returns non-zero and returns that. */
typedef int visit_fn(struct pt *pt, uint64_t *e, int level, uint64_t lo, uint64_t va, uint64_t end);
static int walk(struct pt *pt, uint64_t table, int level, uint64_t base, uint64_t va, uint64_t end, visit_fn *visit)
{
	uint64_t *t = pt->mem->ptr(pt->mem->ctx, table);
	for (unsigned i = INDEX(va > base ? va : base, level); i < 512; i++) {
		uint64_t lo = base + i * LEVEL_SIZE(level);
		if (lo >= end)
			break;
		int r = pt->fmt->present(t[i]) ? visit(pt, &t[i], level, lo, va, end) : 0;
		if (r)
			return r;
	}
	return 0;
}

/* 1 when a present leaf under *e maps part of [va, end). */
static int mapped(struct pt *pt, uint64_t *e, int level, uint64_t lo, uint64_t va, uint64_t end)
{
	if (level == 1 || pt->fmt->large(*e))
		return 1;
	return walk(pt, *e & PT_ADDR_MASK, level - 1, lo, va, end, mapped);
}

static void destroy_level(struct pt *pt, uint64_t table, int level);

/* Returns the table at `level` (below a PML4 entry etc.) covering va, allocating it if need be. */
static int next_table(struct pt *pt, uint64_t *entry, uint64_t *out)
{
	if (pt->fmt->present(*entry)) {
		if (pt->fmt->large(*entry))
			return -UV_EINVAL;
		*out = *entry & PT_ADDR_MASK;
		return 0;
	}
	uint64_t pa;
	int r = pt->mem->alloc(pt->mem->ctx, &pa);
	if (r)
		return r;
	pt->tables++;
	*entry = pt->fmt->table(pa);
	*out = pa;
	return 0;
}

int pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, unsigned prot)
{
	if ((va | pa | size) & 0xfff || size == 0)
		return -UV_EINVAL;
	if (va + size < va || va + size > CANONICAL_LIMIT || pa + size < pa || pa + size > (1ull << 52))
		return -UV_EINVAL;
	if (walk(pt, pt->root, 4, 0, va, va + size, mapped))
		return -UV_EINVAL;
	uint64_t va0 = va;
	while (size) {
		int level = pt->fmt->max_leaf_level;
		while (level > 1 && (((va | pa) & (LEVEL_SIZE(level) - 1)) || size < LEVEL_SIZE(level)))
			level--;
		uint64_t table = pt->root;
		for (int l = 4; l > level; l--) {
			uint64_t *t = pt->mem->ptr(pt->mem->ctx, table);
			int r = next_table(pt, &t[INDEX(va, l)], &table);
			if (r) {
				/* Out of table memory: take back what this call mapped (leaves it
				 * made itself, so no split is needed), so a refused map maps nothing. */
				if (va > va0)
					pt_unmap(pt, va0, va - va0);
				return r;
			}
		}
		/* Fill this table's entries while the same leaf size still fits: one walk
		 * from the root per table, not per page. */
		uint64_t *t = pt->mem->ptr(pt->mem->ctx, table);
		uint64_t step = LEVEL_SIZE(level);
		unsigned i = INDEX(va, level);
		do {
			/* A table left empty by an unmap gives way to a large leaf (mapped found
			 * no present leaf under it): freed, not leaked. */
			if (level > 1 && pt->fmt->present(t[i]) && !pt->fmt->large(t[i]))
				destroy_level(pt, t[i] & PT_ADDR_MASK, level - 1);
			t[i++] = pt->fmt->leaf(pa, prot, level);
			va += step;
			pa += step;
			size -= step;
		} while (i < 512 && size >= step &&
			 (level == pt->fmt->max_leaf_level || size < LEVEL_SIZE(level + 1) ||
			  ((va | pa) & (LEVEL_SIZE(level + 1) - 1))));
	}
	return 0;
}

/* Replaces the large leaf *entry (at `level`) by a table of next-level leaves with the same mapping. */
static int split(struct pt *pt, uint64_t *entry, int level)
{
	uint64_t e = *entry, tpa;
	int r = pt->mem->alloc(pt->mem->ctx, &tpa);
	if (r)
		return r;
	pt->tables++;
	uint64_t *t = pt->mem->ptr(pt->mem->ctx, tpa);
	uint64_t base = e & PT_ADDR_MASK & ~(LEVEL_SIZE(level) - 1);
	unsigned prot = pt->fmt->prot(e);
	for (unsigned i = 0; i < 512; i++)
		t[i] = pt->fmt->leaf(base + i * LEVEL_SIZE(level - 1), prot, level - 1);
	*entry = pt->fmt->table(tpa);
	return 0;
}

/* Unmaps the part of [va, end) that *e maps, splitting a large leaf that sticks out of it. */
static int unmap(struct pt *pt, uint64_t *e, int level, uint64_t lo, uint64_t va, uint64_t end)
{
	bool whole = lo >= va && lo + LEVEL_SIZE(level) <= end;
	if (level == 1 || (pt->fmt->large(*e) && whole)) {
		*e = 0;
		return 0;
	}
	if (pt->fmt->large(*e)) {
		int r = split(pt, e, level);
		if (r)
			return r;
	}
	return walk(pt, *e & PT_ADDR_MASK, level - 1, lo, va, end, unmap);
}

int pt_unmap(struct pt *pt, uint64_t va, uint64_t size)
{
	if ((va | size) & 0xfff || va + size < va || va + size > CANONICAL_LIMIT)
		return -UV_EINVAL;
	return size ? walk(pt, pt->root, 4, 0, va, va + size, unmap) : 0;
}

int pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa, unsigned *prot, int *level)
{
	if (va >= CANONICAL_LIMIT)
		return -UV_EFAULT;
	uint64_t table = pt->root;
	for (int l = 4; l >= 1; l--) {
		uint64_t e = pt->mem->ptr(pt->mem->ctx, table)[INDEX(va, l)];
		if (!pt->fmt->present(e))
			return -UV_EFAULT;
		if (l == 1 || pt->fmt->large(e)) {
			uint64_t mask = LEVEL_SIZE(l) - 1;
			*pa = ((e & PT_ADDR_MASK) & ~mask) | (va & mask);
			*prot = pt->fmt->prot(e);
			*level = l;
			return 0;
		}
		table = e & PT_ADDR_MASK;
	}
	return -UV_EFAULT;
}

static void destroy_level(struct pt *pt, uint64_t table, int level)
{
	if (level > 1) {
		uint64_t *t = pt->mem->ptr(pt->mem->ctx, table);
		for (unsigned i = 0; i < 512; i++)
			if (pt->fmt->present(t[i]) && !pt->fmt->large(t[i]))
				destroy_level(pt, t[i] & PT_ADDR_MASK, level - 1);
	}
	pt->mem->free(pt->mem->ctx, table);
	pt->tables--;
}

void pt_destroy(struct pt *pt)
{
	if (pt->tables)
		destroy_level(pt, pt->root, 4);
	pt->root = 0;
}

/* ---- The standard x86-64 format (SDM 3A 4.5, tables 4-15 .. 4-20) ---- */
#define X86_P (1ull << 0)
#define X86_RW (1ull << 1)
#define X86_US (1ull << 2)
#define X86_PWT (1ull << 3)
#define X86_PCD (1ull << 4)
#define X86_PS (1ull << 7)
#define X86_G (1ull << 8)
#define X86_NX (1ull << 63)

static uint64_t x86_table(uint64_t pa) { return (pa & PT_ADDR_MASK) | X86_P | X86_RW; }
static uint64_t x86_user_table(uint64_t pa) { return x86_table(pa) | X86_US; }

static uint64_t x86_leaf_common(uint64_t pa, unsigned prot, int level, bool nx)
{
	uint64_t e = (pa & PT_ADDR_MASK) | X86_P;
	if (prot & PROT_W)
		e |= X86_RW;
	if (nx && !(prot & PROT_X))
		e |= X86_NX;
	if (prot & PT_UC)
		e |= X86_PCD | X86_PWT;
	if (prot & PT_GLOBAL)
		e |= X86_G;
	if (level > 1)
		e |= X86_PS;
	return e;
}
static uint64_t x86_leaf(uint64_t pa, unsigned prot, int level) { return x86_leaf_common(pa, prot, level, true); }
static uint64_t x86_leaf_nonx(uint64_t pa, unsigned prot, int level) { return x86_leaf_common(pa, prot, level, false); }
static uint64_t x86_user_leaf(uint64_t pa, unsigned prot, int level) { return x86_leaf(pa, prot, level) | X86_US; }
static bool x86_present(uint64_t e) { return e & X86_P; }
static bool x86_large(uint64_t e) { return e & X86_PS; }
static unsigned x86_prot(uint64_t e)
{
	unsigned p = PROT_R;
	if (e & X86_RW)
		p |= PROT_W;
	if (!(e & X86_NX))
		p |= PROT_X;
	if (e & X86_PCD)
		p |= PT_UC;
	if (e & X86_G)
		p |= PT_GLOBAL;
	return p;
}

const struct pt_format pt_x86_format = { x86_table, x86_leaf, x86_present, x86_large, x86_prot, 3 };
const struct pt_format pt_x86_format_nonx = { x86_table, x86_leaf_nonx, x86_present, x86_large, x86_prot, 3 };
const struct pt_format pt_x86_user_format = { x86_user_table, x86_user_leaf, x86_present, x86_large, x86_prot, 3 };
