/* kernel/hc/net_calls.c: the net hypercalls: handle and range checks, one copy per direction between the app's RAM and a kernel frame buffer. */
#include "kernel/hc/net_calls.h"
#include "kernel/dev/netbuf.h"
#include "kernel/dev/time.h"
#include "kernel/lib/nospec.h"
#include "kernel/net/csum.h"
#include "kernel/net/net.h"

/* The vNIC behind handle nic, or NULL with *ret set (-UV_EBADF, -UV_EPERM). */
static struct sw_port *vnic(const struct app *a, uint64_t nic, int64_t *ret)
{
	if (nic >= a->n_nics) {
		*ret = -UV_EBADF;
		return 0;
	}
	struct sw_port *p = a->nic[nospec_index(nic, a->n_nics)];
	if (!(p->flags & UV_VNIC_GRANTED)) {
		*ret = -UV_EPERM;
		return 0;
	}
	return p;
}

int64_t net_check_mask(const struct app *a, uint64_t nic_bits)
{
	for (unsigned h = 0; nic_bits; h++, nic_bits >>= 1) {
		if (!(nic_bits & 1))
			continue;
		if (h >= a->n_nics)
			return -UV_EBADF;
		if (!(a->nic[h]->flags & UV_VNIC_GRANTED))
			return -UV_EPERM;
	}
	return 0;
}

enum hc_action hc_net_info(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	struct sw_port *p = vnic(a, arg[0], ret);
	if (!p)
		return HC_CONTINUE;
	if (!guest_range_ok(&a->mem, arg[1], sizeof(struct uv_net_info))) {
		*ret = -UV_EFAULT;
		return HC_CONTINUE;
	}
	struct uv_net_info info = { .mtu = 1500 };
	for (unsigned i = 0; i < 6; i++)
		info.mac[i] = p->mac[i];
	const struct sw *s = net_switch();
	int up = s->segments[p->segment].uplink;
	const struct sw_port *u = up >= 0 ? &s->ports[up] : 0;
	if (!u || (u->link_up && u->link_up(u->ctx)))
		info.flags |= UV_NET_LINK_UP;
	if (p->flags & UV_VNIC_PROMISC)
		info.flags |= UV_NET_PROMISC;
	if (p->flags & UV_VNIC_ANY_SRC)
		info.flags |= UV_NET_ANY_SRC;
	guest_copy_out(&a->mem, arg[1], &info, sizeof(info));
	*ret = 0;
	return HC_CONTINUE;
}

enum hc_action hc_net_read(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t gaddr = arg[1], len = arg[2];
	bool marks = arg[0] & UV_NET_READ_MARKS;
	struct sw_port *p = vnic(a, arg[0] & ~UV_NET_READ_MARKS, ret);
	if (!p)
		return HC_CONTINUE;
	/* The buffer must be the app's for as much of len as any frame could fill. */
	if (!guest_range_ok(&a->mem, gaddr, len < UV_NET_FRAME_MAX_VLAN ? len : UV_NET_FRAME_MAX_VLAN)) {
		*ret = -UV_EFAULT;
		return HC_CONTINUE;
	}
	struct netbuf *b = sw_vnic_peek(p);
	if (!b) {
		*ret = -UV_EAGAIN;
		return HC_CONTINUE;
	}
	if (len < b->len) {
		*ret = -UV_EMSGSIZE;
		return HC_CONTINUE;
	}
	if (b->csum_start && !marks)
		net_csum_complete(b); /* a reader that knows no marks gets the checksum done */
	guest_copy_out(&a->mem, gaddr, b->data, b->len);
	if (!marks) {
		*ret = b->len;
		netbuf_put(sw_vnic_take(p));
		return HC_CONTINUE;
	}
	int64_t r = (int64_t)net_csum_encode(b);
	netbuf_put(sw_vnic_take(p));
	*ret = sw_vnic_peek(p) ? r | (int64_t)UV_NET_RX_MORE : r;
	return HC_CONTINUE;
}

enum hc_action hc_net_write(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t gaddr = arg[1];
	unsigned len;
	struct sw_port *p = vnic(a, arg[0], ret);
	if (!p)
		return HC_CONTINUE;
	struct netbuf mark; /* the length and checksum mark, decoded before anything is taken */
	int r = net_csum_decode(arg[2], &mark, &len);
	if (r) {
		*ret = r;
		if (r == -UV_EMSGSIZE)
			p->stats.drops[SW_DROP_SIZE]++;
		return HC_CONTINUE;
	}
	if (!guest_range_ok(&a->mem, gaddr, len)) {
		*ret = -UV_EFAULT;
		return HC_CONTINUE;
	}
	struct netbuf *b = netbuf_get();
	if (!b) {
		*ret = -UV_EAGAIN;
		p->stats.drops[SW_DROP_NO_BUFFER]++;
		return HC_CONTINUE;
	}
	/* The one copy in: from here the frame is the kernel's, whatever the app writes next. */
	guest_copy_in(&a->mem, b->data, gaddr, len);
	b->len = (uint16_t)len;
	b->csum_start = mark.csum_start;
	b->csum_off = mark.csum_off;
	r = sw_input(net_switch(), p, b, time_ns());
	*ret = r ? r : (int64_t)len;
	return HC_CONTINUE;
}
