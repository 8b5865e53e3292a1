/* kernel/dev/nic.h: the physical NICs: what a driver provides, the registry of the NICs found, and the rules they all keep. */
#ifndef KERNEL_DEV_NIC_H
#define KERNEL_DEV_NIC_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/dev/netbuf.h"
#include "kernel/dev/pci.h"

/*
 * Rules for every driver:
 * - The device DMAs only into netbufs (kernel memory), never into app memory.
 * - Everything but ops->irq runs in the kernel's main flow with interrupts off (the run
 *   loop between app slices or at an interrupt exit), never inside an interrupt handler;
 *   there is one CPU, so no locks.
 * - Nothing a frame's bytes say (lengths, descriptor status from the device) is trusted
 *   beyond the buffer: a length over NETBUF_FRAME_MAX or under 14 is an rx_error, dropped.
 * - No call blocks or spins without a bound.
 */
struct nic;

struct nic_ops {
	/* Queues b (b->len bytes) for sending; on success the driver owns the caller's
	 * reference and puts it once the device is done. -UV_EAGAIN when the TX ring is full,
	 * -UV_ENETDOWN without link: b is not taken then. */
	int (*tx)(struct nic *n, struct netbuf *b);
	/* Takes up to budget received frames off the RX ring, hands each to n->rx (which
	 * takes over the reference), refills the ring from the pool, reclaims sent TX
	 * buffers, and re-reads the link if the device said it changed. Returns frames received. */
	unsigned (*poll)(struct nic *n, unsigned budget);
	/* In the interrupt handler: reads and clears the device's interrupt cause (so a level
	 * interrupt drops). True if the device had raised it. Touches nothing but registers. */
	bool (*irq)(struct nic *n);
	/* Turns the device's interrupts for frames received and sent off or back on (link
	 * changes still interrupt); off, poll is what finds frames (nic_quiet). NULL: the NIC
	 * always interrupts. */
	void (*frame_irq)(struct nic *n, bool on);
};

struct nic_stats {
	uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes;
	uint64_t rx_no_buffer; /* a frame came but the pool was empty: the ring slot kept its buffer, the frame is lost */
	uint64_t rx_errors;    /* bad length or a device error bit */
	uint64_t tx_ring_full, irqs;
};

struct nic {
	char name[16];        /* "e1000.0", "virtio-net.0": driver and index among its kind */
	const char *driver;   /* "e1000", "virtio-net" */
	unsigned index;       /* among the NICs of this driver, in PCI scan order (per device id, in NIC_DRIVERS' order) */
	struct pci_dev *pci;
	uint8_t mac[6];
	uint16_t mtu;         /* 1500 */
	bool link_up;
	const char *irq_kind; /* "msi-x", "msi", "intx gsi N" (for the boot report) */
	const struct nic_ops *ops;
	void *priv;
	/* Set by whoever uses the NIC (the switch): called from poll for each frame received. */
	void (*rx)(struct nic *n, struct netbuf *b, void *ctx);
	void *rx_ctx;
	volatile bool pending; /* set by the interrupt handler: poll has work */
	bool quiet;            /* frame interrupts off (nic_quiet): pending stays set, every pass polls */
	struct nic_stats stats;
};

/* Finds the NICs the drivers know among the PCI devices, brings each up (rings, MAC,
 * link, interrupt) and prints a line per NIC; a NIC that fails to come up is reported
 * and left out. Needs pci_init and netbuf_pool_init first. Returns how many came up. */
unsigned nic_init(void);
/* The same for the NICs wanted(driver, index, ctx) accepts; the others are not touched
 * (no bus mastering, no interrupt). A NIC already up is left as it is. */
unsigned nic_init_only(bool (*wanted)(const char *driver, unsigned index, void *ctx), void *ctx);
unsigned nic_count(void);
struct nic *nic_get(unsigned i);
/* The index-th NIC of a driver ("e1000", "virtio-net", or NULL for any), or NULL. */
struct nic *nic_find(const char *driver, unsigned index);
/* Polls every NIC whose interrupt fired (or all, if all is true); returns frames received. */
unsigned nic_poll_pending(bool all);
/* True if some NIC's interrupt fired since its last poll. */
bool nic_any_pending(void);
/*
 * Quiet (on): the NICs' frame interrupts go off and every pass polls their rings instead
 * (nic_any_pending is true), so frames that come while an app runs cost it no exit; they
 * wait in the ring for the next poll. Off: interrupts again, and one more poll takes what
 * came while quiet. Only a change touches the devices.
 */
void nic_quiet(bool on);
/* For the NICs' interrupt handlers: marks n pending after ops->irq said it fired. */
void nic_interrupt(struct nic *n);

#endif
