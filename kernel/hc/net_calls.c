/* kernel/hc/net_calls.c: the net hypercalls: handle and range checks, one copy per direction between the app's RAM and a kernel frame buffer. */
#include "kernel/hc/net_calls.h"
#include "kernel/dev/netbuf.h"
#include "kernel/dev/time.h"
#include "kernel/lib/kstring.h"
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
	if (!guest_range_ok(&a->mem, arg[1], sizeof(struct uv_net_info)))
		return hc_answer(ret, -UV_EFAULT);
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
	return hc_answer(ret, 0);
}

/* The oldest frame b of p into [gaddr, gaddr + len) of a's RAM (checked for min(len, the
 * largest frame)) and taken: net_read's result for it (marks: with its mark and
 * UV_NET_RX_MORE), or -UV_EMSGSIZE with the frame left queued. */
static int64_t read_frame(struct app *a, struct sw_port *p, struct netbuf *b, uv_gaddr_t gaddr, uint64_t len, bool marks)
{
	if (len < b->len)
		return -UV_EMSGSIZE;
	if (b->csum_start && !marks)
		net_csum_complete(b); /* a reader that knows no marks gets the checksum done */
	uint8_t *host = guest_page_span(&a->mem, GUESTMEM_MEMO_WRITE, gaddr, b->len); /* (in range: checked) */
	if (host)
		memcpy_inline(host, b->data, b->len);
	else
		guest_copy_out(&a->mem, gaddr, b->data, b->len);
	if (!marks) {
		int64_t r = b->len;
		netbuf_put(sw_vnic_take(p));
		return r;
	}
	int64_t r = (int64_t)net_csum_encode(b);
	netbuf_put(sw_vnic_take(p));
	return sw_vnic_peek(p) ? r | (int64_t)UV_NET_RX_MORE : r;
}

/* net_read with UV_NET_READ_WAIT and no frame queued on vNIC nic: yield's wait for
 * arg[3] (deadline) and arg[4] (handles) with the vNIC added; blocked, the read is
 * recorded for net_wait_end. -UV_EAGAIN whenever it ends without a frame. */
static __attribute__((noinline)) enum hc_action read_wait(struct app *a, uint64_t nic, uv_gaddr_t gaddr, uint64_t len,
							   bool marks, const uint64_t arg[6], int64_t *ret)
{
	if (!arg[3])
		return hc_answer(ret, -UV_EAGAIN); /* no deadline: no wait */
	/* The vNIC alone (the usual wait): checked and empty already, so no handle to look at. */
	enum hc_action act = arg[4] ? hc_yield_wait(a, arg[3], arg[4] | UV_HANDLE_NIC(nic), ret) :
				      hc_wait_until(a, arg[3], UV_HANDLE_NIC(nic), ret);
	if (act == HC_CONTINUE && *ret < 0)
		return act; /* a bad handle */
	*ret = -UV_EAGAIN; /* another handle ready now, the deadline passed, or what it ends with */
	if (act == HC_BLOCK) {
		a->net_wait.active = true;
		a->net_wait.marks = marks;
		a->net_wait.handle = (uint32_t)nic;
		a->net_wait.buf = gaddr;
		a->net_wait.len = len;
	}
	return act;
}

/* One frame of a's RAM [gaddr, gaddr + len) (len with its checksum mark) into the switch
 * from vNIC p: net_write's result. */
static int64_t write_frame(struct app *a, struct sw_port *p, uv_gaddr_t gaddr, uint64_t len_mark)
{
	unsigned len;
	struct netbuf mark; /* the length and checksum mark, decoded before anything is taken */
	int r = net_csum_decode(len_mark, &mark, &len);
	if (r) {
		if (r == -UV_EMSGSIZE)
			p->stats.drops[SW_DROP_SIZE]++;
		return r;
	}
	uint8_t *host = guest_page_span(&a->mem, GUESTMEM_MEMO_READ, gaddr, len);
	if (!host && !guest_range_ok(&a->mem, gaddr, len))
		return -UV_EFAULT;
	struct netbuf *b = netbuf_get();
	if (!b) {
		p->stats.drops[SW_DROP_NO_BUFFER]++;
		return -UV_EAGAIN;
	}
	/* The one copy in: from here the frame is the kernel's, whatever the app writes next. */
	if (host)
		memcpy_inline(b->data, host, len);
	else
		guest_copy_in(&a->mem, b->data, gaddr, len);
	b->len = (uint16_t)len;
	b->csum_start = mark.csum_start;
	b->csum_off = mark.csum_off;
	r = sw_input(net_switch(), p, b, time_ns());
	return r ? r : (int64_t)len;
}

/* net_read's UV_NET_READ_SEND: the list at gaddr copied in (its head, then count frames:
 * through the page memo when it lies in one page) and checked (-UV_EFAULT, -UV_EINVAL:
 * nothing sent), then its frames out until one is refused; sent and error written back.
 * 0 when all went, 1 when one was refused. */
static __attribute__((noinline)) int64_t send_list(struct app *a, struct sw_port *p, uv_gaddr_t gaddr)
{
	struct uv_net_send l;
	const uint64_t head = offsetof(struct uv_net_send, frame), out = offsetof(struct uv_net_send, sent);
	uint8_t *host = guest_page_span(&a->mem, GUESTMEM_MEMO_LIST, gaddr, sizeof(l));
	if (!host && !guest_range_ok(&a->mem, gaddr, sizeof(l)))
		return -UV_EFAULT;
	if (host)
		__builtin_memcpy(&l, host, head); /* (constant sizes: a few moves, no call) */
	else
		guest_copy_in(&a->mem, &l, gaddr, head);
	if (l.count > UV_NET_SEND_MAX || l.reserved)
		return -UV_EINVAL;
	/* One copy of what is used: the frames' (buf, len) as checked and sent. */
	uint64_t frames = sizeof(l.frame[0]) * nospec_index(l.count, UV_NET_SEND_MAX + 1);
	if (host)
		memcpy_inline(l.frame, host + head, frames);
	else
		guest_copy_in(&a->mem, l.frame, gaddr + head, frames);
	int64_t r = 0;
	for (l.sent = 0; l.sent < l.count; l.sent++) {
		uint64_t i = nospec_index(l.sent, UV_NET_SEND_MAX); /* (sent < count <= UV_NET_SEND_MAX) */
		if ((r = write_frame(a, p, l.frame[i].buf, l.frame[i].len)) < 0)
			break;
	}
	l.error = r < 0 ? (int32_t)r : 0;
	if (host)
		__builtin_memcpy(host + out, &l.sent, sizeof(l.sent) + sizeof(l.error));
	else
		guest_copy_out(&a->mem, gaddr + out, &l.sent, sizeof(l.sent) + sizeof(l.error));
	return r < 0;
}

enum hc_action hc_net_read(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t gaddr = arg[1], len = arg[2];
	bool marks = arg[0] & UV_NET_READ_MARKS;
	uint64_t nic = arg[0] & ~(UV_NET_READ_MARKS | UV_NET_READ_WAIT | UV_NET_READ_SEND);
	struct sw_port *p = vnic(a, nic, ret);
	if (!p)
		return HC_CONTINUE;
	/* The buffer must be the app's for as much of len as any frame could fill. */
	if (len > UV_NET_FRAME_MAX_VLAN)
		len = UV_NET_FRAME_MAX_VLAN; /* (no frame is longer) */
	if (!guest_range_ok(&a->mem, gaddr, len))
		return hc_answer(ret, -UV_EFAULT);
	bool wait = arg[0] & UV_NET_READ_WAIT;
	if (arg[0] & UV_NET_READ_SEND) {
		int64_t r = send_list(a, p, arg[5]);
		if (r < 0)
			return hc_answer(ret, r);
		wait = wait && !r; /* a refused frame: back to the app at once */
	}
	struct netbuf *b = sw_vnic_peek(p);
	if (!b && __builtin_expect(a == net_quiet_app, 0) && net_poll()) /* quiet NICs: frames wait in their rings */
		b = sw_vnic_peek(p);
	if (b)
		return hc_answer(ret, read_frame(a, p, b, gaddr, len, marks));
	if (wait)
		return read_wait(a, nic, gaddr, len, marks, arg, ret);
	return hc_answer(ret, -UV_EAGAIN);
}

int64_t net_wait_end(struct app *a)
{
	a->net_wait.active = false;
	struct sw_port *p = a->nic[a->net_wait.handle]; /* (checked at the call; kept while it waits) */
	struct netbuf *b = sw_vnic_peek(p);
	return b ? read_frame(a, p, b, a->net_wait.buf, a->net_wait.len, a->net_wait.marks) : -UV_EAGAIN;
}

enum hc_action hc_net_write(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	struct sw_port *p = vnic(a, arg[0], ret);
	return p ? hc_answer(ret, write_frame(a, p, arg[1], arg[2])) : HC_CONTINUE;
}
