/* kernel/dev/pci.c: the PCI scan over a configuration-access interface, BAR sizing, capabilities, claiming, MSI-X (NIC plumbing). */
#include "kernel/dev/pci.h"
#include "kernel/arch/cpu.h"
#include "kernel/console/console.h"
#include "kernel/dev/lapic.h"
#include "kernel/mm/paging.h"
#include "include/abi/uv_errno.h"

#define CF8_ADDRESS 0xcf8
#define CFC_DATA 0xcfc
#define CF8_ENABLE 0x80000000u
#define HEADER_MULTIFUNCTION 0x80
#define HEADER_KIND(h) ((h) & 0x7f)
#define HEADER_BRIDGE 1
#define BAR_IO 1u
#define BAR_TYPE_64 (2u << 1)
#define BAR_TYPE_MASK (3u << 1)
#define BAR_PREFETCH (1u << 3)
#define CAP_LIST_MAX 48 /* 192 bytes of capability space / 4: more is a loop */

/* MSI-X (PCI 3.0 6.8.2) */
#define MSIX_CTRL 2
#define MSIX_CTRL_SIZE(c) (((c) & 0x7ffu) + 1)
#define MSIX_CTRL_MASKALL (1u << 14)
#define MSIX_CTRL_ENABLE (1u << 15)
#define MSIX_TABLE 4 /* BIR 2:0, offset 31:3 */
#define MSIX_ENTRY_BYTES 16
#define MSIX_VECTOR_MASKED 1u
/* The message to this CPU's LAPIC: SDM 3A 10.11.1 (address) and 10.11.2 (data). */
#define MSI_ADDRESS 0xfee00000u
#define MSI_DEST_SHIFT 12

static struct pci_dev devs[PCI_MAX_DEVICES];
static unsigned n_devs;
static const struct pci_cfg_ops *cfg;

static uint32_t rd(uint16_t bdf, uint16_t off) { return cfg->read32(cfg->ctx, bdf, off & 0xfc); }
static void wr(uint16_t bdf, uint16_t off, uint32_t v) { cfg->write32(cfg->ctx, bdf, off & 0xfc, v); }

uint32_t pci_read32(const struct pci_dev *d, uint16_t off) { return rd(d->bdf, off); }
uint16_t pci_read16(const struct pci_dev *d, uint16_t off) { return (uint16_t)(rd(d->bdf, off) >> (8 * (off & 2))); }
uint8_t pci_read8(const struct pci_dev *d, uint16_t off) { return (uint8_t)(rd(d->bdf, off) >> (8 * (off & 3))); }

void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v)
{
	unsigned shift = 8 * (off & 2);
	uint32_t old = rd(d->bdf, off);
	/* The status register beside COMMAND is write-1-to-clear: never write its bits back. */
	if ((off & 0xfc) == PCI_COMMAND)
		old &= 0xffffu;
	wr(d->bdf, off, (old & ~(0xffffu << shift)) | ((uint32_t)v << shift));
}

/* Sizes BAR i (PCI 3.0 6.2.5.1) with decoding off; returns how many BAR slots it used. */
static unsigned size_bar(struct pci_dev *d, unsigned i)
{
	uint16_t off = (uint16_t)(PCI_BAR0 + 4 * i);
	uint32_t lo = rd(d->bdf, off);
	struct pci_bar *b = &d->bar[i];
	wr(d->bdf, off, 0xffffffffu);
	uint32_t mask_lo = rd(d->bdf, off);
	wr(d->bdf, off, lo);
	if (mask_lo == 0 || mask_lo == 0xffffffffu)
		return 1; /* not implemented */
	if (lo & BAR_IO) {
		uint32_t m = mask_lo & ~3u;
		b->io = true;
		b->base = lo & ~3u & 0xffffu;
		b->size = (~m & 0xffffu) + 1;
		return 1;
	}
	uint64_t base = lo & ~0xfu, mask = mask_lo & ~0xfu;
	unsigned used = 1;
	if ((lo & BAR_TYPE_MASK) == BAR_TYPE_64 && i + 1 < PCI_MAX_BARS) {
		uint16_t off_hi = (uint16_t)(off + 4);
		uint32_t hi = rd(d->bdf, off_hi);
		wr(d->bdf, off_hi, 0xffffffffu);
		uint32_t mask_hi = rd(d->bdf, off_hi);
		wr(d->bdf, off_hi, hi);
		base |= (uint64_t)hi << 32;
		mask |= (uint64_t)mask_hi << 32;
		b->is64 = true;
		used = 2;
	} else {
		mask |= 0xffffffff00000000ull;
	}
	b->prefetchable = (lo & BAR_PREFETCH) != 0;
	b->size = ~mask + 1;
	b->base = base;
	if (b->size == 0 || base + b->size < base) /* a nonsense mask: treat as absent */
		b->base = b->size = 0;
	return used;
}

static uint8_t cap_walk(uint16_t bdf, uint16_t status, uint8_t id, uint8_t from)
{
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;
	uint8_t p = (uint8_t)(rd(bdf, PCI_CAP_PTR) & 0xfc);
	bool seen_from = from == 0;
	for (unsigned n = 0; p >= 0x40 && n < CAP_LIST_MAX; n++) {
		uint32_t h = rd(bdf, p);
		if (seen_from && (h & 0xff) == id)
			return p;
		if (p == from)
			seen_from = true;
		p = (uint8_t)((h >> 8) & 0xfc);
	}
	return 0;
}

uint8_t pci_find_cap(const struct pci_dev *d, uint8_t id, uint8_t from)
{
	return cap_walk(d->bdf, (uint16_t)(rd(d->bdf, PCI_COMMAND) >> 16), id, from);
}

static void add_function(uint16_t bdf, uint32_t id, unsigned *skipped)
{
	if (n_devs == PCI_MAX_DEVICES) {
		(*skipped)++;
		return;
	}
	struct pci_dev *d = &devs[n_devs++];
	*d = (struct pci_dev){ .bdf = bdf, .vendor = (uint16_t)id, .device = (uint16_t)(id >> 16) };
	d->class_rev = rd(bdf, PCI_CLASS_REV);
	d->header_type = (uint8_t)(rd(bdf, PCI_HEADER_TYPE & 0xfc) >> 16);
	uint32_t irq = rd(bdf, PCI_INTERRUPT_LINE);
	d->irq_line = (uint8_t)irq;
	d->irq_pin = (uint8_t)(irq >> 8);
	uint32_t cmd_status = rd(bdf, PCI_COMMAND);
	uint16_t status = (uint16_t)(cmd_status >> 16);
	d->cap_msi = cap_walk(bdf, status, PCI_CAP_MSI, 0);
	d->cap_msix = cap_walk(bdf, status, PCI_CAP_MSIX, 0);
	if (HEADER_KIND(d->header_type) != 0)
		return; /* bridges' BARs are not used */
	/* Decoding off while the BARs hold all-ones (it could overlap anything). */
	wr(bdf, PCI_COMMAND, cmd_status & 0xffffu & ~(PCI_CMD_IO | PCI_CMD_MEMORY));
	for (unsigned i = 0; i < PCI_MAX_BARS;)
		i += size_bar(d, i);
	wr(bdf, PCI_COMMAND, cmd_status & 0xffffu);
}

static void scan_bus(uint8_t bus, uint8_t *seen, unsigned *skipped, unsigned depth)
{
	if (seen[bus / 8] & (1u << (bus % 8)) || depth > 32)
		return;
	seen[bus / 8] |= (uint8_t)(1u << (bus % 8));
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8; fn++) {
			uint16_t bdf = (uint16_t)(bus << 8 | dev << 3 | fn);
			uint32_t id = rd(bdf, PCI_VENDOR);
			if ((id & 0xffff) == 0xffff) {
				if (fn == 0)
					break;
				continue;
			}
			uint8_t ht = (uint8_t)(rd(bdf, PCI_HEADER_TYPE & 0xfc) >> 16);
			add_function(bdf, id, skipped);
			if (HEADER_KIND(ht) == HEADER_BRIDGE) {
				uint8_t sec = (uint8_t)(rd(bdf, PCI_SECONDARY_BUS & 0xfc) >> 8);
				if (sec != 0)
					scan_bus(sec, seen, skipped, depth + 1);
			}
			if (fn == 0 && !(ht & HEADER_MULTIFUNCTION))
				break;
		}
	}
}

unsigned pci_scan(const struct pci_cfg_ops *ops, unsigned *skipped)
{
	uint8_t seen[32] = { 0 };
	cfg = ops;
	n_devs = 0;
	*skipped = 0;
	scan_bus(0, seen, skipped, 0);
	return n_devs;
}

unsigned pci_count(void) { return n_devs; }
struct pci_dev *pci_get(unsigned i) { return i < n_devs ? &devs[i] : 0; }

struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned n)
{
	for (unsigned i = 0; i < n_devs; i++)
		if (devs[i].vendor == vendor && devs[i].device == device && n-- == 0)
			return &devs[i];
	return 0;
}

int pci_claim(struct pci_dev *d)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND);
	for (unsigned i = 0; i < PCI_MAX_BARS; i++) {
		const struct pci_bar *b = &d->bar[i];
		if (b->io || !b->size)
			continue;
		if (b->base == 0)
			return -UV_ENODEV; /* the firmware left it unassigned */
		int r = paging_map_mmio(b->base, b->size);
		if (r)
			return r;
		cmd |= PCI_CMD_MEMORY;
	}
	for (unsigned i = 0; i < PCI_MAX_BARS; i++)
		if (d->bar[i].io && d->bar[i].size)
			cmd |= PCI_CMD_IO;
	pci_write16(d, PCI_COMMAND, (uint16_t)(cmd | PCI_CMD_BUS_MASTER));
	d->claimed = true;
	return 0;
}

volatile void *pci_bar_mmio(const struct pci_dev *d, unsigned i)
{
	if (i >= PCI_MAX_BARS || d->bar[i].io || !d->bar[i].size || !d->claimed)
		return 0;
	return (volatile void *)(uintptr_t)d->bar[i].base;
}

static uint32_t msi_address(void)
{
	return MSI_ADDRESS | (uint32_t)lapic_id() << MSI_DEST_SHIFT;
}

unsigned pci_msix_table_size(const struct pci_dev *d)
{
	return d->cap_msix ? MSIX_CTRL_SIZE(pci_read16(d, (uint16_t)(d->cap_msix + MSIX_CTRL))) : 0;
}

int pci_msix_enable(struct pci_dev *d, unsigned entry, uint8_t vector)
{
	uint8_t c = d->cap_msix;
	if (!c)
		return -UV_ENODEV;
	uint16_t ctrl = pci_read16(d, (uint16_t)(c + MSIX_CTRL));
	if (entry >= MSIX_CTRL_SIZE(ctrl))
		return -UV_EINVAL;
	uint32_t t = pci_read32(d, (uint16_t)(c + MSIX_TABLE));
	unsigned bir = t & 7;
	uint64_t off = t & ~7u;
	if (bir >= PCI_MAX_BARS || d->bar[bir].io || !d->claimed ||
	    off + (uint64_t)MSIX_CTRL_SIZE(ctrl) * MSIX_ENTRY_BYTES > d->bar[bir].size)
		return -UV_EINVAL;
	volatile uint32_t *tab = (volatile uint32_t *)(uintptr_t)(d->bar[bir].base + off);
	/* Enabled with the function masked, entries programmed, then the mask lifted (6.8.2.3).
	 * Every entry is masked when MSI-X is first turned on; a later call adds its entry to
	 * those already programmed (one vector per source). */
	bool adding = (ctrl & MSIX_CTRL_ENABLE) != 0;
	pci_write16(d, (uint16_t)(c + MSIX_CTRL), (uint16_t)(ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL));
	for (unsigned i = 0; !adding && i < MSIX_CTRL_SIZE(ctrl); i++)
		tab[i * 4 + 3] = MSIX_VECTOR_MASKED;
	volatile uint32_t *e = tab + entry * 4;
	e[0] = msi_address();
	e[1] = 0;
	e[2] = vector;
	e[3] = 0;
	pci_write16(d, (uint16_t)(c + MSIX_CTRL), (uint16_t)((ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_MASKALL));
	pci_write16(d, PCI_COMMAND, (uint16_t)(pci_read16(d, PCI_COMMAND) | PCI_CMD_INTX_DISABLE));
	return 0;
}

/* ---- Mechanism #1 (PCI 3.0 3.2.2.3.2): ports 0xcf8 / 0xcfc ---- */
static uint32_t cf8_read32(void *ctx, uint16_t bdf, uint16_t off)
{
	(void)ctx;
	outl(CF8_ADDRESS, CF8_ENABLE | (uint32_t)bdf << 8 | off);
	return inl(CFC_DATA);
}

static void cf8_write32(void *ctx, uint16_t bdf, uint16_t off, uint32_t v)
{
	(void)ctx;
	outl(CF8_ADDRESS, CF8_ENABLE | (uint32_t)bdf << 8 | off);
	outl(CFC_DATA, v);
}

static const struct pci_cfg_ops cf8_ops = { cf8_read32, cf8_write32, 0 };

void pci_init(void)
{
	static bool scanned;
	if (scanned)
		return;
	scanned = true;
	unsigned skipped;
	unsigned n = pci_scan(&cf8_ops, &skipped);
	kprintf("pci: %u device%s%s\n", n, n == 1 ? "" : "s", skipped ? " (more were skipped: the list is full)" : "");
	for (unsigned i = 0; i < n; i++) {
		const struct pci_dev *d = &devs[i];
		kprintf("  %02x:%02x.%u %04x:%04x class %06x%s%s", d->bdf >> 8, (d->bdf >> 3) & 31, d->bdf & 7,
			d->vendor, d->device, d->class_rev >> 8, d->cap_msi ? " msi" : "", d->cap_msix ? " msi-x" : "");
		if (d->irq_pin >= 1 && d->irq_pin <= 4)
			kprintf(" int%c line %u", 'a' + d->irq_pin - 1, d->irq_line);
		kprintf("\n");
	}
}
