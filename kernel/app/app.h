/* kernel/app/app.h: an app: its manifest record, RAM, VM and vCPU, state, console line buffer and statistics. */
#ifndef KERNEL_APP_H
#define KERNEL_APP_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/app/console_line.h"
#include "kernel/app/manifest.h"
#include "kernel/app/guest.h"
#include "kernel/app/guestmem.h"
#include "include/abi/uv_abi.h"
#include "hv/hv.h"

struct hv_vm;
struct hv_vcpu;
struct sw_port;
struct chan;

enum app_state {
	APP_NEW,       /* not started yet: started (RAM zeroed, VM built) when first picked */
	APP_RUNNABLE,  /* wants the CPU */
	APP_BLOCKED,   /* in yield() until wake_ns or a handle is ready, or in console_write()
	                  until its share of the console has room (console_wait.len != 0) */
	APP_DONE,      /* exited or stopped, not (yet) restarted */
	APP_RESTART_WAIT, /* stopped, restarting at wake_ns */
};

struct app_stats {
	uint64_t hypercalls;
	uint64_t denied;          /* hypercalls refused for lack of a grant */
	uint64_t exits[HV_EXIT_COUNT]; /* by enum hv_exit_reason, as the run loop sees them (hypercalls: above) */
	uint64_t cpu_tsc;         /* TSC ticks spent in the guest */
	uint64_t console_waits;   /* console_writes that blocked for room in its share */
	uint64_t console_wait_ns; /* time they were blocked, together */
	uint64_t handoffs;        /* times it gave the CPU to the next app inside the backend (kernel/sched) */
};

struct app {
	unsigned index;
	char name[UV_APP_NAME_MAX];
	const struct uv_manifest_app *rec; /* its (checked) manifest record */
	uint32_t grants;                   /* rec->grants | UV_GRANT_BASE (app_start): the dispatcher's one bit test */
	const uint8_t *image;              /* its image blob: the bytes rec->load[] copy */
	const char *args;                  /* argc NUL-terminated strings, rec->args.size bytes */
	const struct uv_symtab *syms;      /* NULL when the image has none */
	uint64_t syms_size;

	enum app_state state;
	struct guestmem mem;
	struct guest_layout layout;
	struct hv_vm *vm;
	struct hv_vcpu *vcpu;
	uint64_t start_tsc;     /* host TSC when the app (re)started: its TSC 0 */
	uint64_t wake_ns;       /* APP_BLOCKED / APP_RESTART_WAIT: monotonic kernel ns */
	uint64_t wait_mask;     /* handles yield() waits for */
	struct {                /* APP_BLOCKED in chan_sendrecv: the message goes straight to rbuf */
		bool active;
		struct chan *chan; /* the receiving channel */
		uv_gaddr_t rbuf; /* checked for its msg_max bytes at the call */
		uint8_t *host;   /* rbuf's host address when those lie in one page (zeroed then), else NULL */
	} chan_wait;
	struct {                /* APP_BLOCKED in a net_read that waits: a frame for it goes straight to buf */
		bool active;
		uint32_t flags;  /* its UV_NET_READ_* >> 32: the marks (_MARKS), buf a struct uv_net_recv (_LIST) */
		uint32_t handle; /* the vNIC */
		uv_gaddr_t buf;  /* checked for len bytes at the call (list: the struct uv_net_recv) */
		uint64_t len;
	} net_wait;
	struct {                /* the ends of its last good chan_sendrecv (kernel/hc/chan_calls.c) */
		uint64_t ends;   /* its first argument */
		struct chan *send, *recv; /* send NULL: UV_CHAN_NO_SEND; recv NULL: none remembered */
	} chan_memo;
	int64_t exit_status;
	bool failed;            /* stopped by the exit policy (vs. exited by itself) */
	unsigned restarts;
	struct app_stats stats;
	struct sw_port *nic[UV_APP_MAX_VNICS]; /* its vNICs by handle (kernel/net/net.c) */
	struct uv_vnic_ip nic_ip[UV_APP_MAX_VNICS]; /* their checked IP configuration, for the boot-info page */
	unsigned n_nics;
	struct chan *chan[UV_APP_MAX_CHANS]; /* its channel ends by handle (kernel/chan/chan.c) */
	unsigned n_chans;
	struct console_line con; /* console output not yet ended by a newline */
	struct {                 /* a console_write blocked for room in its share of the console */
		uv_gaddr_t gaddr;
		uint64_t len;    /* its length; 0: none blocked */
		uint64_t done;   /* bytes of it queued so far */
		uint64_t since_ns;
	} console_wait;
};

/* Sets up a from its manifest record (checked by manifest_check) and starts it:
 * RAM, memory image, boot-info page, VM and vCPU. 0, or a negative value after
 * printing why (the app is then APP_DONE and failed). */
int app_start(struct app *a);
/* Ends the app: status and reason recorded, output flushed, the vCPU, the VM and the RAM
 * released (the app keeps its record), its channels reset. */
void app_finish(struct app *a, int64_t status, bool failed);
/* The app's own monotonic clock: ns since it started (what its TSC clock reads). */
uint64_t app_now_ns(const struct app *a);
/* Console output from the app: console_write's [gaddr, gaddr+len), copied in to buf
 * (checked by the caller). Queues each complete line as "name: line" (console_line.h).
 * True when all of it is queued; false when the app's share of the console is full:
 * then the rest is recorded in console_wait, the app is to block (APP_BLOCKED), and
 * app_console_resume() finishes the write. */
bool app_console_write(struct app *a, const char *buf, uv_gaddr_t gaddr, uint64_t len);
/* An app blocked in console_write: goes on with the write once its share has drained to
 * CONSOLE_RESUME_ROOM free (copying the rest in again: its vCPU has not run, so its RAM
 * is unchanged). True when the write is complete and the app may run again. */
bool app_console_resume(struct app *a);
static inline bool app_console_waiting(const struct app *a) { return a->console_wait.len != 0; }
/* The app ends: queues its unfinished line, if any. */
void app_console_flush(struct app *a);
/* An EPT/NPT violation at gpa: if it lies in a chunk of the app's RAM not yet in its
 * VM, zeroes that chunk if needed and maps it, and the app goes on (0). Anything else
 * (outside its RAM, an already mapped chunk, out of table memory) is -UV_EFAULT or the
 * map's error: the exit policy then stops the app with the violation's report. */
int app_first_touch(struct app *a, uint64_t gpa);

#endif
