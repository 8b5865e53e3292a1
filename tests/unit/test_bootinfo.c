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
}
