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
 * UV_NET_RX_MORE and how many wait behind it), or -UV_EMSGSIZE with the frame left queued. */
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
	uint64_t behind = p->count < UV_NET_RX_BEHIND_MAX ? p->count : UV_NET_RX_BEHIND_MAX;
	return behind ? r | (int64_t)(UV_NET_RX_MORE | behind << UV_NET_RX_BEHIND_SHIFT) : r;
}

/* net_read's UV_NET_READ_LIST: the list at gaddr copied into l (its head and count buffers,
 * through the list's page memo when it lies in one page: libos keeps it beside its send
 * list) and checked: in a's RAM, count 1..UV_NET_RECV_MAX, reserved 0, every buffer a's for
 * len bytes. 0, -UV_EFAULT or -UV_EINVAL. */
static __attribute__((noinline)) int recv_list_in(struct app *a, uv_gaddr_t gaddr, uint64_t len, struct uv_net_recv *l)
{
	const uint64_t head = offsetof(struct uv_net_recv, buf);
	uint8_t *host = guest_page_span(&a->mem, GUESTMEM_MEMO_LIST, gaddr, sizeof(*l));
	if (!host && !guest_range_ok(&a->mem, gaddr, sizeof(*l)))
		return -UV_EFAULT;
	if (host)
		__builtin_memcpy(l, host, head);
	else
		guest_copy_in(&a->mem, l, gaddr, head);
	if (l->count - 1 >= UV_NET_RECV_MAX || l->reserved)
		return -UV_EINVAL;
	uint64_t bufs = sizeof(l->buf[0]) * nospec_index(l->count, UV_NET_RECV_MAX + 1);
	if (host)
		memcpy_inline(l->buf, host + head, bufs);
	else
		guest_copy_in(&a->mem, l->buf, gaddr + head, bufs);
	for (uint32_t i = 0; i < l->count; i++)
		if (!guest_range_ok(&a->mem, l->buf[nospec_index(i, UV_NET_RECV_MAX)], len))
			return -UV_EFAULT;
	return 0;
}

/* The frames queued on p (one at least) into l's buffers, oldest first, while they fit: how
 * many, their results written back into the list at gaddr; or the first one's error. */
static __attribute__((noinline)) int64_t recv_list(struct app *a, struct sw_port *p, uv_gaddr_t gaddr, uint64_t len,
						   bool marks, struct uv_net_recv *l)
{
	uint32_t got = 0;
	struct netbuf *b;
	while (got < l->count && (b = sw_vnic_peek(p))) {
		uint32_t i = nospec_index(got, UV_NET_RECV_MAX);
		int64_t r = read_frame(a, p, b, l->buf[i], len, marks);
		if (r < 0)
			break; /* it stays queued */
		l->result[i] = (uint64_t)r;
		got++;
	}
	if (!got)
		return -UV_EMSGSIZE; /* (read_frame's one error) */
	const uint64_t res = offsetof(struct uv_net_recv, result);
	uint8_t *host = guest_page_span(&a->mem, GUESTMEM_MEMO_LIST, gaddr, sizeof(*l));
	if (host)
		memcpy_inline(host + res, l->result, sizeof(l->result[0]) * got);
	else
		guest_copy_out(&a->mem, gaddr + res, l->result, sizeof(l->result[0]) * got);
	return got;
}

/* net_read with UV_NET_READ_WAIT and no frame queued on vNIC nic: yield's wait for
 * arg[3] (deadline) and arg[4] (handles) with the vNIC added; blocked, the read (arg[1],
 * len, arg[0]'s flags) is recorded for net_wait_end. -UV_EAGAIN whenever it ends without a
 * frame. */
static __attribute__((noinline)) enum hc_action read_wait(struct app *a, uint64_t nic, uint64_t len,
							   const uint64_t arg[6], int64_t *ret)
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
		a->net_wait.flags = (uint32_t)(arg[0] >> 32);
		a->net_wait.handle = (uint32_t)nic;
		a->net_wait.buf = arg[1];
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

/* net_read's part after its buffer's check: the send list (UV_NET_READ_SEND: -UV_EFAULT or
 * -UV_EINVAL, nothing sent; a refused frame clears *wait: back to the app at once); then
 * the oldest frame queued on p (quiet NICs: polled into the queues first), or NULL. */
static inline __attribute__((always_inline)) struct netbuf *send_then_peek(struct app *a, struct sw_port *p,
									   const uint64_t arg[6], bool *wait, int64_t *err)
{
	*err = 0;
	if (arg[0] & UV_NET_READ_SEND) {
		int64_t r = send_list(a, p, arg[5]);
		if (r < 0) {
			*err = r;
			return 0;
		}
		*wait = *wait && !r;
	}
	struct netbuf *b = sw_vnic_peek(p);
	if (!b && __builtin_expect(a == net_quiet_app, 0) && net_poll()) /* quiet NICs: frames wait in their rings */
		b = sw_vnic_peek(p);
	return b;
}

/* net_read with UV_NET_READ_LIST: as net_read, with the list at arg[1] checked first and
 * the frames queued into its buffers (recv_list). */
static __attribute__((noinline)) enum hc_action read_list(struct app *a, struct sw_port *p, uint64_t nic, uint64_t len,
							   const uint64_t arg[6], int64_t *ret)
{
	struct uv_net_recv l;
	int64_t err = recv_list_in(a, arg[1], len, &l);
	if (err)
		return hc_answer(ret, err);
	bool wait = arg[0] & UV_NET_READ_WAIT;
	struct netbuf *b = send_then_peek(a, p, arg, &wait, &err);
	if (err)
		return hc_answer(ret, err);
	if (b)
		return hc_answer(ret, recv_list(a, p, arg[1], len, arg[0] & UV_NET_READ_MARKS, &l));
	return wait ? read_wait(a, nic, len, arg, ret) : hc_answer(ret, -UV_EAGAIN);
}

enum hc_action hc_net_read(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	uint64_t gaddr = arg[1], len = arg[2];
	uint64_t nic = arg[0] & ~UV_NET_READ_FLAGS;
	struct sw_port *p = vnic(a, nic, ret);
	if (!p)
		return HC_CONTINUE;
	/* The buffer (each of a list's) must be the app's for as much of len as any frame could fill. */
	if (len > UV_NET_FRAME_MAX_VLAN)
		len = UV_NET_FRAME_MAX_VLAN; /* (no frame is longer) */
	if (__builtin_expect(arg[0] & UV_NET_READ_LIST, 0))
		return read_list(a, p, nic, len, arg, ret);
	if (!guest_range_ok(&a->mem, gaddr, len))
		return hc_answer(ret, -UV_EFAULT);
	bool wait = arg[0] & UV_NET_READ_WAIT;
	int64_t err;
	struct netbuf *b = send_then_peek(a, p, arg, &wait, &err);
	if (err)
		return hc_answer(ret, err);
	if (b)
		return hc_answer(ret, read_frame(a, p, b, gaddr, len, arg[0] & UV_NET_READ_MARKS));
	return wait ? read_wait(a, nic, len, arg, ret) : hc_answer(ret, -UV_EAGAIN);
}

/* net_wait_end's UV_NET_READ_LIST: the list, checked at the call, copied in and checked
 * again (as the app's RAM says now), then filled. */
static __attribute__((noinline)) int64_t wait_end_list(struct app *a, struct sw_port *p, bool marks)
{
	struct uv_net_recv l;
	int err = recv_list_in(a, a->net_wait.buf, a->net_wait.len, &l);
	return err ? err : recv_list(a, p, a->net_wait.buf, a->net_wait.len, marks, &l);
}

int64_t net_wait_end(struct app *a)
{
	a->net_wait.active = false;
	struct sw_port *p = a->nic[a->net_wait.handle]; /* (checked at the call; kept while it waits) */
	struct netbuf *b = sw_vnic_peek(p);
	if (!b)
		return -UV_EAGAIN;
	bool marks = a->net_wait.flags & (UV_NET_READ_MARKS >> 32);
	if (!(a->net_wait.flags & (UV_NET_READ_LIST >> 32)))
		return read_frame(a, p, b, a->net_wait.buf, a->net_wait.len, marks);
	return wait_end_list(a, p, marks);
}

enum hc_action hc_net_write(struct app *a, const uint64_t arg[6], int64_t *ret)
{
	struct sw_port *p = vnic(a, arg[0], ret);
	return p ? hc_answer(ret, write_frame(a, p, arg[1], arg[2])) : HC_CONTINUE;
}
