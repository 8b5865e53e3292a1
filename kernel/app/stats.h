/* kernel/app/stats.h: prints one summary line per app (at the end of a run, or every stats=N seconds). */
#ifndef KERNEL_STATS_H
#define KERNEL_STATS_H

#include "kernel/app/app.h"

void stats_print(const struct app *apps, unsigned n, const char *title);

#endif
