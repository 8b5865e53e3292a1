/* kernel/dev/virtio_pci_cap.c: a virtio structure capability checked against the function's BARs before any of it is used (pure). */
#include "kernel/dev/virtio_pci.h"

#define COMMON_ALIGN 4 /* 4.1.4.3.1: offset 4-byte aligned */
#define NOTIFY_ALIGN 2 /* 4.1.4.4.1: 2-byte aligned (no VIRTIO_F_NOTIFICATION_DATA) */
#define DEVICE_ALIGN 4 /* 4.1.4.6.1 */
#define ISR_BYTES 1    /* 4.1.4.5: at least the status byte */

int virtio_pci_cap_check(const struct virtio_pci_cap *c, const struct pci_bar bars[PCI_MAX_BARS], const char **why)
{
	uint32_t min_len = 0, align = 1, cap_bytes = VIRTIO_CAP_BYTES;
	switch (c->cfg_type) {
	case VIRTIO_PCI_CAP_COMMON_CFG:
		min_len = VIRTIO_COMMON_BYTES;
		align = COMMON_ALIGN;
		break;
	case VIRTIO_PCI_CAP_NOTIFY_CFG:
		min_len = VIRTIO_NOTIFY_BYTES;
		align = NOTIFY_ALIGN;
		cap_bytes = VIRTIO_NOTIFY_CAP_BYTES;
		break;
	case VIRTIO_PCI_CAP_ISR_CFG:
		min_len = ISR_BYTES;
		break;
	case VIRTIO_PCI_CAP_DEVICE_CFG:
		align = DEVICE_ALIGN; /* its length is checked by the driver against the fields it reads */
		break;
	default:
		*why = "a structure type this driver does not use";
		return -UV_EINVAL;
	}
	/* 4.1.4.2: cap_len covers the structure and its extra data (it may be longer). */
	if (c->cap_len < cap_bytes) {
		*why = "the capability is shorter than its structure";
		return -UV_EINVAL;
	}
	/* 4.1.4.1: a reserved BAR value means the capability is ignored. */
	if (c->bar >= PCI_MAX_BARS) {
		*why = "it names a reserved BAR index";
		return -UV_EINVAL;
	}
	const struct pci_bar *b = &bars[c->bar];
	if (b->size == 0) {
		*why = "it names a BAR the function does not implement";
		return -UV_EINVAL;
	}
	if (b->io) {
		*why = "it lies in an I/O BAR (this driver maps memory BARs only)";
		return -UV_EINVAL;
	}
	if ((uint64_t)c->offset + c->length > b->size) {
		*why = "it reaches beyond the end of its BAR";
		return -UV_EINVAL;
	}
	if (c->length < min_len) {
		*why = "its structure is shorter than the fields the driver uses";
		return -UV_EINVAL;
	}
	if (c->offset % align) {
		*why = "its offset is misaligned for its structure";
		return -UV_EINVAL;
	}
	/* 4.1.4.4.1: notify_off_multiplier is 0 or an even power of two. */
	uint32_t m = c->notify_mult;
	if (c->cfg_type == VIRTIO_PCI_CAP_NOTIFY_CFG && m != 0 && (m < 2 || (m & (m - 1)))) {
		*why = "its notify_off_multiplier is neither 0 nor an even power of two";
		return -UV_EINVAL;
	}
	return 0;
}

int virtio_pci_notify_offset(const struct virtio_pci_cap *notify, uint16_t queue_notify_off, uint64_t *off)
{
	/* 4.1.4.4.1: cap.length >= queue_notify_off * notify_off_multiplier + 2. */
	uint64_t rel = (uint64_t)queue_notify_off * notify->notify_mult;
	if (rel + VIRTIO_NOTIFY_BYTES > notify->length)
		return -UV_EINVAL;
	*off = notify->offset + rel;
	return 0;
}
