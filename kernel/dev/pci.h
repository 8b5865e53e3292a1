/* kernel/dev/pci.h: PCI: configuration access (mechanism #1), the device list, BARs, capabilities, MSI-X (NIC plumbing: only the NIC drivers use it). */
#ifndef KERNEL_DEV_PCI_H
#define KERNEL_DEV_PCI_H

#include <stdbool.h>
#include <stdint.h>

/* Configuration space (PCI Local Bus 3.0, 6.1; PCIe 4.0 7.5.1). */
#define PCI_VENDOR 0x00
#define PCI_DEVICE 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REV 0x08 /* class 31:24, subclass 23:16, prog-if 15:8, revision 7:0 */
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SECONDARY_BUS 0x19 /* header type 1 (bridges) */
#define PCI_CAP_PTR 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d
#define PCI_CMD_IO (1u << 0)
#define PCI_CMD_MEMORY (1u << 1)
#define PCI_CMD_BUS_MASTER (1u << 2)
#define PCI_CMD_INTX_DISABLE (1u << 10)
#define PCI_STATUS_CAP_LIST (1u << 4)
#define PCI_STATUS_INTX (1u << 3)
#define PCI_CAP_MSI 0x05
#define PCI_CAP_VENDOR 0x09
#define PCI_CAP_MSIX 0x11

#define PCI_MAX_DEVICES 64
#define PCI_MAX_BARS 6

/* Configuration reads and writes, 32 bits at a dword-aligned offset. The kernel's go
 * through ports 0xcf8/0xcfc; the host unit tests give a simulated space. */
struct pci_cfg_ops {
	uint32_t (*read32)(void *ctx, uint16_t bdf, uint16_t off);
	void (*write32)(void *ctx, uint16_t bdf, uint16_t off, uint32_t v);
	void *ctx;
};

struct pci_bar {
	uint64_t base; /* physical address (memory) or port (I/O); 0 = absent */
	uint64_t size;
	bool io, is64, prefetchable;
};

struct pci_dev {
	uint16_t bdf; /* bus 15:8, device 7:3, function 2:0 */
	uint16_t vendor, device;
	uint32_t class_rev;
	uint8_t header_type, irq_line, irq_pin;
	uint8_t cap_msi, cap_msix; /* config offsets, 0 = absent */
	struct pci_bar bar[PCI_MAX_BARS];
	bool claimed; /* a driver took it (bus mastering is enabled only then) */
};

/* Scans every bus reachable from bus 0 (through bridges' secondary bus numbers), fills
 * the device list and sizes the BARs (decoding off while a BAR is probed). Returns the
 * number of devices (at most PCI_MAX_DEVICES; more are counted in *skipped). */
unsigned pci_scan(const struct pci_cfg_ops *ops, unsigned *skipped);
/* The kernel's scan through mechanism #1, once (later calls do nothing); prints one line
 * per device. nic_init_only calls it: an appliance without NICs never touches the bus. */
void pci_init(void);
unsigned pci_count(void);
struct pci_dev *pci_get(unsigned i);
/* The n-th device (0 = first, in scan order) with this vendor and device id, or NULL. */
struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned n);

uint32_t pci_read32(const struct pci_dev *d, uint16_t off);
uint16_t pci_read16(const struct pci_dev *d, uint16_t off);
uint8_t pci_read8(const struct pci_dev *d, uint16_t off);
void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v);

/* The offset of the first capability with this id at or after config offset `from`
 * (0 = from the start of the list), or 0. Bounded: a looping list ends after 48 entries. */
uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id, uint8_t from);

/* Claims the device for a driver: maps its memory BARs uncached, enables memory/I/O
 * decoding and bus mastering. Returns 0 or a negative errno (nothing enabled then). */
int pci_claim(struct pci_dev *d);
/* The kernel-virtual address of memory BAR i (identity: its physical address) after
 * pci_claim, or NULL if BAR i is absent or an I/O BAR. */
volatile void *pci_bar_mmio(const struct pci_dev *d, unsigned i);

/* MSI-X to this CPU's LAPIC, fixed delivery, edge; INTx off. Table entry `entry` gets
 * `vector`, unmasked; the first call enables the function with every other entry left
 * masked, later calls add their entry to those already set. 0 or -UV_ENODEV / -UV_EINVAL.
 * (No driver uses plain MSI: the scan only notes that a device offers it.) */
int pci_msix_enable(struct pci_dev *d, unsigned entry, uint8_t vector);
unsigned pci_msix_table_size(const struct pci_dev *d); /* entries, 0 without MSI-X */

#endif
