/* tests/unit/test_bootinfo.c: Multiboot2 and PVH boot information parsing, including malformed input. */
#include <stdint.h>
#include <multiboot2.h>
#include "tests/unit/unit.h"
#include "kernel/boot/boot.h"
#include "include/abi/uv_errno.h"

static uint8_t mbi[1024] __attribute__((aligned(8)));
static size_t mbi_len;

static void mb_begin(void) { memset(mbi, 0, sizeof(mbi)); mbi_len = 8; }
static void *mb_tag(uint32_t type, uint32_t size)
{
	uint8_t *t = mbi + mbi_len;
	memcpy(t, &type, 4);
	memcpy(t + 4, &size, 4);
	mbi_len += (size + 7) & ~7u;
	return t;
}
static void mb_end(void)
{
	mb_tag(MULTIBOOT_TAG_TYPE_END, 8);
	uint32_t total = (uint32_t)mbi_len;
	memcpy(mbi, &total, 4);
}
static void mb_mmap(int n)
{
	struct multiboot_tag_mmap *m = mb_tag(MULTIBOOT_TAG_TYPE_MMAP, (uint32_t)(16 + 24 * n));
	m->entry_size = 24;
	m->entry_version = 0;
	struct multiboot_mmap_entry *e = (void *)((uint8_t *)m + 16);
	for (int i = 0; i < n; i++) {
		e[i].addr = (uint64_t)i << 20;
		e[i].len = 1 << 20;
		e[i].type = i % 2 ? MULTIBOOT_MEMORY_RESERVED : MULTIBOOT_MEMORY_AVAILABLE;
	}
}

TEST(mb2_full)
{
	mb_begin();
	char *c = mb_tag(MULTIBOOT_TAG_TYPE_CMDLINE, 8 + 12);
	memcpy(c + 8, "fault=ud x=1", 12); /* no NUL inside the tag: the parser must stop at its end */
	mb_mmap(3);
	struct multiboot_tag_module *mod = mb_tag(MULTIBOOT_TAG_TYPE_MODULE, sizeof(*mod) + 1);
	mod->mod_start = 0x800000;
	mod->mod_end = 0x801000;
	mb_end();
	struct boot_info bi;
	const char *why = NULL;
	CHECK_EQ(boot_info_parse_mb2(mbi, sizeof(mbi), &bi, &why), 0);
	CHECK_EQ(bi.n_regions, 3);
	CHECK_EQ(bi.regions[1].base, 1 << 20);
	CHECK_EQ(bi.regions[1].type, BOOT_MEM_RESERVED);
	CHECK_EQ(bi.regions[2].type, BOOT_MEM_RAM);
	CHECK_EQ(bi.n_modules, 1);
	CHECK_EQ(bi.modules[0].len, 0x1000);
	CHECK_STR(bi.cmdline, "fault=ud x=1");
	char v[8];
	CHECK_STR(boot_cmdline_get(&bi, "fault", v, sizeof(v)), "ud");
	CHECK_STR(boot_cmdline_get(&bi, "x", v, sizeof(v)), "1");
	CHECK(boot_cmdline_get(&bi, "fau", v, sizeof(v)) == NULL);
	CHECK(boot_cmdline_get(&bi, "y", v, sizeof(v)) == NULL);
}

TEST(mb2_bare_key_and_truncated_value)
{
	struct boot_info bi = { 0 };
	strcpy(bi.cmdline, "  selftest  name=abcdefghijkl");
	char v[4];
	CHECK_STR(boot_cmdline_get(&bi, "selftest", v, sizeof(v)), "");
	CHECK_STR(boot_cmdline_get(&bi, "name", v, sizeof(v)), "abc");
}

TEST(mb2_rejects_bad_input)
{
	struct boot_info bi;
	const char *why = NULL;
	mb_begin();
	mb_end();
	CHECK_EQ(boot_info_parse_mb2(mbi, sizeof(mbi), &bi, &why), -UV_EINVAL); /* no memory map */
	CHECK(strstr(why, "memory map") != NULL);

	mb_begin();
	mb_mmap(2);
	mb_end();
	CHECK_EQ(boot_info_parse_mb2(mbi, 12, &bi, &why), -UV_EINVAL); /* total_size beyond max_len */

	mb_begin();
	uint8_t *t = mb_tag(MULTIBOOT_TAG_TYPE_CMDLINE, 16);
	uint32_t huge = 4000;
	memcpy(t + 4, &huge, 4); /* a tag claiming to run past the info */
	mb_end();
	CHECK_EQ(boot_info_parse_mb2(mbi, sizeof(mbi), &bi, &why), -UV_EINVAL);
	CHECK(strstr(why, "past") != NULL);

	mb_begin();
	t = mb_tag(MULTIBOOT_TAG_TYPE_MMAP, 16 + 24);
	uint32_t esz = 4; /* entry size smaller than an entry */
	memcpy(t + 8, &esz, 4);
	mb_end();
	CHECK_EQ(boot_info_parse_mb2(mbi, sizeof(mbi), &bi, &why), -UV_EINVAL);

	CHECK_EQ(boot_info_parse_mb2(mbi, 4, &bi, &why), -UV_EINVAL);
}

TEST(mb2_region_overflow_is_clamped)
{
	mb_begin();
	struct multiboot_tag_mmap *m = mb_tag(MULTIBOOT_TAG_TYPE_MMAP, 16 + 24);
	m->entry_size = 24;
	struct multiboot_mmap_entry *e = (void *)((uint8_t *)m + 16);
	e->addr = 0xfffffffffffff000ull;
	e->len = 0x10000;
	e->type = 1;
	mb_end();
	struct boot_info bi;
	const char *why;
	CHECK_EQ(boot_info_parse_mb2(mbi, sizeof(mbi), &bi, &why), 0);
	CHECK_EQ(bi.regions[0].len, 0x1000);
}

TEST(mb2_unknown_region_type_is_reserved)
{
	mb_begin();
	mb_mmap(4);
	struct multiboot_mmap_entry *e = (void *)(mbi + 8 + 16);
	e[0].type = 0;
	e[1].type = BOOT_MEM_BAD;
	e[2].type = BOOT_MEM_BAD + 1;
	e[3].type = UINT32_MAX;
	mb_end();
	struct boot_info bi;
	const char *why;
	CHECK_EQ(boot_info_parse_mb2(mbi, sizeof(mbi), &bi, &why), 0);
	CHECK_EQ(bi.n_regions, 4);
	CHECK_EQ(bi.regions[0].type, BOOT_MEM_RESERVED);
	CHECK_EQ(bi.regions[1].type, BOOT_MEM_BAD);
	CHECK_EQ(bi.regions[2].type, BOOT_MEM_RESERVED);
	CHECK_EQ(bi.regions[3].type, BOOT_MEM_RESERVED);
}

/* ---- PVH: a fake physical memory of 64 KiB ---- */
static uint8_t phys_mem[65536];
static const void *fake_phys(uint64_t pa, size_t len)
{
	if (pa >= sizeof(phys_mem) || len > sizeof(phys_mem) - pa)
		return NULL;
	return phys_mem + pa;
}

struct pvh { uint32_t magic, version, flags, nr_modules; uint64_t modlist, cmdline, rsdp, memmap; uint32_t n, r; };
struct pvh_e { uint64_t addr, size; uint32_t type, r; };

TEST(pvh_full)
{
	memset(phys_mem, 0, sizeof(phys_mem));
	struct pvh *si = (void *)(phys_mem + 0x100);
	*si = (struct pvh){ .magic = 0x336ec578, .version = 1, .memmap = 0x200, .n = 2, .cmdline = 0x300 };
	struct pvh_e *e = (void *)(phys_mem + 0x200);
	e[0] = (struct pvh_e){ 0, 0x9fc00, 1, 0 };
	e[1] = (struct pvh_e){ 0x100000, 0x7f00000, 1, 0 };
	strcpy((char *)phys_mem + 0x300, "fault=pf");
	struct boot_info bi;
	const char *why;
	CHECK_EQ(boot_info_parse_pvh(si, &bi, &why, fake_phys), 0);
	CHECK_EQ(bi.n_regions, 2);
	CHECK_EQ(bi.regions[1].len, 0x7f00000);
	CHECK_STR(bi.cmdline, "fault=pf");
}

TEST(pvh_rejects_bad_input)
{
	memset(phys_mem, 0, sizeof(phys_mem));
	struct pvh *si = (void *)(phys_mem + 0x100);
	struct boot_info bi;
	const char *why;
	*si = (struct pvh){ .magic = 0x1234, .version = 1, .memmap = 0x200, .n = 1 };
	CHECK_EQ(boot_info_parse_pvh(si, &bi, &why, fake_phys), -UV_EINVAL);
	*si = (struct pvh){ .magic = 0x336ec578, .version = 0 };
	CHECK_EQ(boot_info_parse_pvh(si, &bi, &why, fake_phys), -UV_EINVAL);
	*si = (struct pvh){ .magic = 0x336ec578, .version = 1, .memmap = 0xfff0, .n = 2 };
	CHECK_EQ(boot_info_parse_pvh(si, &bi, &why, fake_phys), -UV_EINVAL); /* map runs off memory */
	/* A command line without a NUL up to the end of memory is cut, not overrun. */
	*si = (struct pvh){ .magic = 0x336ec578, .version = 1, .memmap = 0x200, .n = 1, .cmdline = sizeof(phys_mem) - 4 };
	memset(phys_mem + sizeof(phys_mem) - 4, 'a', 4);
	CHECK_EQ(boot_info_parse_pvh(si, &bi, &why, fake_phys), 0);
	CHECK_STR(bi.cmdline, "aaaa");
	si->cmdline = sizeof(phys_mem); /* not addressable: no command line */
	CHECK_EQ(boot_info_parse_pvh(si, &bi, &why, fake_phys), 0);
	CHECK_STR(bi.cmdline, "");
	si->cmdline = 0x1000; /* longer than BOOT_CMDLINE_MAX: cut to fit, NUL-terminated */
	memset(phys_mem + 0x1000, 'b', 2 * BOOT_CMDLINE_MAX);
	CHECK_EQ(boot_info_parse_pvh(si, &bi, &why, fake_phys), 0);
	CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}

/* ---- The ACPI RSDP: from a Multiboot2 tag, the PVH start info, or the BIOS scan ---- */

/* Writes an RSDP at p: revision 0 (20 bytes) or 2 (36), checksums right. */
static void make_rsdp(uint8_t *p, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(p, 0, rev < 2 ? 20 : 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "UVTEST", 6);
	p[15] = rev;
	memcpy(p + 16, &rsdt, 4);
	uint8_t s = 0;
	for (int i = 0; i < 20; i++)
		s = (uint8_t)(s + p[i]);
	p[8] = (uint8_t)-s;
	if (rev < 2)
		return;
	uint32_t len = 36;
	memcpy(p + 20, &len, 4);
	memcpy(p + 24, &xsdt, 8);
	s = 0;
	for (int i = 0; i < 36; i++)
		s = (uint8_t)(s + p[i]);
	p[32] = (uint8_t)-s;
}

/* A Multiboot2 info with a memory map and the given ACPI tags (type, payload bytes). */
static int mb_with_acpi(struct boot_info *bi, const uint8_t *old_rsdp, uint32_t old_len, const uint8_t *new_rsdp,
			uint32_t new_len, int new_first)
{
	mb_begin();
	mb_mmap(1);
	for (int k = 0; k < 2; k++) {
		int is_new = k == 0 ? new_first : !new_first;
		const uint8_t *r = is_new ? new_rsdp : old_rsdp;
		uint32_t n = is_new ? new_len : old_len;
		if (!r)
			continue;
		uint8_t *t = mb_tag(is_new ? MULTIBOOT_TAG_TYPE_ACPI_NEW : MULTIBOOT_TAG_TYPE_ACPI_OLD, 8 + n);
		memcpy(t + 8, r, n);
	}
	mb_end();
	const char *why = NULL;
	return boot_info_parse_mb2(mbi, sizeof(mbi), bi, &why);
}

TEST(mb2_acpi_tags)
{
	uint8_t v1[36], v2[36];
	make_rsdp(v1, 0, 0x7fe0000, 0);
	make_rsdp(v2, 2, 0x7fe0000, 0x7fe1000);
	struct boot_info bi;
	CHECK_EQ(mb_with_acpi(&bi, v1, 20, NULL, 0, 0), 0);
	CHECK_EQ(bi.rsdp_len, 20);
	CHECK_EQ(bi.rsdp_pa, 0);
	CHECK_STR(bi.rsdp_from, "multiboot2");
	CHECK(memcmp(bi.rsdp, v1, 20) == 0);
	/* Both tags, either order: the ACPI 2.0 copy wins. */
	CHECK_EQ(mb_with_acpi(&bi, v1, 20, v2, 36, 0), 0);
	CHECK_EQ(bi.rsdp_len, 36);
	CHECK(memcmp(bi.rsdp, v2, 36) == 0);
	CHECK_EQ(mb_with_acpi(&bi, v1, 20, v2, 36, 1), 0);
	CHECK_EQ(bi.rsdp_len, 36);
	/* No tag: nothing (the BIOS scan is the kernel's next try). */
	CHECK_EQ(mb_with_acpi(&bi, NULL, 0, NULL, 0, 0), 0);
	CHECK_EQ(bi.rsdp_len, 0);
}

TEST(mb2_acpi_malformed_tags_are_ignored)
{
	uint8_t v1[36], v2[36], bad[36];
	make_rsdp(v1, 0, 0x1000, 0);
	make_rsdp(v2, 2, 0x1000, 0x2000);
	struct boot_info bi;
	/* A wrong checksum: ignored, and the boot goes on. */
	memcpy(bad, v1, 36);
	bad[16] ^= 1;
	CHECK_EQ(mb_with_acpi(&bi, bad, 20, NULL, 0, 0), 0);
	CHECK_EQ(bi.rsdp_len, 0);
	/* A tag too short for the structure. */
	CHECK_EQ(mb_with_acpi(&bi, v1, 12, NULL, 0, 0), 0);
	CHECK_EQ(bi.rsdp_len, 0);
	/* An ACPI 2.0 RSDP cut to 20 bytes, and one whose extended checksum is wrong. */
	CHECK_EQ(mb_with_acpi(&bi, NULL, 0, v2, 20, 0), 0);
	CHECK_EQ(bi.rsdp_len, 0);
	memcpy(bad, v2, 36);
	bad[24] ^= 0x10; /* the XSDT address, under the extended checksum only */
	CHECK_EQ(mb_with_acpi(&bi, NULL, 0, bad, 36, 0), 0);
	CHECK_EQ(bi.rsdp_len, 0);
	/* A 2.0 RSDP whose length field is not 36. */
	memcpy(bad, v2, 36);
	bad[20] = 200;
	bad[32] = (uint8_t)(bad[32] - (200 - 36));
	CHECK_EQ(mb_with_acpi(&bi, NULL, 0, bad, 36, 0), 0);
	CHECK_EQ(bi.rsdp_len, 0);
	/* A bad new tag does not throw away a good old one, in either order. */
	memcpy(bad, v2, 36);
	bad[9] ^= 1;
	CHECK_EQ(mb_with_acpi(&bi, v1, 20, bad, 36, 0), 0);
	CHECK_EQ(bi.rsdp_len, 20);
	CHECK_EQ(mb_with_acpi(&bi, v1, 20, bad, 36, 1), 0);
	CHECK_EQ(bi.rsdp_len, 20);
}

TEST(pvh_rsdp)
{
	memset(phys_mem, 0, sizeof(phys_mem));
	struct pvh *si = (void *)(phys_mem + 0x100);
	struct pvh_e *e = (void *)(phys_mem + 0x200);
	e[0] = (struct pvh_e){ 0x100000, 0x100000, 1, 0 };
	make_rsdp(phys_mem + 0x400, 2, 0x1000, 0x2000);
	*si = (struct pvh){ .magic = 0x336ec578, .version = 1, .memmap = 0x200, .n = 1, .rsdp = 0x400 };
	struct boot_info bi;
	const char *why;
	CHECK_EQ(boot_info_parse_pvh(si, &bi, &why, fake_phys), 0);
	CHECK_EQ(bi.rsdp_len, 36);
	CHECK_EQ(bi.rsdp_pa, 0x400);
	CHECK_STR(bi.rsdp_from, "pvh");
	/* Pointing off memory, at the last 20 bytes (a 2.0 RSDP cannot fit), or at garbage: none. */
	uint64_t bad_pa[] = { sizeof(phys_mem) - 8, sizeof(phys_mem) - 20, 0x500, UINT64_MAX - 4 };
	make_rsdp(phys_mem + sizeof(phys_mem) - 36, 2, 0, 0);
	memmove(phys_mem + sizeof(phys_mem) - 20, phys_mem + sizeof(phys_mem) - 36, 20);
	for (unsigned i = 0; i < sizeof(bad_pa) / sizeof(bad_pa[0]); i++) {
		si->rsdp = bad_pa[i];
		CHECK_EQ(boot_info_parse_pvh(si, &bi, &why, fake_phys), 0);
		CHECK_EQ(bi.rsdp_len, 0);
	}
}

/* ---- The BIOS scan over a fake first MiB ---- */
static uint8_t low_mem[0x100000];
static const void *low_phys(uint64_t pa, size_t len)
{
	if (pa >= sizeof(low_mem) || len > sizeof(low_mem) - pa)
		return NULL;
	return low_mem + pa;
}
static void set_ebda(uint16_t seg) { memcpy(low_mem + 0x40e, &seg, 2); }

TEST(bios_scan_finds_rsdp)
{
	struct boot_info bi;
	memset(low_mem, 0, sizeof(low_mem));
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(boot_info_find_rsdp(&bi, low_phys), -UV_ENOENT);
	/* In the EBDA's first KiB. */
	set_ebda(0x9fc0);
	make_rsdp(low_mem + 0x9fc00 + 0x30, 0, 0x1000, 0);
	CHECK_EQ(boot_info_find_rsdp(&bi, low_phys), 0);
	CHECK_EQ(bi.rsdp_pa, 0x9fc30);
	CHECK_EQ(bi.rsdp_len, 20);
	CHECK_STR(bi.rsdp_from, "bios");
	/* Found already: a second call changes nothing. */
	make_rsdp(low_mem + 0xf0000, 2, 0x1000, 0x2000);
	CHECK_EQ(boot_info_find_rsdp(&bi, low_phys), 0);
	CHECK_EQ(bi.rsdp_pa, 0x9fc30);
	/* Past the EBDA's first KiB: not there; the BIOS area is next. */
	memset(low_mem + 0x9fc00, 0, 0x400);
	make_rsdp(low_mem + 0x9fc00 + 0x400, 0, 0x1000, 0);
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(boot_info_find_rsdp(&bi, low_phys), 0);
	CHECK_EQ(bi.rsdp_pa, 0xf0000);
	CHECK_EQ(bi.rsdp_len, 36);
}

TEST(bios_scan_skips_bad_candidates)
{
	struct boot_info bi;
	memset(low_mem, 0, sizeof(low_mem));
	memset(&bi, 0, sizeof(bi));
	set_ebda(0xffff); /* an EBDA beyond conventional memory is not read */
	make_rsdp(low_mem + 0xe0008, 0, 0x1000, 0);   /* not on a 16-byte boundary */
	make_rsdp(low_mem + 0xe1000, 0, 0x1000, 0);
	low_mem[0xe1000 + 16] ^= 1;                    /* checksum wrong */
	make_rsdp(low_mem + 0xe2000, 2, 0x1000, 0x2000);
	low_mem[0xe2000 + 28] ^= 1;                    /* extended checksum wrong */
	CHECK_EQ(boot_info_find_rsdp(&bi, low_phys), -UV_ENOENT);
	CHECK_EQ(bi.rsdp_len, 0);
	/* The last slot of the area holds a 1.0 RSDP: found; a 2.0 one cannot fit there. */
	make_rsdp(low_mem + 0xfffe0, 0, 0x1000, 0);
	CHECK_EQ(boot_info_find_rsdp(&bi, low_phys), 0);
	CHECK_EQ(bi.rsdp_pa, 0xfffe0);
	memset(&bi, 0, sizeof(bi));
	memset(low_mem + 0xfffe0, 0, 0x20);
	make_rsdp(low_mem + 0xfffe0 - 16, 2, 0x1000, 0x2000); /* would run to 0x100004 */
	memset(low_mem + 0xfffe0 - 16 + 32, 0, 4);
	CHECK_EQ(boot_info_find_rsdp(&bi, low_phys), -UV_ENOENT);
}
