/* tests/unit/test_ioapic.c: IOAPIC redirection entries as the kernel encodes them, and the pin count from the version register. */
#include "tests/unit/unit.h"
#include "kernel/dev/ioapic.h"

TEST(rte_encoding)
{
	/* PCI on QEMU: vector 0x50, level, active high, to APIC 0, unmasked. */
	CHECK_EQ(ioapic_rte(0x50, true, false, 0, false), 0x8050);
	/* PCI default: level, active low (bits 15 and 13), to APIC 3. */
	CHECK_EQ(ioapic_rte(0x51, true, true, 3, false), (3ull << 56) | 0xa051);
	/* ISA: edge, active high, masked. */
	CHECK_EQ(ioapic_rte(0x30, false, false, 0, true), 0x10030);
	/* Fixed delivery, physical destination: bits 8-11 stay clear; read-only bits 12 and 14 too. */
	uint64_t e = ioapic_rte(0xff, true, true, 0xff, true);
	CHECK_EQ(e & 0xf00, 0);
	CHECK_EQ(e & (IOAPIC_RTE_DELIVERY_STATUS | IOAPIC_RTE_REMOTE_IRR), 0);
	CHECK_EQ(e >> 56, 0xff);
}

TEST(pins_from_version)
{
	CHECK_EQ(ioapic_pins(0x00170011), 24); /* 82093AA / QEMU / Bochs: max entry 23 */
	CHECK_EQ(ioapic_pins(0x00000011), 1);
	CHECK_EQ(ioapic_pins(0x00770020), 120);
	CHECK_EQ(ioapic_pins(0x00780020), IOAPIC_MAX_PINS); /* more than IOREGSEL can reach */
	CHECK_EQ(ioapic_pins(0x00ff0020), IOAPIC_MAX_PINS);
}
