/* tools/mkimage/build.c: checks each app's ELF against its config and lays out the manifest (header, records with the loads, blobs). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tools/mkimage/build.h"
#include "tools/mkimage/elfsym.h"
#include "tools/mkimage/elf.h"
#include "tools/mkimage/elf64.h"
#include "kernel/app/manifest.h"
#include "include/abi/uv_hypercall.h"

#define BLOB_ALIGN 16
_Static_assert(ELF_SEG_R == UV_LOAD_R && ELF_SEG_W == UV_LOAD_W && ELF_SEG_X == UV_LOAD_X, "a load's flags are p_flags");

struct app_blobs {
	uint8_t *file;    /* the ELF as read */
	struct elf_image img;
	size_t image_len; /* its segments' file bytes, end to end: the image blob */
	uint8_t *syms;    /* struct uv_symtab */
	size_t syms_len;
};

static int fail(const struct config *cfg, unsigned line, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int fail(const struct config *cfg, unsigned line, char *err, size_t errlen, const char *fmt, ...)
{
	char m[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%u: %s", cfg->file, line, m);
	return -1;
}

#define STUB_(NAME, name, nr, grant) { "uv_hc_" #name, #name, grant },
static const struct {
	const char *sym, *call;
	uint64_t grant;
} stubs[] = { UV_HYPERCALLS(STUB_) };
#undef STUB_

static int by_addr(const void *x, const void *y)
{
	const struct elf_sym_entry *a = x, *b = y;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Builds the struct uv_symtab blob of the function symbols (one name per address). */
static int symtab_blob(struct elf_sym_entry *s, size_t n, struct app_blobs *b)
{
	size_t k = 0, strsz = 0;
	qsort(s, n, sizeof(*s), by_addr);
	for (size_t i = 0; i < n; i++) {
		if (s[i].type != STT_FUNC || s[i].addr + (uint32_t)s[i].size < s[i].addr ||
		    (k && s[k - 1].addr == s[i].addr))
			continue;
		s[k++] = s[i];
		strsz += strlen(s[i].name) + 1;
	}
	if (k == 0)
		return 0;
	if (k > UINT32_MAX / 2 || strsz > UINT32_MAX / 2)
		return -1;
	b->syms_len = sizeof(struct uv_symtab) + k * sizeof(struct uv_sym) + strsz;
	b->syms = calloc(1, b->syms_len);
	if (!b->syms)
		return -1;
	struct uv_symtab h = { .n = (uint32_t)k, .strtab_size = (uint32_t)strsz };
	memcpy(b->syms, &h, sizeof(h));
	char *str = (char *)b->syms + sizeof(h) + k * sizeof(struct uv_sym);
	uint32_t off = 0;
	for (size_t i = 0; i < k; i++) {
		struct uv_sym e = { s[i].addr, s[i].size > UINT32_MAX ? UINT32_MAX : (uint32_t)s[i].size, off };
		memcpy(b->syms + sizeof(h) + i * sizeof(e), &e, sizeof(e));
		strcpy(str + off, s[i].name);
		off += (uint32_t)strlen(s[i].name) + 1;
	}
	return 0;
}

/* Loads and checks one app's ELF; fills *b. */
static int app_blobs(const struct config *cfg, const struct cfg_app *a, mkimage_loader load, void *ctx,
		     struct app_blobs *b, char *err, size_t errlen)
{
	size_t len;
	char why[256];
	unsigned eline = a->key_line[K_ELF];
	int r = load(ctx, a->elf, &b->file, &len);
	if (r)
		return fail(cfg, eline, err, errlen, "app '%s': cannot read ELF '%s': %s", a->name, a->elf, strerror(r));
	struct elf_image img;
	if (elf_check(b->file, len, UV_GUEST_IMAGE_MIN, UV_GUEST_MEM_MAX, &b->img, why, sizeof(why)))
		return fail(cfg, eline, err, errlen, "app '%s': %s: %s", a->name, a->elf, why);
	img = b->img;
	uint64_t need = img.highest + UV_GUEST_GUARD_SIZE + a->stack_size;
	if (need > a->mem_size)
		return fail(cfg, a->key_line[K_MEMORY], err, errlen,
			    "app '%s': memory %lluK is too small: the ELF spans [%#llx, %#llx), which with the %lluK stack "
			    "and its guard page needs at least %lluK", a->name, (unsigned long long)(a->mem_size >> 10),
			    (unsigned long long)img.lowest, (unsigned long long)img.highest,
			    (unsigned long long)(a->stack_size >> 10), (unsigned long long)(need >> 10));

	struct elf_sym_entry *syms;
	size_t n;
	if (elf_symbols(b->file, len, &syms, &n, why, sizeof(why)))
		return fail(cfg, eline, err, errlen, "app '%s': %s: %s", a->name, a->elf, why);
	for (size_t i = 0; i < sizeof(stubs) / sizeof(stubs[0]); i++) {
		if (a->grants & stubs[i].grant)
			continue;
		for (size_t k = 0; k < n; k++) {
			if (strcmp(syms[k].name, stubs[i].sym))
				continue;
			free(syms);
			unsigned gline = a->key_line[K_GRANTS] ? a->key_line[K_GRANTS] : a->line;
			return fail(cfg, gline, err, errlen, "app '%s' contains the %s stub but is not granted '%s'%s", a->name,
				    stubs[i].call, config_grant_name(stubs[i].grant),
				    stubs[i].grant == UV_GRANT_NET ? " (grant net:NAME for one of its vNICs)" :
				    stubs[i].grant == UV_GRANT_CHAN ? " (grant chan:NAME for one of its channels)" : "");
		}
	}
	r = symtab_blob(syms, n, b);
	free(syms);
	if (r)
		return fail(cfg, eline, err, errlen, "app '%s': %s: symbol table too large or out of memory", a->name,
			    a->elf);
	for (unsigned i = 0; i < img.n_segments; i++)
		b->image_len += img.seg[i].filesz;
	return 0;
}

static uint64_t align_up(uint64_t v)
{
	return (v + BLOB_ALIGN - 1) & ~(uint64_t)(BLOB_ALIGN - 1);
}

/* Appends a blob at the next aligned offset of the manifest being laid out. */
static struct uv_manifest_blob place(uint64_t *end, size_t size)
{
	struct uv_manifest_blob b = { size ? align_up(*end) : 0, size };
	if (size)
		*end = b.off + size;
	return b;
}

/* The net blob: ports, segments, vNICs (include/abi/uv_manifest.h), as the config resolved them. */
static void net_records(const struct config *cfg, uint8_t *out)
{
	for (unsigned i = 0; i < cfg->n_ports; i++) {
		struct uv_manifest_port r = { .driver = cfg->ports[i].driver, .index = cfg->ports[i].index };
		memcpy(r.name, cfg->ports[i].name, sizeof(r.name));
		memcpy(out, &r, sizeof(r));
		out += sizeof(r);
	}
	for (unsigned i = 0; i < cfg->n_segments; i++) {
		struct uv_manifest_segment r = { .port = cfg->segments[i].port };
		memcpy(r.name, cfg->segments[i].name, sizeof(r.name));
		memcpy(out, &r, sizeof(r));
		out += sizeof(r);
	}
	for (unsigned i = 0; i < cfg->n_vnics; i++) {
		const struct cfg_vnic *v = &cfg->vnics[i];
		struct uv_manifest_vnic r = { .app = v->app, .segment = v->segment, .flags = v->flags, .queue = v->queue,
					      .ip = v->ip };
		memcpy(r.name, v->name, sizeof(r.name));
		memcpy(r.mac, v->mac, sizeof(r.mac));
		memcpy(out, &r, sizeof(r));
		out += sizeof(r);
	}
}

/* The chan blob: one record per [channel] section, in file order. */
static void chan_records(const struct config *cfg, uint8_t *out)
{
	for (unsigned i = 0; i < cfg->n_chans; i++) {
		const struct cfg_chan *c = &cfg->chans[i];
		struct uv_manifest_chan r = { .sender = c->sender, .receiver = c->receiver, .msg_max = c->msg_max,
					      .depth = c->depth, .flags = c->flags };
		memcpy(r.name, c->name, sizeof(r.name));
		memcpy(out + i * sizeof(r), &r, sizeof(r));
	}
}

int manifest_build(const struct config *cfg, mkimage_loader load, void *ctx, uint8_t **out, size_t *outlen,
		   char *err, size_t errlen)
{
	struct app_blobs b[UV_MANIFEST_MAX_APPS];
	struct uv_manifest_app rec[UV_MANIFEST_MAX_APPS];
	int r = -1;
	memset(b, 0, sizeof(b));
	memset(rec, 0, sizeof(rec));
	*out = NULL;
	uint64_t end = sizeof(struct uv_manifest) + cfg->n_apps * sizeof(struct uv_manifest_app);
	struct uv_manifest_blob net = place(&end, cfg->n_ports * sizeof(struct uv_manifest_port) +
						  cfg->n_segments * sizeof(struct uv_manifest_segment) +
						  cfg->n_vnics * sizeof(struct uv_manifest_vnic));
	struct uv_manifest_blob chan = place(&end, cfg->n_chans * sizeof(struct uv_manifest_chan));
	for (unsigned i = 0; i < cfg->n_apps; i++) {
		const struct cfg_app *a = &cfg->apps[i];
		if (app_blobs(cfg, a, load, ctx, &b[i], err, errlen))
			goto out;
		memcpy(rec[i].name, a->name, sizeof(a->name));
		rec[i].mem_size = a->mem_size;
		rec[i].stack_size = a->stack_size;
		rec[i].grants = a->grants;
		rec[i].restart = a->restart;
		rec[i].restart_limit = a->restart_limit;
		rec[i].restart_backoff_ms = a->restart_backoff_ms;
		rec[i].flags = a->flags;
		rec[i].argc = a->argc;
		rec[i].image = place(&end, b[i].image_len);
		rec[i].entry = b[i].img.entry;
		rec[i].n_loads = b[i].img.n_segments;
		uint64_t off = 0;
		for (unsigned k = 0; k < b[i].img.n_segments; k++) {
			const struct elf_segment *s = &b[i].img.seg[k];
			rec[i].load[k] = (struct uv_manifest_load){ .vaddr = s->vaddr, .memsz = s->memsz, .off = off,
								    .filesz = s->filesz, .skip = (uint32_t)s->skip,
								    .flags = s->flags };
			off += s->filesz;
		}
		rec[i].args = place(&end, a->args_len);
		rec[i].syms = place(&end, b[i].syms_len);
	}
	end = align_up(end);
	uint8_t *m = calloc(1, end);
	if (!m) {
		fail(cfg, cfg->line, err, errlen, "out of memory for a %llu-byte manifest", (unsigned long long)end);
		goto out;
	}
	struct uv_manifest h = { .magic = UV_MANIFEST_MAGIC, .version = UV_MANIFEST_VERSION, .total_size = end,
				 .n_apps = cfg->n_apps, .n_ports = cfg->n_ports, .n_segments = cfg->n_segments,
				 .n_vnics = cfg->n_vnics, .net = net, .n_chans = cfg->n_chans, .chan = chan };
	memcpy(h.name, cfg->name, sizeof(h.name));
	memcpy(m, &h, sizeof(h));
	net_records(cfg, m + net.off);
	chan_records(cfg, m + chan.off);
	for (unsigned i = 0; i < cfg->n_apps; i++) {
		memcpy(m + sizeof(h) + i * sizeof(rec[i]), &rec[i], sizeof(rec[i]));
		for (unsigned k = 0; k < rec[i].n_loads; k++)
			memcpy(m + rec[i].image.off + rec[i].load[k].off, b[i].file + b[i].img.seg[k].offset,
			       rec[i].load[k].filesz);
		memcpy(m + rec[i].args.off, cfg->apps[i].args, cfg->apps[i].args_len);
		if (b[i].syms_len)
			memcpy(m + rec[i].syms.off, b[i].syms, b[i].syms_len);
	}
	struct manifest_error me;
	if (manifest_check(m, end, &me)) {
		unsigned line = me.app >= 0 ? cfg->apps[me.app].line : cfg->line;
		fail(cfg, line, err, errlen, "the manifest fails the kernel's check: %s", me.msg);
		free(m);
		goto out;
	}
	*out = m;
	*outlen = end;
	r = 0;
out:
	for (unsigned i = 0; i < cfg->n_apps; i++) {
		free(b[i].file);
		free(b[i].syms);
	}
	return r;
}
