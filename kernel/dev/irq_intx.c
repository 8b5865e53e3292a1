/* kernel/dev/irq_intx.c: legacy PCI interrupts (INTx): a device's line routed through the MADT's overrides to an IOAPIC pin and a vector. */
#include "kernel/dev/irq.h"
#include "kernel/dev/madt.h"
#include "kernel/dev/lapic.h"
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
/* The interrupt pin and line registers (PCI 3.0 6.2.4): pins 1-4 are INTA#-INTD#; a line
 * of 0xff is "unknown or not connected" (and no firmware routes a PCI pin to IRQ 0). */
#define PCI_PIN_INTA 1
#define PCI_PIN_INTD 4
#define PCI_LINE_NONE 0xff

struct intx_route {
	uint32_t gsi;
	uint8_t vector; /* the vector the IOAPIC pin delivers; 0 = slot free */
};

static struct intx_route routes[IRQ_ROUTES_MAX];

int irq_route_intx(const struct pci_dev *d, uint8_t vector, unsigned *gsi_out)
{
	const struct acpi_info *acpi = madt_info();
	if (!acpi)
		return -UV_ENODEV;
	if (d->irq_pin < PCI_PIN_INTA || d->irq_pin > PCI_PIN_INTD || d->irq_line == 0 || d->irq_line == PCI_LINE_NONE)
		return -UV_ENODEV; /* no pin, or the firmware routed none */
	uint32_t gsi;
	bool level, active_low;
	acpi_irq_route(acpi, d->irq_line, true, &gsi, &level, &active_low);
	unsigned pin;
	struct ioapic *io = madt_ioapic_of(gsi, &pin);
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
	*free_slot = (struct intx_route){ gsi, vector };
	ioapic_set(io, pin, ioapic_rte(vector, level, active_low, lapic_id(), false));
	*gsi_out = gsi;
	return 0;
}
