/* tools/bench/linux/fwbridge.h: the firewall bench on Linux (bench=fw on the kernel command line): e1000 loaded, generator, AF_PACKET bridge and sink on four NICs. */
#ifndef TOOLS_BENCH_LINUX_FWBRIDGE_H
#define TOOLS_BENCH_LINUX_FWBRIDGE_H

#include <stdbool.h>

/* True if /proc/cmdline has the word bench=fw (mounts /proc if it is not yet). */
bool fw_bench_requested(void);
/* Runs the firewall bench and prints its lxbench lines; returns when the sink is done. */
void fw_bench(void);

#endif
