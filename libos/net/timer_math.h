/* libos/net/timer_math.h: timers.c's pure arithmetic (host unit-tested). */
#ifndef LIBOS_NET_TIMER_MATH_H
#define LIBOS_NET_TIMER_MATH_H

/*
 * How many DHCP coarse ticks from now the next one that acts comes (ends the lease, rebinds,
 * renews), from the counters of lwIP 2.1.3's struct dhcp; 0 when none counts (no event).
 */
unsigned uv_dhcp_coarse_ticks_to_event(unsigned t0_timeout, unsigned lease_used, unsigned t2_rebind_time,
				       unsigned t1_renew_time);

#endif
