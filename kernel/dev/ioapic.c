/* kernel/dev/ioapic.c: I/O APIC register access through IOREGSEL/IOWIN (82093AA datasheet 3.0), masking and writing redirection entries. */
#include "kernel/dev/ioapic.h"
#include "kernel/mm/paging.h"
#include "include/abi/uv_errno.h"

#define MMIO_NOTHING 0xffffffffu /* what a read returns where no device decodes */

/* Register reg through the window: select, then read or write IOWIN. */
static uint32_t rd(struct ioapic *io, uint8_t reg)
{
	io->regs[IOAPIC_IOREGSEL / 4] = reg;
	return io->regs[IOAPIC_IOWIN / 4];
}

static void wr(struct ioapic *io, uint8_t reg, uint32_t v)
{
	io->regs[IOAPIC_IOREGSEL / 4] = reg;
	io->regs[IOAPIC_IOWIN / 4] = v;
}

/* The register of pin's entry's low dword (pin < IOAPIC_MAX_PINS). */
static uint8_t reg_lo(unsigned pin) { return (uint8_t)(IOAPIC_REG_REDTBL + 2 * pin); }

int ioapic_init(struct ioapic *io, uint64_t pa, uint32_t gsi_base)
{
	io->regs = 0;
	int r = paging_map_mmio(pa, IOAPIC_MMIO_BYTES);
	if (r)
		return r;
	struct ioapic probe = { .regs = (volatile uint32_t *)(uintptr_t)pa };
	uint32_t ver = rd(&probe, IOAPIC_REG_VER);
	if (ver == MMIO_NOTHING)
		return -UV_ENODEV; /* nothing answers there */
	probe.id = (uint8_t)(rd(&probe, IOAPIC_REG_ID) >> IOAPIC_ID_SHIFT);
	probe.gsi_base = gsi_base;
	probe.pins = ioapic_pins(ver);
	for (unsigned pin = 0; pin < probe.pins; pin++)
		ioapic_set(&probe, pin, IOAPIC_RTE_MASKED);
	*io = probe;
	return 0;
}

void ioapic_set(struct ioapic *io, unsigned pin, uint64_t rte)
{
	if (pin >= io->pins)
		return;
	/* Masked first, so no half-written entry can deliver. */
	wr(io, reg_lo(pin), (uint32_t)IOAPIC_RTE_MASKED);
	wr(io, (uint8_t)(reg_lo(pin) + 1), (uint32_t)(rte >> 32));
	wr(io, reg_lo(pin), (uint32_t)rte);
}
