/* tools/bench/linux/fwbridge.h: the firewall bench on Linux (bench=fw on the kernel command line): e1000 loaded, generator, AF_PACKET bridge and sink on four NICs. */
#ifndef TOOLS_BENCH_LINUX_FWBRIDGE_H
#define TOOLS_BENCH_LINUX_FWBRIDGE_H

#include <stdbool.h>

/* True if /proc/cmdline has the word (mounts /proc if it is not yet). */
bool bench_cmdline_has(const char *word);
/* bench_cmdline_has("bench=fw"). */
bool fw_bench_requested(void);
/* Loads the e1000 driver from the initramfs (finit_module(2)); false and "lxbench: <fig> failed (...)" if not. */
bool bench_load_e1000(const char *fig);
/* Sets IFF_UP on the NIC called name (ctl: any socket), and returns its index (0 on failure). */
int bench_nic_up(int ctl, const char *name);
/* Runs the firewall bench and prints its lxbench lines; returns when the sink is done. */
void fw_bench(void);

#endif
