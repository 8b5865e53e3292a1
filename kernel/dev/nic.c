/* kernel/dev/nic.c: the NIC registry: the drivers' table, bring-up of the NICs found, polling those whose interrupt fired. */
#include "kernel/dev/nic.h"
#include "kernel/dev/nic_drivers.h"
#include "kernel/console/console.h"
#include "kernel/lib/kstring.h"
#include "kernel/lib/format.h"

#define NIC_MAX 8
#define NIC_POLL_BUDGET 64 /* frames per NIC per pass: one NIC cannot hold up the others */

struct nic_driver {
	const char *name;
	uint16_t vendor, device;
	int (*probe)(struct nic *n); /* n->pci, name, driver, index set; fills the rest */
};

/* Every driver the kernel has, one line each. */
static const struct nic_driver drivers[] = {
	NIC_DRIVERS
	{ 0, 0, 0, 0 } /* the end */
};

static struct nic nics[NIC_MAX];
static unsigned n_nics;

unsigned nic_init(void) { return nic_init_only(0, 0); }

unsigned nic_init_only(bool (*wanted)(const char *driver, unsigned index, void *ctx), void *ctx)
{
	unsigned next = 0; /* the index after the NICs of the previous line */
	pci_init(); /* the bus is scanned (and listed) when NICs are first wanted: never without */
	for (unsigned k = 0; drivers[k].name; k++) {
		const struct nic_driver *drv = &drivers[k];
		/* A driver that takes several device ids has adjacent lines: its NICs number on. */
		unsigned base = k && strcmp(drivers[k - 1].name, drv->name) == 0 ? next : 0;
		for (unsigned idx = base;; idx++) {
			struct pci_dev *d = pci_find(drv->vendor, drv->device, idx - base);
			if (!d) {
				next = idx;
				break;
			}
			if (wanted && !wanted(drv->name, idx, ctx))
				continue;
			if (nic_find(drv->name, idx))
				continue; /* already up */
			if (n_nics == NIC_MAX) {
				kprintf("nic: %s.%u left out: the kernel takes at most %u NICs\n", drv->name, idx, NIC_MAX);
				next = idx;
				break;
			}
			struct nic *n = &nics[n_nics];
			memset(n, 0, sizeof(*n));
			n->pci = d;
			n->driver = drv->name;
			n->index = idx;
			n->mtu = 1500;
			ksnprintf(n->name, sizeof(n->name), "%s.%u", drv->name, idx);
			int r = drv->probe(n);
			if (r) {
				kprintf("nic: %s at %02x:%02x.%u did not come up (%d)\n", n->name, d->bdf >> 8,
					(d->bdf >> 3) & 31, d->bdf & 7, r);
				continue;
			}
			n_nics++;
			kprintf("nic: %s at %02x:%02x.%u mac %02x:%02x:%02x:%02x:%02x:%02x link %s, %s\n", n->name,
				d->bdf >> 8, (d->bdf >> 3) & 31, d->bdf & 7, n->mac[0], n->mac[1], n->mac[2], n->mac[3],
				n->mac[4], n->mac[5], n->link_up ? "up" : "down", n->irq_kind ? n->irq_kind : "no interrupt");
		}
	}
	return n_nics;
}

unsigned nic_count(void) { return n_nics; }
struct nic *nic_get(unsigned i) { return i < n_nics ? &nics[i] : 0; }

struct nic *nic_find(const char *driver, unsigned index)
{
	for (unsigned i = 0; i < n_nics; i++)
		if ((!driver || strcmp(nics[i].driver, driver) == 0) && nics[i].index == index)
			return &nics[i];
	return 0;
}

void nic_interrupt(struct nic *n)
{
	n->stats.irqs++;
	n->pending = true;
}

void nic_quiet(bool on)
{
	for (unsigned i = 0; i < n_nics; i++) {
		struct nic *n = &nics[i];
		if (n->quiet == on || !n->ops->frame_irq)
			continue;
		n->quiet = on;
		n->ops->frame_irq(n, !on);
		n->pending = true; /* quiet: every pass looks; back on: what came meanwhile */
	}
}

bool nic_any_pending(void)
{
	for (unsigned i = 0; i < n_nics; i++)
		if (nics[i].pending)
			return true;
	return false;
}

unsigned nic_poll_pending(bool all)
{
	unsigned got = 0;
	for (unsigned i = 0; i < n_nics; i++) {
		struct nic *n = &nics[i];
		if (!all && !n->pending)
			continue;
		n->pending = n->quiet; /* (quiet: no interrupt says when frames come) */
		unsigned r = n->ops->poll(n, NIC_POLL_BUDGET);
		if (r == NIC_POLL_BUDGET)
			n->pending = true; /* more may wait: the next pass takes them */
		got += r;
	}
	return got;
}
