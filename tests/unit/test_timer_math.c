/* tests/unit/test_timer_math.c: when libos's DHCP coarse timer must wake the app (libos/net/timer_math.c). */
#include "tests/unit/unit.h"
#include "libos/net/timer_math.h"

TEST(dhcp_coarse_wakes_at_the_first_acting_tick)
{
	/* a fresh 24 h lease from QEMU's server in 60 s ticks: renew at 720, rebind at 1260, end at 1440 */
	CHECK_EQ(uv_dhcp_coarse_ticks_to_event(1440, 0, 1260, 720), 720);
	CHECK_EQ(uv_dhcp_coarse_ticks_to_event(1440, 719, 541, 1), 1);   /* the next tick renews */
	CHECK_EQ(uv_dhcp_coarse_ticks_to_event(1440, 1000, 260, 0), 260); /* renewing failed: rebind next */
	CHECK_EQ(uv_dhcp_coarse_ticks_to_event(1440, 1439, 0, 0), 1);     /* the lease ends at the next tick */
	CHECK_EQ(uv_dhcp_coarse_ticks_to_event(1440, 1440, 0, 0), 0);     /* ended: nothing counts */
	CHECK_EQ(uv_dhcp_coarse_ticks_to_event(0, 5, 0, 0), 0);           /* an infinite lease (no t0) */
	CHECK_EQ(uv_dhcp_coarse_ticks_to_event(0, 0, 3, 9), 3);
}
