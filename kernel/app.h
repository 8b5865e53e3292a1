/* kernel/app.h: an app: its manifest record, RAM, VM and vCPU, state, console line buffer and statistics. */
#ifndef KERNEL_APP_H
#define KERNEL_APP_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/elf.h"
#include "kernel/guest.h"
#include "kernel/guestmem.h"
#include "include/abi/uv_abi.h"

struct hv_vm;
struct hv_vcpu;

enum app_state {
	APP_NEW,       /* not started yet: started (RAM zeroed, VM built) when first picked */
	APP_RUNNABLE,  /* wants the CPU */
	APP_BLOCKED,   /* in yield() until wake_ns or a handle is ready */
	APP_DONE,      /* exited or stopped, not (yet) restarted */
	APP_RESTART_WAIT, /* stopped, restarting at wake_ns */
};

struct app_stats {
	uint64_t hypercalls;
	uint64_t denied;          /* hypercalls refused for lack of a grant */
	uint64_t exits[16];       /* by enum hv_exit_reason */
	uint64_t cpu_tsc;         /* TSC ticks spent in the guest */
};

#define APP_LINE_MAX 256

struct app {
	unsigned index;
	char name[UV_APP_NAME_MAX];
	const struct uv_manifest_app *rec; /* its (checked) manifest record */
	const uint8_t *elf;
	uint64_t elf_size;
	const char *args;                  /* argc NUL-terminated strings, rec->args.size bytes */
	const struct uv_symtab *syms;      /* NULL when the image has none */
	uint64_t syms_size;
	struct elf_image img;

	enum app_state state;
	struct guestmem mem;
	struct guest_layout layout;
	struct hv_vm *vm;
	struct hv_vcpu *vcpu;
	uint64_t start_tsc;     /* host TSC when the app (re)started: its TSC 0 */
	uint64_t wake_ns;       /* APP_BLOCKED / APP_RESTART_WAIT: monotonic kernel ns */
	uint64_t wait_mask;     /* handles yield() waits for */
	int64_t exit_status;
	bool failed;            /* stopped by the exit policy (vs. exited by itself) */
	unsigned restarts;
	struct app_stats stats;
	char line[APP_LINE_MAX + 1]; /* console output not yet ended by a newline (+ room for it) */
	char prefix[UV_APP_NAME_MAX + 2]; /* "name: " for its console lines */
	unsigned prefix_len;
	unsigned line_len;
};

/* Sets up a from its manifest record (checked by manifest_check) and starts it:
 * RAM, memory image, boot-info page, VM and vCPU. 0, or a negative value after
 * printing why (the app is then APP_DONE and failed). */
int app_start(struct app *a);
/* Releases the vCPU, the VM and the RAM (scrubbed). The app keeps its record. */
void app_teardown(struct app *a);
/* Ends the app: status and reason recorded, output flushed, resources released. */
void app_finish(struct app *a, int64_t status, bool failed);
/* The app's own monotonic clock: ns since it started (what its TSC clock reads). */
uint64_t app_now_ns(const struct app *a);
/* Appends console output from the app, printing each complete line as "name: line". */
void app_console(struct app *a, const char *s, uint64_t n);
void app_console_flush(struct app *a);
/* Names a guest address by the app's symbols: "main+0x13", or NULL. */
const char *app_symbol(const struct app *a, uint64_t addr, char *buf, unsigned buflen);

#endif
