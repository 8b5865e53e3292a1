/* tests/fuzz/fuzz_guestwalk.c: libFuzzer target: hv/svm/svm_guestwalk.c over random guest page tables, CR3, GVA and length, checked against an independent walker. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "hv/hv_backend.h"
#include "tests/fuzz/fake_translate.h"

/*
 * Input: a 21-byte header, then the guest-physical image (missing bytes are zero).
 *   [0]      pages - 1 (1..MAX_PAGES pages)
 *   [1]      bit 0: fold the address field of every 8-byte word (and of CR3) to a page
 *            number in [0, pages + 2), so most entries point into the image or just past
 *            it (flags, reserved and huge-page bits stay as the fuzzer wrote them);
 *            bit 1: one page of the image is unmapped (the hole)
 *   [2]      the hole's page number (mod pages)
 *   [3..10]  CR3, [11..18] GVA, [19..20] length (mod MAX_LEN + 1), little-endian
 */
#define MAX_PAGES 40
#define MAX_LEN (4 * 4096 + 100)
#define HDR 21
#define ADDR_BITS 0x000ffffffffff000ull

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t fold(uint64_t w, uint64_t pages)
{
	uint64_t page = ((w & ADDR_BITS) >> 12) % (pages + 2);
	return (w & ~ADDR_BITS) | page << 12;
}

/* ---- The reference walker: written from the SDM's 4-level paging, not from svm_guestwalk.c ---- */

static bool ref_mapped(const struct fake_vm *f, uint64_t gpa)
{
	return gpa < f->size && gpa / 4096 != f->hole;
}

/* Guest-physical address of gva, or false. Present bit only (reads ignore R/W, U/S, NX);
 * bit 7 makes a 1 GiB (PDPTE) or 2 MiB (PDE) page; in a PML4E it is not looked at. */
static bool ref_walk(const struct fake_vm *f, uint64_t cr3, uint64_t gva, uint64_t *gpa)
{
	static const unsigned shift[4] = { 39, 30, 21, 12 }; /* PML4, PDPT, PD, PT */
	uint64_t table = cr3 & ADDR_BITS;
	for (int lvl = 0; lvl < 4; lvl++) {
		uint64_t at = table + 8 * ((gva >> shift[lvl]) & 0x1ff), e;
		if (!ref_mapped(f, at))
			return false;
		memcpy(&e, f->img + at, 8);
		if (!(e & 1))
			return false;
		uint64_t page_mask = (1ull << shift[lvl]) - 1;
		if (lvl == 3 || ((lvl == 1 || lvl == 2) && (e & 0x80))) {
			*gpa = (e & ADDR_BITS & ~page_mask) + (gva & page_mask);
			return true;
		}
		table = e & ADDR_BITS;
	}
	abort(); /* not reached: level 3 is always a leaf */
}

/* Byte by byte: each byte whose walk succeeds and lands in mapped memory, until the first that does not. */
static size_t ref_read(const struct fake_vm *f, uint64_t cr3, uint64_t gva, uint8_t *out, size_t len)
{
	size_t n = 0;
	uint64_t gpa = 0;
	for (; n < len; n++) {
		/* A new walk at each virtual page start (and the first byte). */
		if (n == 0 || ((gva + n) & 4095) == 0)
			if (!ref_walk(f, cr3, gva + n, &gpa) || !ref_mapped(f, gpa))
				break;
		out[n] = f->img[gpa++];
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HDR)
		return 0;
	uint64_t pages = 1 + data[0] % MAX_PAGES;
	bool folded = data[1] & 1;
	struct fake_vm f = { .size = pages * 4096, .hole = (data[1] & 2) ? data[2] % pages : ~0ull };
	uint64_t cr3 = get64(data + 3), gva = get64(data + 11);
	size_t len = (data[19] | (size_t)data[20] << 8) % (MAX_LEN + 1);

	/* Exactly size bytes: ASan sees any access past the image. */
	f.img = malloc(f.size);
	size_t body = size - HDR < f.size ? size - HDR : f.size;
	memcpy(f.img, data + HDR, body);
	memset(f.img + body, 0, f.size - body);
	if (folded) {
		cr3 = fold(cr3, pages);
		for (uint64_t off = 0; off < f.size; off += 8) {
			uint64_t w;
			memcpy(&w, f.img + off, 8);
			w = fold(w, pages);
			memcpy(f.img + off, &w, 8);
		}
	}
	const uint8_t *end = f.img + f.size;

	/* hv_guest_map_virt: a pointer into the image with avail bytes left in the same page. */
	size_t avail = 12345;
	const uint8_t *p = hv_guest_map_virt(&f.common, cr3, gva, &avail);
	uint64_t gpa;
	bool ok = ref_walk(&f, cr3, gva, &gpa) && ref_mapped(&f, gpa);
	if (!p) {
		if (avail != 0 || ok)
			abort();
	} else {
		if (p < f.img || p >= end || avail == 0 || avail > (size_t)(end - p) ||
		    (uint64_t)(p - f.img) / 4096 != (uint64_t)(p - f.img + avail - 1) / 4096)
			abort(); /* outside the image or spills into the next page */
		if (!ok || p != f.img + gpa || avail != 4096 - (gpa & 4095))
			abort(); /* disagrees with the reference walker */
	}

	/* hv_guest_read_virt: at most len bytes, the same bytes the reference reads. */
	uint8_t *buf = malloc(len), *want = malloc(len);
	size_t got = hv_guest_read_virt(&f.common, cr3, gva, buf, len);
	size_t ref = ref_read(&f, cr3, gva, want, len);
	if (got > len || got != ref || memcmp(buf, want, got))
		abort();
	if (len && (got != 0) != ok)
		abort(); /* the first byte reads iff it maps */

	free(buf);
	free(want);
	free(f.img);
	return 0;
}
