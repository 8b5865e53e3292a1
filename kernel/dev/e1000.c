/* kernel/dev/e1000.c: the Intel 82540EM driver: reset, MAC, link, RX/TX rings of legacy descriptors over netbufs, INTx through the IOAPIC. */
#include "kernel/dev/e1000.h"
#include "kernel/dev/nic_drivers.h"
#include "kernel/dev/irq.h"
#include "kernel/dev/time.h"
#include "kernel/arch/x86.h"
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"
#include "kernel/mm/mm.h"
#include "include/abi/uv_errno.h"

#define E1000_MAX 8 /* e1000 NICs the driver takes (the registry takes 8 NICs in all) */
#define RESET_WAIT_NS 10000000ull  /* 10 ms for CTRL.RST to clear (the SDM asks for 1 us) */
#define EEPROM_WAIT_NS 10000000ull /* 10 ms per EEPROM word */
#define RING_PAGES 1
#define MAC_BYTES 6
#define MAC_GROUP_BIT 0x01 /* in the first byte: multicast / broadcast */

_Static_assert(E1000_RX_RING * sizeof(struct e1000_rx_desc) + E1000_TX_RING * sizeof(struct e1000_tx_desc) <=
		       RING_PAGES * PAGE_SIZE,
	       "both rings fit the ring page");

struct e1000 {
	volatile uint32_t *regs;
	volatile struct e1000_rx_desc *rx; /* E1000_RX_RING descriptors, then the TX ring, in one page */
	volatile struct e1000_tx_desc *tx;
	struct netbuf *rx_buf[E1000_RX_RING]; /* the buffer each RX slot holds (always one) */
	struct netbuf *tx_buf[E1000_TX_RING]; /* the frame each TX slot sends, NULL when free */
	unsigned rx_next;           /* the next RX slot the device completes */
	unsigned tx_tail, tx_clean; /* next TX slot to fill; oldest in flight */
	bool rx_in_pieces;
	volatile uint32_t causes;   /* ICR bits the interrupt saw that poll has not handled */
	char irq_kind[24];
};
static struct e1000 e1000s[E1000_MAX];

static uint32_t rd(struct e1000 *e, uint32_t reg) { return e->regs[reg / 4]; }
static void wr(struct e1000 *e, uint32_t reg, uint32_t v) { e->regs[reg / 4] = v; }
/* The device reads descriptors the CPU wrote: on x86, stores are seen in order, the
 * compiler must not reorder them either. */
static inline void dma_barrier(void) { __asm__ volatile("" ::: "memory"); }

/* Waits until (reg & mask) == want, up to ns; true if it got there. */
static bool wait_reg(struct e1000 *e, uint32_t reg, uint32_t mask, uint32_t want, uint64_t ns)
{
	uint64_t end = time_ns() + ns;
	for (;;) {
		if ((rd(e, reg) & mask) == want)
			return true;
		if (time_ns() > end)
			return false;
		__asm__ volatile("pause");
	}
}

/* Global reset (SDM 14.3): nothing DMAs and nothing interrupts afterwards. */
static int reset(struct e1000 *e)
{
	wr(e, E1000_IMC, E1000_INT_ALL);
	wr(e, E1000_RCTL, 0);
	wr(e, E1000_TCTL, 0);
	wr(e, E1000_CTRL, rd(e, E1000_CTRL) | E1000_CTRL_RST);
	if (!wait_reg(e, E1000_CTRL, E1000_CTRL_RST, 0, RESET_WAIT_NS))
		return -UV_EIO;
	wr(e, E1000_IMC, E1000_INT_ALL); /* the reset leaves them masked; so do we, to be sure */
	(void)rd(e, E1000_ICR);
	return 0;
}

/* One 16-bit EEPROM word through EERD, or -1. */
static int eeprom_word(struct e1000 *e, unsigned addr)
{
	wr(e, E1000_EERD, E1000_EERD_START | addr << E1000_EERD_ADDR_SHIFT);
	if (!wait_reg(e, E1000_EERD, E1000_EERD_DONE, E1000_EERD_DONE, EEPROM_WAIT_NS))
		return -1;
	return (int)(rd(e, E1000_EERD) >> E1000_EERD_DATA_SHIFT);
}

/* True for a MAC a port can use: not zero, not a group address (IEEE 802 I/G bit). */
static bool mac_usable(const uint8_t *m)
{
	static const uint8_t zero[MAC_BYTES];
	return memcmp(m, zero, MAC_BYTES) && !(m[0] & MAC_GROUP_BIT);
}

/* The MAC from RAL0/RAH0 if the firmware (or the device's reset) set it valid, else
 * from the EEPROM; written back to RAL0/RAH0. 0 or -UV_EIO. */
static int read_mac(struct e1000 *e, uint8_t mac[MAC_BYTES])
{
	uint32_t lo = rd(e, E1000_RAL0), hi = rd(e, E1000_RAH0);
	for (unsigned i = 0; i < 4; i++)
		mac[i] = (uint8_t)(lo >> (8 * i));
	mac[4] = (uint8_t)hi;
	mac[5] = (uint8_t)(hi >> 8);
	if (!(hi & E1000_RAH_AV) || !mac_usable(mac)) {
		for (unsigned w = 0; w < E1000_EEPROM_MAC_WORDS; w++) {
			int v = eeprom_word(e, w);
			if (v < 0)
				return -UV_EIO;
			mac[2 * w] = (uint8_t)v;
			mac[2 * w + 1] = (uint8_t)(v >> 8);
		}
		if (!mac_usable(mac))
			return -UV_EIO;
	}
	wr(e, E1000_RAL0, (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24);
	wr(e, E1000_RAH0, (uint32_t)mac[4] | (uint32_t)mac[5] << 8 | E1000_RAH_AV);
	return 0;
}

/* Hands RX slot i, with the buffer it holds, back to the device: status cleared. */
static void rx_give(struct e1000 *e, unsigned i)
{
	e->rx[i].addr = (uint64_t)(uintptr_t)e->rx_buf[i]->data; /* identity map: virtual = physical */
	e->rx[i].status = 0;
	e->rx[i].errors = 0;
	e->rx[i].length = 0;
}

/* Returns every buffer the rings hold and the ring page. */
static void free_rings(struct e1000 *e)
{
	for (unsigned i = 0; i < E1000_RX_RING; i++)
		if (e->rx_buf[i]) {
			netbuf_put(e->rx_buf[i]);
			e->rx_buf[i] = 0;
		}
	for (unsigned i = 0; i < E1000_TX_RING; i++)
		if (e->tx_buf[i]) {
			netbuf_put(e->tx_buf[i]);
			e->tx_buf[i] = 0;
		}
	if (e->rx)
		kfree_pages((uint64_t)(uintptr_t)e->rx, RING_PAGES);
	e->rx = 0;
	e->tx = 0;
}

/* Receive setup (SDM 14.4): every slot holds a buffer, the device owns all but one. */
static int rx_init(struct e1000 *e)
{
	for (unsigned i = 0; i < E1000_RX_RING; i++) {
		e->rx_buf[i] = netbuf_get();
		if (!e->rx_buf[i])
			return -UV_ENOMEM;
		rx_give(e, i);
	}
	uint64_t pa = (uint64_t)(uintptr_t)e->rx;
	wr(e, E1000_RDBAL, (uint32_t)pa);
	wr(e, E1000_RDBAH, (uint32_t)(pa >> 32));
	wr(e, E1000_RDLEN, E1000_RX_RING * sizeof(struct e1000_rx_desc));
	wr(e, E1000_RDH, 0);
	wr(e, E1000_RDT, E1000_RX_RING - 1);
	wr(e, E1000_RDTR, 0); /* an interrupt per frame: no delay timer */
	wr(e, E1000_RADV, 0);
	wr(e, E1000_RXCSUM, 0); /* no checksum offload: the switch works on frames */
	e->rx_next = 0;
	return 0;
}

/* Transmit setup (SDM 14.5). */
static void tx_init(struct e1000 *e)
{
	uint64_t pa = (uint64_t)(uintptr_t)e->tx;
	wr(e, E1000_TDBAL, (uint32_t)pa);
	wr(e, E1000_TDBAH, (uint32_t)(pa >> 32));
	wr(e, E1000_TDLEN, E1000_TX_RING * sizeof(struct e1000_tx_desc));
	wr(e, E1000_TDH, 0);
	wr(e, E1000_TDT, 0);
	wr(e, E1000_TIDV, 0);
	wr(e, E1000_TIPG, E1000_TIPG_82540);
	e->tx_tail = e->tx_clean = 0;
}

/* Puts the buffers of sent frames (DD written back), oldest first. */
static void reclaim_tx(struct e1000 *e)
{
	for (unsigned k = 0; k < E1000_TX_RING && e->tx_clean != e->tx_tail; k++) {
		unsigned i = e->tx_clean;
		if (!(e->tx[i].status & E1000_TXD_DD))
			break;
		if (e->tx_buf[i]) {
			netbuf_put(e->tx_buf[i]);
			e->tx_buf[i] = 0;
		}
		e->tx_clean = e1000_ring_next(i, E1000_TX_RING);
	}
}

/* nic_ops.tx: one legacy descriptor per frame, EOP|IFCS|RS (SDM 3.3.3); TDT moves last. */
static int e1000_tx(struct nic *n, struct netbuf *b)
{
	struct e1000 *e = n->priv;
	if (!n->link_up)
		return -UV_ENETDOWN;
	if (b->len < E1000_MIN_FRAME || b->len > NETBUF_FRAME_MAX)
		return -UV_EMSGSIZE;
	if (!e1000_tx_room(e->tx_clean, e->tx_tail, E1000_TX_RING))
		reclaim_tx(e);
	if (!e1000_tx_room(e->tx_clean, e->tx_tail, E1000_TX_RING)) {
		n->stats.tx_ring_full++;
		return -UV_EAGAIN;
	}
	unsigned i = e->tx_tail;
	e->tx_buf[i] = b;
	e->tx[i].addr = (uint64_t)(uintptr_t)b->data;
	e->tx[i].length = b->len;
	e->tx[i].cso = 0;
	e->tx[i].css = 0;
	e->tx[i].special = 0;
	e->tx[i].status = 0;
	e->tx[i].cmd = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
	e->tx_tail = e1000_ring_next(i, E1000_TX_RING);
	n->stats.tx_frames++;
	n->stats.tx_bytes += b->len;
	dma_barrier();
	wr(e, E1000_TDT, e->tx_tail);
	return 0;
}

/* nic_ops.poll: completed RX slots judged, handed on and refilled; sent TX reclaimed; the
 * link re-read after an LSC. Returns the RX slots it took (frames and dropped ones). */
static unsigned e1000_poll(struct nic *n, unsigned budget)
{
	struct e1000 *e = n->priv;
	unsigned taken = 0;
	for (; taken < budget && taken < E1000_RX_RING; taken++) {
		unsigned i = e->rx_next;
		/* Each field read once: what is judged is what is used. */
		uint8_t status = e->rx[i].status;
		if (!(status & E1000_RXD_DD))
			break;
		dma_barrier(); /* the rest of the descriptor after DD (x86 keeps loads in order) */
		uint16_t len = 0;
		enum e1000_rx_verdict v = e1000_rx_judge(status, e->rx[i].errors, e->rx[i].length, &e->rx_in_pieces, &len);
		if (v == E1000_RX_FRAME) {
			struct netbuf *fresh = netbuf_get();
			if (!fresh) {
				n->stats.rx_no_buffer++; /* the slot keeps its buffer; the frame is lost */
			} else {
				struct netbuf *b = e->rx_buf[i];
				e->rx_buf[i] = fresh;
				b->len = len;
				n->stats.rx_frames++;
				n->stats.rx_bytes += len;
				if (n->rx)
					n->rx(n, b, n->rx_ctx);
				else
					netbuf_put(b);
			}
		} else {
			n->stats.rx_errors++;
		}
		rx_give(e, i);
		e->rx_next = e1000_ring_next(i, E1000_RX_RING);
	}
	if (taken) {
		/* The slots taken are the device's again, up to the last one, which becomes the
		 * one RDT points at (software's: RDT stays one behind the next to fill). One
		 * register write for the whole batch. */
		dma_barrier();
		wr(e, E1000_RDT, (e->rx_next + E1000_RX_RING - 1) & (E1000_RX_RING - 1));
	}
	reclaim_tx(e);
	if (e->causes & E1000_INT_LSC) {
		e->causes &= ~E1000_INT_LSC;
		n->link_up = (rd(e, E1000_STATUS) & E1000_STATUS_LU) != 0;
	}
	return taken;
}

/* nic_ops.irq: ICR read (which clears it); its causes kept for poll. */
static bool e1000_irq(struct nic *n)
{
	struct e1000 *e = n->priv;
	uint32_t icr = rd(e, E1000_ICR); /* read to clear: the level interrupt drops */
	e->causes |= icr;
	return icr != 0;
}

/* nic_ops.frame_irq: the causes of frames received and sent masked (IMC) or unmasked (IMS;
 * one that came while masked interrupts at once, SDM 13.4.20-21). */
static void e1000_frame_irq(struct nic *n, bool on)
{
	wr(n->priv, on ? E1000_IMS : E1000_IMC, E1000_INT_FRAMES);
}

static const struct nic_ops e1000_ops = { e1000_tx, e1000_poll, e1000_irq, e1000_frame_irq };

/* The vector's handler: the NIC is pending if it raised the (maybe shared) line. */
static void isr(void *ctx)
{
	struct nic *n = ctx;
	if (n->ops && n->ops->irq(n))
		nic_interrupt(n);
}

/* Quiets the device: reset (no DMA, no interrupt), bus mastering off. */
static void quiet(struct nic *n, struct e1000 *e)
{
	reset(e);
	pci_write16(n->pci, PCI_COMMAND, (uint16_t)(pci_read16(n->pci, PCI_COMMAND) & ~PCI_CMD_BUS_MASTER));
	free_rings(e);
}

int e1000_probe(struct nic *n)
{
	struct pci_dev *d = n->pci;
	if (n->index >= E1000_MAX)
		return -UV_ENOMEM;
	struct e1000 *e = &e1000s[n->index];
	memset(e, 0, sizeof(*e));
	if (d->bar[0].io || d->bar[0].size < E1000_MMIO_BYTES)
		return -UV_ENODEV;
	int r = pci_claim(d);
	if (r)
		return r;
	e->regs = pci_bar_mmio(d, 0);
	if (!e->regs)
		return -UV_ENODEV;
	/* No DMA until the rings are ours: bus mastering off across the reset. */
	pci_write16(d, PCI_COMMAND, (uint16_t)(pci_read16(d, PCI_COMMAND) & ~PCI_CMD_BUS_MASTER));
	r = reset(e);
	if (r)
		return r;
	/* Link: auto-speed, set link up, no inverted loss-of-signal, no PHY or link reset
	 * held, no VLAN mode (SDM 14.3, 14.5.5 for the 82540EM's internal PHY). */
	wr(e, E1000_CTRL, (rd(e, E1000_CTRL) | E1000_CTRL_ASDE | E1000_CTRL_SLU) &
				  ~(E1000_CTRL_ILOS | E1000_CTRL_LRST | E1000_CTRL_PHY_RST | E1000_CTRL_VME));
	r = read_mac(e, n->mac);
	if (r)
		return r;
	for (unsigned i = 0; i < E1000_MTA_WORDS; i++)
		wr(e, E1000_MTA + 4 * i, 0);
	uint64_t ring = kalloc_pages(RING_PAGES, 1);
	if (!ring)
		return -UV_ENOMEM;
	e->rx = (volatile struct e1000_rx_desc *)(uintptr_t)ring;
	e->tx = (volatile struct e1000_tx_desc *)(uintptr_t)(ring + E1000_RX_RING * sizeof(struct e1000_rx_desc));
	r = rx_init(e);
	if (r) {
		quiet(n, e);
		return r;
	}
	tx_init(e);
	/* Ready for the interrupt handler before the line is unmasked. */
	n->priv = e;
	n->ops = &e1000_ops;
	uint8_t vector;
	unsigned gsi;
	r = irq_alloc(isr, n, &vector);
	if (!r)
		r = irq_route_intx(d, vector, &gsi);
	if (r) {
		n->ops = 0; /* the vector stays allocated, its handler does nothing */
		n->priv = 0;
		quiet(n, e);
		return r;
	}
	ksnprintf(e->irq_kind, sizeof(e->irq_kind), "intx gsi %u", gsi);
	n->irq_kind = e->irq_kind;
	pci_write16(d, PCI_COMMAND, (uint16_t)(pci_read16(d, PCI_COMMAND) | PCI_CMD_BUS_MASTER));
	/* An idle NIC interrupts at once; a flood of frames is taken in batches instead of
	 * one interrupt each (the first interrupt is never delayed). */
	wr(e, E1000_ITR, E1000_ITR_INTERVAL);
	/* TXDW too: without a cause pending after each send, QEMU's moderation coalesces the
	 * frames that come in less well (tools/bench/README.md); quiet masks it (frame_irq). */
	wr(e, E1000_IMS, E1000_INT_FRAMES | E1000_INT_LSC);
	/* Broadcast and, as a port of the switch whose apps have MACs of their own, every
	 * unicast and multicast frame; 2 KiB buffers, CRC stripped (SDM 13.4.22). Written
	 * once: QEMU's e1000 holds back what it receives for 1 s of virtual time after each
	 * write to RCTL (hw/net/e1000.c, its flush_queue_timer). */
	wr(e, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_UPE | E1000_RCTL_MPE | E1000_RCTL_BAM | E1000_RCTL_RDMTS_HALF |
				  E1000_RCTL_BSIZE_2048 | E1000_RCTL_SECRC);
	wr(e, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP | E1000_TCTL_CT(E1000_TCTL_CT_DEFAULT) |
				  E1000_TCTL_COLD(E1000_TCTL_COLD_FULL));
	n->link_up = (rd(e, E1000_STATUS) & E1000_STATUS_LU) != 0;
	return 0;
}
