/* kernel/dev/acpi.h: the ACPI tables the kernel reads: RSDP, RSDT/XSDT and the MADT's IOAPICs and interrupt source overrides. */
#ifndef KERNEL_DEV_ACPI_H
#define KERNEL_DEV_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_MAX_IOAPICS 8
#define ACPI_ISA_IRQS 16         /* overrides are for ISA IRQs 0-15 (bus 0) */
#define ACPI_TABLE_MAX 0x10000u  /* the RSDT, XSDT or MADT we accept is at most 64 KiB */

struct acpi_ioapic {
	uint8_t id;
	uint32_t address;  /* physical, of its IOREGSEL/IOWIN registers */
	uint32_t gsi_base; /* the GSI of its pin 0 */
};

/* An interrupt source override (ACPI 6.x 5.2.12.5): ISA IRQ `source` is GSI `gsi`, with
 * the MPS INTI flags (polarity 1:0, trigger mode 3:2). */
struct acpi_override {
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;
};

struct acpi_info {
	uint8_t revision;       /* the RSDP's: 0 = ACPI 1.0, 2 = 2.0 and later */
	bool from_xsdt;         /* the MADT was found through the XSDT (else the RSDT) */
	uint64_t madt_pa;
	unsigned n_lapics;      /* processor local APIC entries marked enabled */
	unsigned n_ioapics;
	struct acpi_ioapic ioapic[ACPI_MAX_IOAPICS];
	unsigned n_overrides;
	struct acpi_override override[ACPI_ISA_IRQS];
	unsigned ignored;       /* entries left out: IOAPICs past the limit or at address 0,
				 * overrides not for an ISA IRQ, or a second one for an IRQ */
};

/* Physical memory as the parser sees it: len readable bytes at pa, or NULL. */
typedef const void *(*acpi_phys_fn)(uint64_t pa, size_t len);

/* Checks the RSDP copy (signature, checksums, length), walks the XSDT (ACPI 2.0 on; the
 * RSDT when there is none or it is broken) to the MADT, checking each table it reads
 * (signature, length, checksum), and parses the MADT. Reads only through phys; bounded.
 * 0, -UV_ENOENT (no MADT) or -UV_EINVAL (a malformed RSDP, root table or MADT), with
 * *why set on failure; *out is meaningful only on 0. */
int acpi_parse(const uint8_t *rsdp, size_t rsdp_len, acpi_phys_fn phys, struct acpi_info *out, const char **why);

/* How the IOAPIC sees ISA IRQ / PCI interrupt line `irq`: its GSI and mode. An override
 * for it gives the GSI and, where its flags do not say "conforms to the bus", the trigger
 * and polarity; otherwise GSI = irq with the bus's defaults (ISA: edge, active high; PCI:
 * level, active low). Pure. */
void acpi_irq_route(const struct acpi_info *a, uint8_t irq, bool pci, uint32_t *gsi, bool *level, bool *active_low);

#endif
