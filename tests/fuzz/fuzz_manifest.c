/* tests/fuzz/fuzz_manifest.c: libFuzzer target: bytes -> manifest_check (and elf_check inside it; an accepted network is read back); inputs starting with \177ELF go to the ELF readers. */
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
		if (r == 0)
			check_net((const struct uv_manifest *)m, size);
	}
	free(m);
	return 0;
}
