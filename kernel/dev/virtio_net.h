/* kernel/dev/virtio_net.h: the virtio-net driver (virtio 1.2, 5.1) on the modern PCI transport: receiveq1 and transmitq1, no offloads, link from the status field. */
#ifndef KERNEL_DEV_VIRTIO_NET_H
#define KERNEL_DEV_VIRTIO_NET_H

#include <stdint.h>
#include "kernel/dev/nic.h"
#include "kernel/dev/virtio_pci.h"

#define VIRTIO_NET_PCI_DEVICE 0x1041       /* 4.1.2: 0x1040 + virtio device id 1 (5.1.1) */
#define VIRTIO_NET_PCI_TRANSITIONAL 0x1000 /* 4.1.2.1: the transitional id (it may have the 1.x interface too) */

/* 5.1.3: the device features this driver takes (with VIRTIO_F_VERSION_1, required). */
#define VIRTIO_NET_F_MAC 5     /* the device has given a MAC address */
#define VIRTIO_NET_F_STATUS 16 /* the status field (link) exists */
#define VIRTIO_NET_FEATURES ((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS))

/* 5.1.4: struct virtio_net_config, byte offsets. */
#define VIRTIO_NET_CFG_MAC 0
#define VIRTIO_NET_CFG_STATUS 6
#define VIRTIO_NET_S_LINK_UP 1

/* 5.1.6: the header in front of every frame. With VIRTIO_F_VERSION_1 it always carries
 * num_buffers (12 bytes, offloads or not; the legacy 10-byte form is 5.1.6.1's), and
 * without offloads or VIRTIO_NET_F_MRG_RXBUF the driver sends it zeroed (5.1.6.2.1) and
 * ignores it on receive: flags 0 and num_buffers 1 (5.1.6.4.1). */
struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len, gso_size, csum_start, csum_offset;
	uint16_t num_buffers;
};
_Static_assert(sizeof(struct virtio_net_hdr) == 12, "5.1.6: the 1.x header is 12 bytes");

#define VIRTIO_NET_RX_QUEUE 0 /* 5.1.2: receiveq1 */
#define VIRTIO_NET_TX_QUEUE 1 /* transmitq1 */

/* What the self-test reads of a NIC this driver runs. */
struct virtio_net_info {
	uint64_t features;          /* negotiated */
	uint16_t rx_size, tx_size;  /* queue sizes in use */
	uint16_t rx_device_max, tx_device_max;
	uint16_t rx_posted;         /* receive buffers the device holds now */
	uint16_t tx_offered;        /* transmit chains ever offered (the avail idx) */
	uint16_t tx_in_flight;      /* frames the device has not given back yet */
	unsigned vectors;           /* MSI-X vectors: 2 (queues, config) or 1 (shared) */
	uint64_t config_irqs;       /* configuration-change interrupts */
	uint64_t link_changes;
};
/* Fills *i for a NIC virtio_net_probe brought up (n->driver is "virtio-net"). */
void virtio_net_get_info(const struct nic *n, struct virtio_net_info *i);

#endif
