/* kernel/dev/nic_drivers.h: the NIC drivers' probe functions and the list nic.c builds its table from. */
#ifndef KERNEL_DEV_NIC_DRIVERS_H
#define KERNEL_DEV_NIC_DRIVERS_H

#include "kernel/dev/nic.h"
#include "kernel/dev/e1000.h"
#include "kernel/dev/virtio_net.h"

/* Each: n->pci, name, driver, index and mtu are set; claims the PCI device, sets up the
 * rings (buffers from the netbuf pool), reads MAC and link, takes an interrupt, sets
 * n->ops. 0, or a negative errno with the device left quiet (no DMA, no interrupt). */

int e1000_probe(struct nic *n); /* kernel/dev/e1000.c: Intel 82540EM */
int virtio_net_probe(struct nic *n); /* kernel/dev/virtio_net.c: virtio-net 1.x */

/* { name, PCI vendor, PCI device, probe }, one line per driver, each ending in a comma.
 * A driver that takes several device ids has one line per id, adjacent: its NICs are
 * numbered on from line to line (nic.h: index). */
#define NIC_DRIVERS \
	{ "e1000", E1000_VENDOR, E1000_DEVICE_82540EM, e1000_probe }, \
	{ "virtio-net", VIRTIO_PCI_VENDOR, VIRTIO_NET_PCI_DEVICE, virtio_net_probe }, \
	{ "virtio-net", VIRTIO_PCI_VENDOR, VIRTIO_NET_PCI_TRANSITIONAL, virtio_net_probe },

#endif
