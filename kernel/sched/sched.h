/* kernel/sched/sched.h: the per-CPU run loop: round-robin time slices over the apps, blocking, restarts, idle. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "kernel/app/app.h"

#define SCHED_SLICE_NS 10000000ull /* 10 ms */
#define SCHED_TICK_KEEP_MIN 8u /* a running LAPIC tick is handed on with at least 1/8 of a slice left */
#define SCHED_SCRUB_BYTES (256u << 10)   /* free memory zeroed per idle step */
#define SCHED_SCRUB_SLACK_NS 2000000ull  /* ... while the next deadline is further away */

/* Runs the apps until every one has ended for good, every remaining one waits forever,
 * or runtime_ns (0: no limit) have passed; prints the app summary every stats_every_ns
 * (0: never). Returns the number of apps that failed (an app still running or waiting
 * at the time limit has not failed). */
unsigned sched_run(struct app *apps, unsigned n, uint64_t stats_every_ns, uint64_t runtime_ns);
/* TSC ticks from kernel entry to the first VM entry (0 if none happened). */
uint64_t sched_first_entry_ticks(void);
/* a (runnable now, woken by the running app's call) is the next this CPU runs: at once, in the
 * rest of the slice, when the running app blocks in that call; else the next the loop picks. */
struct app;
void sched_run_next(const struct app *a);
/* Handles came of a's are ready now (a frame on its vNIC): when a is blocked in yield (or a
 * net_read that waits) for one of them, its call returns (the ready handles; the frame) and a
 * runs next (sched_run_next); else nothing (wake_due finds it later). */
void sched_wake_ready(struct app *a, uint64_t came);

#endif
