/* libos/include/univisor.h: the public app API of libos: boot-info access, hypercall stubs, clocks. */
#ifndef UNIVISOR_H
#define UNIVISOR_H

#include <stddef.h>
#include <stdint.h>
#include <abi/uv_abi.h>

/*
 * The boot-info page the kernel wrote for this app (read-only, valid for the app's
 * whole life). crt0 checked its magic and ABI major before main() ran.
 */
const struct uv_boot_info *uv_boot_info(void);

/*
 * Hypercall stubs: one function per call of UV_HYPERCALLS, named uv_hc_<name>, each in
 * its own section so that --gc-sections drops the ones an app never calls (mkimage
 * refuses an app that keeps the stub of a call its grants don't allow). They return
 * the raw result: >= 0 success, < 0 a negative UV_E* (Linux numbering, not errno; see
 * uv_errno()). Arguments and limits: include/abi/uv_hypercall.h.
 */
long uv_hc_version(void);
long uv_hc_exit(long status); /* returns only if the kernel refused (use _exit()) */
long uv_hc_console_write(const void *buf, size_t len);
long uv_hc_clock_monotonic(void);
long uv_hc_clock_wall(void);
long uv_hc_yield(uint64_t deadline_ns, uint64_t handle_mask);
long uv_hc_random(void *buf, size_t len);
long uv_hc_net_info(uint64_t nic, struct uv_net_info *info);
long uv_hc_net_read(uint64_t nic, void *buf, size_t len);
/* net_read with UV_NET_READ_WAIT or'ed into nic (the same stub): waits for a frame until
 * deadline_ns or a handle of handle_mask is ready (include/abi/uv_hypercall.h). */
long uv_hc_net_read_wait(uint64_t nic, void *buf, size_t len, uint64_t deadline_ns, uint64_t handle_mask);
/* net_read with UV_NET_READ_SEND (and maybe UV_NET_READ_WAIT) or'ed into nic (the same
 * stub): sends list's frames first, then reads (include/abi/uv_hypercall.h). */
long uv_hc_net_read_send(uint64_t nic, void *buf, size_t len, uint64_t deadline_ns, uint64_t handle_mask,
			 struct uv_net_send *list);
long uv_hc_net_write(uint64_t nic, const void *buf, size_t len);
long uv_hc_chan_info(uint64_t chan, struct uv_chan_info *info);
long uv_hc_chan_send(uint64_t chan, const void *buf, size_t len);
long uv_hc_chan_recv(uint64_t chan, void *buf, size_t len);
/* ends: UV_CHAN_ENDS(send handle or UV_CHAN_NO_SEND, receive handle); rlen >= its msg_max. */
long uv_hc_chan_sendrecv(uint64_t ends, const void *sbuf, size_t slen, void *rbuf, size_t rlen, uint64_t deadline_ns);

/* The errno value (this libc's numbering) for a negative hypercall result; 0 for r >= 0. */
int uv_errno(long r);

/*
 * Monotonic ns since the app started: from RDTSC scaled by the boot-info page (no
 * exit) when UV_BOOT_TSC_USABLE is set, else the clock_monotonic hypercall. Negative
 * UV_E* when neither works (e.g. the clock grant is missing).
 */
int64_t uv_monotonic_ns(void);

/* The in-app TSC clock alone (ns), or -UV_ENOSYS when the boot-info page says it is unusable. */
int64_t uv_tsc_ns(void);

#endif
