/* kernel/dev/virtio_pci.c: the virtio 1.x modern PCI transport: finding the structures, status and feature handshake, queue setup, notifications, device config reads. */
#include "kernel/dev/virtio_pci.h"
#include "kernel/arch/cpu.h"
#include "kernel/arch/x86.h"
#include "kernel/dev/time.h"
#include "kernel/lib/format.h"
#include "kernel/lib/kstring.h"
#include "kernel/mm/mm.h"

#define PCI_CONFIG_BYTES 256  /* a conventional function's config space (PCI 3.0 6.1) */
#define CAP_WALK_MAX 48       /* as pci_find_cap: more entries than fit is a loop */
#define CFG_TYPE_MAX VIRTIO_PCI_CAP_DEVICE_CFG
#define RESET_WAIT_NS 100000000ull /* a device that takes longer than 100 ms to reset is given up */
#define RESET_POLL_MAX 1000000u    /* and the wait is bounded even if time stood still */
#define FEATURE_WORD_BITS 32

/* MMIO with the access width of each field (4.1.3.1). */
static uint8_t rd8(volatile uint8_t *b, unsigned off) { return *(volatile uint8_t *)(b + off); }
static uint16_t rd16(volatile uint8_t *b, unsigned off) { return *(volatile uint16_t *)(b + off); }
static uint32_t rd32(volatile uint8_t *b, unsigned off) { return *(volatile uint32_t *)(b + off); }
static void wr8(volatile uint8_t *b, unsigned off, uint8_t v) { *(volatile uint8_t *)(b + off) = v; }
static void wr16(volatile uint8_t *b, unsigned off, uint16_t v) { *(volatile uint16_t *)(b + off) = v; }
static void wr32(volatile uint8_t *b, unsigned off, uint32_t v) { *(volatile uint32_t *)(b + off) = v; }
/* 4.1.3: a 64-bit field is two 32-bit ones, low part first. */
static void wr64(volatile uint8_t *b, unsigned off, uint64_t v)
{
	wr32(b, off, (uint32_t)v);
	wr32(b, off + 4, (uint32_t)(v >> 32));
}

static const char *const cap_names[CFG_TYPE_MAX + 1] = {
	[VIRTIO_PCI_CAP_COMMON_CFG] = "common configuration",
	[VIRTIO_PCI_CAP_NOTIFY_CFG] = "notification",
	[VIRTIO_PCI_CAP_ISR_CFG] = "ISR status",
	[VIRTIO_PCI_CAP_DEVICE_CFG] = "device configuration",
};

/* Reads the capability at config offset p; false if it does not fit in config space. */
static bool read_cap(const struct pci_dev *d, uint8_t p, struct virtio_pci_cap *c)
{
	if (p + VIRTIO_CAP_BYTES > PCI_CONFIG_BYTES)
		return false;
	*c = (struct virtio_pci_cap){
		.cap_len = pci_read8(d, (uint16_t)(p + VIRTIO_CAP_LEN)),
		.cfg_type = pci_read8(d, (uint16_t)(p + VIRTIO_CAP_CFG_TYPE)),
		.bar = pci_read8(d, (uint16_t)(p + VIRTIO_CAP_BAR)),
		.offset = pci_read32(d, (uint16_t)(p + VIRTIO_CAP_OFFSET)),
		.length = pci_read32(d, (uint16_t)(p + VIRTIO_CAP_LENGTH)),
	};
	if (c->cfg_type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
		if (p + VIRTIO_NOTIFY_CAP_BYTES > PCI_CONFIG_BYTES)
			return false;
		c->notify_mult = pci_read32(d, (uint16_t)(p + VIRTIO_CAP_NOTIFY_MULT));
	}
	return true;
}

int virtio_pci_find(struct virtio_pci *vp, struct pci_dev *d, const char **why)
{
	struct virtio_pci_cap *slot[CFG_TYPE_MAX + 1] = { 0, &vp->common, &vp->notify, &vp->isr, &vp->device };
	bool have[CFG_TYPE_MAX + 1] = { false };
	const char *bad[CFG_TYPE_MAX + 1] = { 0 };
	unsigned vendor_caps = 0;
	memset(vp, 0, sizeof(*vp));
	vp->pci = d;
	uint8_t p = pci_find_cap(d, PCI_CAP_VENDOR, 0);
	for (unsigned n = 0; p && n < CAP_WALK_MAX; n++, p = pci_find_cap(d, PCI_CAP_VENDOR, p)) {
		struct virtio_pci_cap c;
		vendor_caps++;
		if (!read_cap(d, p, &c) || c.cfg_type == 0 || c.cfg_type > CFG_TYPE_MAX || have[c.cfg_type])
			continue; /* 4.1.4.1: reserved types ignored, the first usable of each kind taken */
		const char *w;
		if (virtio_pci_cap_check(&c, d->bar, &w)) {
			if (!bad[c.cfg_type])
				bad[c.cfg_type] = w;
			continue;
		}
		*slot[c.cfg_type] = c;
		have[c.cfg_type] = true;
	}
	if (!vendor_caps) {
		/* 4.1.5.1.1.1: no virtio capabilities is a legacy device; a 1.x driver fails it. */
		*why = "it has no virtio 1.x structures (a legacy-only device: VIRTIO_F_VERSION_1 cannot be offered)";
		return -UV_ENODEV;
	}
	for (unsigned t = VIRTIO_PCI_CAP_COMMON_CFG; t <= CFG_TYPE_MAX; t++) {
		if (have[t])
			continue;
		if (bad[t])
			ksnprintf(vp->why, sizeof(vp->why), "its %s structure is unusable: %s", cap_names[t], bad[t]);
		else
			ksnprintf(vp->why, sizeof(vp->why), "it has no %s structure", cap_names[t]);
		*why = vp->why;
		return -UV_ENODEV;
	}
	return 0;
}

/* The kernel address of a checked structure (its BAR mapped by pci_claim). */
static volatile uint8_t *region(const struct virtio_pci *vp, const struct virtio_pci_cap *c)
{
	return (volatile uint8_t *)pci_bar_mmio(vp->pci, c->bar) + c->offset;
}

int virtio_pci_map(struct virtio_pci *vp)
{
	int r = pci_claim(vp->pci);
	if (r)
		return r;
	vp->common_mmio = region(vp, &vp->common);
	vp->notify_mmio = region(vp, &vp->notify);
	vp->isr_mmio = region(vp, &vp->isr);
	vp->device_mmio = region(vp, &vp->device);
	return 0;
}

int virtio_pci_reset(struct virtio_pci *vp)
{
	/* 4.1.4.3.2: after writing 0, wait to read 0 before initialising again. */
	wr8(vp->common_mmio, VIRTIO_COMMON_STATUS, 0);
	uint64_t end = time_ns() + RESET_WAIT_NS;
	for (unsigned i = 0; i < RESET_POLL_MAX; i++) {
		if (rd8(vp->common_mmio, VIRTIO_COMMON_STATUS) == 0)
			return 0;
		if (time_ns() > end)
			break;
		cpu_relax();
	}
	return -UV_EIO;
}

uint8_t virtio_pci_status(const struct virtio_pci *vp) { return rd8(vp->common_mmio, VIRTIO_COMMON_STATUS); }

void virtio_pci_add_status(struct virtio_pci *vp, uint8_t bits)
{
	wr8(vp->common_mmio, VIRTIO_COMMON_STATUS, (uint8_t)(virtio_pci_status(vp) | bits));
}

uint64_t virtio_pci_device_features(struct virtio_pci *vp)
{
	wr32(vp->common_mmio, VIRTIO_COMMON_DFSELECT, 0);
	uint64_t lo = rd32(vp->common_mmio, VIRTIO_COMMON_DF);
	wr32(vp->common_mmio, VIRTIO_COMMON_DFSELECT, 1);
	uint64_t hi = rd32(vp->common_mmio, VIRTIO_COMMON_DF);
	return lo | hi << FEATURE_WORD_BITS;
}

int virtio_pci_accept_features(struct virtio_pci *vp, uint64_t features)
{
	wr32(vp->common_mmio, VIRTIO_COMMON_GFSELECT, 0);
	wr32(vp->common_mmio, VIRTIO_COMMON_GF, (uint32_t)features);
	wr32(vp->common_mmio, VIRTIO_COMMON_GFSELECT, 1);
	wr32(vp->common_mmio, VIRTIO_COMMON_GF, (uint32_t)(features >> FEATURE_WORD_BITS));
	/* 3.1.1 steps 5-6: FEATURES_OK, then read back: cleared means the subset is refused. */
	virtio_pci_add_status(vp, VIRTIO_STATUS_FEATURES_OK);
	return (virtio_pci_status(vp) & VIRTIO_STATUS_FEATURES_OK) ? 0 : -UV_ENODEV;
}

int virtio_pci_config_vector(struct virtio_pci *vp, uint16_t entry)
{
	/* 4.1.5.1.2.2: verify the mapping by reading it back (NO_VECTOR on failure). */
	wr16(vp->common_mmio, VIRTIO_COMMON_MSIX, entry);
	return rd16(vp->common_mmio, VIRTIO_COMMON_MSIX) == entry ? 0 : -UV_EIO;
}

void virtio_pci_queue_free(struct virtio_pci_queue *vq)
{
	if (vq->ring_pa)
		kfree_pages(vq->ring_pa, vq->ring_pages);
	vq->ring_pa = 0;
	vq->ring_pages = 0;
}

int virtio_pci_queue_setup(struct virtio_pci *vp, uint16_t index, uint16_t size_cap, uint16_t msix_entry,
			   struct virtio_pci_queue *vq, const char **why)
{
	volatile uint8_t *cc = vp->common_mmio;
	memset(vq, 0, sizeof(*vq));
	if (index >= rd16(cc, VIRTIO_COMMON_NUMQ)) {
		*why = "the device has fewer queues than the driver needs";
		return -UV_ENODEV;
	}
	wr16(cc, VIRTIO_COMMON_Q_SELECT, index);
	vq->device_max = rd16(cc, VIRTIO_COMMON_Q_SIZE);
	uint16_t size = virtq_pick_size(vq->device_max, size_cap);
	struct virtq_layout l;
	if (!size || virtq_layout(size, &l)) {
		*why = "a queue the driver needs is unavailable (size 0)";
		return -UV_ENODEV;
	}
	vq->ring_pages = page_round_up(l.bytes) / PAGE_SIZE;
	vq->ring_pa = kalloc_pages(vq->ring_pages, 1);
	if (!vq->ring_pa || virtq_init(&vq->q, size, (void *)(uintptr_t)vq->ring_pa, vq->ring_pages * PAGE_SIZE)) {
		virtio_pci_queue_free(vq);
		*why = "out of memory for the rings";
		return -UV_ENOMEM;
	}
	/* 4.1.4.3.2: a power of two (the split ring), no larger than the device offered. */
	wr16(cc, VIRTIO_COMMON_Q_SIZE, size);
	wr16(cc, VIRTIO_COMMON_Q_MSIX, msix_entry);
	if (rd16(cc, VIRTIO_COMMON_Q_MSIX) != msix_entry) {
		virtio_pci_queue_free(vq);
		*why = "the device refused the queue's MSI-X entry";
		return -UV_EIO;
	}
	wr64(cc, VIRTIO_COMMON_Q_DESC, vq->ring_pa + l.desc);
	wr64(cc, VIRTIO_COMMON_Q_DRIVER, vq->ring_pa + l.avail);
	wr64(cc, VIRTIO_COMMON_Q_DEVICE, vq->ring_pa + l.used);
	uint64_t off;
	if (virtio_pci_notify_offset(&vp->notify, rd16(cc, VIRTIO_COMMON_Q_NOFF), &off)) {
		virtio_pci_queue_free(vq);
		*why = "the queue's notify address lies outside the notification structure";
		return -UV_EINVAL;
	}
	vq->notify = (volatile uint16_t *)((volatile uint8_t *)pci_bar_mmio(vp->pci, vp->notify.bar) + off);
	vq->index = index;
	/* 4.1.4.3.2: every other field first, then enable. */
	wr16(cc, VIRTIO_COMMON_Q_ENABLE, 1);
	return 0;
}

void virtio_pci_notify(struct virtio_pci_queue *vq)
{
	/* 4.1.5.2: without VIRTIO_F_NOTIFICATION_DATA, the 16-bit queue index. */
	if (virtq_kick_needed(&vq->q))
		*vq->notify = vq->index;
}

uint8_t virtio_pci_config_generation(const struct virtio_pci *vp)
{
	return rd8(vp->common_mmio, VIRTIO_COMMON_CFGGENERATION);
}

int virtio_pci_device_read8(const struct virtio_pci *vp, uint32_t off, uint8_t *v)
{
	if ((uint64_t)off + sizeof(*v) > vp->device.length)
		return -UV_EINVAL;
	*v = rd8(vp->device_mmio, off);
	return 0;
}

int virtio_pci_device_read16(const struct virtio_pci *vp, uint32_t off, uint16_t *v)
{
	if ((uint64_t)off + sizeof(*v) > vp->device.length || (off & 1))
		return -UV_EINVAL;
	*v = rd16(vp->device_mmio, off);
	return 0;
}

void virtio_pci_give_up(struct virtio_pci *vp)
{
	if (vp->common_mmio)
		virtio_pci_add_status(vp, VIRTIO_STATUS_FAILED);
	/* PCI 3.0 6.2.2: bus master off, so neither DMA nor MSI-X messages can follow. */
	pci_write16(vp->pci, PCI_COMMAND, (uint16_t)(pci_read16(vp->pci, PCI_COMMAND) & ~PCI_CMD_BUS_MASTER));
}
