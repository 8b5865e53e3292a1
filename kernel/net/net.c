/* kernel/net/net.c: the appliance's network: NIC bring-up for the manifest's ports, the switch, uplinks bound to NICs, vNICs to apps. */
#include "kernel/net/net.h"
#include "kernel/net/pcap.h"
#include "kernel/app/manifest.h"
#include "kernel/console/console.h"
#include "kernel/dev/nic.h"
#include "kernel/dev/time.h"
#include "kernel/mm/mm.h"
#include "kernel/arch/x86.h"
#include "kernel/lib/kstring.h"
#include "kernel/sched/sched.h"
#include "include/abi/uv_errno.h"

#define NET_RING_BUFFERS 512 /* netbufs a NIC's rings may hold (RX and TX together) */
#define NET_BUFFER_SLACK 128 /* frames in flight between ring, switch and queues */

static struct sw *sw;

static const char *driver_name(uint32_t d)
{
	return d == UV_PORT_E1000 ? "e1000" : d == UV_PORT_VIRTIO_NET ? "virtio-net" : "?";
}

static bool port_wanted(const char *driver, unsigned index, void *ctx)
{
	const struct uv_manifest *m = ctx;
	for (uint32_t i = 0; i < m->n_ports; i++)
		if (strcmp(driver_name(manifest_ports(m)[i].driver), driver) == 0 && manifest_ports(m)[i].index == index)
			return true;
	return false;
}

static void *alloc_zeroed(uint64_t bytes)
{
	uint64_t pa = kalloc_pages((bytes + PAGE_SIZE - 1) / PAGE_SIZE, 1);
	return pa ? (void *)(uintptr_t)pa : 0;
}

static void release(void *p, uint64_t bytes)
{
	kfree_pages((uint64_t)(uintptr_t)p, (bytes + PAGE_SIZE - 1) / PAGE_SIZE);
}

/* The uplink side: the switch sends through the NIC; the NIC's frames go into the switch. */
static int uplink_tx(void *ctx, struct netbuf *b)
{
	struct nic *n = ctx;
	return n->ops->tx(n, b);
}

static bool uplink_link_up(void *ctx) { return ((struct nic *)ctx)->link_up; }

static void uplink_rx(struct nic *n, struct netbuf *b, void *ctx)
{
	(void)n;
	sw_input(sw, ctx, b, time_ns());
}

static struct app *apps_of;
static unsigned n_apps_of;
const struct app *net_quiet_app;

/* The switch queued a frame on vNIC p: its app, blocked in yield for that vNIC, runs next
 * (in the rest of the sender's slice when the sender blocks next: no scheduler round). */
static void vnic_queued(void *ctx, struct sw_port *p)
{
	(void)ctx;
	if (p->app < n_apps_of)
		sched_wake_ready(&apps_of[p->app], UV_HANDLE_NIC(p->handle));
}

int net_setup(const struct boot_info *bi, const struct uv_manifest *m, struct app *apps, unsigned n_apps)
{
	if (m->n_ports == 0 && m->n_vnics == 0)
		return 0;
	uint64_t bufs = NET_BUFFER_SLACK + (uint64_t)m->n_ports * NET_RING_BUFFERS;
	for (uint32_t i = 0; i < m->n_vnics; i++)
		bufs += manifest_vnics(m)[i].queue;
	int r = netbuf_pool_init((unsigned)bufs);
	if (r) {
		kprintf("net: out of memory for %llu frame buffers\n", (unsigned long long)bufs);
		return r;
	}
	if (m->n_ports)
		nic_init_only(port_wanted, (void *)m);
	if (!(sw = alloc_zeroed(sizeof(*sw)))) {
		kprintf("net: out of memory for the switch\n");
		return -UV_ENOMEM;
	}
	if ((r = sw_setup(sw, m, alloc_zeroed, release))) {
		kprintf("net: out of memory for the switch's queues\n");
		return r;
	}
	for (uint32_t i = 0; i < m->n_ports; i++) {
		const struct uv_manifest_port *p = &manifest_ports(m)[i];
		struct nic *n = nic_find(driver_name(p->driver), p->index);
		if (!n) {
			kprintf("net: port '%s' wants %s #%u, which this machine does not have (or it did not come up)\n",
				p->name, driver_name(p->driver), p->index);
			return -UV_ENODEV;
		}
		struct sw_port *up = sw_uplink(sw, i);
		if (!up)
			continue; /* no segment uses it */
		n->rx = uplink_rx;
		n->rx_ctx = up;
		sw_bind_uplink(up, uplink_tx, uplink_link_up, n);
		kprintf("net: port '%s' is %s (mac %02x:%02x:%02x:%02x:%02x:%02x, link %s)\n", p->name, n->name,
			n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5], n->link_up ? "up" : "down");
	}
	for (uint32_t i = 0; i < m->n_vnics; i++) {
		const struct uv_manifest_vnic *v = &manifest_vnics(m)[i];
		if (v->app >= n_apps || apps[v->app].n_nics >= UV_APP_MAX_VNICS)
			panic("net: vNIC %u outside the checked manifest's limits", i);
		struct app *a = &apps[v->app];
		a->nic_ip[a->n_nics] = v->ip;
		a->nic[a->n_nics++] = sw_vnic(sw, i);
	}
	apps_of = apps;
	n_apps_of = n_apps;
	sw->queued = vnic_queued;
	/* One app alone on the uplinked segments: what the NICs bring is for it (or for no one). */
	unsigned outside = 0;
	for (unsigned i = 0; i < n_apps; i++)
		if (net_external_mask(&apps[i])) {
			net_quiet_app = &apps[i];
			outside++;
		}
	if (outside != 1)
		net_quiet_app = 0;
	else if (m->n_ports)
		kprintf("net: NICs polled while '%s' runs (the one app on a segment with a port)\n", net_quiet_app->name);
	if ((r = pcap_setup(bi)))
		return r;
	return 0;
}

struct sw_port *net_find_port(const char *name)
{
	if (!sw)
		return 0;
	const char *dot = strchr(name, '.');
	if (!dot) {
		for (unsigned i = 0; i < sw->n_ports; i++)
			if (sw->ports[i].is_uplink && strcmp(sw->ports[i].name, name) == 0)
				return &sw->ports[i];
		return 0;
	}
	for (unsigned i = 0; i < n_apps_of; i++) {
		const struct app *a = &apps_of[i];
		if (strlen(a->name) != (size_t)(dot - name) || strncmp(a->name, name, (size_t)(dot - name)) != 0)
			continue;
		for (unsigned h = 0; h < a->n_nics; h++)
			if (strcmp(a->nic[h]->name, dot + 1) == 0)
				return a->nic[h];
	}
	return 0;
}

bool net_present(void) { return sw != 0; }
struct sw *net_switch(void) { return sw; }
bool net_pending(void) { return sw && nic_any_pending(); }

unsigned net_poll(void)
{
	return sw ? nic_poll_pending(false) : 0;
}

uint64_t net_ready_mask(const struct app *a)
{
	uint64_t m = 0;
	for (unsigned h = 0; h < a->n_nics; h++)
		if (sw_vnic_peek(a->nic[h])) /* inline: the run loop asks at every turn */
			m |= UV_HANDLE_NIC(h);
	return m;
}

uint64_t net_external_mask(const struct app *a)
{
	uint64_t m = 0;
	for (unsigned h = 0; h < a->n_nics; h++)
		if (sw->segments[a->nic[h]->segment].uplink >= 0)
			m |= UV_HANDLE_NIC(h);
	return m;
}

void net_app_reset(struct app *a)
{
	for (unsigned h = 0; h < a->n_nics; h++)
		sw_vnic_flush(a->nic[h]);
}

void net_print(void)
{
	if (!sw)
		return;
	for (unsigned i = 0; i < nic_count(); i++) {
		const struct nic *n = nic_get(i);
		const struct nic_stats *t = &n->stats;
		kprintf("  nic %s: link %s rx=%llu/%lluB tx=%llu/%lluB irqs=%llu", n->name, n->link_up ? "up" : "down",
			(unsigned long long)t->rx_frames, (unsigned long long)t->rx_bytes,
			(unsigned long long)t->tx_frames, (unsigned long long)t->tx_bytes, (unsigned long long)t->irqs);
		if (t->rx_no_buffer || t->rx_errors || t->tx_ring_full)
			kprintf(" rx-no-buffer=%llu rx-errors=%llu tx-ring-full=%llu", (unsigned long long)t->rx_no_buffer,
				(unsigned long long)t->rx_errors, (unsigned long long)t->tx_ring_full);
		kprintf("\n");
	}
	sw_print(sw, "  ", time_ns());
	pcap_print();
}
