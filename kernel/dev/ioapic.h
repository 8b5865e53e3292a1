/* kernel/dev/ioapic.h: the I/O APIC (82093AA): its registers, redirection entries, masking and routing a pin. */
#ifndef KERNEL_DEV_IOAPIC_H
#define KERNEL_DEV_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* 82093AA datasheet 3.0: two memory-mapped registers select and reach the rest. */
#define IOAPIC_IOREGSEL 0x00
#define IOAPIC_IOWIN 0x10
#define IOAPIC_MMIO_BYTES 0x20
#define IOAPIC_REG_ID 0x00
#define IOAPIC_ID_SHIFT 24 /* the id in bits 27:24 (82093AA 3.2.1) */
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REG_REDTBL 0x10 /* entry n: low dword at 0x10 + 2n, high at 0x11 + 2n */
#define IOAPIC_VER_MAX_ENTRY(v) (((v) >> 16) & 0xffu) /* the highest entry's index */
#define IOAPIC_MAX_PINS 120 /* IOREGSEL is 8 bits: entry 119 is the last it reaches (0xfe, 0xff) */

/* Redirection entry bits (82093AA 3.2.4). */
#define IOAPIC_RTE_VECTOR_MASK 0xffull
#define IOAPIC_RTE_DELIVERY_FIXED (0ull << 8)
#define IOAPIC_RTE_DEST_PHYSICAL (0ull << 11)
#define IOAPIC_RTE_DELIVERY_STATUS (1ull << 12)
#define IOAPIC_RTE_ACTIVE_LOW (1ull << 13)
#define IOAPIC_RTE_REMOTE_IRR (1ull << 14)
#define IOAPIC_RTE_LEVEL (1ull << 15)
#define IOAPIC_RTE_MASKED (1ull << 16)
#define IOAPIC_RTE_DEST_SHIFT 56 /* physical mode: the APIC id, bits 59:56 (8 bits on later parts) */

/* The redirection entry that delivers `vector` to the LAPIC with id dest, fixed delivery,
 * physical destination, with the given trigger mode and polarity. Pure. */
static inline uint64_t ioapic_rte(uint8_t vector, bool level, bool active_low, uint8_t dest, bool masked)
{
	return (vector & IOAPIC_RTE_VECTOR_MASK) | IOAPIC_RTE_DELIVERY_FIXED | IOAPIC_RTE_DEST_PHYSICAL |
	       (active_low ? IOAPIC_RTE_ACTIVE_LOW : 0) | (level ? IOAPIC_RTE_LEVEL : 0) |
	       (masked ? IOAPIC_RTE_MASKED : 0) | (uint64_t)dest << IOAPIC_RTE_DEST_SHIFT;
}

/* How many pins an IOAPIC with this version register has (at most IOAPIC_MAX_PINS). Pure. */
static inline unsigned ioapic_pins(uint32_t ver)
{
	unsigned n = IOAPIC_VER_MAX_ENTRY(ver) + 1;
	return n > IOAPIC_MAX_PINS ? IOAPIC_MAX_PINS : n;
}

struct ioapic {
	volatile uint32_t *regs; /* NULL until ioapic_init succeeded */
	uint8_t id;              /* from its ID register */
	uint32_t gsi_base;
	unsigned pins;
};

/* Maps the IOAPIC at physical pa uncached, reads its id and pin count and masks every
 * pin. 0 or a negative errno (io->regs stays NULL). */
int ioapic_init(struct ioapic *io, uint64_t pa, uint32_t gsi_base);
/* Writes pin's entry (masked while its halves are written, then as asked). pin < io->pins. */
void ioapic_set(struct ioapic *io, unsigned pin, uint64_t rte);

#endif
