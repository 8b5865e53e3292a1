/* kernel/boot/bootinfo.c: turns the Multiboot2 info or the PVH start info into a struct boot_info. */
#include <multiboot2.h>
#include <stdbool.h>
#include "kernel/boot/boot.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/bytesum.h"
#include "include/abi/uv_errno.h"

/* PVH boot ABI (Xen's arch/x86/hvm/start_info.h): the parts we read. */
#define PVH_MAGIC 0x336ec578u
struct pvh_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries, reserved;
};
struct pvh_mod { uint64_t paddr, size, cmdline_paddr, reserved; };
struct pvh_memmap { uint64_t addr, size; uint32_t type, reserved; };

/* The RSDP (ACPI 6.x 5.2.5.3): what the boot info checks before it keeps a copy. */
#define RSDP_SIG "RSD PTR "
#define RSDP_SIG_LEN 8
#define RSDP_REVISION 15   /* offset of the revision byte */
#define RSDP_LENGTH 20     /* offset of the 32-bit length (revision >= 2) */
#define RSDP_REV_2 2       /* ACPI 2.0 on: length, XSDT address, extended checksum */
/* Where a BIOS leaves it (ACPI 6.x 5.2.5.1): the EBDA's first KiB, or the BIOS area. */
#define BDA_EBDA_SEGMENT 0x40e /* a 16-bit real-mode segment in the BIOS data area */
#define EBDA_SCAN_BYTES 1024
#define EBDA_END 0xa0000       /* the EBDA lies in conventional memory, below the VGA hole */
#define BIOS_AREA_START 0xe0000
#define BIOS_AREA_END 0x100000
#define RSDP_ALIGN 16
#define REAL_MODE_SEGMENT_SHIFT 4

size_t boot_rsdp_size(const uint8_t *p, size_t avail)
{
	if (!p || avail < BOOT_RSDP_V1_LEN || memcmp(p, RSDP_SIG, RSDP_SIG_LEN) || bytesum(p, BOOT_RSDP_V1_LEN))
		return 0;
	if (p[RSDP_REVISION] < RSDP_REV_2)
		return BOOT_RSDP_V1_LEN;
	uint32_t len;
	if (avail < BOOT_RSDP_MAX)
		return 0;
	memcpy(&len, p + RSDP_LENGTH, sizeof(len));
	return len == BOOT_RSDP_MAX && bytesum(p, BOOT_RSDP_MAX) == 0 ? BOOT_RSDP_MAX : 0;
}

/* Keeps a copy of the RSDP at p (avail bytes readable) if it looks valid; true if it did. */
static bool take_rsdp(struct boot_info *bi, const uint8_t *p, size_t avail, uint64_t pa, const char *from)
{
	size_t n = boot_rsdp_size(p, avail);
	if (!n)
		return false;
	memcpy(bi->rsdp, p, n);
	bi->rsdp_len = (uint32_t)n;
	bi->rsdp_pa = pa;
	bi->rsdp_from = from;
	return true;
}

/* The RSDP at physical pa through phys: its first 20 bytes, then 36 if it says 2.0 on. */
static bool take_rsdp_at(struct boot_info *bi, uint64_t pa, uint64_t end, const char *from,
			 const void *(*phys)(uint64_t pa, size_t len))
{
	const uint8_t *p = phys(pa, BOOT_RSDP_V1_LEN);
	if (!p || memcmp(p, RSDP_SIG, RSDP_SIG_LEN))
		return false;
	size_t avail = BOOT_RSDP_V1_LEN;
	if (p[RSDP_REVISION] >= RSDP_REV_2 && end - pa >= BOOT_RSDP_MAX) {
		p = phys(pa, BOOT_RSDP_MAX);
		avail = BOOT_RSDP_MAX;
	}
	return take_rsdp(bi, p, avail, pa, from);
}

/* Scans [start, end) on 16-byte boundaries; true if an RSDP was taken. */
static bool scan_rsdp(struct boot_info *bi, uint64_t start, uint64_t end, const void *(*phys)(uint64_t pa, size_t len))
{
	for (uint64_t pa = start; pa < end && end - pa >= BOOT_RSDP_V1_LEN; pa += RSDP_ALIGN)
		if (take_rsdp_at(bi, pa, end, "bios", phys))
			return true;
	return false;
}

int boot_info_find_rsdp(struct boot_info *bi, const void *(*phys)(uint64_t pa, size_t len))
{
	if (bi->rsdp_len)
		return 0;
	const uint8_t *seg = phys(BDA_EBDA_SEGMENT, sizeof(uint16_t));
	if (seg) {
		uint16_t s;
		memcpy(&s, seg, sizeof(s));
		uint64_t ebda = (uint64_t)s << REAL_MODE_SEGMENT_SHIFT;
		if (ebda && ebda + EBDA_SCAN_BYTES <= EBDA_END && scan_rsdp(bi, ebda, ebda + EBDA_SCAN_BYTES, phys))
			return 0;
	}
	return scan_rsdp(bi, BIOS_AREA_START, BIOS_AREA_END, phys) ? 0 : -UV_ENOENT;
}

static void add_region(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
	if (bi->n_regions >= BOOT_MAX_REGIONS || len == 0)
		return;
	if (base + len < base) /* wraps: keep what fits below 2^64 */
		len = 0 - base;
	if (type < BOOT_MEM_RAM || type > BOOT_MEM_BAD) /* a type we do not know is not RAM */
		type = BOOT_MEM_RESERVED;
	bi->regions[bi->n_regions++] = (struct boot_region){ base, len, type };
}

static void add_module(struct boot_info *bi, uint64_t base, uint64_t len)
{
	if (bi->n_modules < BOOT_MAX_MODULES)
		bi->modules[bi->n_modules++] = (struct boot_region){ base, len, BOOT_MEM_RESERVED };
}

/* Why the loader's structure was refused, for kmain's report. */
static int fail(const char **why, const char *msg)
{
	*why = msg;
	return -UV_EINVAL;
}

int boot_info_parse_mb2(const void *mbi, size_t max_len, struct boot_info *bi, const char **why)
{
	const uint8_t *p = mbi;
	memset(bi, 0, sizeof(*bi));
	bi->loader = "multiboot2";
	if (max_len < 16)
		return fail(why, "multiboot2 info too small");
	uint32_t total;
	memcpy(&total, p, 4);
	if (total < 16 || total > max_len)
		return fail(why, "multiboot2 info has a bad total_size");
	bi->info_base = (uint64_t)(uintptr_t)mbi;
	bi->info_len = total;
	size_t off = 8;
	int have_mmap = 0;
	while (off + 8 <= total) {
		struct multiboot_tag tag;
		memcpy(&tag, p + off, sizeof(tag));
		if (tag.type == MULTIBOOT_TAG_TYPE_END)
			break;
		if (tag.size < 8 || tag.size > total - off)
			return fail(why, "multiboot2 tag runs past the info");
		const uint8_t *t = p + off;
		switch (tag.type) {
		case MULTIBOOT_TAG_TYPE_CMDLINE: {
			size_t n = strnlen((const char *)t + 8, tag.size - 8);
			if (n >= BOOT_CMDLINE_MAX)
				n = BOOT_CMDLINE_MAX - 1;
			memcpy(bi->cmdline, t + 8, n);
			bi->cmdline[n] = 0;
			break;
		}
		case MULTIBOOT_TAG_TYPE_MODULE: {
			struct multiboot_tag_module m;
			if (tag.size < sizeof(m))
				break;
			memcpy(&m, t, sizeof(m));
			if (m.mod_end > m.mod_start)
				add_module(bi, m.mod_start, m.mod_end - m.mod_start);
			break;
		}
		case MULTIBOOT_TAG_TYPE_MMAP: {
			struct multiboot_tag_mmap mm;
			memcpy(&mm, t, sizeof(mm));
			if (mm.entry_size < sizeof(struct multiboot_mmap_entry) || tag.size < sizeof(mm))
				return fail(why, "multiboot2 memory map has a bad entry size");
			for (size_t e = sizeof(mm); e + sizeof(struct multiboot_mmap_entry) <= tag.size; e += mm.entry_size) {
				struct multiboot_mmap_entry ent;
				memcpy(&ent, t + e, sizeof(ent));
				add_region(bi, ent.addr, ent.len, ent.type);
			}
			have_mmap = 1;
			break;
		}
		case MULTIBOOT_TAG_TYPE_ACPI_OLD:
		case MULTIBOOT_TAG_TYPE_ACPI_NEW:
			/* A copy of the RSDP follows the 8-byte tag header; the ACPI 2.0 one is
			 * preferred. A malformed copy is ignored (the BIOS scan may still find it). */
			if (tag.type == MULTIBOOT_TAG_TYPE_ACPI_NEW || bi->rsdp_len < BOOT_RSDP_MAX)
				take_rsdp(bi, t + 8, tag.size - 8, 0, "multiboot2");
			break;
		default:
			break;
		}
		off += (tag.size + 7) & ~7u;
	}
	if (!have_mmap)
		return fail(why, "multiboot2 info has no memory map");
	return 0;
}

int boot_info_parse_pvh(const void *start_info, struct boot_info *bi, const char **why,
			const void *(*phys)(uint64_t pa, size_t len))
{
	struct pvh_start_info si;
	memset(bi, 0, sizeof(*bi));
	bi->loader = "pvh";
	memcpy(&si, start_info, sizeof(si));
	if (si.magic != PVH_MAGIC)
		return fail(why, "PVH start info has a bad magic");
	bi->info_base = (uint64_t)(uintptr_t)start_info;
	bi->info_len = sizeof(si);
	if (si.version < 1 || si.memmap_entries == 0)
		return fail(why, "PVH start info has no memory map (version 0)");
	if (si.memmap_entries > BOOT_MAX_REGIONS)
		si.memmap_entries = BOOT_MAX_REGIONS;
	const struct pvh_memmap *mm = phys(si.memmap_paddr, si.memmap_entries * sizeof(*mm));
	if (!mm)
		return fail(why, "PVH memory map is not addressable");
	for (uint32_t i = 0; i < si.memmap_entries; i++) {
		struct pvh_memmap e;
		memcpy(&e, &mm[i], sizeof(e));
		add_region(bi, e.addr, e.size, e.type);
	}
	/* Read byte by byte so we never run past what phys() allowed (the memset left the NUL). */
	const char *c;
	for (size_t i = 0; si.cmdline_paddr && i < BOOT_CMDLINE_MAX - 1 && (c = phys(si.cmdline_paddr + i, 1)) && *c; i++)
		bi->cmdline[i] = *c;
	if (si.rsdp_paddr)
		take_rsdp_at(bi, si.rsdp_paddr, UINT64_MAX, "pvh", phys); /* a bad one is ignored: the BIOS scan may find it */
	if (si.nr_modules && si.modlist_paddr) {
		uint32_t n = si.nr_modules > BOOT_MAX_MODULES ? BOOT_MAX_MODULES : si.nr_modules;
		const struct pvh_mod *mods = phys(si.modlist_paddr, n * sizeof(*mods));
		for (uint32_t i = 0; mods && i < n; i++)
			if (mods[i].size)
				add_module(bi, mods[i].paddr, mods[i].size);
	}
	return 0;
}

const char *boot_cmdline_get(const struct boot_info *bi, const char *key, char *buf, size_t buflen)
{
	size_t klen = strlen(key);
	const char *s = bi->cmdline;
	while (*s) {
		while (*s == ' ')
			s++;
		const char *w = s;
		while (*s && *s != ' ')
			s++;
		size_t wlen = (size_t)(s - w);
		if (wlen >= klen && strncmp(w, key, klen) == 0 && (wlen == klen || w[klen] == '=')) {
			size_t vlen = wlen == klen ? 0 : wlen - klen - 1;
			if (!buflen)
				return NULL;
			if (vlen >= buflen)
				vlen = buflen - 1;
			memcpy(buf, w + (wlen == klen ? klen : klen + 1), vlen);
			buf[vlen] = 0;
			return buf;
		}
	}
	return NULL;
}
