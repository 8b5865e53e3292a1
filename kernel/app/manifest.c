/* kernel/app/manifest.c: the manifest validator shared by the kernel and mkimage (one file, both builds; untrusted input). */
#include "kernel/app/manifest.h"
#include "kernel/app/manifest_net.h"
#include "kernel/app/manifest_chan.h"
#include "kernel/arch/x86.h"
#include "kernel/lib/kstring.h"
#include "include/abi/uv_hypercall.h"

#define FAIL MANIFEST_FAIL

int manifest_name_valid(const char *s, size_t max)
{
	size_t n = 0;
	for (; n < max && s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return n > 0 && n < max;
}

int manifest_name_field_ok(const char name[UV_MANIFEST_NAME_MAX])
{
	if (!manifest_name_valid(name, UV_MANIFEST_NAME_MAX))
		return 0;
	for (size_t i = strlen(name); i < UV_MANIFEST_NAME_MAX; i++)
		if (name[i])
			return 0;
	return 1;
}

int manifest_blob_inside(const struct uv_manifest_blob *b, uint64_t lo, uint64_t total)
{
	return b->off >= lo && b->off <= total && b->size <= total - b->off;
}

int manifest_blobs_overlap(const struct uv_manifest_blob *a, const struct uv_manifest_blob *b)
{
	return a->size && b->size && a->off < b->off + b->size && b->off < a->off + a->size;
}

/* Checks a struct uv_symtab blob [p, p+size); on failure writes why. */
static int symtab_ok(const uint8_t *p, uint64_t size, char *why, size_t whylen)
{
	struct uv_symtab h;
	if (size < sizeof(h)) {
		ksnprintf(why, whylen, "%llu bytes, shorter than its header", (unsigned long long)size);
		return 0;
	}
	memcpy(&h, p, sizeof(h));
	uint64_t room = (size - sizeof(h)) / sizeof(struct uv_sym);
	if (h.n > room || sizeof(h) + (uint64_t)h.n * sizeof(struct uv_sym) + h.strtab_size != size) {
		ksnprintf(why, whylen, "%u entries and %u string bytes do not add up to its size %llu", h.n,
			  h.strtab_size, (unsigned long long)size);
		return 0;
	}
	const char *strtab = (const char *)p + sizeof(h) + (uint64_t)h.n * sizeof(struct uv_sym);
	if ((h.n && !h.strtab_size) || (h.strtab_size && strtab[h.strtab_size - 1])) {
		ksnprintf(why, whylen, "string table is empty or not NUL-terminated");
		return 0;
	}
	uint64_t prev = 0;
	for (uint32_t i = 0; i < h.n; i++) {
		struct uv_sym s;
		memcpy(&s, p + sizeof(h) + (uint64_t)i * sizeof(s), sizeof(s));
		if (s.name_off >= h.strtab_size) {
			ksnprintf(why, whylen, "symbol %u: name offset %u outside the string table", i, s.name_off);
			return 0;
		}
		if (s.addr < prev || s.addr + s.size < s.addr) {
			ksnprintf(why, whylen, "symbol %u: address %#llx out of order or wrapping", i,
				  (unsigned long long)s.addr);
			return 0;
		}
		prev = s.addr;
	}
	return 1;
}

/* Checks argc NUL-terminated strings filling [p, p+size) exactly. */
static int args_ok(const uint8_t *p, uint64_t size, uint32_t argc)
{
	if (argc == 0 || size == 0 || size > UV_BOOT_INFO_ARGS_MAX || p[size - 1])
		return 0;
	uint64_t nuls = 0;
	for (uint64_t i = 0; i < size; i++)
		nuls += p[i] == 0;
	return nuls == argc;
}

static int check_app(const uint8_t *base, uint64_t total, uint64_t lo, int i, struct manifest_error *e)
{
	const struct uv_manifest_app *a = &((const struct uv_manifest *)base)->apps[i];
	char who[48];
	if (!manifest_name_field_ok(a->name))
		FAIL(e, i, "app %d: name is not 1-31 of [a-z0-9_-] padded with NULs", i);
	ksnprintf(who, sizeof(who), "app %d '%s'", i, a->name);
	for (int k = 0; k < i; k++)
		if (!strcmp(a->name, ((const struct uv_manifest *)base)->apps[k].name))
			FAIL(e, i, "%s: name is also app %d's", who, k);
	if (a->mem_size % UV_PAGE_SIZE || a->mem_size < UV_GUEST_MEM_MIN || a->mem_size > UV_GUEST_MEM_MAX)
		FAIL(e, i, "%s: mem_size %#llx is not a multiple of 4 KiB in [%#llx, %#llx]", who,
		     (unsigned long long)a->mem_size, UV_GUEST_MEM_MIN, UV_GUEST_MEM_MAX);
	if (a->stack_size % UV_PAGE_SIZE || a->stack_size == 0 ||
	    a->stack_size >= a->mem_size - UV_GUEST_IMAGE_MIN - UV_GUEST_GUARD_SIZE)
		FAIL(e, i, "%s: stack_size %#llx is not a multiple of 4 KiB leaving room for the image in mem_size %#llx",
		     who, (unsigned long long)a->stack_size, (unsigned long long)a->mem_size);
	if ((a->grants & ~(uint64_t)UV_GRANT_ALL_KNOWN) || !(a->grants & UV_GRANT_BASE))
		FAIL(e, i, "%s: grants %#llx has unknown bits or lacks base", who, (unsigned long long)a->grants);
	if (a->restart > UV_RESTART_ON_FAILURE)
		FAIL(e, i, "%s: unknown restart policy %u", who, a->restart);
	if (a->restart_limit > MANIFEST_RESTART_LIMIT_MAX || (a->restart == UV_RESTART_NEVER && a->restart_limit))
		FAIL(e, i, "%s: restart_limit %u is above %u or set without a restart policy", who, a->restart_limit,
		     MANIFEST_RESTART_LIMIT_MAX);
	if (a->restart_backoff_ms > MANIFEST_BACKOFF_MAX_MS)
		FAIL(e, i, "%s: restart_backoff_ms %u is above %u", who, a->restart_backoff_ms, MANIFEST_BACKOFF_MAX_MS);
	if (a->flags & ~UV_APP_GUEST_EXCEPTIONS)
		FAIL(e, i, "%s: unknown flags %#x", who, a->flags);
	int reserved = a->reserved0 != 0 || a->reserved1 != 0;
	for (unsigned k = 0; k < sizeof(a->reserved) / sizeof(a->reserved[0]); k++)
		reserved |= a->reserved[k] != 0;
	if (reserved)
		FAIL(e, i, "%s: reserved fields are not zero", who);

	if (!manifest_blob_inside(&a->image, lo, total))
		FAIL(e, i, "%s: image blob [%#llx, +%#llx) is outside the manifest's blobs [%#llx, %#llx)", who,
		     (unsigned long long)a->image.off, (unsigned long long)a->image.size, (unsigned long long)lo,
		     (unsigned long long)total);
	if (!manifest_blob_inside(&a->args, lo, total))
		FAIL(e, i, "%s: args blob [%#llx, +%#llx) is outside the manifest's blobs [%#llx, %#llx)", who,
		     (unsigned long long)a->args.off, (unsigned long long)a->args.size, (unsigned long long)lo,
		     (unsigned long long)total);
	if (!args_ok(base + a->args.off, a->args.size, a->argc))
		FAIL(e, i, "%s: args are not %u NUL-terminated strings in 1..%llu bytes (%llu bytes)", who, a->argc,
		     (unsigned long long)UV_BOOT_INFO_ARGS_MAX, (unsigned long long)a->args.size);
	char why[120];
	if (a->syms.size == 0 && a->syms.off != 0)
		FAIL(e, i, "%s: empty symbol table blob with offset %#llx", who, (unsigned long long)a->syms.off);
	if (a->syms.size) {
		if (!manifest_blob_inside(&a->syms, lo, total) || a->syms.off % 8)
			FAIL(e, i, "%s: symbol table blob [%#llx, +%#llx) is misaligned or outside the manifest's blobs", who,
			     (unsigned long long)a->syms.off, (unsigned long long)a->syms.size);
		if (!symtab_ok(base + a->syms.off, a->syms.size, why, sizeof(why)))
			FAIL(e, i, "%s: symbol table: %s", who, why);
	}

	uint64_t highest;
	if (manifest_loads_check(a, &highest, why, sizeof(why)))
		FAIL(e, i, "%s: %s", who, why);
	return 0;
}

int manifest_loads_check(const struct uv_manifest_app *a, uint64_t *highest, char *why, size_t whylen)
{
#define LOAD_FAIL(...) return ksnprintf(why, whylen, __VA_ARGS__), -UV_EINVAL
	/* The image area: [UV_GUEST_IMAGE_MIN, stack guard page); see uv_bootinfo.h. */
	uint64_t image_max = a->mem_size - a->stack_size - UV_GUEST_GUARD_SIZE;
	bool entry_ok = false;
	*highest = 0;
	if (a->n_loads == 0 || a->n_loads > UV_MANIFEST_MAX_LOADS)
		LOAD_FAIL("%u loadable segments (1..%d allowed)", a->n_loads, UV_MANIFEST_MAX_LOADS);
	for (unsigned k = 0; k < UV_MANIFEST_MAX_LOADS; k++) {
		const struct uv_manifest_load *l = &a->load[k];
		uint64_t end = l->vaddr + l->memsz;
		if (k >= a->n_loads) {
			if (l->vaddr | l->memsz | l->off | l->filesz | l->skip | l->flags)
				LOAD_FAIL("segment record %u past the %u used is not zero", k, a->n_loads);
			continue;
		}
		if ((l->flags & ~(UV_LOAD_R | UV_LOAD_W | UV_LOAD_X)) || l->vaddr % PAGE_SIZE || l->memsz % PAGE_SIZE ||
		    !l->memsz || l->skip >= PAGE_SIZE || l->filesz > l->memsz - l->skip)
			LOAD_FAIL("segment %u: flags %#x, pages [%#llx, +%#llx), bytes at +%#x, %#llx long: not whole pages "
				  "holding its bytes", k, l->flags, (unsigned long long)l->vaddr,
				  (unsigned long long)l->memsz, l->skip, (unsigned long long)l->filesz);
		if (l->vaddr < UV_GUEST_IMAGE_MIN || end < l->vaddr || end > image_max)
			LOAD_FAIL("segment %u: [%#llx, %#llx) lies outside the app's image area [%#llx, %#llx)", k,
				  (unsigned long long)l->vaddr, (unsigned long long)end, UV_GUEST_IMAGE_MIN,
				  (unsigned long long)image_max);
		if (l->off > a->image.size || l->filesz > a->image.size - l->off)
			LOAD_FAIL("segment %u: bytes [%#llx, +%#llx) lie outside the image blob (%#llx bytes)", k,
				  (unsigned long long)l->off, (unsigned long long)l->filesz,
				  (unsigned long long)a->image.size);
		for (unsigned o = 0; o < k; o++)
			if (l->vaddr < a->load[o].vaddr + a->load[o].memsz && a->load[o].vaddr < end)
				LOAD_FAIL("segment %u: [%#llx, %#llx) overlaps segment %u's pages", k,
					  (unsigned long long)l->vaddr, (unsigned long long)end, o);
		entry_ok |= (l->flags & UV_LOAD_X) && a->entry >= l->vaddr && a->entry < end;
		*highest = end > *highest ? end : *highest;
	}
	if (!entry_ok)
		LOAD_FAIL("entry point %#llx is not inside an executable segment", (unsigned long long)a->entry);
	return 0;
#undef LOAD_FAIL
}

int manifest_check(const void *m, uint64_t len, struct manifest_error *e)
{
	const struct uv_manifest *h = m;
	e->app = -1;
	e->msg[0] = 0;
	if ((uintptr_t)m % 8)
		FAIL(e, -1, "manifest at %p is not 8-byte aligned", m);
	if (len < sizeof(*h))
		FAIL(e, -1, "manifest is %llu bytes, shorter than its header", (unsigned long long)len);
	if (h->magic != UV_MANIFEST_MAGIC)
		FAIL(e, -1, "bad manifest magic %#x (expected %#x)", h->magic, UV_MANIFEST_MAGIC);
	if (h->version != UV_MANIFEST_VERSION)
		FAIL(e, -1, "manifest version %u, this kernel reads version %u", h->version, UV_MANIFEST_VERSION);
	if (h->n_apps == 0 || h->n_apps > UV_MANIFEST_MAX_APPS)
		FAIL(e, -1, "manifest has %u apps (1..%d allowed)", h->n_apps, UV_MANIFEST_MAX_APPS);
	uint64_t lo = sizeof(*h) + (uint64_t)h->n_apps * sizeof(struct uv_manifest_app);
	if (h->total_size < lo || h->total_size > len)
		FAIL(e, -1, "manifest total_size %llu is outside [%llu, %llu] (header and app records .. bytes present)",
		     (unsigned long long)h->total_size, (unsigned long long)lo, (unsigned long long)len);
	if (h->flags)
		FAIL(e, -1, "manifest flags %#x are not zero", h->flags);
	if (!manifest_name_field_ok(h->name))
		FAIL(e, -1, "appliance name is not 1-31 of [a-z0-9_-] padded with NULs");
	if (manifest_check_net_header(h, lo, h->total_size, e) || manifest_check_chan_header(h, lo, h->total_size, e))
		return -UV_EINVAL;
	for (uint32_t i = 0; i < h->n_apps; i++)
		if (check_app(m, h->total_size, lo, (int)i, e))
			return -UV_EINVAL;
	if (manifest_check_net(h, e))
		return -UV_EINVAL;
	return manifest_check_chan(h, e);
}
