/* kernel/dev/madt.c: the ACPI MADT at boot: the RSDP's tables read, every IOAPIC mapped and its pins masked, one line printed. */
#include "kernel/dev/madt.h"
#include "kernel/arch/x86.h"
#include "kernel/console/console.h"
#include "kernel/mm/paging.h"
#include "include/abi/uv_errno.h"

#define ACPI_PHYS_LIMIT (1ull << 46)

static struct acpi_info acpi;
static bool have_madt;
static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static const struct boot_info *boot;

/* True if [pa, pa + len) overlaps a RAM region of the memory map. */
static bool overlaps_ram(uint64_t pa, uint64_t len)
{
	for (size_t i = 0; i < boot->n_regions; i++) {
		const struct boot_region *r = &boot->regions[i];
		if (r->type == BOOT_MEM_RAM && pa < r->base + r->len && r->base < pa + len)
			return true;
	}
	return false;
}

/* The ACPI parser's view of memory: mapped RAM and ACPI regions as they are; pages the
 * kernel left unmapped (reserved areas where firmware keeps tables) are mapped uncached,
 * read-only use. Never page 0, never an unmapped page inside RAM (a stack guard). */
static const void *acpi_phys(uint64_t pa, size_t len)
{
	if (pa < PAGE_SIZE || len == 0 || pa + len < pa || pa + len > ACPI_PHYS_LIMIT)
		return 0;
	for (uint64_t p = page_round_down(pa); p < pa + len; p += PAGE_SIZE) {
		uint64_t got;
		unsigned prot;
		if (paging_lookup(p, &got, &prot) == 0)
			continue;
		if (overlaps_ram(p, PAGE_SIZE) || paging_map_mmio(p, PAGE_SIZE))
			return 0;
	}
	return (const void *)(uintptr_t)pa;
}

struct ioapic *madt_ioapic_of(uint32_t gsi, unsigned *pin)
{
	for (unsigned i = 0; i < ACPI_MAX_IOAPICS; i++) {
		struct ioapic *io = &ioapics[i];
		if (io->regs && gsi >= io->gsi_base && gsi - io->gsi_base < io->pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return 0;
}

/* One word for an override's MPS INTI flags: what it says, or nothing when it conforms. */
static void print_override(const struct acpi_override *o)
{
	static const char *const trig[4] = { "", ",edge", ",?", ",level" };
	static const char *const pol[4] = { "", ",high", ",?", ",low" };
	kprintf(" %u->%u%s%s", o->source, o->gsi, trig[(o->flags >> 2) & 3], pol[o->flags & 3]);
}

void madt_init(const struct boot_info *bi)
{
	boot = bi;
	const char *why = "no RSDP from the loader or in the BIOS areas";
	int r = bi->rsdp_len ? acpi_parse(bi->rsdp, bi->rsdp_len, acpi_phys, &acpi, &why) : -UV_ENOENT;
	if (r) {
		kprintf("irq: no ACPI MADT (%s): INTx routing off, MSI only\n", why);
		return;
	}
	unsigned up = 0;
	for (unsigned i = 0; i < acpi.n_ioapics; i++) {
		const struct acpi_ioapic *a = &acpi.ioapic[i];
		if (overlaps_ram(a->address, IOAPIC_MMIO_BYTES) || ioapic_init(&ioapics[i], a->address, a->gsi_base))
			kprintf("irq: IOAPIC id %u at %#x left out: not a device address or nothing answers\n", a->id,
				a->address);
		else
			up++;
	}
	have_madt = true;
	kprintf("irq: ACPI %s (RSDP from %s, %s), MADT at %#llx: %u CPU%s,", acpi.revision >= 2 ? "2.0+" : "1.0",
		bi->rsdp_from ? bi->rsdp_from : "?", acpi.from_xsdt ? "XSDT" : "RSDT", (unsigned long long)acpi.madt_pa,
		acpi.n_lapics, acpi.n_lapics == 1 ? "" : "s");
	for (unsigned i = 0; i < acpi.n_ioapics; i++)
		if (ioapics[i].regs)
			kprintf(" IOAPIC id %u at %#x GSI %u-%u,", ioapics[i].id, acpi.ioapic[i].address, ioapics[i].gsi_base,
				ioapics[i].gsi_base + ioapics[i].pins - 1);
	kprintf(" overrides");
	for (unsigned i = 0; i < acpi.n_overrides; i++)
		print_override(&acpi.override[i]);
	if (!acpi.n_overrides)
		kprintf(" none");
	if (acpi.ignored)
		kprintf(" (%u entries left out)", acpi.ignored);
	kprintf("; %s\n", up ? "every pin masked" : "no IOAPIC: INTx routing off");
}

const struct acpi_info *madt_info(void) { return have_madt ? &acpi : 0; }
