/* kernel/net/net.h: the appliance's network: the switch built from the manifest, its uplinks bound to the NICs, the apps' vNIC handles, polling. */
#ifndef KERNEL_NET_NET_H
#define KERNEL_NET_NET_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/app/app.h"
#include "kernel/boot/boot.h"
#include "kernel/dev/nic.h"
#include "kernel/net/switch.h"

/* Builds the network of a checked manifest: brings up the NICs its ports name (only
 * those: others stay quiet, no bus mastering), builds the switch, binds each uplink to its
 * NIC and gives each app its vNIC handles (a->nic[], a->n_nics). Without net records it
 * does nothing. 0, or a negative errno after printing why (a port naming a NIC the machine
 * lacks, out of memory): the appliance must not start then. Starts the capture the
 * command line asks for (pcap=, kernel/net/pcap.h). */
int net_setup(const struct boot_info *bi, const struct uv_manifest *m, struct app *apps, unsigned n_apps);
/* The port named NAME (a manifest port) or APP.VNIC (an app's vNIC), or NULL. */
struct sw_port *net_find_port(const char *name);
/* True when the appliance has a network at all. */
bool net_present(void);
/* Takes the frames NICs received (those whose interrupt fired) into the switch; returns
 * how many. Cheap when nothing is pending. */
unsigned net_poll(void);
/* A NIC interrupt fired and its frames are not taken yet. */
bool net_pending(void);
/*
 * NAPI's idea: the one app on segments with an uplink, if there is only one (else NULL).
 * While it runs, the NICs are quiet (nic_quiet): frames that come cost it no interrupt
 * exit, its net_read polls them out of the rings, and so does every scheduler round (its
 * slice ends within SCHED_SLICE_NS at the latest). While anything else runs, or the CPU
 * idles, the NICs interrupt: a frame still wakes the app at once.
 */
extern const struct app *net_quiet_app;
static inline void net_quiet_for(const struct app *running)
{
	if (__builtin_expect(net_quiet_app != 0, 0))
		nic_quiet(running == net_quiet_app);
}
/* Bits (UV_HANDLE_NIC) of a's vNICs with a frame waiting. */
uint64_t net_ready_mask(const struct app *a);
/* Bits of a's vNICs on a segment with an uplink (a frame from outside can wake it). */
uint64_t net_external_mask(const struct app *a);
/* An app (re)starts: its queues are emptied. */
void net_app_reset(struct app *a);
/* The switch's counters, one line per port (for the periodic and final summaries). */
void net_print(void);
/* The switch (for the hypercalls). */
struct sw *net_switch(void);

#endif
