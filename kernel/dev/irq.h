/* kernel/dev/irq.h: device interrupts (NIC plumbing): a vector per source, routed by MSI-X or, for legacy INTx, through the IOAPIC found in the ACPI MADT. */
#ifndef KERNEL_DEV_IRQ_H
#define KERNEL_DEV_IRQ_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/dev/pci.h"

#define VEC_DEVICE_FIRST 0x50
#define VEC_DEVICE_LAST 0xef

/* Takes a free vector and sets its handler (called with ctx, in interrupt context;
 * the LAPIC EOI follows it). 0 and *vector, or -UV_ENOMEM when none is left. */
int irq_alloc(void (*handler)(void *ctx), void *ctx, uint8_t *vector);
/* Makes vector's handler run too whenever vector `first` fires: the second device on an
 * interrupt line the IOAPIC already delivers as `first`. 0 or -UV_EINVAL (not two
 * allocated device vectors, or vector already chained). */
int irq_share(uint8_t first, uint8_t vector);
/* Routes a PCI device's INTx pin to vector through the IOAPIC: GSI = the interrupt line
 * the firmware wrote (after the MADT's overrides), level-triggered, active-low unless an
 * override says otherwise; unmasked. Writes *gsi. 0 or -UV_ENODEV (no IOAPIC, no pin,
 * line 0 or 0xff) / -UV_EINVAL (GSI beyond the IOAPICs). A line already routed (devices
 * sharing it) keeps its first vector and `vector`'s handler is chained to it. */
int irq_route_intx(const struct pci_dev *d, uint8_t vector, unsigned *gsi);

#endif
