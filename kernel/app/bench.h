/* kernel/app/bench.h: the figures make bench reads from the console ("bench: ..." lines), printed only when the command line says bench. */
#ifndef KERNEL_APP_BENCH_H
#define KERNEL_APP_BENCH_H

#include <stdbool.h>
#include "kernel/boot/boot.h"

/* Reads the command line once: "bench" turns the figures on. */
void bench_init(const struct boot_info *bi);
/* Prints "bench: " and the figure when enabled; nothing otherwise. */
void bench_figure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
