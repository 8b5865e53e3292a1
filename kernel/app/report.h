/* kernel/app/report.h: stops an app the exit policy refuses, with a report: reason, registers, symbol, backtrace. */
#ifndef KERNEL_REPORT_H
#define KERNEL_REPORT_H

#include "kernel/app/app.h"
#include "hv/hv.h"

/* Prints "app 'NAME' stopped: <reason> rip=... <sym+off>" and the registers, then
 * ends the app as failed. */
void report_stop(struct app *a, const struct hv_exit *e);

#endif
