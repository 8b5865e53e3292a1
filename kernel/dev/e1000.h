/* kernel/dev/e1000.h: the Intel 8254x (82540EM, 8086:100e) registers and descriptors the driver uses, and its pure ring arithmetic. */
#ifndef KERNEL_DEV_E1000_H
#define KERNEL_DEV_E1000_H

#include <stdbool.h>
#include <stdint.h>

/* Citations are to the "PCI/PCI-X Family of Gigabit Ethernet Controllers Software
 * Developer's Manual" (8254x SDM), whose register chapter is 13. */
#define E1000_VENDOR 0x8086
#define E1000_DEVICE_82540EM 0x100e
#define E1000_MMIO_BYTES 0x20000 /* BAR0: 128 KiB of registers (SDM 13.1) */

/* Registers (SDM table 13-2), byte offsets into BAR0. */
#define E1000_CTRL 0x0000
#define E1000_STATUS 0x0008
#define E1000_EERD 0x0014
#define E1000_ICR 0x00c0  /* read clears (SDM 13.4.17) */
#define E1000_ITR 0x00c4
#define E1000_IMS 0x00d0
#define E1000_IMC 0x00d8
#define E1000_RCTL 0x0100
#define E1000_TCTL 0x0400
#define E1000_TIPG 0x0410
#define E1000_RDBAL 0x2800
#define E1000_RDBAH 0x2804
#define E1000_RDLEN 0x2808
#define E1000_RDH 0x2810
#define E1000_RDT 0x2818
#define E1000_RDTR 0x2820
#define E1000_RADV 0x282c
#define E1000_TDBAL 0x3800
#define E1000_TDBAH 0x3804
#define E1000_TDLEN 0x3808
#define E1000_TDH 0x3810
#define E1000_TDT 0x3818
#define E1000_TIDV 0x3820
#define E1000_RXCSUM 0x5000
#define E1000_MTA 0x5200 /* 128 dwords of multicast hash */
#define E1000_MTA_WORDS 128
#define E1000_RAL0 0x5400
#define E1000_RAH0 0x5404
#define E1000_RAH_AV (1u << 31) /* address valid */

/* ITR (SDM 13.4.18): the least interval between interrupts, in 256 ns units. 500 is
 * 128 us: at most about 7,800 interrupts a second however many frames come. */
#define E1000_ITR_INTERVAL 500

/* CTRL (SDM 13.4.1) */
#define E1000_CTRL_ASDE (1u << 5)   /* auto-speed detection */
#define E1000_CTRL_SLU (1u << 6)    /* set link up */
#define E1000_CTRL_ILOS (1u << 7)   /* invert loss-of-signal */
#define E1000_CTRL_RST (1u << 26)   /* device reset, self-clearing */
#define E1000_CTRL_VME (1u << 30)   /* VLAN mode */
#define E1000_CTRL_PHY_RST (1u << 31)
#define E1000_CTRL_LRST (1u << 3)   /* link reset */
/* STATUS (SDM 13.4.2) */
#define E1000_STATUS_LU (1u << 1)   /* link up */
/* EERD on the 82540EM (SDM 13.4.4) */
#define E1000_EERD_START (1u << 0)
#define E1000_EERD_DONE (1u << 4)
#define E1000_EERD_ADDR_SHIFT 8
#define E1000_EERD_DATA_SHIFT 16
#define E1000_EEPROM_MAC_WORDS 3    /* words 0-2: the Ethernet address (SDM 5.6.1) */

/* Interrupt causes, the same bits in ICR/IMS/IMC (SDM 13.4.17-21) */
#define E1000_INT_TXDW (1u << 0)    /* a descriptor with RS was written back */
#define E1000_INT_LSC (1u << 2)     /* link status change */
#define E1000_INT_RXDMT0 (1u << 4)  /* free RX descriptors below the threshold */
#define E1000_INT_RXO (1u << 6)     /* receiver overrun */
#define E1000_INT_RXT0 (1u << 7)    /* receive timer: a frame arrived */
#define E1000_INT_FRAMES (E1000_INT_RXT0 | E1000_INT_RXO | E1000_INT_RXDMT0 | E1000_INT_TXDW)
#define E1000_INT_ALL 0xffffffffu

/* RCTL (SDM 13.4.22) */
#define E1000_RCTL_EN (1u << 1)
#define E1000_RCTL_UPE (1u << 3)    /* unicast promiscuous */
#define E1000_RCTL_MPE (1u << 4)    /* multicast promiscuous */
#define E1000_RCTL_RDMTS_HALF (0u << 8)
#define E1000_RCTL_BAM (1u << 15)   /* accept broadcast */
#define E1000_RCTL_BSIZE_2048 (0u << 16) /* with BSEX clear */
#define E1000_RCTL_SECRC (1u << 26) /* strip the Ethernet CRC */
/* TCTL (SDM 13.4.33) and TIPG (13.4.34, the 82540EM's copper values) */
#define E1000_TCTL_EN (1u << 1)
#define E1000_TCTL_PSP (1u << 3)    /* pad short packets */
#define E1000_TCTL_CT(x) ((uint32_t)(x) << 4)    /* collision threshold: 0x0f */
#define E1000_TCTL_COLD(x) ((uint32_t)(x) << 12) /* collision distance: 0x40 full duplex */
#define E1000_TCTL_CT_DEFAULT 0x0f
#define E1000_TCTL_COLD_FULL 0x40
#define E1000_TIPG_82540 (10u | 8u << 10 | 6u << 20) /* IPGT 10, IPGR1 8, IPGR2 6 */

/* Legacy receive descriptor (SDM 3.2.3) */
struct e1000_rx_desc {
	uint64_t addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
} __attribute__((packed));
_Static_assert(sizeof(struct e1000_rx_desc) == 16, "RX descriptor is 16 bytes (SDM 3.2.3)");
#define E1000_RXD_DD (1u << 0)  /* descriptor done */
#define E1000_RXD_EOP (1u << 1) /* end of packet */
/* Frame errors (SDM 3.2.3.2): CRC/alignment, symbol, sequence, carrier extension, RX data. */
#define E1000_RXE_FRAME ((1u << 0) | (1u << 1) | (1u << 2) | (1u << 4) | (1u << 7))

/* Legacy transmit descriptor (SDM 3.3.3) */
struct e1000_tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
} __attribute__((packed));
_Static_assert(sizeof(struct e1000_tx_desc) == 16, "TX descriptor is 16 bytes (SDM 3.3.3)");
#define E1000_TXD_CMD_EOP (1u << 0)  /* end of packet */
#define E1000_TXD_CMD_IFCS (1u << 1) /* insert the FCS */
#define E1000_TXD_CMD_RS (1u << 3)   /* report status: write DD back */
#define E1000_TXD_DD (1u << 0)

/* Ring sizes: powers of two, and RDLEN/TDLEN must be multiples of 128 bytes (SDM 13.4.27). */
#define E1000_RX_RING 128
#define E1000_TX_RING 128
#define E1000_RING_ALIGN 128
_Static_assert((E1000_RX_RING * sizeof(struct e1000_rx_desc)) % E1000_RING_ALIGN == 0, "RDLEN multiple of 128");
_Static_assert((E1000_TX_RING * sizeof(struct e1000_tx_desc)) % E1000_RING_ALIGN == 0, "TDLEN multiple of 128");
#define E1000_MIN_FRAME 14 /* an Ethernet header */

/* ---- Pure ring arithmetic and checks (tests/unit/test_e1000_ring.c) ---- */

/* The slot after i in a ring of n (a power of two); i < n. */
static inline unsigned e1000_ring_next(unsigned i, unsigned n) { return (i + 1) & (n - 1); }
/* Slots from `from` up to (not including) `to` in a ring of n: those in flight. */
static inline unsigned e1000_ring_used(unsigned from, unsigned to, unsigned n) { return (to - from) & (n - 1); }
/* Free TX slots: one always stays empty, so that tail == clean means "none in flight". */
static inline unsigned e1000_tx_room(unsigned clean, unsigned tail, unsigned n)
{
	return n - 1 - e1000_ring_used(clean, tail, n);
}

enum e1000_rx_verdict {
	E1000_RX_NONE,  /* not done yet: the device still owns it */
	E1000_RX_FRAME, /* a whole frame of *len bytes */
	E1000_RX_BAD,   /* done, but dropped: an error bit, a bad length, or a frame in pieces */
};
/* Judges a receive descriptor the device wrote back (status, errors, length as read
 * once). A frame spread over several descriptors is dropped whole: *in_pieces is set by
 * a descriptor without EOP and cleared by the next EOP, each of them BAD. A length under
 * 14 or over NETBUF_FRAME_MAX is BAD. Pure. */
enum e1000_rx_verdict e1000_rx_judge(uint8_t status, uint8_t errors, uint16_t length, bool *in_pieces, uint16_t *len);

#endif
