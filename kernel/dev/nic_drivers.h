/* kernel/dev/nic_drivers.h: the NIC drivers' probe functions and the list nic.c builds its table from. */
#ifndef KERNEL_DEV_NIC_DRIVERS_H
#define KERNEL_DEV_NIC_DRIVERS_H

#include "kernel/dev/nic.h"
#include "kernel/dev/e1000.h"

/* Each: n->pci, name, driver, index and mtu are set; claims the PCI device, sets up the
 * rings (buffers from the netbuf pool), reads MAC and link, takes an interrupt, sets
 * n->ops. 0, or a negative errno with the device left quiet (no DMA, no interrupt). */

int e1000_probe(struct nic *n); /* kernel/dev/e1000.c: Intel 82540EM */

/* { name, PCI vendor, PCI device, probe }, one line per driver, each ending in a comma. */
#define NIC_DRIVERS \
	{ "e1000", E1000_VENDOR, E1000_DEVICE_82540EM, e1000_probe },

#endif
