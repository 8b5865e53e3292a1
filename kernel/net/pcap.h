/* kernel/net/pcap.h: packet capture: a port's or vNIC's frames, both directions, in pcap format on the second serial port (COM2). */
#ifndef KERNEL_NET_PCAP_H
#define KERNEL_NET_PCAP_H

#include "kernel/boot/boot.h"
#include "kernel/net/switch.h"

/*
 * The command line's pcap=NAME names a manifest port ("wan") or an app's vNIC
 * ("fw.out"); its frames, in and out, go to COM2 as a pcap stream (LINKTYPE_ETHERNET,
 * microsecond timestamps of the wall clock) that tcpdump -r or tshark reads. Writing is
 * polled: on a real 115200-baud line a full-size frame holds the CPU for about 130 ms,
 * so capture is for debugging. Without pcap= nothing is written.
 * Returns 0, or -UV_ENOENT after printing why (no such port or vNIC).
 */
int pcap_setup(const struct boot_info *bi);
/* The capture's line for the summaries (nothing without a capture). */
void pcap_print(void);

#endif
