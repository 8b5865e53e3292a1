/* libos/net/netif_uv.c: the lwIP network interface over one vNIC: frames out with net_write or along with the idle loop's net_read (TCP's with a checksum mark), in with net_read from the idle hook. */
#include <stdlib.h>
#include <string.h>
#include "lwip/opt.h"
#include "lwip/pbuf.h"
#include "lwip/netif.h"
#include "lwip/etharp.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"
#include "lwip/ethip6.h"
#include "net_priv.h"
#include "uv_chksum.h"

#define RX_BATCH 64     /* frames taken from one vNIC per idle poll: the others get their turn */
#define TX_RETRIES 8    /* net_write -EAGAIN (no kernel buffer free): give the CPU away, retry */

struct uv_net_stats __uv_net_counters;

/* net_write's answer r for a frame: counted; whether to try it again (no kernel buffer free). */
static int tx_result(long r, unsigned *tries)
{
	if (r >= 0) {
		__uv_net_counters.tx_frames++;
		return 0;
	}
	if (r == -UV_EAGAIN && (*tries)++ < TX_RETRIES) {
		__uv_net_counters.tx_retries++;
		return 1;
	}
	__uv_net_counters.tx_dropped++; /* dropped like on a wire: TCP retransmits */
	return 0;
}

/*
 * The frames lwIP sent on the vNIC the idle loop reads (reader_nic), held until the wait
 * for the next frame in takes them along (net_read with UV_NET_READ_SEND): one exit for
 * an answer and the wait after it. Each holds its pbuf (pbuf_ref: TCP does not rewrite a
 * segment a driver holds) or a copy. Full, or before a wait without them, they go by a
 * call that only sends.
 */
static uint64_t reader_nic;
static int reader_set;
/* The lists net_read carries, in one page (so the kernel's list memo serves both). */
static struct {
	struct uv_net_send send; /* the frames held (sendq_*) */
	struct uv_net_recv recv; /* the poll's buffers (rx_fill) */
} lists __attribute__((aligned(1024)));
static struct pbuf *sendq_p[UV_NET_SEND_MAX];                     /* the pbuf held, or NULL: */
static uint8_t sendq_copy[UV_NET_SEND_MAX][UV_NET_FRAME_MAX_VLAN]; /* the frame copied here */
static unsigned sendq_tries; /* -UV_EAGAIN answers for sendq's first frame */

/* After a call that carried sendq: what went is counted and let go, a refused frame
 * dropped (or kept first for another try: no kernel buffer), the rest kept in order. */
static void sendq_done(void)
{
	unsigned n = lists.send.count, went = lists.send.sent < n ? lists.send.sent : n, gone = went;
	if (lists.send.error > 0)
		lists.send.error = -UV_EINVAL; /* the kernel did not take the list (sendq_call's mark is still there) */
	__uv_net_counters.tx_frames += went;
	if (went)
		sendq_tries = 0;
	if (went < n && !tx_result(lists.send.error, &sendq_tries)) {
		gone++;
		sendq_tries = 0;
	}
	for (unsigned i = 0; i < gone; i++) {
		struct pbuf *q = sendq_p[i];
		if (q && q->ref > 1)
			q->ref--; /* lwIP holds it still: pbuf_free would only count down */
		else if (q)
			pbuf_free(q);
	}
	for (unsigned i = gone; i < n; i++) { /* (rare: after a refusal) */
		sendq_p[i - gone] = sendq_p[i];
		lists.send.frame[i - gone] = lists.send.frame[i];
		if (!sendq_p[i]) { /* a copy moves with its slot */
			memcpy(sendq_copy[i - gone], sendq_copy[i], UV_NET_FRAME_MAX_VLAN);
			lists.send.frame[i - gone].buf = (uv_gaddr_t)(uintptr_t)sendq_copy[i - gone];
		}
	}
	lists.send.count = n - gone;
	lists.send.sent = 0;
	lists.send.error = 0;
}

/* net_read with sendq along (send: UV_NET_READ_SEND or 0), sendq_done after it. */
static long sendq_call(uint64_t nic, uint64_t send, void *buf, size_t len, uint64_t deadline, uint64_t mask)
{
	lists.send.error = 1; /* (the kernel writes 0 or a negative errno over it) */
	long r = uv_hc_net_read_send(nic | send, buf, len, deadline, mask, &lists.send);
	if (send)
		sendq_done();
	return r;
}

/* Sends what sendq holds, by calls that only send (giving the CPU away while the kernel
 * has no buffer free), until it is empty. */
static void sendq_flush(void)
{
	while (lists.send.count) {
		unsigned before = lists.send.count, tries = sendq_tries;
		sendq_call(reader_nic, UV_NET_READ_SEND, 0, 0, 0, 0);
		if (lists.send.count && lists.send.count == before && sendq_tries > tries)
			uv_hc_yield(0, 0); /* let the kernel drain its transmit queue */
	}
}

/* Sends one frame (lwIP's linkoutput): held in sendq on the reader's vNIC, else by net_write.
 * A single pbuf goes as it is (held only if of its own memory: not a PBUF_REF or ROM an app
 * may reuse); a chain or a short frame is copied out (padded to the Ethernet minimum). */
static err_t uvif_linkoutput(struct netif *nif, struct pbuf *p)
{
	static uint8_t frame[UV_NET_FRAME_MAX_VLAN]; /* cooperative threads: one sender at a time */
	uint64_t h = (uint64_t)(uintptr_t)nif->state;
	if (p->tot_len > sizeof(frame)) {
		__uv_net_counters.tx_dropped++;
		return ERR_IF;
	}
	size_t len = p->tot_len;
	int hold = reader_set && h == reader_nic;
	unsigned i = lists.send.count;
	uint8_t *out = p->payload;
	int whole = p->next == NULL && len >= UV_NET_FRAME_MIN && /* (LWIP_NETIF_TX_SINGLE_PBUF: the usual case) */
		    (!hold || ((p->type_internal & PBUF_TYPE_FLAG_STRUCT_DATA_CONTIGUOUS) && (LWIP_PBUF_REF_T)(p->ref + 1)));
	if (!whole) {
		out = hold ? sendq_copy[i] : frame;
		pbuf_copy_partial(p, out, p->tot_len, 0);
	}
	__uv_timers_frame_out(out, len);
	/* lwIP leaves TCP's checksum to the interface (CHECKSUM_GEN_TCP 0): the mark says so;
	 * the kernel completes it where the frame leaves for a NIC or a reader without marks. */
	uint64_t mark = uv_csum_mark_tcp(out, len); /* (for the frame before its padding) */
	if (len < UV_NET_FRAME_MIN) {
		memset(out + len, 0, UV_NET_FRAME_MIN - len); /* IEEE 802.3 3.2.8: pad, never send old bytes */
		len = UV_NET_FRAME_MIN;
	}
	if (hold) {
		sendq_p[i] = whole ? p : 0;
		if (whole)
			p->ref++; /* pbuf_ref's work (cooperative threads: no other changes it meanwhile) */
		lists.send.frame[i].buf = (uv_gaddr_t)(uintptr_t)out;
		lists.send.frame[i].len = len | mark;
		if (++lists.send.count == UV_NET_SEND_MAX)
			sendq_flush();
		return ERR_OK;
	}
	unsigned tries = 0;
	while (tx_result(uv_hc_net_write(h, out, len | mark), &tries))
		uv_hc_yield(0, 0); /* let the kernel drain its transmit queue */
	return ERR_OK;
}

err_t __uv_netif_init(struct netif *nif)
{
	struct uv_net_info info;
	uint64_t h = (uint64_t)(uintptr_t)nif->state;
	if (uv_hc_net_info(h, &info) < 0)
		return ERR_IF;
	nif->name[0] = 'e';
	nif->name[1] = 'n';
	nif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(nif->hwaddr, info.mac, ETH_HWADDR_LEN);
	nif->mtu = info.mtu;
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	if (info.flags & UV_NET_LINK_UP)
		nif->flags |= NETIF_FLAG_LINK_UP;
	nif->output = etharp_output;
	nif->output_ip6 = ethip6_output; /* IPv6 (inet6_if.c): neighbour discovery instead of ARP */
	nif->flags |= NETIF_FLAG_MLD6;   /* the switch floods multicast: no MAC filter to program */
	nif->linkoutput = uvif_linkoutput;
	NETIF_SET_CHECKSUM_CTRL(nif, UV_NETIF_CHECKSUMS);
	return ERR_OK;
}

/* ethernet_input for a frame without a mark: TCP's checksum is checked for it alone. */
static err_t input_checked(struct pbuf *p, struct netif *nif)
{
	NETIF_SET_CHECKSUM_CTRL(nif, UV_NETIF_CHECKSUMS | NETIF_CHECKSUM_CHECK_TCP);
	err_t r = ethernet_input(p, nif);
	NETIF_SET_CHECKSUM_CTRL(nif, UV_NETIF_CHECKSUMS);
	return r;
}

/* ethernet_input for a marked frame: it came from another app through the switch, as its
 * sender wrote it (no wire between): neither TCP's checksum nor IPv4's header checksum is
 * checked (a sender can only make its own frames wrong). */
static err_t input_marked(struct pbuf *p, struct netif *nif)
{
	NETIF_SET_CHECKSUM_CTRL(nif, UV_NETIF_CHECKSUMS & ~NETIF_CHECKSUM_CHECK_IP);
	err_t r = ethernet_input(p, nif);
	NETIF_SET_CHECKSUM_CTRL(nif, UV_NETIF_CHECKSUMS);
	return r;
}

/*
 * Hands frame p to the stack. When the caller holds the core lock (the usual case: the idle
 * loop took it, every thread waits), the stack takes it here, as a socket call would
 * (LWIP_TCPIP_CORE_LOCKING): no mailbox, no switch to the tcpip thread and back. A thread
 * that went idle while holding the lock makes it go through the tcpip thread's mailbox
 * instead (what nif->input = tcpip_input does, with the input function of its mark). A
 * marked frame came from another app through the switch, whole: TCP's checksum is not
 * checked (as on Linux's loopback); any other frame's is.
 */
static void input(struct netif *nif, struct pbuf *p, int locked, int marked)
{
	netif_input_fn fn = marked ? input_marked : input_checked;
	if (locked) {
		__uv_timers_frame_in(p->payload, p->len);
		fn(p, nif); /* consumes p, also when it drops it */
		return;
	}
	if (tcpip_inpkt(p, nif, fn) != ERR_OK) {
		__uv_net_counters.rx_dropped_nobuf++;
		pbuf_free(p);
	}
}

/* A frame buffer from lwIP's pool (a whole frame: never chained, lwipopts.h), or NULL. */
static struct pbuf *frame_pbuf(void)
{
	struct pbuf *p = pbuf_alloc(PBUF_RAW, UV_NET_FRAME_MAX_VLAN, PBUF_POOL);
	if (p && p->next) {
		pbuf_free(p);
		p = NULL;
	}
	return p;
}

/* net_read's result r for a frame read into p (NULL: into scratch, dropped) into the stack. */
static inline __attribute__((always_inline)) void take(struct netif *nif, struct pbuf *p, long r, int locked)
{
	if (!p) {
		__uv_net_counters.rx_dropped_nobuf++; /* read into scratch and dropped: out of pbufs */
	} else {
		pbuf_realloc(p, (u16_t)(r & UV_NET_LEN_MASK));
		__uv_net_counters.rx_frames++;
		input(nif, p, locked, (r & UV_NET_CSUM_PARTIAL) != 0);
	}
}

/* The poll's pbufs for the frames one net_read takes (UV_NET_READ_LIST, lists.recv): a
 * buffer each, kept from call to call while no frame fills it. */
static struct pbuf *rx_p[UV_NET_RECV_MAX];

/* Gives the first want slots (up to 16) a pbuf while the pool has them: how many it has in
 * a row (recv.count). */
static unsigned rx_fill(uint64_t want)
{
	unsigned n = 0;
	for (; n < want && n < UV_NET_RECV_MAX && (rx_p[n] || (rx_p[n] = frame_pbuf())); n++)
		lists.recv.buf[n] = (uv_gaddr_t)(uintptr_t)rx_p[n]->payload;
	return lists.recv.count = n;
}

/* Hands the got frames a list read took to the stack. */
static void rx_take(struct netif *nif, unsigned got, int locked)
{
	for (unsigned i = 0; i < got; i++) {
		struct pbuf *p = rx_p[i];
		rx_p[i] = NULL;
		take(nif, p, (long)lists.recv.result[i], locked);
	}
}

/* The idle loop's wait as a net_read that waits (one vNIC: reader_nic): the buffer it
 * waits with, then the frame it brought, held for the hook's next poll. */
static struct pbuf *reader_buf, *held;
static long held_r;

/*
 * The idle loop's wait (__uv_idle_waiter) when reader_nic is in mask: yield's wait and the
 * read in one call, so a frame that comes is in the buffer at the wake-up (the hook takes
 * it next, then the rest while net_read says more wait); -UV_EAGAIN: no frame on the vNIC,
 * the deadline or another handle ended it (the hooks look at the others). Without a pbuf
 * for the frame, or with the vNIC not in mask: a plain yield.
 */
static uint64_t wait_read(uint64_t deadline, uint64_t mask)
{
	uint64_t bit = UV_HANDLE_NIC(reader_nic);
	if (!reader_buf && (mask & bit))
		reader_buf = frame_pbuf(); /* (kept for the next wait while none comes) */
	if (!reader_buf || !(mask & bit)) {
		sendq_flush();
		long r = uv_hc_yield(deadline, mask);
		return r < 0 ? UINT64_MAX : (uint64_t)r;
	}
	/* What lwIP sent since goes along; after a refusal the call did not wait: the rest now. */
	long r = sendq_call(reader_nic | UV_NET_READ_MARKS | UV_NET_READ_WAIT, lists.send.count ? UV_NET_READ_SEND : 0,
			    reader_buf->payload, UV_NET_FRAME_MAX_VLAN, deadline, mask);
	sendq_flush();
	if (r >= 0) {
		held = reader_buf;
		held_r = r;
		reader_buf = NULL;
		return bit;
	}
	if (r != -UV_EAGAIN) {
		__uv_net_counters.rx_errors++;
		return UINT64_MAX;
	}
	return mask & ~bit;
}

void __uv_netif_wait_reads(struct netif *nif)
{
	reader_nic = (uint64_t)(uintptr_t)nif->state;
	reader_set = 1;
	__uv_idle_waiter(wait_read);
	atexit(sendq_flush); /* an answer sent just before exit() still goes */
}

/*
 * Takes the frames waiting on nif's vNIC into the stack, if the idle loop's last yield said
 * some wait: the one its waiting read brought, if any; then those net_read says wait behind
 * it (UV_NET_RX_BEHIND), one by itself and more by lists of up to 16 (a list costs more for
 * one), up to RX_BATCH (the other vNICs get their turn; the next yield says these still
 * wait). So a lone frame costs one net_read that waited for it (or one yield that returns
 * at once and one net_read), a burst one more for every 16, and never a read that finds
 * nothing.
 */
void __uv_netif_poll(struct netif *nif, int locked)
{
	static uint8_t scratch[UV_NET_FRAME_MAX_VLAN];
	uint64_t h = (uint64_t)(uintptr_t)nif->state;
	if (h >= UV_BOOT_INFO_MAX_NICS || !(__uv_idle_ready() & (1ull << h)))
		return;
	__uv_idle_taken(1ull << h);
	uint64_t behind = 1; /* frames known to wait: the yield said one at least */
	if (held && h == reader_nic) {
		struct pbuf *p = held;
		held = NULL;
		take(nif, p, held_r, locked);
		behind = UV_NET_RX_BEHIND(held_r);
	}
	for (int i = 0; behind && i < RX_BATCH;) {
		unsigned n = behind > 1 ? rx_fill(behind) : 0; /* without a pbuf: into scratch, dropped (take) */
		struct pbuf *p = n ? NULL : frame_pbuf();
		long r = n ? uv_hc_net_read(h | UV_NET_READ_MARKS | UV_NET_READ_LIST, &lists.recv, UV_NET_FRAME_MAX_VLAN) :
			     uv_hc_net_read(h | UV_NET_READ_MARKS, p ? p->payload : scratch, UV_NET_FRAME_MAX_VLAN);
		if (r < 0) {
			if (p)
				pbuf_free(p);
			if (r != -UV_EAGAIN)
				__uv_net_counters.rx_errors++;
			return;
		}
		i += n ? (int)r : 1;
		behind = UV_NET_RX_BEHIND(n ? (long)lists.recv.result[r - 1] : r);
		if (n)
			rx_take(nif, (unsigned)r, locked);
		else
			take(nif, p, r, locked);
	}
}

void uv_net_stats(struct uv_net_stats *out)
{
	*out = __uv_net_counters;
}
