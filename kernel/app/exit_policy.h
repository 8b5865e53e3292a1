/* kernel/app/exit_policy.h: the one place that decides what each exit of an app leads to. */
#ifndef KERNEL_EXIT_POLICY_H
#define KERNEL_EXIT_POLICY_H

#include "kernel/app/app.h"
#include "hv/hv.h"

enum exit_action {
	EXIT_RESUME,    /* handled: run the app on in this slice */
	EXIT_SLICE_END, /* its slice is over (yield, HLT, block, timer) */
	EXIT_ENDED,     /* it exited or was stopped (reported), APP_DONE */
};

/* Handles one exit of app a: hypercalls, CPUID, host interrupts, exceptions passed on
 * to an app that handles its own; everything else stops the app with a report. */
enum exit_action exit_policy(struct app *a, struct hv_exit *e);

#endif
