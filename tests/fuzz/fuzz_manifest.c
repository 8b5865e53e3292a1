/* tests/fuzz/fuzz_manifest.c: libFuzzer target: bytes -> manifest_check (accepted loads and network are read back); inputs starting with \177ELF go to mkimage's ELF readers. */
#include <stdlib.h>
#include <string.h>
#include "tools/mkimage/elf.h"
#include "kernel/app/manifest.h"
#include "tools/mkimage/elfsym.h"
#include "include/abi/uv_bootinfo.h"

/* What an accepted manifest promises its readers about the network (kernel/app/manifest.h). */
static void check_net(const struct uv_manifest *h, size_t size)
{
	const uint8_t *base = (const uint8_t *)h;
	const uint8_t *end = (const uint8_t *)(manifest_vnics(h) + h->n_vnics);
	if ((const uint8_t *)manifest_ports(h) < base || end > base + size)
		abort();
	const struct uv_manifest_segment *s = manifest_segments(h);
	for (uint32_t i = 0; i < h->n_segments; i++)
		if (s[i].port != UV_SEGMENT_INTERNAL && s[i].port >= h->n_ports)
			abort();
	const struct uv_manifest_vnic *v = manifest_vnics(h);
	for (uint32_t i = 0; i < h->n_vnics; i++) {
		if (v[i].app >= h->n_apps || v[i].segment >= h->n_segments || v[i].queue == 0 ||
		    v[i].queue > UV_VNIC_QUEUE_MAX || (v[i].mac[0] & 1))
			abort();
		uint32_t handle = manifest_vnic_handle(h, i);
		if (handle >= UV_APP_MAX_VNICS || manifest_app_vnic(h, v[i].app, handle) != (int)i)
			abort();
	}
}

/* What an accepted manifest promises the loader (manifest_loads_check): every load's pages
 * inside the app's image area, its bytes inside the image blob and the manifest, no two
 * loads' pages shared. */
static void check_loads(const struct uv_manifest *h, size_t size)
{
	for (uint32_t i = 0; i < h->n_apps; i++) {
		const struct uv_manifest_app *a = &h->apps[i];
		if (a->n_loads == 0 || a->n_loads > UV_MANIFEST_MAX_LOADS || a->image.off > size ||
		    a->image.size > size - a->image.off)
			abort();
		for (uint32_t k = 0; k < a->n_loads; k++) {
			const struct uv_manifest_load *l = &a->load[k];
			if (l->vaddr < UV_GUEST_IMAGE_MIN || l->vaddr + l->memsz > a->mem_size - a->stack_size ||
			    l->vaddr + l->memsz < l->vaddr || l->off + l->filesz > a->image.size ||
			    l->off + l->filesz < l->off || l->skip + l->filesz > l->memsz)
				abort();
			for (uint32_t o = 0; o < k; o++)
				if (l->vaddr < a->load[o].vaddr + a->load[o].memsz && a->load[o].vaddr < l->vaddr + l->memsz)
					abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The kernel's payload is page-aligned: give the checker an aligned copy of exactly size bytes. */
	uint8_t *m = aligned_alloc(16, size ? (size + 15) & ~(size_t)15 : 16);
	memcpy(m, data, size);
	if (size >= 4 && !memcmp(data, "\177ELF", 4)) {
		struct elf_image img;
		char why[200];
		if (elf_check(m, size, UV_GUEST_IMAGE_MIN, UV_GUEST_MEM_MAX, &img, why, sizeof(why)) == 0) {
			/* What was accepted must really be inside the file and the image area. */
			for (unsigned i = 0; i < img.n_segments; i++)
				if (img.seg[i].offset + img.seg[i].filesz > size || img.seg[i].vaddr < UV_GUEST_IMAGE_MIN ||
				    img.seg[i].skip + img.seg[i].filesz > img.seg[i].memsz)
					abort();
		}
		struct elf_sym_entry *s;
		size_t n;
		if (elf_symbols(m, size, &s, &n, why, sizeof(why)) == 0) {
			for (size_t i = 0; i < n; i++)
				if ((const uint8_t *)s[i].name < m || (const uint8_t *)s[i].name + strlen(s[i].name) >= m + size)
					abort();
			free(s);
		}
	} else {
		struct manifest_error e;
		int r = manifest_check(m, size, &e);
		if (r && (!e.msg[0] || e.app >= UV_MANIFEST_MAX_APPS))
			abort();
		if (r == 0) {
			check_net((const struct uv_manifest *)m, size);
			check_loads((const struct uv_manifest *)m, size);
		}
	}
	free(m);
	return 0;
}
