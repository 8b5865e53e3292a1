/* libos/net/timer_math.c: the arithmetic of timers.c's rules that needs no lwIP (pure: unit-tested on the host). */
#include "timer_math.h"

unsigned uv_dhcp_coarse_ticks_to_event(unsigned t0_timeout, unsigned lease_used, unsigned t2_rebind_time,
				       unsigned t1_renew_time)
{
	/* dhcp.c dhcp_coarse_tmr: t0 ends the lease at ++lease_used == t0_timeout; t2 and t1 fire at
	 * the tick that finds them 1 (they count down) */
	unsigned k[3] = { t0_timeout > lease_used ? t0_timeout - lease_used : 0, t2_rebind_time, t1_renew_time };
	unsigned best = 0;
	for (int i = 0; i < 3; i++)
		if (k[i] && (!best || k[i] < best))
			best = k[i];
	return best;
}
