/* kernel/dev/madt.h: the ACPI MADT at boot: its IOAPICs found and every pin masked, the table kept for routing. */
#ifndef KERNEL_DEV_MADT_H
#define KERNEL_DEV_MADT_H

#include <stdint.h>
#include "kernel/boot/boot.h"
#include "kernel/dev/acpi.h"
#include "kernel/dev/ioapic.h"

/* Finds the ACPI tables (RSDP from the boot loader or the BIOS area), the MADT and
 * its IOAPICs and interrupt source overrides; masks every IOAPIC pin. Prints one line.
 * Every appliance needs it (a pin the firmware left unmasked is silenced); without a
 * MADT, INTx routing is unavailable (MSI-X still works). */
void madt_init(const struct boot_info *bi);
/* The MADT madt_init read, or NULL when it found none. */
const struct acpi_info *madt_info(void);
/* The IOAPIC whose pins cover gsi (its pin in *pin), or NULL. */
struct ioapic *madt_ioapic_of(uint32_t gsi, unsigned *pin);

#endif
