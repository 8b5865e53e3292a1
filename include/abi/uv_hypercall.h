/* include/abi/uv_hypercall.h: hypercall numbers, grant groups and per-call argument contracts. */
#ifndef UV_ABI_HYPERCALL_H
#define UV_ABI_HYPERCALL_H

#include "uv_types.h"
#include "uv_errno.h"

/*
 * ABI version: bump the major on any incompatible change. The kernel writes its
 * version into the boot-info page; libos refuses to start on a different major.
 */
#define UV_ABI_VERSION_MAJOR 1
#define UV_ABI_VERSION_MINOR 7 /* 1: the channel calls work (uv_chan_info grew); 2: chan_sendrecv;
                                  3: the boot-info page's nic_ip entries carry IPv6 (56 bytes each);
                                  4: frames carry a checksum mark (UV_NET_CSUM_*, net_read / net_write);
                                  5: net_read may wait (UV_NET_READ_WAIT);
                                  6: net_read may send first (UV_NET_READ_SEND);
                                  7: net_read may take several frames (UV_NET_READ_LIST) */
#define UV_ABI_VERSION ((UV_ABI_VERSION_MAJOR << 16) | UV_ABI_VERSION_MINOR)

/*
 * Calling convention (both vendors): RAX = call number; arguments in RDI, RSI, RDX,
 * R10, R8, R9; the result in RAX (>= 0 success, < 0 a negative UV_E* value). Every
 * register but RAX is preserved. The instruction is VMCALL (0f 01 c1) on Intel and
 * VMMCALL (0f 01 d9) on AMD: the boot-info page says which (uv_boot_info.hc_insn).
 *
 * Pointers are guest addresses. The kernel checks that [ptr, ptr+len) lies inside the
 * app's RAM without wrapping, copies input in before use and never trusts a length:
 * a bad range is -UV_EFAULT and changes nothing.
 */
#ifndef __ASSEMBLER__ /* assembly gets the #defines only */
/*
 * Grant groups: a bit each in the manifest's per-app grant mask. The base group
 * (version, exit, yield) is always granted. A call outside the app's grants is
 * -UV_EPERM and is counted in the app's statistics.
 */
enum uv_grant {
	UV_GRANT_BASE = 1u << 0,
	UV_GRANT_CONSOLE = 1u << 1,
	UV_GRANT_CLOCK = 1u << 2,
	UV_GRANT_RANDOM = 1u << 3,
	UV_GRANT_NET = 1u << 4,  /* per NIC as well: the manifest lists which NICs */
	UV_GRANT_CHAN = 1u << 5, /* per channel as well */
};
#define UV_GRANT_ALL_KNOWN 0x3fu

/*
 * The calls, one line each: X(NAME, name, number, grant group). This list is the one
 * source for the enum, the names used in reports, the grant table the kernel enforces,
 * and the libos stub symbols mkimage looks for: the stub of call `name` is the function
 * `uv_hc_<name>` (e.g. uv_hc_console_write), each in its own section.
 *
 *   version         () -> UV_ABI_VERSION. The null call.
 *   exit            (int64 status) -> does not return.
 *   console_write   (gaddr buf, u64 len) -> len (len <= UV_CONSOLE_WRITE_MAX). May block the
 *                   caller until its share of the console drains (the kernel keeps at most
 *                   6 KiB of an app's output unsent); it then returns len: nothing is lost.
 *                   Lines come out as "name: text"; controls and invalid UTF-8 print as '?'.
 *   clock_monotonic () -> ns since the app started (what the in-app TSC clock gives).
 *   clock_wall      () -> ns since 1970-01-01 UTC.
 *   yield           (u64 deadline_ns, u64 handle_mask) -> mask of ready handles (0 at the
 *                   deadline). deadline is monotonic ns; 0 = just give up the CPU.
 *   random          (gaddr buf, u64 len) -> bytes written (len <= UV_RANDOM_MAX), from RDSEED/RDRAND.
 *   net_info        (u64 nic, gaddr struct uv_net_info *) -> 0. nic is the app's vNIC handle
 *                   (0.. in the order of its config's nic lines): -UV_EBADF past the last,
 *                   -UV_EPERM when the grants do not name it.
 *   net_read        (u64 nic, gaddr buf, u64 len) -> the oldest frame's length, copied to buf
 *                   and taken; -UV_EAGAIN when none waits; -UV_EMSGSIZE when len is shorter
 *                   than that frame (it stays queued); -UV_EFAULT unless [buf, buf + min(len,
 *                   UV_NET_FRAME_MAX_VLAN)) lies in the app's RAM (checked first). With
 *                   UV_NET_READ_MARKS or'ed into nic, the result also carries the frame's
 *                   checksum mark (below: the frame's length in UV_NET_LEN_MASK, the mark
 *                   above it) and UV_NET_RX_MORE when another frame waits behind it, with
 *                   how many in UV_NET_RX_BEHIND (ABI 1.7; up to 255); without,
 *                   a marked frame's checksum is completed first.
 *                   With UV_NET_READ_WAIT or'ed into nic it takes two more arguments, (u64
 *                   deadline_ns, u64 handle_mask), and when no frame waits it waits as
 *                   yield(deadline_ns, handle_mask + the vNIC) would: a frame that comes for
 *                   the vNIC goes straight into buf and is the result (as above); the
 *                   deadline, or a handle of handle_mask that is ready, ends it with
 *                   -UV_EAGAIN (yield says which); a bad handle is yield's error. A
 *                   deadline_ns of 0 does not wait.
 *                   With UV_NET_READ_SEND or'ed into nic, a sixth argument (gaddr struct
 *                   uv_net_send *, below) lists frames that go out first, in order, each as
 *                   net_write would send it on the same vNIC; then the read is as without
 *                   the flag. After the buffer's check the list is copied in and checked
 *                   (in the app's RAM, count <= UV_NET_SEND_MAX, reserved 0: else
 *                   -UV_EFAULT / -UV_EINVAL, nothing sent). The first frame net_write
 *                   would refuse ends the sending; the kernel writes into the list how
 *                   many went (sent) and that refusal (error; 0 when all went). The read
 *                   happens all the same, but without waiting after a refusal. With len 0
 *                   the call only sends (the read takes nothing: -UV_EAGAIN, or
 *                   -UV_EMSGSIZE with a frame queued). So a burst of frames out and the
 *                   wait for the next one in cost one exit.
 *                   With UV_NET_READ_LIST or'ed into nic, buf is a struct uv_net_recv (below)
 *                   whose count buffers of len bytes each take a frame each: the frames
 *                   queued, oldest first, as long as they fit; the result is how many
 *                   (1..count), each frame's own result (as above) in result[i]. Before
 *                   anything else the list is copied in and checked (in the app's RAM,
 *                   count 1..UV_NET_RECV_MAX, reserved 0, every buffer the app's for
 *                   min(len, UV_NET_FRAME_MAX_VLAN) bytes: else -UV_EFAULT / -UV_EINVAL). A
 *                   frame longer than len stays queued: -UV_EMSGSIZE when it is the first.
 *                   It composes with the other flags: a wait ends with the frames queued
 *                   then. So a burst of frames in costs one exit too.
 *   net_write       (u64 nic, gaddr buf, u64 len) -> the frame's length: the frame went into
 *                   the switch (delivered to zero or more ports). The frame's length
 *                   UV_NET_FRAME_MIN..UV_NET_FRAME_MAX (..UV_NET_FRAME_MAX_VLAN with an 802.1Q
 *                   tag), else -UV_EMSGSIZE; a checksum mark or'ed into len (below) that does
 *                   not fit the frame -UV_EINVAL; a source MAC not the vNIC's own (unless its
 *                   config allows any) -UV_EPERM; no kernel buffer free -UV_EAGAIN.
 *   chan_info       (u64 chan, gaddr struct uv_chan_info *) -> 0. chan is the app's channel
 *                   handle (0.. in the order of the config's channel sections it is an end
 *                   of): -UV_ENOENT past the last, -UV_EPERM when the grants do not name it.
 *   chan_send       (u64 chan, gaddr buf, u64 len) -> len: the message is copied into the
 *                   kernel's queue (what the app writes to buf afterwards changes nothing).
 *                   -UV_EBADF on the receiving end; -UV_EMSGSIZE when len > msg_max (0 is a
 *                   message too); -UV_EFAULT unless [buf, buf+len) is the app's RAM;
 *                   -UV_ECONNRESET once after a reset (below); -UV_EAGAIN when the queue is full.
 *   chan_recv       (u64 chan, gaddr buf, u64 len) -> the oldest message's length, copied to
 *                   buf and taken. -UV_EBADF on the sending end; -UV_EFAULT unless [buf, buf +
 *                   min(len, msg_max)) is the app's RAM (checked first); -UV_ECONNRESET once
 *                   after a reset; -UV_EAGAIN when the queue is empty; -UV_EMSGSIZE when len is
 *                   shorter than the message (it stays queued).
 *                   Errors come in the order listed (handle, grant, end, length, range, reset,
 *                   queue); a refused call changes nothing, except that -UV_ECONNRESET is given
 *                   once per reset.
 *   chan_sendrecv   (u64 ends, gaddr sbuf, u64 slen, gaddr rbuf, u64 rlen, u64 deadline) ->
 *                   the received message's length: a request and the wait for its answer (or,
 *                   for a server, an answer and the wait for the next request) in one call.
 *                   ends = UV_CHAN_ENDS(send handle, receive handle); a send handle of
 *                   UV_CHAN_NO_SEND sends nothing. Everything is checked before anything
 *                   happens: both handles as chan_send's and chan_recv's (-UV_ENOENT,
 *                   -UV_EPERM, -UV_EBADF), slen as chan_send's (-UV_EMSGSIZE), rlen at least
 *                   the receiving channel's msg_max (else -UV_EMSGSIZE: any message fits),
 *                   [sbuf, sbuf+slen) and [rbuf, rbuf+msg_max) the app's RAM (-UV_EFAULT), a
 *                   reset still to be told on either channel (-UV_ECONNRESET, that one told),
 *                   room in the sending queue (-UV_EAGAIN). Then the message is sent and the
 *                   oldest message of the receiving channel is taken into rbuf; when none waits
 *                   the app waits for one until deadline (yield's: 0 does not wait,
 *                   UV_YIELD_FOREVER never ends): -UV_ETIMEDOUT when it passes, -UV_ECONNRESET
 *                   when that channel resets meanwhile. These two mean the message was sent.
 *                   A receiver waiting here gets a message sent to it by either send call
 *                   straight into rbuf and runs next.
 *
 * Channel resets: when either end of a channel stops (exits, is stopped by the kernel or
 * fails to start; a restart is a stop and a start), the kernel drops the messages queued
 * on it (counted in the summary as dropped) and adds one to the channel's epoch
 * (uv_chan_info.epoch). The end that stopped starts afresh; the other end learns of the
 * reset exactly once: its next chan_send or chan_recv on that handle returns
 * -UV_ECONNRESET and does nothing else, and yield() reports the handle ready until then.
 * Messages sent after the reset wait for the restarted peer (a peer that never comes
 * back leaves the queue to fill: -UV_EAGAIN).
 */
#define UV_HYPERCALLS(X)                                          \
	X(VERSION, version, 0, UV_GRANT_BASE)                     \
	X(EXIT, exit, 1, UV_GRANT_BASE)                           \
	X(CONSOLE_WRITE, console_write, 2, UV_GRANT_CONSOLE)      \
	X(CLOCK_MONOTONIC, clock_monotonic, 3, UV_GRANT_CLOCK)    \
	X(CLOCK_WALL, clock_wall, 4, UV_GRANT_CLOCK)              \
	X(YIELD, yield, 5, UV_GRANT_BASE)                         \
	X(RANDOM, random, 6, UV_GRANT_RANDOM)                     \
	X(NET_INFO, net_info, 7, UV_GRANT_NET)                    \
	X(NET_READ, net_read, 8, UV_GRANT_NET)                    \
	X(NET_WRITE, net_write, 9, UV_GRANT_NET)                  \
	X(CHAN_INFO, chan_info, 10, UV_GRANT_CHAN)                \
	X(CHAN_SEND, chan_send, 11, UV_GRANT_CHAN)                \
	X(CHAN_RECV, chan_recv, 12, UV_GRANT_CHAN)                \
	X(CHAN_SENDRECV, chan_sendrecv, 13, UV_GRANT_CHAN)

#define UV_HC_ENUM_(NAME, name, nr, grant) UV_HC_##NAME = nr,
enum uv_hypercall {
	UV_HYPERCALLS(UV_HC_ENUM_)
	UV_HC_COUNT /* one past the last call; numbers >= this are -UV_ENOSYS */
};
#undef UV_HC_ENUM_

/* Limits the kernel enforces on lengths (a longer request is -UV_E2BIG). */
#define UV_CONSOLE_WRITE_MAX 4096 /* console_write takes at most this much per call */
#define UV_RANDOM_MAX 256         /* random fills at most this much per call */


/* Exit statuses the kernel reports for an app stopped by the exit policy. */
#define UV_EXIT_STATUS_KILLED (-1000)

/* yield(): the handle mask bit of NIC n is bit n; of channel c is bit 32+c. A channel is
 * ready for its receiver when a message waits, for its sender when the queue has room,
 * and for either while a reset is still to be reported to it. */
#define UV_YIELD_FOREVER UINT64_MAX
#define UV_HANDLE_NIC(n) (1ULL << (n))
#define UV_HANDLE_CHAN(c) (1ULL << (32 + (c)))

/* chan_sendrecv's first argument: the channel it sends on and the one it receives on. */
#define UV_CHAN_NO_SEND 0xffffffffu
#define UV_CHAN_ENDS(send, recv) ((uint64_t)(uint32_t)(send) | (uint64_t)(uint32_t)(recv) << 32)

/* OUT of net_info. */
struct uv_net_info {
	uint8_t mac[6];
	uint16_t mtu;      /* 1500 */
	uint32_t flags;    /* UV_NET_* */
	uint32_t reserved;
};
#define UV_NET_LINK_UP 1u  /* internal segments always; bridged ones when the NIC has link */
#define UV_NET_PROMISC 2u  /* it receives every frame of its segment */
#define UV_NET_ANY_SRC 4u  /* it may send with other source MACs */
#define UV_NET_FRAME_MIN 60
#define UV_NET_FRAME_MAX 1514
#define UV_NET_FRAME_MAX_VLAN 1518
UV_STATIC_ASSERT(sizeof(struct uv_net_info) == 16, "uv_net_info layout");

/* IN/OUT of net_read with UV_NET_READ_SEND: frames to send, each as net_write's (buf, len). */
#define UV_NET_SEND_MAX 16
struct uv_net_send {
	uint32_t count;    /* IN: frames in frame[], 0..UV_NET_SEND_MAX */
	uint32_t reserved; /* IN: 0 */
	uint32_t sent;     /* OUT: how many went, from frame[0] on */
	int32_t error;     /* OUT: 0, or the negative UV_E* that refused frame[sent] */
	struct {
		uv_gaddr_t buf;
		uint64_t len; /* with its checksum mark, as net_write's len */
	} frame[UV_NET_SEND_MAX];
};
UV_STATIC_ASSERT(sizeof(struct uv_net_send) == 16 + 16 * UV_NET_SEND_MAX, "uv_net_send layout");

/* IN/OUT of net_read with UV_NET_READ_LIST: buffers for the frames it takes, one frame each. */
#define UV_NET_RECV_MAX 16
struct uv_net_recv {
	uint32_t count;                   /* IN: buffers in buf[], 1..UV_NET_RECV_MAX */
	uint32_t reserved;                /* IN: 0 */
	uv_gaddr_t buf[UV_NET_RECV_MAX];  /* IN: each of the call's len bytes */
	uint64_t result[UV_NET_RECV_MAX]; /* OUT: for i below the call's result, buf[i]'s frame as net_read's result */
};
UV_STATIC_ASSERT(sizeof(struct uv_net_recv) == 8 + 16 * UV_NET_RECV_MAX, "uv_net_recv layout");

/*
 * A frame's checksum mark (ABI 1.4), virtio-net's VIRTIO_NET_HDR_F_NEEDS_CSUM (virtio 1.1
 * 5.1.6.2) carried in net_write's len and net_read's result: UV_NET_CSUM_PARTIAL says the
 * 16-bit Internet checksum (RFC 1071) at byte start + off is not computed yet: the two bytes
 * there hold the sum of the pseudo-header only (RFC 9293 3.1 for TCP, RFC 8200 8.1 over IPv6)
 * and the checksum covers [start, end of frame). The data itself is as its sender wrote it
 * (no wire between two vNICs), so a receiver that takes marks may skip the check. The kernel
 * completes the checksum for any frame that leaves through a physical port, that a capture
 * (pcap=) records, or that a reader who did not ask for marks takes (0 is stored as 0xffff,
 * the same one's complement value, RFC 768). start >= 14 (after the Ethernet header), start +
 * off + 2 <= the frame's length and bits 17..31 zero, else -UV_EINVAL. Without
 * UV_NET_CSUM_PARTIAL, len takes no other high bits (-UV_EMSGSIZE, as before 1.4). A sender
 * can only make its own frames wrong. net_read's UV_NET_RX_MORE and UV_NET_RX_BEHIND are not
 * a mark: a frame passed on (the firewall) keeps UV_NET_CSUM_BITS of the result.
 */
#define UV_NET_READ_MARKS (1ull << 32)   /* or'ed into net_read's nic: give me the marks */
#define UV_NET_READ_WAIT (1ull << 33)    /* or'ed into net_read's nic: wait for a frame (ABI 1.5) */
#define UV_NET_READ_SEND (1ull << 34)    /* or'ed into net_read's nic: send arg 6's frames first (ABI 1.6) */
#define UV_NET_READ_LIST (1ull << 35)    /* or'ed into net_read's nic: buf is a struct uv_net_recv (ABI 1.7) */
#define UV_NET_READ_FLAGS (UV_NET_READ_MARKS | UV_NET_READ_WAIT | UV_NET_READ_SEND | UV_NET_READ_LIST)
#define UV_NET_LEN_MASK 0xffffull         /* the frame's length in len / the result */
#define UV_NET_CSUM_PARTIAL (1ull << 16)
#define UV_NET_RX_MORE (1ull << 17)        /* net_read's result only: another frame waits */
#define UV_NET_RX_BEHIND_SHIFT 18          /* net_read's result only (ABI 1.7): bits 18..25, how many */
#define UV_NET_RX_BEHIND_MAX 255ull        /* frames wait behind it (255: that many or more) */
#define UV_NET_RX_BEHIND(r) (((uint64_t)(r) >> UV_NET_RX_BEHIND_SHIFT) & UV_NET_RX_BEHIND_MAX)
#define UV_NET_CSUM_RESERVED 0xfffe0000ull /* bits 17..31: zero in net_write's len */
#define UV_NET_CSUM_BITS (UV_NET_CSUM_PARTIAL | 0xffffffff00000000ull) /* a result's mark: net_write takes it */
#define UV_NET_CSUM_START_SHIFT 32         /* bits 32..47: start, from the frame's first byte */
#define UV_NET_CSUM_OFF_SHIFT 48           /* bits 48..63: off, from start (TCP's: 16, UDP's: 6) */
#define UV_NET_CSUM_FIELD_MASK 0xffffull
#define UV_NET_CSUM_START_MIN 14           /* the Ethernet header's length */
#define UV_NET_CSUM_MARK(start, off)                                                      \
	(UV_NET_CSUM_PARTIAL | (uint64_t)(uint16_t)(start) << UV_NET_CSUM_START_SHIFT | \
	 (uint64_t)(uint16_t)(off) << UV_NET_CSUM_OFF_SHIFT)
#define UV_NET_CSUM_START(v) ((unsigned)((v) >> UV_NET_CSUM_START_SHIFT & UV_NET_CSUM_FIELD_MASK))
#define UV_NET_CSUM_OFF(v) ((unsigned)((v) >> UV_NET_CSUM_OFF_SHIFT & UV_NET_CSUM_FIELD_MASK))

/* OUT of chan_info. */
struct uv_chan_info {
	uint32_t msg_max;  /* largest message the channel carries, bytes */
	uint32_t depth;    /* messages its queue holds */
	uint32_t flags;    /* UV_CHAN_SEND or UV_CHAN_RECV: which end this app holds */
	uint32_t epoch;    /* resets of the channel so far (0 until either end first stops) */
	uint32_t queued;   /* messages waiting in the queue now */
	uint32_t reserved;
	char name[32];     /* the channel's name in the config, NUL-terminated */
};
#define UV_CHAN_SEND 1u
#define UV_CHAN_RECV 2u
UV_STATIC_ASSERT(sizeof(struct uv_chan_info) == 56, "uv_chan_info layout");

#endif /* __ASSEMBLER__ */

/* Which instruction an app uses for a hypercall (uv_boot_info.hc_insn). */
#define UV_HC_INSN_VMCALL 1  /* Intel: 0f 01 c1 */
#define UV_HC_INSN_VMMCALL 2 /* AMD:   0f 01 d9 */

#endif
