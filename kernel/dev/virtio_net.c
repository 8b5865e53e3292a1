/* kernel/dev/virtio_net.c: the virtio-net driver: bring-up (3.1.1, 5.1.5), receive into netbufs, transmit from netbufs, link changes, MSI-X. */
#include "kernel/dev/virtio_net.h"
#include "kernel/dev/irq.h"
#include "kernel/dev/nic_drivers.h"
#include "kernel/dev/random.h"
#include "kernel/arch/x86.h"
#include "kernel/console/console.h"
#include "kernel/lib/kstring.h"
#include "kernel/mm/mm.h"

#define HDR_BYTES ((uint32_t)sizeof(struct virtio_net_hdr))
#define CHAIN_LEN 2            /* header and frame, one descriptor each (2.7.4: any framing goes) */
#define QUEUE_CAP VIRTQ_SIZE_MAX
#define RX_BUFFERS 64          /* receive netbufs a NIC holds at most: the pool is shared */
#define ETH_HEADER_BYTES 14    /* the shortest frame taken (nic.h) */
#define MAC_BYTES 6
#define CONFIG_READ_TRIES 8    /* 2.5.1: re-read while the generation changes, this often at most */
#define MSIX_CONFIG_ENTRY 0    /* with two vectors: configuration changes ... */
#define MSIX_QUEUE_ENTRY 1     /* ... and both queues */
#define MAC_LOCAL 0x02         /* IEEE 802 9.2: locally administered ... */
#define MAC_GROUP 0x01         /* ... and not a group address */

struct virtio_net {
	struct nic *nic;
	struct virtio_pci vp;
	struct virtio_pci_queue rx, tx;
	uint64_t features;
	bool one_vector;              /* one MSI-X vector for queues and config (4.1.5.5) */
	volatile bool config_changed; /* set in interrupt context: re-read the status field */
	bool stopped;                 /* the device broke a rule: given up */
	bool live;                    /* brought up: the interrupt handlers may act */
	bool vectors_taken;           /* CPU vectors point here (they cannot be given back) */
	uint64_t config_irqs, link_changes;
	struct virtio_net_hdr tx_hdr; /* zero, in front of every frame sent */
	struct virtio_net_hdr rx_hdr[VIRTQ_SIZE_MAX]; /* one per receive chain, keyed by its head */
};

static uint64_t pa_of(const void *p) { return (uint64_t)(uintptr_t)p; } /* the kernel is identity-mapped */
static uint64_t priv_pages(void) { return page_round_up(sizeof(struct virtio_net)) / PAGE_SIZE; }

/* Offers b to the device as a receive buffer: the header, then the whole netbuf. */
static int rx_post(struct virtio_net *v, struct netbuf *b)
{
	uint16_t head = virtq_next_head(&v->rx.q);
	struct virtq_buf bufs[CHAIN_LEN] = {
		{ pa_of(&v->rx_hdr[head]), HDR_BYTES, true },
		{ pa_of(b->data), NETBUF_BYTES, true },
	};
	return virtq_add(&v->rx.q, bufs, CHAIN_LEN, b);
}

/* Fills the receive queue up to RX_BUFFERS from the pool; returns how many were added. */
static unsigned rx_fill(struct virtio_net *v)
{
	unsigned added = 0;
	while (virtq_in_flight(&v->rx.q) < RX_BUFFERS && v->rx.q.num_free >= CHAIN_LEN) {
		struct netbuf *b = netbuf_get();
		if (!b)
			break;
		if (rx_post(v, b)) {
			netbuf_put(b);
			break;
		}
		added++;
	}
	return added;
}

/* Gives every buffer the device still holds back to the pool (it can no longer use them). */
static void drain(struct virtio_pci_queue *vq)
{
	for (unsigned i = 0; i < VIRTQ_SIZE_MAX; i++) {
		struct netbuf *b = virtq_detach(&vq->q);
		if (!b)
			break;
		netbuf_put(b);
	}
}

/* The device broke the ring rules or asked for a reset: it is given up for good. */
static void stop(struct nic *n, struct virtio_net *v, const char *what, const char *detail)
{
	if (v->stopped)
		return;
	v->stopped = true;
	n->link_up = false;
	virtio_pci_give_up(&v->vp);
	drain(&v->rx);
	drain(&v->tx);
	kprintf("%s: %s (%s); the NIC is stopped\n", n->name, what, detail);
}

/* The next used chain of a queue (virtq_get): a device that broke the ring's rules
 * stops the NIC (-UV_EIO). */
static int take_used(struct nic *n, struct virtio_net *v, struct virtio_pci_queue *vq, void **tok, uint32_t *len)
{
	int r = virtq_get(&vq->q, tok, len);
	if (r == -UV_EIO)
		stop(n, v, vq == &v->rx ? "the device broke the receive ring's rules" : "the device broke the transmit ring's rules",
		     vq->q.why ? vq->q.why : "?");
	return r;
}

/* Reads the status field consistently (2.5.1); false when it never settled. */
static bool read_status(struct virtio_net *v, uint16_t *status)
{
	for (unsigned i = 0; i < CONFIG_READ_TRIES; i++) {
		uint8_t g = virtio_pci_config_generation(&v->vp);
		if (virtio_pci_device_read16(&v->vp, VIRTIO_NET_CFG_STATUS, status))
			return false;
		if (virtio_pci_config_generation(&v->vp) == g)
			return true;
	}
	return false;
}

/* Reads the MAC consistently (2.5.1); false when it never settled. */
static bool read_mac(struct virtio_net *v, uint8_t mac[MAC_BYTES])
{
	for (unsigned i = 0; i < CONFIG_READ_TRIES; i++) {
		uint8_t g = virtio_pci_config_generation(&v->vp);
		for (unsigned k = 0; k < MAC_BYTES; k++)
			if (virtio_pci_device_read8(&v->vp, VIRTIO_NET_CFG_MAC + k, &mac[k]))
				return false;
		if (virtio_pci_config_generation(&v->vp) == g)
			return true;
	}
	return false;
}

/* After a configuration change: the link (5.1.4.2: without VIRTIO_NET_F_STATUS it is up),
 * and DEVICE_NEEDS_RESET (2.1.2: the device says so with a config change). */
static void config_change(struct nic *n, struct virtio_net *v)
{
	v->config_changed = false;
	if (virtio_pci_status(&v->vp) & VIRTIO_STATUS_NEEDS_RESET) {
		stop(n, v, "the device needs a reset", "DEVICE_NEEDS_RESET");
		return;
	}
	if (!(v->features & (1ull << VIRTIO_NET_F_STATUS)))
		return;
	uint16_t status;
	if (!read_status(v, &status)) {
		v->config_changed = true; /* still changing: the next pass reads it again */
		n->pending = true;
		return;
	}
	bool up = (status & VIRTIO_NET_S_LINK_UP) != 0;
	if (up != n->link_up) {
		n->link_up = up;
		v->link_changes++;
		kprintf("%s: link %s\n", n->name, up ? "up" : "down");
	}
}

/* Takes back what the device sent (no interrupt says when: setup). */
static void tx_reclaim(struct nic *n, struct virtio_net *v)
{
	for (unsigned i = 0; i < VIRTQ_SIZE_MAX; i++) {
		void *tok;
		uint32_t len;
		int r = take_used(n, v, &v->tx, &tok, &len);
		if (r == -UV_EAGAIN || r == -UV_EIO)
			return;
		/* A length on a read-only chain (-UV_EMSGSIZE) means nothing: the frame is done. */
		netbuf_put(tok);
	}
}

/* nic_ops.tx (nic.h): header and frame as one device-readable chain; also -UV_EMSGSIZE
 * for a frame outside 14..NETBUF_FRAME_MAX bytes (b is not taken then either). */
static int vn_tx(struct nic *n, struct netbuf *b)
{
	struct virtio_net *v = n->priv;
	if (!n->link_up || v->stopped)
		return -UV_ENETDOWN;
	if (b->len < ETH_HEADER_BYTES || b->len > NETBUF_FRAME_MAX)
		return -UV_EMSGSIZE;
	tx_reclaim(n, v);
	if (v->stopped)
		return -UV_ENETDOWN;
	struct virtq_buf bufs[CHAIN_LEN] = {
		{ pa_of(&v->tx_hdr), HDR_BYTES, false },
		{ pa_of(b->data), b->len, false },
	};
	int r = virtq_add(&v->tx.q, bufs, CHAIN_LEN, b);
	if (r == -UV_EAGAIN) {
		n->stats.tx_ring_full++;
		return -UV_EAGAIN;
	}
	if (r)
		return -UV_ENETDOWN;
	n->stats.tx_frames++;
	n->stats.tx_bytes += b->len;
	virtio_pci_notify(&v->tx);
	return 0;
}

/* One used receive buffer: handed on with a fresh one in its place, or put back. */
static bool rx_one(struct nic *n, struct virtio_net *v, struct netbuf *b, int r, uint32_t len)
{
	struct netbuf *keep = b, *fresh = 0;
	uint32_t frame = len > HDR_BYTES ? len - HDR_BYTES : 0;
	if (r == -UV_EMSGSIZE || frame < ETH_HEADER_BYTES || frame > NETBUF_FRAME_MAX)
		n->stats.rx_errors++;
	else if (!(fresh = netbuf_get()))
		n->stats.rx_no_buffer++; /* the slot keeps its buffer; the frame is lost */
	else
		keep = fresh;
	if (rx_post(v, keep))
		netbuf_put(keep);
	if (!fresh)
		return false;
	b->len = (uint16_t)frame;
	n->stats.rx_frames++;
	n->stats.rx_bytes += frame;
	if (n->rx)
		n->rx(n, b, n->rx_ctx);
	else
		netbuf_put(b);
	return true;
}

/* nic_ops.poll (nic.h): the link if it changed, then up to budget frames, then sent buffers. */
static unsigned vn_poll(struct nic *n, unsigned budget)
{
	struct virtio_net *v = n->priv;
	if (v->config_changed)
		config_change(n, v);
	if (v->stopped)
		return 0;
	unsigned got = 0, used = 0;
	/* Errors do not count against the budget; the queue's size bounds the loop. */
	for (unsigned i = 0; got < budget && i < v->rx.q.size; i++) {
		void *tok;
		uint32_t len;
		int r = take_used(n, v, &v->rx, &tok, &len);
		if (r == -UV_EIO)
			return got;
		if (r == -UV_EAGAIN)
			break;
		used++;
		got += rx_one(n, v, tok, r, len);
	}
	unsigned filled = rx_fill(v); /* tops up what an empty pool left short */
	if (used || filled)
		virtio_pci_notify(&v->rx);
	tx_reclaim(n, v);
	return got;
}

/* The queues' vector (or the only one): MSI-X is edge-triggered and the vector is this
 * NIC's alone, so there is nothing to read or clear (4.1.4.5.2: the ISR is not touched).
 * With one vector it also stands for configuration changes (4.1.5.5). */
static bool vn_irq(struct nic *n)
{
	struct virtio_net *v = n->priv;
	if (v->one_vector)
		v->config_changed = true;
	return true;
}

/* nic_ops.frame_irq: the receive queue's interrupts suppressed or not (2.7.7: without
 * VIRTIO_F_EVENT_IDX the flag is the driver's wish, the device should heed it; one it sends
 * anyway is only an extra poll). */
static void vn_frame_irq(struct nic *n, bool on)
{
	struct virtio_net *v = n->priv;
	v->rx.q.avail->flags = on ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT;
	virtq_mb(); /* the flag is out before the next look at the used ring */
}

static const struct nic_ops vn_ops = { vn_tx, vn_poll, vn_irq, vn_frame_irq };

/* The handlers get the driver's state, which outlives a failed bring-up once vectors
 * point at it: a message already on its way then finds live false and does nothing. */
static void queue_interrupt(void *ctx)
{
	struct virtio_net *v = ctx;
	if (v->live && v->nic->ops->irq(v->nic))
		nic_interrupt(v->nic);
}

static void config_interrupt(void *ctx)
{
	struct virtio_net *v = ctx;
	if (!v->live)
		return;
	v->config_irqs++;
	v->config_changed = true;
	nic_interrupt(v->nic);
}

/* Reads MAC and link at bring-up. 0 or -UV_EIO (the config never settled). */
static int read_config(struct nic *n, struct virtio_net *v)
{
	if (v->features & (1ull << VIRTIO_NET_F_MAC)) {
		if (!read_mac(v, n->mac))
			return -UV_EIO;
	} else {
		/* 5.1.4.2: no MAC from the device: a random locally administered one. */
		random_bytes(n->mac, MAC_BYTES);
		n->mac[0] = (uint8_t)((n->mac[0] | MAC_LOCAL) & ~MAC_GROUP);
	}
	n->link_up = true;
	if (v->features & (1ull << VIRTIO_NET_F_STATUS)) {
		uint16_t status;
		if (!read_status(v, &status))
			return -UV_EIO;
		n->link_up = (status & VIRTIO_NET_S_LINK_UP) != 0;
	}
	return 0;
}

/* Steps 1-6 of 3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK read back. */
static int negotiate(struct virtio_net *v, const char **why)
{
	if (virtio_pci_reset(&v->vp)) {
		*why = "it did not complete its reset";
		return -UV_EIO;
	}
	virtio_pci_add_status(&v->vp, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_pci_add_status(&v->vp, VIRTIO_STATUS_DRIVER);
	uint64_t offered = virtio_pci_device_features(&v->vp);
	if (virtio_features_pick(offered, VIRTIO_NET_FEATURES, 1ull << VIRTIO_F_VERSION_1, &v->features)) {
		*why = "it does not offer VIRTIO_F_VERSION_1 (a legacy device; this driver speaks virtio 1.x only)";
		return -UV_ENODEV;
	}
	/* 2.5.1: the config must hold the fields the features bring (5.1.4: mac, then status). */
	uint32_t need = 0;
	if (v->features & (1ull << VIRTIO_NET_F_MAC))
		need = VIRTIO_NET_CFG_MAC + MAC_BYTES;
	if (v->features & (1ull << VIRTIO_NET_F_STATUS))
		need = VIRTIO_NET_CFG_STATUS + sizeof(uint16_t);
	if (v->vp.device.length < need) {
		*why = "its device configuration is too short for the MAC and status fields";
		return -UV_ENODEV;
	}
	if (virtio_pci_accept_features(&v->vp, v->features)) {
		*why = "it refused the features the driver accepted (FEATURES_OK did not stay set)";
		return -UV_ENODEV;
	}
	return 0;
}

/* Step 7: vectors, queues, config, receive buffers. MSI-X entries are written here and
 * the CPU vectors attached last (interrupts only come after DRIVER_OK, 2.1.2). */
static int setup(struct nic *n, struct virtio_net *v, const char **why)
{
	v->one_vector = pci_msix_table_size(n->pci) < 2;
	uint16_t cfg_entry = MSIX_CONFIG_ENTRY, q_entry = v->one_vector ? MSIX_CONFIG_ENTRY : MSIX_QUEUE_ENTRY;
	if (virtio_pci_config_vector(&v->vp, cfg_entry)) {
		*why = "it refused the MSI-X entry for configuration changes";
		return -UV_EIO;
	}
	int r = virtio_pci_queue_setup(&v->vp, VIRTIO_NET_RX_QUEUE, QUEUE_CAP, q_entry, &v->rx, why);
	if (r)
		return r;
	r = virtio_pci_queue_setup(&v->vp, VIRTIO_NET_TX_QUEUE, QUEUE_CAP, q_entry, &v->tx, why);
	if (r)
		return r;
	/* No interrupt for a sent frame (2.7.7): its buffer comes back at the next send or
	 * poll (tx_reclaim), and the pool counts the ring's buffers as held (net.c), so the
	 * interrupt would only stop a running app for nothing. */
	v->tx.q.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	if (read_config(n, v)) {
		*why = "its configuration kept changing while it was read";
		return -UV_EIO;
	}
	if (!rx_fill(v)) {
		*why = "no frame buffer is free for its receive queue";
		return -UV_ENOMEM;
	}
	n->ops = &vn_ops;
	n->priv = v;
	uint8_t qv, cv;
	v->vectors_taken = true;
	if (irq_alloc(queue_interrupt, v, &qv) || (!v->one_vector && irq_alloc(config_interrupt, v, &cv))) {
		*why = "no interrupt vector is left";
		return -UV_ENOMEM;
	}
	if (pci_msix_enable(n->pci, q_entry, qv) || (!v->one_vector && pci_msix_enable(n->pci, cfg_entry, cv))) {
		*why = "its MSI-X table is unusable";
		return -UV_EINVAL;
	}
	n->irq_kind = v->one_vector ? "msi-x (one vector)" : "msi-x";
	return 0;
}

int virtio_net_probe(struct nic *n)
{
	const char *why = "";
	struct virtio_net *v = (struct virtio_net *)(uintptr_t)kalloc_pages(priv_pages(), 1);
	if (!v) {
		kprintf("%s: refused: out of memory for the driver's state\n", n->name);
		return -UV_ENOMEM;
	}
	v->nic = n;
	int r = virtio_pci_find(&v->vp, n->pci, &why);
	if (!r && !n->pci->cap_msix) {
		why = "it has no MSI-X (INTx through the IOAPIC is not supported by this driver yet)";
		r = -UV_ENODEV;
	}
	if (r) {
		/* Nothing on the device was touched. */
		kprintf("%s: refused: %s\n", n->name, why);
		kfree_pages(pa_of(v), priv_pages());
		return r;
	}
	r = virtio_pci_map(&v->vp);
	if (r) {
		kprintf("%s: refused: its BARs could not be mapped (%d)\n", n->name, r);
		kfree_pages(pa_of(v), priv_pages());
		return r;
	}
	r = negotiate(v, &why);
	if (!r)
		r = setup(n, v, &why);
	if (!r) {
		/* Step 8: live. Then the buffers already offered are announced (3.1.1: not before). */
		virtio_pci_add_status(&v->vp, VIRTIO_STATUS_DRIVER_OK);
		if (virtio_pci_status(&v->vp) & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED)) {
			why = "it reported an error when it was started (DRIVER_OK)";
			r = -UV_EIO;
		}
	}
	if (r) {
		/* 3.1.1: FAILED, and no DMA or interrupt can follow (bus mastering off). */
		virtio_pci_give_up(&v->vp);
		drain(&v->rx);
		virtio_pci_queue_free(&v->rx);
		virtio_pci_queue_free(&v->tx);
		n->ops = 0;
		n->priv = 0;
		kprintf("%s: refused: %s\n", n->name, why);
		if (!v->vectors_taken)
			kfree_pages(pa_of(v), priv_pages());
		return r;
	}
	v->live = true;
	virtio_pci_notify(&v->rx);
	kprintf("%s: virtio 1.x, features %#llx, rx queue %u (device %u), tx queue %u (device %u), %u receive buffers\n",
		n->name, (unsigned long long)v->features, v->rx.q.size, v->rx.device_max, v->tx.q.size, v->tx.device_max,
		virtq_in_flight(&v->rx.q));
	return 0;
}

void virtio_net_get_info(const struct nic *n, struct virtio_net_info *i)
{
	const struct virtio_net *v = n->priv;
	*i = (struct virtio_net_info){
		.features = v->features,
		.rx_size = v->rx.q.size,
		.tx_size = v->tx.q.size,
		.rx_device_max = v->rx.device_max,
		.tx_device_max = v->tx.device_max,
		.rx_posted = virtq_in_flight(&v->rx.q),
		.tx_offered = v->tx.q.avail_idx,
		.tx_in_flight = virtq_in_flight(&v->tx.q),
		.vectors = v->one_vector ? 1 : 2,
		.config_irqs = v->config_irqs,
		.link_changes = v->link_changes,
	};
}
