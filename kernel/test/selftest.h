/* kernel/test/selftest.h: hooks the test kernel (build/test/) fills with boot-time self-tests; no-ops otherwise. */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include <stdint.h>
#include "kernel/boot/boot.h"

/* After memory and time are up, before the appliance runs. */
void selftest_early(const struct boot_info *bi);
/* After the appliance ran: may end the run on purpose (a deliberate exception). */
void selftest_late(const struct boot_info *bi);

/* The hv self-test (kernel/test/selftest_hv.c): runs when the command line has "hvtest". */
void selftest_hv(void);
/* The NIC self-test (kernel/test/selftest_net.c): runs when the command line has "nettest". */
void selftest_net(void);
/* The virtio-net self-test (kernel/test/selftest_virtio.c): "virtiotest" or "virtiotest=linkdown". */
void selftest_virtio(const char *mode);

/* Interrupts open for ns (selftest_net.c): what a device has raised is taken (and counted)
 * now. The NIC self-tests' quiet checks use SELFTEST_WINDOW_NS, longer than the e1000's
 * ITR holds an interrupt back. */
void selftest_interrupt_window(uint64_t ns);
#define SELFTEST_WINDOW_NS 20000000ull

#endif
