/* kernel/dev/irq_intx.c: legacy PCI interrupts (INTx): the ACPI MADT's IOAPICs and overrides, every pin masked at boot, a device's line routed to a vector. */
#include "kernel/dev/irq.h"
#include "kernel/dev/acpi.h"
#include "kernel/dev/ioapic.h"
#include "kernel/dev/lapic.h"
#include "kernel/arch/x86.h"
#include "kernel/console/console.h"
#include "kernel/mm/paging.h"
#include "include/abi/uv_errno.h"

/*
 * What the emulators' firmware programs (seen in their tables and config space at boot):
 *
 * QEMU 7.2, i440fx/PIIX3 with SeaBIOS: SeaBIOS routes PIRQ A-D to ISA IRQs 10, 10, 11, 11
 * and writes into each device's interrupt line the IRQ its pin reaches (PIRQ = (slot +
 * pin - 1) mod 4: the first e1000, in slot 3, gets line 11). The PIIX3 drives that ISA IRQ
 * into the IOAPIC pin of the same number. QEMU builds the MADT itself: one IOAPIC, id 0 at
 * 0xfec00000, GSI 0-23, and overrides IRQ 0 -> GSI 2 (conforming) and 5, 9, 10, 11 ->
 * themselves "level, active high". Its IOAPIC honours the trigger mode (remote IRR, EOI
 * broadcast) and ignores the polarity bit.
 *
 * Bochs 2.7 with its BIOS (rombios32): PIRQ A-D go to ISA IRQs 11, 9, 11, 9 (PIRQ = (slot
 * - 1 + pin - 1) mod 4: an e1000 in slot 1, device 2, gets line 9); the MADT has one IOAPIC,
 * id 1 at 0xfec00000, GSI 0-23, and only the override IRQ 0 -> GSI 2, so a PCI line takes
 * the PCI defaults below. Bochs' IOAPIC (iodev/ioapic.cc) ignores the polarity too, and for
 * a level-triggered pin delivers once per rising edge (its EOI does nothing): a handler
 * must clear its device's cause, so that the line drops and the next event raises it again.
 *
 * Without an override for the line, the PCI defaults apply: level, active low (PCI 3.0
 * 2.2.6: INTx# are level-sensitive, asserted low). A real board whose PCI interrupts reach
 * IOAPIC pins 16-23 is described only by the AML _PRT, which this kernel does not run:
 * there, MSI or MSI-X is the way.
 */

#define IRQ_ROUTES_MAX 32 /* distinct lines routed; devices sharing one take no more */
#define ACPI_PHYS_LIMIT (1ull << 46)
/* The interrupt pin and line registers (PCI 3.0 6.2.4): pins 1-4 are INTA#-INTD#; a line
 * of 0xff is "unknown or not connected" (and no firmware routes a PCI pin to IRQ 0). */
#define PCI_PIN_INTA 1
#define PCI_PIN_INTD 4
#define PCI_LINE_NONE 0xff

struct intx_route {
	uint32_t gsi;
	uint8_t vector; /* the vector the IOAPIC pin delivers; 0 = slot free */
	bool level, active_low;
};

static struct acpi_info acpi;
static bool have_madt;
static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static struct intx_route routes[IRQ_ROUTES_MAX];
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

/* The IOAPIC whose pins cover gsi, or NULL. */
static struct ioapic *ioapic_of(uint32_t gsi, unsigned *pin)
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

void irq_init(const struct boot_info *bi)
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

int irq_route_intx(const struct pci_dev *d, uint8_t vector, unsigned *gsi_out)
{
	if (!have_madt)
		return -UV_ENODEV;
	if (d->irq_pin < PCI_PIN_INTA || d->irq_pin > PCI_PIN_INTD || d->irq_line == 0 || d->irq_line == PCI_LINE_NONE)
		return -UV_ENODEV; /* no pin, or the firmware routed none */
	uint32_t gsi;
	bool level, active_low;
	acpi_irq_route(&acpi, d->irq_line, true, &gsi, &level, &active_low);
	unsigned pin;
	struct ioapic *io = ioapic_of(gsi, &pin);
	if (!io)
		return -UV_EINVAL;
	struct intx_route *free_slot = 0;
	for (unsigned i = 0; i < IRQ_ROUTES_MAX; i++) {
		struct intx_route *rt = &routes[i];
		if (rt->vector && rt->gsi == gsi) {
			/* A line shared with a device routed before: its vector runs this one's handler too. */
			int r = irq_share(rt->vector, vector);
			if (r)
				return r;
			*gsi_out = gsi;
			return 0;
		}
		if (!rt->vector && !free_slot)
			free_slot = rt;
	}
	if (!free_slot)
		return -UV_ENOMEM;
	*free_slot = (struct intx_route){ gsi, vector, level, active_low };
	ioapic_set(io, pin, ioapic_rte(vector, level, active_low, lapic_id(), false));
	*gsi_out = gsi;
	return 0;
}
