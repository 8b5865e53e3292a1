/* tests/unit/test_virtio_pci.c: virtio-pci capabilities a device must not be believed on (BAR index, bounds, wrap, length, alignment, multiplier), notify offsets, and the feature choice that refuses a device without VIRTIO_F_VERSION_1. */
#include <stdint.h>
#include "tests/unit/unit.h"
#include "kernel/dev/virtio_pci.h"
#include "kernel/dev/virtio_net.h"
#include "include/abi/uv_errno.h"

/* QEMU's layout: MSI-X in BAR1, the virtio structures in a 16 KiB 64-bit BAR4, I/O in BAR0. */
static const struct pci_bar bars[PCI_MAX_BARS] = {
	[0] = { .base = 0xc000, .size = 0x20, .io = true },
	[1] = { .base = 0xfebf1000, .size = 0x1000 },
	[4] = { .base = 0xfe000000, .size = 0x4000, .is64 = true, .prefetchable = true },
};

static struct virtio_pci_cap cap(uint8_t type, uint8_t bar, uint32_t off, uint32_t len)
{
	return (struct virtio_pci_cap){ .cap_len = type == VIRTIO_PCI_CAP_NOTIFY_CFG ? 20 : 16, .cfg_type = type,
					.bar = bar, .offset = off, .length = len,
					.notify_mult = type == VIRTIO_PCI_CAP_NOTIFY_CFG ? 4 : 0 };
}

TEST(good_capabilities_pass)
{
	const char *why = NULL;
	struct virtio_pci_cap c = cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0, 0x1000);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), 0);
	c = cap(VIRTIO_PCI_CAP_ISR_CFG, 4, 0x1000, 0x1000);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), 0);
	c = cap(VIRTIO_PCI_CAP_DEVICE_CFG, 4, 0x2000, 0x1000);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), 0);
	c = cap(VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3000, 0x1000);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), 0);
	/* Exactly up to the end of the BAR. */
	c = cap(VIRTIO_PCI_CAP_DEVICE_CFG, 4, 0x3ff8, 8);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), 0);
	/* A longer cap_len is fine (4.1.4.1). */
	c = cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0, 0x38);
	c.cap_len = 40;
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), 0);
}

TEST(bar_index_and_kind)
{
	const char *why = NULL;
	struct virtio_pci_cap c = cap(VIRTIO_PCI_CAP_COMMON_CFG, 6, 0, 0x38);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL); /* reserved BAR value */
	CHECK(why != NULL);
	c.bar = 0xff;
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c.bar = 2; /* not implemented */
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c.bar = 5; /* the upper half of BAR4: size 0 */
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(VIRTIO_PCI_CAP_ISR_CFG, 0, 0, 1); /* an I/O BAR */
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
}

TEST(bounds_and_wrap)
{
	const char *why = NULL;
	struct virtio_pci_cap c = cap(VIRTIO_PCI_CAP_DEVICE_CFG, 4, 0x3ffc, 8); /* 4 bytes past the end */
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(VIRTIO_PCI_CAP_DEVICE_CFG, 4, 0x4000, 0);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), 0); /* empty, at the end: harmless */
	c = cap(VIRTIO_PCI_CAP_DEVICE_CFG, 4, 0x4004, 0);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	/* offset + length wraps in 32 bits: still refused. */
	c = cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0xfffffff0u, 0x40);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(VIRTIO_PCI_CAP_ISR_CFG, 1, 0x10, 0xffffffffu);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
}

TEST(length_alignment_and_cap_len)
{
	const char *why = NULL;
	struct virtio_pci_cap c = cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0, 0x37); /* one short of queue_device */
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3000, 1);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(VIRTIO_PCI_CAP_ISR_CFG, 4, 0x1000, 0);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 2, 0x38);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3001, 0x100);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(VIRTIO_PCI_CAP_DEVICE_CFG, 4, 0x2002, 0x10);
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(VIRTIO_PCI_CAP_ISR_CFG, 4, 0x1003, 1); /* the ISR has no alignment rule */
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), 0);
	c = cap(VIRTIO_PCI_CAP_COMMON_CFG, 4, 0, 0x38);
	c.cap_len = 15;
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3000, 0x1000);
	c.cap_len = 16; /* no room for the multiplier */
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	c = cap(5, 4, 0, 0x38); /* PCI_CFG and others: not used */
	CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
}

TEST(notify_multiplier)
{
	const char *why = NULL;
	struct virtio_pci_cap c = cap(VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3000, 0x1000);
	uint32_t good[] = { 0, 2, 4, 0x1000 }, bad[] = { 1, 3, 6, 0x1001, 0xffffffffu };
	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		c.notify_mult = good[i];
		CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), 0);
	}
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.notify_mult = bad[i];
		CHECK_EQ(virtio_pci_cap_check(&c, bars, &why), -UV_EINVAL);
	}
}

TEST(notify_offsets)
{
	struct virtio_pci_cap c = cap(VIRTIO_PCI_CAP_NOTIFY_CFG, 4, 0x3000, 0x1000);
	uint64_t off = 0;
	CHECK_EQ(virtio_pci_notify_offset(&c, 0, &off), 0);
	CHECK_EQ(off, 0x3000);
	CHECK_EQ(virtio_pci_notify_offset(&c, 1, &off), 0);
	CHECK_EQ(off, 0x3004);
	CHECK_EQ(virtio_pci_notify_offset(&c, 1023, &off), 0); /* 4 * 1023 + 2 <= 0x1000 */
	CHECK_EQ(off, 0x3000 + 4 * 1023);
	off = 7;
	CHECK_EQ(virtio_pci_notify_offset(&c, 1024, &off), -UV_EINVAL);
	CHECK_EQ(off, 7); /* unchanged */
	c.notify_mult = 0x80000000u; /* the product needs 64 bits */
	CHECK_EQ(virtio_pci_notify_offset(&c, 0xffff, &off), -UV_EINVAL);
	c.notify_mult = 0x20000; /* 0x8000 * 0x20000 is 2^32: 0 in 32 bits, which would pass */
	CHECK_EQ(virtio_pci_notify_offset(&c, 0x8000, &off), -UV_EINVAL);
	c.notify_mult = 0; /* one address for all queues */
	CHECK_EQ(virtio_pci_notify_offset(&c, 0xffff, &off), 0);
	CHECK_EQ(off, 0x3000);
}

TEST(features_need_version_1)
{
	uint64_t acc = 123;
	uint64_t qemu = (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_NET_F_MAC) | (1ull << VIRTIO_NET_F_STATUS) |
			(1ull << 0) | (1ull << 15) | (1ull << 29); /* CSUM, MRG_RXBUF, EVENT_IDX: not taken */
	CHECK_EQ(virtio_features_pick(qemu, VIRTIO_NET_FEATURES, 1ull << VIRTIO_F_VERSION_1, &acc), 0);
	CHECK_EQ(acc, VIRTIO_NET_FEATURES);
	/* No VERSION_1: refused, nothing accepted. */
	CHECK_EQ(virtio_features_pick(qemu & ~(1ull << VIRTIO_F_VERSION_1), VIRTIO_NET_FEATURES,
				      1ull << VIRTIO_F_VERSION_1, &acc), -UV_ENODEV);
	CHECK_EQ(acc, 0);
	/* VERSION_1 alone: taken, without MAC or STATUS. */
	CHECK_EQ(virtio_features_pick(1ull << VIRTIO_F_VERSION_1, VIRTIO_NET_FEATURES, 1ull << VIRTIO_F_VERSION_1, &acc), 0);
	CHECK_EQ(acc, 1ull << VIRTIO_F_VERSION_1);
	CHECK_EQ(sizeof(struct virtio_net_hdr), 12);
}
