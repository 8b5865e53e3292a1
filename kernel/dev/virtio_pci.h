/* kernel/dev/virtio_pci.h: the virtio 1.x modern PCI transport (virtio 1.2, 4.1): the structure capabilities, device status, 64-bit features, queue setup and notification. */
#ifndef KERNEL_DEV_VIRTIO_PCI_H
#define KERNEL_DEV_VIRTIO_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/dev/pci.h"
#include "kernel/dev/virtq.h"
#include "include/abi/uv_errno.h"

#define VIRTIO_PCI_VENDOR 0x1af4 /* 4.1.2 */

/* 4.1.4: struct virtio_pci_cap, a vendor capability (PCI_CAP_VENDOR) in config space. */
#define VIRTIO_CAP_LEN 2
#define VIRTIO_CAP_CFG_TYPE 3
#define VIRTIO_CAP_BAR 4
#define VIRTIO_CAP_OFFSET 8
#define VIRTIO_CAP_LENGTH 12
#define VIRTIO_CAP_NOTIFY_MULT 16 /* 4.1.4.4: struct virtio_pci_notify_cap */
#define VIRTIO_CAP_BYTES 16
#define VIRTIO_NOTIFY_CAP_BYTES 20
#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4

/* 4.1.4.3: struct virtio_pci_common_cfg, byte offsets. */
#define VIRTIO_COMMON_DFSELECT 0x00
#define VIRTIO_COMMON_DF 0x04
#define VIRTIO_COMMON_GFSELECT 0x08
#define VIRTIO_COMMON_GF 0x0c
#define VIRTIO_COMMON_MSIX 0x10
#define VIRTIO_COMMON_NUMQ 0x12
#define VIRTIO_COMMON_STATUS 0x14
#define VIRTIO_COMMON_CFGGENERATION 0x15
#define VIRTIO_COMMON_Q_SELECT 0x16
#define VIRTIO_COMMON_Q_SIZE 0x18
#define VIRTIO_COMMON_Q_MSIX 0x1a
#define VIRTIO_COMMON_Q_ENABLE 0x1c
#define VIRTIO_COMMON_Q_NOFF 0x1e
#define VIRTIO_COMMON_Q_DESC 0x20
#define VIRTIO_COMMON_Q_DRIVER 0x28
#define VIRTIO_COMMON_Q_DEVICE 0x30
#define VIRTIO_COMMON_BYTES 0x38 /* through queue_device: all this driver uses */
#define VIRTIO_NOTIFY_BYTES 2    /* 4.1.4.4.1: a 16-bit queue index per notification */
#define VIRTIO_MSI_NO_VECTOR 0xffff /* 4.1.5.1.2 */

/* 2.1: device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_F_VERSION_1 32 /* 6: a virtio 1.x device (not legacy) */

/* A virtio structure capability as read from config space (before it is believed). */
struct virtio_pci_cap {
	uint8_t cap_len, cfg_type, bar;
	uint32_t offset, length;
	uint32_t notify_mult; /* notify capabilities only */
};

/* Checks one capability against the function's BARs (4.1.4, 4.1.4.3-6): a BAR index
 * 0-5 of an implemented memory BAR, [offset, offset + length) inside it (64-bit
 * arithmetic, no wrap), long enough and aligned for its type, a notify multiplier of 0
 * or an even power of two. 0, or -UV_EINVAL with *why. Pure. */
int virtio_pci_cap_check(const struct virtio_pci_cap *c, const struct pci_bar bars[PCI_MAX_BARS], const char **why);
/* The byte offset in its BAR of a queue's notify address (4.1.4.4): cap.offset +
 * queue_notify_off * multiplier, whose 2 bytes must lie inside the notify structure.
 * 0 or -UV_EINVAL. Pure. */
int virtio_pci_notify_offset(const struct virtio_pci_cap *notify, uint16_t queue_notify_off, uint64_t *off);
/* Feature negotiation (2.2, 3.1.1 step 4): the subset of wanted the device offers. 0, or
 * -UV_ENODEV when it does not offer every bit of required (*accepted is then 0). Pure. */
static inline int virtio_features_pick(uint64_t offered, uint64_t wanted, uint64_t required, uint64_t *accepted)
{
	*accepted = 0;
	if ((offered & required) != required)
		return -UV_ENODEV;
	*accepted = offered & wanted;
	return 0;
}

/* A virtio device on PCI after virtio_pci_find. */
struct virtio_pci {
	struct pci_dev *pci;
	struct virtio_pci_cap common, notify, isr, device; /* checked */
	volatile uint8_t *common_mmio, *notify_mmio, *isr_mmio, *device_mmio; /* after virtio_pci_map */
	char why[96]; /* room for virtio_pci_find's reason */
};

/* One virtqueue of the device: the rings, its index and its notify address. */
struct virtio_pci_queue {
	struct virtq q;
	uint16_t index;
	uint16_t device_max;      /* the size the device offered */
	volatile uint16_t *notify;
	uint64_t ring_pa;         /* the rings' pages (kalloc_pages) */
	uint64_t ring_pages;
};

/* Walks d's vendor capabilities and keeps the first good one of each of the four types
 * (4.1.4.1). Changes nothing on the device. 0, or -UV_ENODEV with *why: no capability at
 * all (a legacy-only device), or one type missing or never good. */
int virtio_pci_find(struct virtio_pci *vp, struct pci_dev *d, const char **why);
/* Claims the function (pci_claim: memory decoding, bus mastering) and sets the MMIO
 * pointers. 0 or pci_claim's error. */
int virtio_pci_map(struct virtio_pci *vp);
/* Device reset (4.1.4.3.2): writes 0 and waits, bounded, to read 0 back. 0 or -UV_EIO. */
int virtio_pci_reset(struct virtio_pci *vp);
uint8_t virtio_pci_status(const struct virtio_pci *vp);
/* Sets more status bits (never clears one, 2.1.1). */
void virtio_pci_add_status(struct virtio_pci *vp, uint8_t bits);
/* The 64 feature bits the device offers, through the select register (4.1.4.3). */
uint64_t virtio_pci_device_features(struct virtio_pci *vp);
/* Writes the accepted features, sets FEATURES_OK and reads it back (3.1.1 steps 4-6).
 * 0, or -UV_ENODEV when the device cleared it (it refused the subset). */
int virtio_pci_accept_features(struct virtio_pci *vp, uint64_t features);
/* Maps configuration changes to MSI-X table entry `entry` and checks the device took it
 * (4.1.5.1.2). 0 or -UV_EIO. */
int virtio_pci_config_vector(struct virtio_pci *vp, uint16_t entry);
/* Sets queue `index` up (4.1.5.1.3): size = the device's cut to size_cap (a power of two
 * <= VIRTQ_SIZE_MAX), rings allocated and zeroed, addresses written, its interrupts on
 * MSI-X table entry msix_entry (checked), its notify address checked, then enabled.
 * 0; -UV_ENODEV (no such queue), -UV_EIO (the device refused the vector), -UV_EINVAL
 * (its notify offset lies outside the notify structure), -UV_ENOMEM; *why says which,
 * and nothing stays allocated. */
int virtio_pci_queue_setup(struct virtio_pci *vp, uint16_t index, uint16_t size_cap, uint16_t msix_entry,
			   struct virtio_pci_queue *vq, const char **why);
/* Frees the rings of a queue the device no longer uses (after a reset, or with bus
 * mastering off). */
void virtio_pci_queue_free(struct virtio_pci_queue *vq);
/* Tells the device a queue has new buffers, unless it asked not to be told (2.7.10). */
void virtio_pci_notify(struct virtio_pci_queue *vq);
/* The configuration generation (4.1.4.3), for reading device config consistently (2.5.1). */
uint8_t virtio_pci_config_generation(const struct virtio_pci *vp);
/* Device-specific configuration reads at a byte offset; 0 or -UV_EINVAL when the field
 * does not lie inside the device structure (nothing read). */
int virtio_pci_device_read8(const struct virtio_pci *vp, uint32_t off, uint8_t *v);
int virtio_pci_device_read16(const struct virtio_pci *vp, uint32_t off, uint16_t *v);
/* Gives up on the device: FAILED status, then bus mastering off (no more DMA or MSI). */
void virtio_pci_give_up(struct virtio_pci *vp);

#endif
